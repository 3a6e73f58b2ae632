"""Every eligibility rule of every level of the energy program (DOMAIN.md), with boundaries.

Rules are the fixture data loaded by ``load_initial_data``; "any one condition suffices".
"""

import pytest

from course_content.registration.services.eligibility import (
    CandidateFacts,
    best_lower_level,
    eligible_levels,
    evaluate,
)

F = CandidateFacts


def met(energy, code, facts) -> bool:
    return evaluate(energy.levels.get(code=code), facts).eligible


# (level, facts, expected, why) — each rule just met and just missed.
CASES = [
    # 高级 (senior)
    ("senior", F(education="secondary_vocational", work_years=4), True, "中专 + 4"),
    ("senior", F(education="secondary_vocational", work_years=3), False, "中专 + 3 is one year short"),
    ("senior", F(education="junior_college", work_years=3), True, "大专 + 3"),
    ("senior", F(education="junior_college", work_years=2), False, "大专 + 2 is short"),
    ("senior", F(education="bachelor", work_years=2), True, "本科 + 2"),
    ("senior", F(education="bachelor", work_years=1), False, "本科 + 1 → 高级 no"),
    ("senior", F(education="postgraduate", work_years=2), True, "研究生 + 2"),
    ("senior", F(education="postgraduate", work_years=1), False, "研究生 + 1 is short"),
    ("senior", F(education="junior_college", related_major=True, work_years=1), True, "related 大专 + 1 → 高级 yes"),
    ("senior", F(education="junior_college", related_major=True, work_years=0), False, "related 大专 + 0"),
    ("senior", F(education="secondary_vocational", related_major=True, work_years=1), False, "related 中专 is below 大专"),
    ("senior", F(education="high_school", lower_certificate_years=1), True, "中级 certificate + 1"),
    ("senior", F(education="high_school", lower_certificate_years=0), False, "中级 certificate just obtained"),
    ("senior", F(other_certificate_level="senior", other_certificate_years=1), True, "other senior cert 1 yr"),
    ("senior", F(other_certificate_level="senior", other_certificate_years=0), False, "other senior cert < 1 yr"),
    ("senior", F(other_certificate_level="intermediate", other_certificate_years=5), False, "other cert too low"),
    # 中级 (intermediate)
    ("intermediate", F(education="secondary_vocational", work_years=3), True, "中专 + 3"),
    ("intermediate", F(education="secondary_vocational", work_years=2), False, "中专 + 2"),
    ("intermediate", F(education="junior_college", work_years=2), True, "大专 + 2"),
    ("intermediate", F(education="junior_college", work_years=1), False, "大专 + 1"),
    ("intermediate", F(education="bachelor", work_years=1), True, "本科 + 1 → 中级 yes"),
    ("intermediate", F(education="bachelor", work_years=0), False, "本科 + 0"),
    ("intermediate", F(education="postgraduate"), True, "研究生"),
    ("intermediate", F(education="junior_college", related_major=True), True, "related major 大专+"),
    ("intermediate", F(education="secondary_vocational", related_major=True), False, "related 中专"),
    ("intermediate", F(lower_certificate_years=1), True, "初级 certificate + 1"),
    ("intermediate", F(lower_certificate_years=0), False, "初级 certificate < 1 yr"),
    ("intermediate", F(other_certificate_level="intermediate"), True, "other intermediate cert"),
    ("intermediate", F(other_certificate_level="senior"), True, "other senior cert is at least intermediate"),
    ("intermediate", F(other_certificate_level="junior", other_certificate_years=9), False, "other junior cert"),
    # 初级 (junior)
    ("junior", F(work_years=3), True, "3 years related work, any education"),
    ("junior", F(work_years=2), False, "2 years without education"),
    ("junior", F(education="high_school", work_years=2), True, "高中 + 2"),
    ("junior", F(education="high_school", work_years=1), False, "高中 + 1"),
    ("junior", F(education="secondary_vocational", work_years=1), True, "中专 + 1"),
    ("junior", F(education="secondary_vocational", work_years=0), False, "中专 + 0"),
    ("junior", F(education="bachelor", work_years=1), True, "中专+ includes 本科"),
    ("junior", F(is_current_student=True), True, "current student"),
    ("junior", F(other_certificate_level="junior"), True, "other junior cert"),
    ("junior", F(), False, "nothing at all"),
]


@pytest.mark.parametrize(("code", "facts", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_rule(energy, code, facts, expected, why):
    assert met(energy, code, facts) is expected, why


def test_fixture_rules_match_domain(energy):
    counts = {level.code: level.eligibility_rules.count() for level in energy.levels.all()}
    assert counts == {"senior": 7, "intermediate": 7, "junior": 5}


def test_current_student_only_junior(energy):
    student = F(education="high_school", is_current_student=True)
    assert [level.code for level in eligible_levels(energy, student)] == ["junior"]
    assert best_lower_level(energy.levels.get(code="senior"), student).code == "junior"


def test_bachelor_one_year_told_about_intermediate(energy):
    facts = F(education="bachelor", work_years=1)
    result = evaluate(energy.levels.get(code="senior"), facts)
    assert not result.eligible
    bachelor_rule = next(o for o in result.outcomes if o.rule.description.startswith("本科"))
    assert bachelor_rule.shortfalls and "2" in bachelor_rule.shortfalls[0]
    assert best_lower_level(energy.levels.get(code="senior"), facts).code == "intermediate"


def test_met_rule_is_named(energy):
    result = evaluate(energy.levels.get(code="senior"), F(education="junior_college", related_major=True, work_years=1))
    assert result.met_rule.description.startswith("环境、能源等相关专业")


def test_level_without_rules_is_open(asset):
    assert evaluate(asset.levels.get(code="senior"), F()).unrestricted


def test_rules_are_editable_data(energy):
    """A program admin's edit changes the outcome: no rule value lives in code."""
    level = energy.levels.get(code="intermediate")
    facts = F(education="bachelor", work_years=1)
    rule = level.eligibility_rules.get(description__startswith="本科")
    rule.min_work_years = 2
    rule.save()
    assert not evaluate(level, facts).eligible


def test_loader_is_idempotent(energy):
    from django.core.management import call_command

    level = energy.levels.get(code="junior")
    level.eligibility_rules.filter(current_student_required=True).update(description="在校生（已编辑）")
    call_command("load_initial_data", verbosity=0, stdout=open("/dev/null", "w"))
    assert level.eligibility_rules.count() == 5
    assert level.eligibility_rules.filter(description="在校生（已编辑）").exists()
