"""Cert plugin admin: the certificate list as a Wagtail model viewset (search, filters,
paging), plus the plugin's own screens (views/admin.py): one certificate (revoke,
re-issue, PDF) and batch issue. One permission policy (``manage_certificates``) for all."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms_site.accounts.services.identity import normalise_document_number
from cms_site.services.masking import mask_document_number
from course_content.models import ProgramPage

from .models import Certificate
from .services import numbering
from .views import admin as admin_views


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """The plugin's one policy: holders of ``cert_plugin.manage_certificates`` may "view"
    (the list and the screens in views/admin.py); nobody, superusers included, may add,
    change or delete a certificate here (the service issues them)."""

    def user_has_permission(self, user, action):
        return action == "view" and admin_views.can_manage(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return self._get_users_with_any_permission_codenames(
            [admin_views.PERMISSION.split(".", 1)[1]]
        )


class CertificateFilterSet(WagtailFilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=ProgramPage.objects.order_by("path"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Certificate
        fields = ["program", "status"]


class CertificateIndexView(IndexView):
    """Rows link to the certificate's own screen; search matches a whole certificate or ID
    number (never part of one: the list masks ID numbers) or part of the holder's name."""

    default_ordering = "-created_at"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("program")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        return queryset.filter(
            Q(number=numbering.normalise(query))
            | Q(holder_name__icontains=query)
            | Q(document_number=normalise_document_number(query))
        )

    def get_edit_url(self, instance):
        return reverse("cert_plugin_admin:detail", args=(instance.pk,))

    @property
    def columns(self):
        return [
            TitleColumn(
                "number",
                label=_("Certificate number"),
                sort_key="number",
                get_url=self.get_edit_url,
            ),
            Column("holder_name", label=_("Name"), sort_key="holder_name"),
            Column(
                "document_number",
                label=_("ID number"),
                accessor=lambda c: mask_document_number(c.document_number),
            ),
            Column("program_name", label=_("Program"), sort_key="program_name"),
            Column("level_name", label=_("Level")),
            DateColumn(
                "issue_date",
                label=pgettext_lazy("certificate", "Issue date"),
                sort_key="issue_date",
            ),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        ]

    @property
    def header_buttons(self):
        return [
            HeaderButton(_("Batch issue"), url=reverse("cert_plugin_admin:batch"), icon_name="plus")
        ]


class CertificateViewSet(ModelViewSet):
    """Certificates are issued by the service, never typed in: only the index (and its
    results fragment) is routed; the policy refuses add, change and delete."""

    model = Certificate
    name = "certificates"
    url_prefix = "certificates"
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 820
    add_to_admin_menu = True
    add_to_reference_index = False  # no usage screen; saves during issuing stay as they were
    index_view_class = CertificateIndexView
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "document_number"]
    list_per_page = 50

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


@hooks.register("register_admin_viewset")
def register_viewset():
    return CertificateViewSet()


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("batch/", admin_views.batch_issue, name="batch"),
        path("<int:pk>/", admin_views.certificate_detail, name="detail"),
        path("<int:pk>/revoke/", admin_views.certificate_revoke, name="revoke"),
        path("<int:pk>/reissue/", admin_views.certificate_reissue, name="reissue"),
        path("<int:pk>/pdf/", admin_views.certificate_pdf, name="pdf"),
    ]
    return [
        path("certificates/", include((urls, "cert_plugin_admin"), namespace="cert_plugin_admin"))
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("cert_plugin.issue", _("Certificate issued"), _("Certificate issued"))
    actions.register_action(
        "cert_plugin.revoke", _("Certificate revoked"), _("Certificate revoked")
    )
    actions.register_action(
        "cert_plugin.reissue", _("Certificate re-issued"), _("Certificate re-issued")
    )
    actions.register_action(
        "cert_plugin.batch_issue", _("Certificates batch-issued"), _("Certificates batch-issued")
    )
