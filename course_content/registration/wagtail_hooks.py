from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from course_content.models import WorkingDayOverride

from .models import EligibilityRule, TrainingOrganisation
from .services.registrations import can_review
from .views import admin as admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.queue, name="queue"),
        path("<int:pk>/", admin_views.review, name="review"),
    ]
    return [path("registrations/", include((urls, "registration_admin"), namespace="registration_admin"))]


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Registration review"), reverse("registration_admin:queue"), icon_name="tasks", order=810
    )


class EligibilityRuleViewSet(ModelViewSet):
    """The 报名条件 per level; any one rule of a level suffices."""

    model = EligibilityRule
    icon = "list-ul"
    menu_label = _("Eligibility rules")
    menu_order = 811
    add_to_admin_menu = True
    url_prefix = "registration/eligibility-rules"
    list_display = ["description", "level", "sort_order"]
    list_filter = ["level__program", "level__code"]
    form_fields = [
        "level", "sort_order", "description", "min_education", "related_major_required", "min_work_years",
        "current_student_required", "certificate", "certificate_min_level", "certificate_min_years",
    ]


class TrainingOrganisationViewSet(ModelViewSet):
    model = TrainingOrganisation
    icon = "group"
    menu_label = _("Training organisations")
    menu_order = 812
    add_to_admin_menu = True
    url_prefix = "registration/organisations"
    list_display = ["name", "region", "is_active"]
    search_fields = ["name", "region"]
    form_fields = ["name", "region", "contact", "is_active", "programs", "members"]


class WorkingDayOverrideViewSet(ModelViewSet):
    """Newly announced holiday adjustments the ``holidays`` package does not know yet."""

    model = WorkingDayOverride
    icon = "date"
    menu_label = _("Working-day overrides")
    menu_order = 813
    add_to_admin_menu = True
    url_prefix = "calendar/overrides"
    list_display = ["date", "is_working_day", "note"]
    form_fields = ["date", "is_working_day", "note"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [EligibilityRuleViewSet("eligibility_rules"), TrainingOrganisationViewSet("training_organisations"),
            WorkingDayOverrideViewSet("working_day_overrides")]
