"""Who may register for which level: plain functions over rule data.

A level's rules come from ``EligibilityRule`` rows (loaded from
``fixtures/registration/eligibility.toml``, editable by program admins). A candidate is
eligible when they meet ANY ONE rule of the level; a rule is met when every requirement
it sets holds. ``evaluate`` says which rule is met or, for each rule, what is missing, so
the form can explain it before submission.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import CERTIFICATE_RANK, EDUCATION_RANK, CertificateLevel, Education, EligibilityRule


@dataclass(frozen=True)
class CandidateFacts:
    """What the registration form asks, in the terms the rules use."""

    education: str = ""
    related_major: bool = False
    work_years: int = 0
    is_current_student: bool = False
    lower_certificate_years: int | None = None  # None: does not hold it
    other_certificate_level: str = ""
    other_certificate_years: int = 0

    @classmethod
    def of(cls, registration) -> "CandidateFacts":
        return cls(
            education=registration.education or "",
            related_major=bool(registration.related_major),
            work_years=registration.work_years or 0,
            is_current_student=bool(registration.is_current_student),
            lower_certificate_years=registration.lower_certificate_years,
            other_certificate_level=registration.other_certificate_level or "",
            other_certificate_years=registration.other_certificate_years or 0,
        )


@dataclass
class RuleOutcome:
    rule: EligibilityRule
    shortfalls: list[str]

    @property
    def met(self) -> bool:
        return not self.shortfalls


@dataclass
class Eligibility:
    level: object
    outcomes: list[RuleOutcome] = field(default_factory=list)
    unrestricted: bool = False  # the level has no rules: anyone may register

    @property
    def met_rule(self) -> EligibilityRule | None:
        return next((o.rule for o in self.outcomes if o.met), None)

    @property
    def eligible(self) -> bool:
        return self.unrestricted or self.met_rule is not None


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def shortfalls(rule: EligibilityRule, facts: CandidateFacts) -> list[str]:
    """Why ``facts`` do not meet ``rule`` (translated); empty when they do."""
    missing = []
    if rule.min_education and EDUCATION_RANK.get(facts.education, 0) < EDUCATION_RANK[rule.min_education]:
        missing.append(_("education %(education)s or higher") % {"education": _label(Education, rule.min_education)})
    if rule.related_major_required and not facts.related_major:
        missing.append(_("a related major"))
    if rule.min_work_years and facts.work_years < rule.min_work_years:
        missing.append(
            _("%(needed)s years of related work (you have %(have)s)")
            % {"needed": rule.min_work_years, "have": facts.work_years}
        )
    if rule.current_student_required and not facts.is_current_student:
        missing.append(_("current student status"))
    if rule.certificate == EligibilityRule.Certificate.LOWER_LEVEL:
        if facts.lower_certificate_years is None:
            missing.append(_("this program's certificate of the level below"))
        elif facts.lower_certificate_years < rule.certificate_min_years:
            missing.append(
                _("the lower-level certificate held for %(needed)s years (you have %(have)s)")
                % {"needed": rule.certificate_min_years, "have": facts.lower_certificate_years}
            )
    elif rule.certificate == EligibilityRule.Certificate.OTHER:
        needed_rank = CERTIFICATE_RANK.get(rule.certificate_min_level, 1)
        if CERTIFICATE_RANK.get(facts.other_certificate_level, 0) < needed_rank:
            missing.append(
                _("another %(level)s (or higher) vocational certificate or title")
                % {"level": _label(CertificateLevel, rule.certificate_min_level or CertificateLevel.JUNIOR)}
            )
        elif facts.other_certificate_years < rule.certificate_min_years:
            missing.append(
                _("the other certificate or title held for %(needed)s years (you have %(have)s)")
                % {"needed": rule.certificate_min_years, "have": facts.other_certificate_years}
            )
    return missing


def rules_for(level) -> list[EligibilityRule]:
    return list(EligibilityRule.objects.filter(level=level).order_by("sort_order", "pk"))


def evaluate(level, facts: CandidateFacts, rules: list[EligibilityRule] | None = None) -> Eligibility:
    """Every rule of ``level`` against ``facts``; see ``Eligibility.met_rule``."""
    rules = rules_for(level) if rules is None else rules
    if not rules:
        return Eligibility(level=level, unrestricted=True)
    return Eligibility(level=level, outcomes=[RuleOutcome(rule, shortfalls(rule, facts)) for rule in rules])


def eligible_levels(program, facts: CandidateFacts) -> list:
    """The program's levels whose rules ``facts`` meet, lowest first."""
    return [level for level in program.levels.all().order_by("sort_order") if evaluate(level, facts).eligible]


def best_lower_level(level, facts: CandidateFacts):
    """The highest level below ``level`` the candidate qualifies for, or None."""
    lower = [
        other for other in level.program.levels.all().order_by("sort_order")
        if other.sort_order < level.sort_order and evaluate(other, facts).eligible
    ]
    return lower[-1] if lower else None
