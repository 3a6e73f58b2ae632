from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..forms import IdentityLoginForm, InitialPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = IdentityLoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = InitialPasswordChangeForm
    success_url = reverse_lazy("dashboard")

    def get_success_url(self):
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return super().get_success_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response



# --- forgotten password (see cms_site/accounts/services/recovery.py) ----------------------

RESET_RATE_PER_ADDRESS = "5/h"  # requests for reset mail from one client address
RESET_RATE_PER_EMAIL = "3/h"  # mails to one typed address


class PasswordResetView(auth_views.PasswordResetView):
    """"Forgot your password?": both ways back (the exam office or training organisation,
    or an emailed link), the email form rate-limited per client address and per address."""

    template_name = "accounts/password_forgotten.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        from django_ratelimit.core import is_ratelimited

        request = self.request
        by_address = is_ratelimited(request, group="password_reset_ip", key="ip", rate=RESET_RATE_PER_ADDRESS,
                                    method="POST", increment=True)
        by_email = is_ratelimited(request, group="password_reset_email",
                                  key=lambda _group, req: (req.POST.get("email") or "").strip().lower(),
                                  rate=RESET_RATE_PER_EMAIL, method="POST", increment=True)
        if by_address or by_email:
            form.add_error(None, _("Too many reset requests. Please wait an hour, or ask the exam office or your "
                                   "training organisation to reset your password."))
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        from ..services.recovery import record_email_reset

        response = super().form_valid(form)
        record_email_reset(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
