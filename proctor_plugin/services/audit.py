"""One place that writes the proctor audit log (``ProctorAction``) and incidents."""

from ..models import Incident, ProctorAction


def record(sitting, action: str, *, actor=None, reason: str = "", **data) -> ProctorAction:
    return ProctorAction.objects.create(sitting=sitting, actor=actor, action=action, reason=str(reason)[:300], data=data)


def incident(sitting, kind: str, *, detail: str = "", snapshot=None) -> Incident:
    return Incident.objects.create(sitting=sitting, kind=kind, detail=str(detail)[:300], snapshot=snapshot)
