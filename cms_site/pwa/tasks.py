"""Background tasks (Django's tasks API via django-tasks).

In development and production the database queue runs them (``manage.py db_worker``);
the test settings run them immediately. ``services.push.notify`` enqueues them.
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from .models import PushSubscription
from .services.delivery import send_to_subscription


@task()
def deliver_push(user_id, kind, url, context):
    """Background task: send ``kind`` to each device of the user; returns outcome counts."""
    outcomes = {"sent": 0, "expired": 0, "refused": 0, "failed": 0}
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return outcomes
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        outcomes[send_to_subscription(subscription, kind, url, context)] += 1
    return outcomes
