"""Loading ``fixtures/registration/``: create what is missing, never overwrite edits."""

import tomllib

from django.db import transaction

from cms_site.accounts.services.roles import PROGRAM_ADMIN, grant
from course_content.models import ProgramLevel, ProgramPage

from .models import EligibilityRule

RULE_FIELDS = (
    "description", "min_education", "related_major_required", "min_work_years", "current_student_required",
    "certificate", "certificate_min_level", "certificate_min_years",
)

REVIEWER_PERMISSIONS = (
    "registration.review_registration",
    "registration.add_eligibilityrule", "registration.change_eligibilityrule",
    "registration.delete_eligibilityrule", "registration.view_eligibilityrule",
    "registration.add_trainingorganisation", "registration.change_trainingorganisation",
    "registration.view_trainingorganisation",
    "course_content.add_workingdayoverride", "course_content.change_workingdayoverride",
    "course_content.delete_workingdayoverride", "course_content.view_workingdayoverride",
)


@transaction.atomic
def load_eligibility_rules(path, log):
    """Rules per level for levels that have none yet (admins' edits are kept)."""
    if not path.exists():
        return
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for spec in data.get("programs", []):
        program = ProgramPage.objects.filter(slug=spec["slug"]).first()
        if program is None:
            log(f"  program {spec['slug']} not found; rules skipped")
            continue
        for code, rules in spec.get("levels", {}).items():
            level = ProgramLevel.objects.filter(program=program, code=code).first()
            if level is None or level.eligibility_rules.exists():
                continue
            for order, rule in enumerate(rules):
                EligibilityRule.objects.create(
                    level=level, sort_order=order, **{k: rule[k] for k in RULE_FIELDS if k in rule}
                )
            log(f"  {program.slug} {code}: {len(rules)} eligibility rules")


def grant_reviewer_permissions():
    grant(PROGRAM_ADMIN, *REVIEWER_PERMISSIONS)
