"""Switching the certificate plugin off for a program stops new work only (issue 15):
issued certificates stay with their holders (my certificates, the PDF) and verifiable
(verify page, lookup); nobody else reaches them; nothing new is issued."""

from datetime import date

from cert_plugin.models import Certificate, ExamPass
from cms_site.accounts.services import roles
from plugins import services

CERT = "cert_plugin"


def login(client, user):
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    client.force_login(user)


def switch_off(program):
    services.disable(program, CERT)
    assert not services.is_enabled(program, CERT)


def test_holder_still_lists_and_downloads_the_certificate(client, issued_certificate, energy):
    switch_off(energy)
    login(client, issued_certificate.learner)
    mine = client.get("/programs/energy/certificates/")
    assert mine.status_code == 200
    html = mine.content.decode()
    assert issued_certificate.number in html
    assert "本项目已停止颁发新证书" in html  # says why the service is quiet, not that it is gone
    response = client.get(f"/programs/energy/certificates/{issued_certificate.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and b"/ByteRange" in body


def test_switched_off_is_still_read_only(client, issued_certificate, energy):
    switch_off(energy)
    login(client, issued_certificate.learner)
    assert client.post("/programs/energy/certificates/").status_code == 404
    assert client.post(f"/programs/energy/certificates/{issued_certificate.number}/pdf/").status_code == 404


def test_verify_page_and_lookup_still_work(client, issued_certificate, energy):
    switch_off(energy)
    verify = client.get(f"/certificates/verify/{issued_certificate.number}/")
    assert verify.status_code == 200
    html = verify.content.decode()
    assert 'data-status="valid"' in html and issued_certificate.number in html
    assert "cert-holder-download" not in html  # anonymous: no download link
    found = client.post("/certificates/lookup/", {"mode": "number", "number": issued_certificate.number})
    assert found.status_code == 200 and f'data-number="{issued_certificate.number}"' in found.content.decode()
    # The signed-in holder is offered the PDF from the verify page.
    login(client, issued_certificate.learner)
    html = client.get(f"/certificates/verify/{issued_certificate.number}/").content.decode()
    assert f"/programs/energy/certificates/{issued_certificate.number}/pdf/" in html


def test_another_learner_still_gets_404(client, issued_certificate, energy, make_learner):
    switch_off(energy)
    other = make_learner(energy)
    login(client, other)
    assert client.get(f"/programs/energy/certificates/{issued_certificate.number}/pdf/").status_code == 404
    # Nothing held here and nothing issued any more: the service is simply not there.
    assert client.get("/programs/energy/certificates/").status_code == 404
    html = client.get(f"/certificates/verify/{issued_certificate.number}/").content.decode()
    assert "cert-holder-download" not in html
    client.logout()
    anonymous = client.get(f"/programs/energy/certificates/{issued_certificate.number}/pdf/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_no_new_certificate_is_issued(client, energy, make_learner, grant_hours, send_pass, django_user_model):

    from cms_site.accounts.services.roles import PROGRAM_ADMIN

    switch_off(energy)
    # A pass announced while the plugin is off reaches no certificate receiver.
    enrolment = make_learner(energy).enrolments.get()
    grant_hours(enrolment, 36)
    send_pass(enrolment)
    assert not Certificate.objects.filter(enrolment=enrolment).exists()
    # Batch issue offers only programs with certificates on and refuses the others.
    ExamPass.objects.create(enrolment=enrolment, result_id="LATE-1", score=70, passed_on=date(2026, 8, 15))
    admin = django_user_model.objects.create_user(username="certadmin-off", password="Admin-2026!")
    admin.groups.add(roles.group(PROGRAM_ADMIN))
    login(client, admin)
    form = client.get("/admin/certificates/batch/").content.decode()
    assert f'<option value="{energy.pk}"' not in form
    response = client.post("/admin/certificates/batch/", {"program": energy.pk, "passed_on": "2026-08-15"})
    assert response.status_code == 400
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_reissue_is_hidden_and_refused_revoke_still_works(client, issued_certificate, energy, django_user_model):

    from cms_site.accounts.services.roles import PROGRAM_ADMIN

    switch_off(energy)
    admin = django_user_model.objects.create_user(username="certadmin-off2", password="Admin-2026!")
    admin.groups.add(roles.group(PROGRAM_ADMIN))
    login(client, admin)
    detail = client.get(f"/admin/certificates/{issued_certificate.pk}/").content.decode()
    assert f"/admin/certificates/{issued_certificate.pk}/reissue/" not in detail
    assert "不能再颁发新证书" in detail
    response = client.post(f"/admin/certificates/{issued_certificate.pk}/reissue/", follow=True)
    assert "本项目已停用证书服务，不能再颁发新证书。" in [str(m) for m in response.context["messages"]]
    assert Certificate.objects.filter(enrolment=issued_certificate.enrolment).count() == 1
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.VALID
    client.post(f"/admin/certificates/{issued_certificate.pk}/revoke/", {"reason": "材料造假"})
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.REVOKED


def test_a_task_queued_before_switch_off_issues_nothing(energy, make_learner, grant_hours):
    from cert_plugin.services import issue_certificate

    enrolment = make_learner(energy).enrolments.get()
    grant_hours(enrolment, 36)
    queued = ExamPass.objects.create(enrolment=enrolment, result_id="QUEUED-1", score=80, passed_on=date(2026, 8, 15))
    switch_off(energy)
    assert issue_certificate(queued.pk) is None
    assert not Certificate.objects.filter(enrolment=enrolment).exists()
    services.enable(energy, CERT)
    assert issue_certificate(queued.pk) is not None  # the same task does issue while it is on
