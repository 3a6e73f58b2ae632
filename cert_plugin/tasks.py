"""Background tasks (Django's tasks API via django-tasks).

In development and production the database queue runs them (``manage.py db_worker``);
the test settings run them immediately. ``services.triggers`` enqueues them.
"""

from django_tasks import task

from .services.issuing import issue_certificate


@task()
def issue_certificate_task(exam_pass_id: int) -> str | None:
    """Issue (number, record, signed PDF) the certificate for one exam pass if still due.

    Returns the certificate number, or None when the rule no longer holds or it was
    already issued (a duplicate task is harmless).
    """
    certificate = issue_certificate(exam_pass_id)
    return certificate.number if certificate else None
