"""Issue and search dates in Chinese working days, across National Day 2026."""

from datetime import date

from django.utils import timezone

from cert_plugin import services
from cert_plugin.models import Certificate
from cert_plugin.services import lookup
from plugins.services import update_settings


def test_default_lags_skip_national_day(energy):
    # 2026-09-25 (Mid-Autumn) and 1–7 October are holidays; Saturday 10 October is a
    # make-up working day. 45 working days after Thursday 24 September is 3 December.
    dates = services.certificate_dates(energy, date(2026, 9, 24))
    assert dates.issue_date == date(2026, 12, 3)
    assert dates.searchable_from == date(2026, 12, 10)


def test_short_lags_land_after_the_holiday_and_on_a_make_up_saturday(energy):
    update_settings(energy, "cert_plugin", issue_lag_working_days=4, search_lag_working_days=6)
    dates = services.certificate_dates(energy, date(2026, 9, 24))
    assert dates.issue_date == date(2026, 10, 8)  # 28, 29, 30 Sept, then 8 Oct
    assert dates.searchable_from == date(2026, 10, 10)  # the make-up Saturday counts


def test_not_searchable_before_the_search_date_but_verifiable_once_issued(energy, make_learner, grant_hours, send_pass):
    update_settings(energy, "cert_plugin", issue_lag_working_days=4, search_lag_working_days=6)
    learner = make_learner(energy, real_name="李四", phone="13912345678")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    send_pass(enrolment, passed_on=date(2026, 9, 24))
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert (certificate.issue_date, certificate.searchable_from) == (date(2026, 10, 8), date(2026, 10, 10))

    before_issue, issued, searchable = date(2026, 10, 7), date(2026, 10, 9), date(2026, 10, 10)
    assert lookup.by_verify_number(certificate.number, today=before_issue) is None
    assert lookup.by_verify_number(certificate.number, today=issued) == certificate
    for today, found in ((issued, []), (searchable, [certificate])):
        assert lookup.by_number(certificate.number, today=today) == found
        assert lookup.by_document(learner.document_number, "李四", today=today) == found
        assert lookup.by_phone("138-0000-0000" if not found else "139 1234 5678", "李四", today=today) == found


def test_learner_sees_to_be_issued_on_until_the_issue_date(client, energy, make_learner, grant_hours, send_pass):
    learner = make_learner(energy)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    recent = timezone.localdate()
    send_pass(enrolment, passed_on=recent)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.issue_date > recent
    client.force_login(learner)
    learner.must_change_password = False
    learner.save()
    html = client.get("/dashboard/").content.decode()
    assert f"证书将于 {certificate.issue_date:%Y-%m-%d} 颁发" in html
    assert certificate.number not in html
    mine = client.get("/programs/energy/certificates/").content.decode()
    assert f"将于 {certificate.issue_date:%Y-%m-%d} 颁发" in mine
    assert client.get(f"/programs/energy/certificates/{certificate.number}/pdf/").status_code == 404
