"""The exam office's page: the answers of the program, for holders of
``survey_plugin.view_surveyanswer`` (granted to program admins by ``installed()``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..services import surveys


@login_required
def results(request):
    if not request.user.has_perm("survey_plugin.view_surveyanswer"):
        raise PermissionDenied
    return render(request, "survey_plugin/results.html", {"answers": surveys.answers(request.program)})
