"""The proctor console (Wagtail admin): sittings, the live grid, actions, timeline.

Thin views over ``console``/``monitoring``; every view checks that the user may
proctor the sitting in question. The sitting list is the index of the console's
viewset (``wagtail_hooks.ConsoleViewSet``); its rows are ``access.sittings_for``.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

from ..models import BreakRequest, FaceEnrolment, ProctoredSitting, SittingProctor
from ..services import access, console, monitoring
from ..services.face_enrolment import PhotoRefused, enrol_face
from ..services.privacy import photo_url


def _sitting(request, sitting_id):
    from exam_plugin.models import ExamSitting

    sitting = get_object_or_404(ExamSitting.objects.select_related("program"), pk=sitting_id)
    access.check_can_proctor(request.user, sitting)
    return sitting


def _proctored(request, ps_id) -> ProctoredSitting:
    ps = get_object_or_404(
        ProctoredSitting.objects.select_related("candidate__sitting", "enrolment__learner", "enrolment__program"), pk=ps_id
    )
    if ps.candidate_id is None:
        if not access.supervises_all(request.user):
            raise PermissionDenied
    else:
        access.check_can_proctor(request.user, ps.candidate.sitting)
    return ps


class SittingListView(IndexView):
    """The sittings the user may proctor (all of them for chief proctors), newest first;
    each row opens the sitting's live console."""

    page_title = gettext_lazy("Proctor console")
    header_icon = "view"
    default_ordering = "-starts_at"

    def get_base_queryset(self):
        return access.sittings_for(self.request.user)

    def get_edit_url(self, instance):
        return reverse("proctor_plugin_admin:sitting", args=(instance.pk,))

    @property
    def no_results_message(self):
        return _("No exam sittings are assigned to you.")  # the list has no search or filters

    @property
    def columns(self):
        return [
            TitleColumn("title", label=gettext_lazy("Exam sitting"), accessor=str, get_url=self.get_edit_url),
            Column("program", label=gettext_lazy("Program"), accessor=lambda sitting: sitting.program.title),
            Column("starts_at", label=gettext_lazy("Starts"), accessor=_minute("starts_at"), sort_key="starts_at"),
            Column("ends_at", label=gettext_lazy("Ends"), accessor=_minute("ends_at"), sort_key="ends_at"),
        ]


def _minute(field):
    """A column accessor: the local date and time to the minute (a proctor needs the time, not "in 2 days")."""
    return lambda sitting: date_filter(localtime(getattr(sitting, field)), "Y-m-d H:i")


def sitting_console(request, sitting_id):
    sitting = _sitting(request, sitting_id)
    proctors = SittingProctor.objects.filter(sitting=sitting).select_related("proctor")
    return render(request, "proctor_plugin/console/sitting.html", {
        "sitting": sitting,
        "rows": console.grid(sitting),
        "proctors": proctors,
        "can_assign": access.supervises_all(request.user),
        "grid_url": reverse("proctor_plugin_admin:grid", args=[sitting.pk]),
    })


def sitting_grid(request, sitting_id):
    """The grid's rows as an HTML fragment, for the console's auto-refresh."""
    sitting = _sitting(request, sitting_id)
    return render(request, "proctor_plugin/console/_rows.html", {"rows": console.grid(sitting), "sitting": sitting})


@require_POST
def assign(request, sitting_id):
    sitting = _sitting(request, sitting_id)
    user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
    if user is None:
        messages.error(request, _("No user with that user name."))
    else:
        try:
            console.assign_proctor(sitting, user, by=request.user)
            messages.success(request, _("%(name)s now proctors this sitting.") % {"name": user.get_username()})
        except console.ConsoleError as err:
            messages.error(request, str(err))
    return redirect("proctor_plugin_admin:sitting", sitting.pk)


ACTIONS = ("warn", "approve_break", "deny_break", "add_time", "force", "decide", "enrol_face")


@require_POST
def act(request, ps_id, action):
    """One console action on one candidate; audit-logged by the services."""
    ps = _proctored(request, ps_id)
    back = request.POST.get("back") or (
        reverse("proctor_plugin_admin:sitting", args=[ps.candidate.sitting_id]) if ps.candidate_id else reverse("proctor_plugin_admin:index")
    )
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = reverse("proctor_plugin_admin:index")
    reason = request.POST.get("reason", "").strip()
    try:
        if action == "warn":
            monitoring.warn(ps, request.POST.get("message", ""), by=request.user)
        elif action in ("approve_break", "deny_break"):
            pending = get_object_or_404(BreakRequest, pk=request.POST.get("break"), sitting=ps)
            (monitoring.approve_break if action == "approve_break" else monitoring.deny_break)(pending, by=request.user)
        elif action == "add_time":
            try:
                minutes = int(request.POST.get("minutes", ""))
            except ValueError as err:
                raise console.ConsoleError(_("Enter the minutes as a whole number.")) from err
            console.add_time(ps, minutes, reason=reason, by=request.user)
        elif action == "force":
            console.force_hand_in(ps, reason=reason, by=request.user)
        elif action == "decide":
            console.decide(ps, request.POST.get("decision", ""), reason=reason, by=request.user)
        elif action == "enrol_face":
            upload = request.FILES.get("image")
            if upload is None:
                raise console.ConsoleError(_("Choose a photo to upload."))
            enrol_face(ps.enrolment.learner, upload, origin=FaceEnrolment.Source.ADMIN, by=request.user)
            from ..services import audit

            audit.record(ps, "face_enrolled", actor=request.user)
        else:
            raise PermissionDenied
    except (console.ConsoleError, monitoring.MonitoringError, PhotoRefused) as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("Done."))
    return redirect(back)


def timeline(request, ps_id):
    ps = _proctored(request, ps_id)
    enrolment_face = FaceEnrolment.objects.filter(person=ps.enrolment.learner).first()
    return render(request, "proctor_plugin/console/timeline.html", {
        "ps": ps,
        "attempt": ps.attempt,
        "entries": console.timeline(ps),
        "review_photo": photo_url(ps) if ps.review_photo else None,
        "enrolment_photo": photo_url(enrolment_face) if enrolment_face else None,
        "decisions": [c for c in ProctoredSitting.Decision.choices if c[0]],
    })
