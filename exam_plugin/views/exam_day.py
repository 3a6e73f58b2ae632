"""The live exam-day panel in the Wagtail admin: an HTML page that re-reads a JSON
snapshot every few seconds (``exam_plugin/admin/exam_day.js``). For the exam office
(``manage_exams``) and proctors (``proctor_plugin.invigilate`` / ``supervise_all_sittings``,
checked by name so the exam plugin does not import the proctor plugin)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..services import exam_day
from .admin import MANAGE, _exam_programs

PANEL_PERMS = (MANAGE, "proctor_plugin.invigilate", "proctor_plugin.supervise_all_sittings")
REFRESH_SECONDS = 5


def may_watch(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and any(user.has_perm(perm) for perm in PANEL_PERMS))


def _require(request):
    if not may_watch(request.user):
        raise PermissionDenied


def _payload(data) -> dict:
    return {
        "now": data["now"].isoformat(),
        "errors_last_minutes": data["errors_last_minute"],
        "totals": data["totals"],
        "sittings": [
            {**{k: v for k, v in row.items() if k != "sitting"}, "id": row["sitting"].pk,
             "title": str(row["sitting"]), "program": str(row["sitting"].program.title),
             "starts_at": timezone.localtime(row["sitting"].starts_at).strftime("%H:%M"),
             "ends_at": timezone.localtime(row["sitting"].ends_at).strftime("%H:%M")}
            for row in data["sittings"]
        ],
    }


@never_cache
def panel(request):
    _require(request)
    data = exam_day.snapshot(_exam_programs())
    return TemplateResponse(request, "exam_plugin/admin/exam_day.html",
                            {"data": data, "refresh_seconds": REFRESH_SECONDS})


@never_cache
def panel_data(request):
    _require(request)
    return JsonResponse(_payload(exam_day.snapshot(_exam_programs())))
