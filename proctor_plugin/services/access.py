"""Who may proctor what: the console, its admin views and the face-image rules
(``privacy``) all ask here, so the rule has one home."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import ConsoleSitting, SittingProctor

# The permissions that open the console: every sitting, or the sittings one is assigned to.
SUPERVISE_ALL = "proctor_plugin.supervise_all_sittings"
INVIGILATE = "proctor_plugin.invigilate"


def supervises_all(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(SUPERVISE_ALL)))


def may_use_console(user) -> bool:
    """Chief proctors (and superusers) and proctors: the console's sitting list and menu."""
    return supervises_all(user) or bool(user and user.has_perm(INVIGILATE))


def can_proctor(user, sitting) -> bool:
    """Superusers and chief proctors: every sitting; proctors: the sittings assigned to them."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if supervises_all(user):
        return True
    return user.has_perm(INVIGILATE) and SittingProctor.objects.filter(sitting=sitting, proctor=user).exists()


def check_can_proctor(user, sitting) -> None:
    if not can_proctor(user, sitting):
        raise PermissionDenied(_("You are not a proctor of this exam sitting."))


def sittings_for(user):
    """Exam sittings (as ``ConsoleSitting``) the user may open in the console, newest
    first, on programs where proctoring is on."""
    from plugins.models import ProgramPlugin

    programs = ProgramPlugin.objects.filter(plugin="proctor_plugin", enabled=True).values_list("program_id", flat=True)
    qs = ConsoleSitting.objects.filter(program_id__in=list(programs)).select_related("program").order_by("-starts_at")
    if supervises_all(user):
        return qs
    if not user.has_perm(INVIGILATE):
        return qs.none()
    assigned = SittingProctor.objects.filter(proctor=user).values_list("sitting_id", flat=True)
    return qs.filter(pk__in=list(assigned))
