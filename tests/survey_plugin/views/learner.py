"""Step 6: thin views (``views/`` package: the learner's page here, the exam office's in
``office.py``). They are mounted behind the program gate (see urls.py), so
``request.program`` is set and a program without the plugin answers 404 before we run."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..forms import SurveyForm
from ..services import surveys


@login_required
def survey(request):
    pending = surveys.pending(request.program, request.user)
    form = SurveyForm(request.POST or None)
    if pending and request.method == "POST" and form.is_valid():
        surveys.answer(pending, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        return redirect(request.path)
    status = 400 if request.method == "POST" and pending and not form.is_valid() else 200
    context = {"pending": pending, "form": form, "question": surveys.question(request.program)}
    return render(request, "survey_plugin/survey.html", context, status=status)
