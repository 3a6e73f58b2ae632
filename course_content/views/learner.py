from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from plugins.signals import learner_dashboard_panels

from ..models import Enrolment
from ..registration.services import next_steps
from ..services.ledger.dashboard import dashboard_card


@login_required
def dashboard(request):
    """"My learning": open applications and enrolments, each with its next step (hours
    earned / required, per-module breakdown, the chosen sitting) and plugin panels (exam,
    certificate)."""
    cards = []
    enrolments = Enrolment.objects.filter(learner=request.user).select_related("program", "level").order_by("created_at")
    for enrolment in enrolments:
        card = dashboard_card(enrolment)
        card["registration"] = next_steps.approved_registration(enrolment)
        card["step"] = next_steps.study_step(card)
        card["panels"] = [
            html
            for _receiver, html in learner_dashboard_panels.send_robust(
                sender=enrolment.program, request=request, enrolment=enrolment
            )
            if isinstance(html, str) and html
        ]
        cards.append(card)
    return render(request, "course_content/dashboard.html", {
        "cards": cards, "applications": next_steps.open_applications(request.user),
    })
