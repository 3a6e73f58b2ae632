"""The offline practice pages of the exam plugin. (The exam journal's replay after an
offline spell is a JSON endpoint of the exam API: ``exam_plugin.api.offline_replay``.)"""


from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _


def _enrolment_or_404(request):
    from django.http import Http404

    from ..services.practice import enrolment_for

    enrolment = enrolment_for(request.user, request.program)
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
def practice_offline_page(request):
    """The offline mock-test page: download a set, take it (also offline), sync results."""
    from django.shortcuts import render

    from plugins.urls import program_url

    _enrolment_or_404(request)
    return render(request, "exam_plugin/offline_practice.html", {
        "program": request.program,
        # JSON operations of the exam API (exam_plugin/api/)
        "set_url": program_url(request.program, "exam_plugin:home") + "api/practice/offline/set",
        "results_url": program_url(request.program, "exam_plugin:home") + "api/practice/offline/results",
        "strings": {
            "download": _("Download a practice set"), "stored": _("Practice set on this device: %(n)s questions"),
            "none": _("No practice set on this device yet."), "score": _("Score it"),
            "result": _("Your score: %(score)s of %(max)s"), "right": _("Correct"), "wrong": _("Not correct"),
            "reference": _("Reference answer"), "waiting": _("Results waiting to be sent: %(n)s"),
            "synced": _("All results sent."), "offline": _("Offline: results are kept on this device"),
            "failed": _("Could not download a set. Check your connection."),
        },
    })
