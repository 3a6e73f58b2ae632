from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from plugins.signals import learner_dashboard_panels

from . import hours
from .models import Enrolment


@login_required
def dashboard(request):
    """The learner's enrolments with hours earned / required and plugin panels."""
    cards = []
    enrolments = Enrolment.objects.filter(learner=request.user).select_related("program", "level").order_by("created_at")
    for enrolment in enrolments:
        earned = hours.class_hours(enrolment)
        required = enrolment.level.required_hours
        panels = [
            html
            for _receiver, html in learner_dashboard_panels.send_robust(
                sender=enrolment.program, request=request, enrolment=enrolment
            )
            if isinstance(html, str) and html
        ]
        cards.append(
            {
                "enrolment": enrolment,
                "earned": earned,
                "required": required,
                "percent": min(100, int(earned * 100 / required)) if required else 100,
                "panels": panels,
            }
        )
    return render(request, "course_content/dashboard.html", {"cards": cards})
