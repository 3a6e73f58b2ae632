"""The learner's certificates (owner-only PDF) and the admin screens (revoke, re-issue, batch)."""

from datetime import date

import pytest

from cert_plugin import services
from cert_plugin.models import Certificate, ExamPass
from cms_site.accounts.services import roles
from cms_site.accounts.services.roles import PROGRAM_ADMIN


def login(client, user):
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    client.force_login(user)


def test_holder_downloads_the_signed_pdf(client, issued_certificate):
    login(client, issued_certificate.learner)
    page = client.get("/programs/energy/certificates/").content.decode()
    assert issued_certificate.number in page
    response = client.get(f"/programs/energy/certificates/{issued_certificate.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and b"/ByteRange" in body
    dashboard = client.get("/dashboard/").content.decode()
    assert issued_certificate.number in dashboard and "下载 PDF" in dashboard


def test_nobody_else_gets_the_pdf(client, issued_certificate, make_learner, energy):
    url = f"/programs/energy/certificates/{issued_certificate.number}/pdf/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, make_learner(energy))
    assert client.get(url).status_code == 404
    assert issued_certificate.number not in client.get("/programs/energy/certificates/").content.decode()


def test_certificate_pages_are_gated_when_the_plugin_is_off(client, asset, make_learner):
    from plugins import services

    services.disable(asset, "cert_plugin")
    login(client, make_learner(asset))
    assert client.get("/programs/dual-carbon/asset/certificates/").status_code == 404


def test_dashboard_tells_a_passed_learner_to_complete_hours(client, energy, make_learner, grant_hours, send_pass):
    learner = make_learner(energy)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 10)
    send_pass(enrolment)
    login(client, learner)
    html = client.get("/dashboard/").content.decode()
    assert "考试已通过" in html and "10.0 / 36" in html


@pytest.fixture
def program_admin(db, site_data, django_user_model):
    user = django_user_model.objects.create_user(username="certadmin", password="Admin-2026!")
    user.groups.add(roles.group(PROGRAM_ADMIN))
    return user


def test_admin_lists_and_searches(client, issued_certificate, program_admin):
    login(client, program_admin)
    html = client.get("/admin/certificates/").content.decode()
    assert issued_certificate.number in html
    assert issued_certificate.document_number not in html  # masked in the list too
    found = client.get("/admin/certificates/", {"q": issued_certificate.learner.document_number}).content.decode()
    assert issued_certificate.number in found
    none = client.get("/admin/certificates/", {"q": "不存在的人"}).content.decode()
    assert issued_certificate.number not in none
    partial = client.get("/admin/certificates/", {"q": issued_certificate.document_number[:8]}).content.decode()
    assert issued_certificate.number not in partial  # ID numbers match whole, never in part
    detail = f"/admin/certificates/{issued_certificate.pk}/"
    assert f'href="{detail}"' in html  # each row opens the certificate's own screen
    assert "/admin/certificates/batch/" in html


def test_admin_list_filters_by_program_and_status(client, issued_certificate, program_admin):
    login(client, program_admin)
    program = issued_certificate.program_id
    assert issued_certificate.number in client.get("/admin/certificates/", {"status": "valid"}).content.decode()
    assert issued_certificate.number not in client.get("/admin/certificates/", {"status": "revoked"}).content.decode()
    assert issued_certificate.number in client.get("/admin/certificates/", {"program": program}).content.decode()
    results = client.get("/admin/certificates/results/", {"program": program, "status": "valid"}).content.decode()
    assert issued_certificate.number in results


def test_certificates_are_never_typed_in(client, issued_certificate, django_user_model):
    """No add, edit or delete screen: not even a superuser gets one."""
    root = django_user_model.objects.create_superuser(username="root-cert", password="Admin-2026!")
    login(client, root)
    html = client.get("/admin/certificates/").content.decode()
    assert issued_certificate.number in html
    assert "/admin/certificates/new/" not in html and "/admin/certificates/edit/" not in html
    for url in ("/admin/certificates/new/", f"/admin/certificates/edit/{issued_certificate.pk}/",
                f"/admin/certificates/delete/{issued_certificate.pk}/"):
        assert client.get(url).status_code == 404, url


def test_admin_revokes_with_a_reason(client, issued_certificate, program_admin):
    login(client, program_admin)
    url = f"/admin/certificates/{issued_certificate.pk}/revoke/"
    client.post(url, {"reason": ""})
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.VALID  # no reason, nothing done
    client.post(url, {"reason": "学历材料造假"})
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.REVOKED
    assert issued_certificate.revoke_reason == "学历材料造假"
    # The holder can no longer download it; the public record shows the revocation.
    client.logout()
    login(client, issued_certificate.learner)
    assert client.get(f"/programs/energy/certificates/{issued_certificate.number}/pdf/").status_code == 404


def test_admin_reissues_with_a_new_number(client, issued_certificate, program_admin):
    learner = issued_certificate.learner
    learner.real_name = "张三峰"  # a corrected name
    learner.save()
    login(client, program_admin)
    response = client.post(f"/admin/certificates/{issued_certificate.pk}/reissue/")
    assert response.status_code == 302
    issued_certificate.refresh_from_db()
    new = Certificate.objects.get(enrolment=issued_certificate.enrolment, status=Certificate.Status.VALID)
    assert issued_certificate.status == Certificate.Status.REPLACED
    assert issued_certificate.replaced_by == new
    assert new.number != issued_certificate.number
    assert new.holder_name == "张三峰" and new.pdf_path
    # Only a valid certificate can be re-issued or revoked.
    with pytest.raises(Exception, match="有效|valid"):
        services.reissue(issued_certificate)


def test_admin_batch_issue_for_a_sitting(client, energy, make_learner, grant_hours, program_admin):
    sitting = date(2026, 8, 15)
    for _ in range(2):
        enrolment = make_learner(energy).enrolments.get()
        grant_hours(enrolment, 36)
        ExamPass.objects.create(enrolment=enrolment, result_id=f"S-{enrolment.pk}", score=61, passed_on=sitting)
    login(client, program_admin)
    assert client.get("/admin/certificates/batch/").status_code == 200
    response = client.post("/admin/certificates/batch/", {"program": energy.pk, "passed_on": "2026-08-15"})
    assert response.status_code == 302
    assert Certificate.objects.filter(passed_on=sitting, status="valid").count() == 2


def test_admin_screens_need_the_permission(client, issued_certificate, make_learner, energy):
    login(client, make_learner(energy))
    for url in ("/admin/certificates/", f"/admin/certificates/{issued_certificate.pk}/",
                "/admin/certificates/batch/", f"/admin/certificates/{issued_certificate.pk}/pdf/"):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"/admin/certificates/{issued_certificate.pk}/revoke/", {"reason": "x"})
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.VALID
