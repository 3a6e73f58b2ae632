"""Program admins edit the eligibility rules, training organisations and working-day
overrides in the Wagtail admin; learners cannot."""

from django.urls import reverse

from course_content.registration.models import EligibilityRule


def test_program_admin_edits_a_rule(client, reviewer, energy):
    rule = EligibilityRule.objects.filter(level__program=energy, level__code="senior").first()
    client.force_login(reviewer)
    for name in ("eligibility_rules:index", "training_organisations:index", "working_day_overrides:index",
                 "eligibility_rules:add", "registration_admin:queue"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("eligibility_rules:index") + f"?level__program={energy.pk}").status_code == 200
    response = client.post(reverse("eligibility_rules:edit", args=[rule.pk]), {
        "level": rule.level_id, "sort_order": rule.sort_order, "description": "中专学历，从事相关工作满5年",
        "min_education": "secondary_vocational", "min_work_years": 5, "certificate": "",
        "certificate_min_level": "", "certificate_min_years": 0,
    })
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_work_years == 5


def test_learner_cannot_reach_the_rules(client, other_learner):
    client.force_login(other_learner)
    assert client.get(reverse("eligibility_rules:index")).status_code in (302, 403)
