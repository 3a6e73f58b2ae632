"""Wagtail admin: the exam office resets a learner's forgotten password (see ``recovery``)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from ..services import recovery
from ..services.roles import is_staff_role


def may_reset(actor, learner) -> bool:
    """Reviewers reset learners' passwords; staff accounts only a superuser resets."""
    if not recovery.can_reset_passwords(actor) or learner.pk == actor.pk:
        return False
    if learner.is_superuser or learner.is_staff or is_staff_role(learner):
        return actor.is_superuser
    return True


@never_cache
def reset_password(request, user_id):
    """GET: confirm (who, what happens). POST: reset, then show the temporary password once."""
    learner = get_object_or_404(get_user_model(), pk=user_id)
    if not may_reset(request.user, learner):
        raise PermissionDenied
    context = {"learner": learner, "temporary_password": None}
    if request.method == "POST":
        context["temporary_password"] = recovery.reset_by_staff(learner, request.user, via="admin")
    return render(request, "accounts/admin/reset_password.html", context)
