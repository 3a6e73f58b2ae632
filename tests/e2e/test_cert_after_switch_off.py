"""Certificates in Chromium after the certificate plugin is switched off for the program:
the holder still finds it on the dashboard and through the program page's "my certificates"
link, opens "my certificates", downloads the signed PDF and reaches it from the public
verification page (issue 15: switching off stops new work only)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cert_plugin.models import Certificate
from cert_plugin.services.signing import verify_pdf
from plugins import services
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"
TIMEOUT = 30_000


def test_certificates_still_downloadable_after_switch_off(
    page, live_server, settings, tmp_path, energy, make_learner, grant_hours
):
    from django.core.cache import cache
    from django.utils import timezone

    from course_content.signals import exam_passed

    cache.clear()
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    learner = make_learner(energy, real_name="钱七", password=PASSWORD)
    learner.must_change_password = False
    learner.save(update_fields=["must_change_password"])
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    exam_passed.send(sender=energy, enrolment=enrolment, result_id="E2E-OFF-1", score=75,
                     passed_on=timezone.localdate() - timedelta(days=150))
    certificate = Certificate.objects.get(enrolment=enrolment)

    services.disable(energy, "cert_plugin")

    browser_login(page, learner.document_number, PASSWORD)
    # The dashboard card and the program page still lead the holder to the certificate.
    page.goto("/dashboard/")
    panel = page.locator(".cert-panel[data-state='issued']")
    expect(panel.locator(".cert-number")).to_have_text(certificate.number, timeout=TIMEOUT)
    with page.expect_download() as from_dashboard:
        panel.locator("a.cert-download").click()
    assert from_dashboard.value.suggested_filename == f"{certificate.number}.pdf"
    page.goto("/programs/energy/")
    page.get_by_role("link", name="我的证书").click()
    expect(page).to_have_url(f"{live_server.url}/programs/energy/certificates/", timeout=TIMEOUT)
    expect(page.locator(".cert-not-issuing")).to_contain_text("本项目已停止颁发新证书", timeout=TIMEOUT)
    expect(page.locator(".my-cert .cert-number")).to_have_text(certificate.number)
    with page.expect_download() as download_info:
        page.locator(".my-cert a.cert-download").click()
    pdf_path = tmp_path / "after-switch-off.pdf"
    download_info.value.save_as(pdf_path)
    assert verify_pdf(pdf_path.read_bytes()).ok

    # The public verification page still shows the valid record, and offers its holder the PDF.
    page.locator(".my-cert").get_by_role("link", name="公开验证页面").click()
    record = page.locator(".cert-record")
    expect(record).to_have_attribute("data-status", "valid", timeout=TIMEOUT)
    expect(record.locator(".cert-number")).to_have_text(certificate.number)
    with page.expect_download() as again:
        page.locator(".cert-holder-download a.cert-download").click()
    assert again.value.suggested_filename == f"{certificate.number}.pdf"
