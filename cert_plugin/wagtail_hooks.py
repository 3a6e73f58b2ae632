from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.certificate_list, name="list"),
        path("batch/", admin_views.batch_issue, name="batch"),
        path("<int:pk>/", admin_views.certificate_detail, name="detail"),
        path("<int:pk>/revoke/", admin_views.certificate_revoke, name="revoke"),
        path("<int:pk>/reissue/", admin_views.certificate_reissue, name="reissue"),
        path("<int:pk>/pdf/", admin_views.certificate_pdf, name="pdf"),
    ]
    return [path("certificates/", include((urls, "cert_plugin_admin"), namespace="cert_plugin_admin"))]


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_manage(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return CertificatesMenuItem(
        _("Certificates"), reverse("cert_plugin_admin:list"), icon_name="doc-full", order=820
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("cert_plugin.issue", _("Certificate issued"), _("Certificate issued"))
    actions.register_action("cert_plugin.revoke", _("Certificate revoked"), _("Certificate revoked"))
    actions.register_action("cert_plugin.reissue", _("Certificate re-issued"), _("Certificate re-issued"))
    actions.register_action("cert_plugin.batch_issue", _("Certificates batch-issued"), _("Certificates batch-issued"))
