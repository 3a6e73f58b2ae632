"""Admin hooks of accounts: the exam office's password reset (``views/admin.py``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .services import recovery
from .views import admin as admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("accounts/<int:user_id>/reset-password/", admin_views.reset_password, name="accounts_reset_password")]


@hooks.register("register_user_listing_buttons")
def reset_password_button(user, request_user):
    from wagtail.admin.widgets import ListingButton

    if admin_views.may_reset(request_user, user):
        yield ListingButton(_("Reset password"), reverse("accounts_reset_password", args=[user.pk]), priority=50)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(recovery.RESET_BY_STAFF, _("Password reset by the exam office"),
                            _("Password reset by the exam office"))
    actions.register_action(recovery.RESET_BY_EMAIL, _("Password reset by email"), _("Password reset by email"))
