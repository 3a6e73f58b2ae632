"""Certificate end to end in Chromium: download, scan (open) the QR URL, public lookup."""

import subprocess

import cv2
import numpy as np
import pytest
from playwright.sync_api import expect

from cert_plugin.models import Certificate
from cert_plugin.services.signing import verify_pdf
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


def qr_url(pdf_bytes: bytes) -> str:
    png = subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-"], input=pdf_bytes,
                         capture_output=True, check=True).stdout
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return decoded


def test_learner_downloads_visitor_scans_and_looks_up(
    page, chromium, live_server, settings, tmp_path, energy, make_learner, grant_hours
):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from course_content.signals import exam_passed

    cache.clear()
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    settings.SITE_BASE_URL = live_server.url  # the QR code points at this test server
    learner = make_learner(energy, real_name="赵六", password=PASSWORD, phone="13700001111")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    exam_passed.send(sender=energy, enrolment=enrolment, result_id="E2E-1", score=88,
                     passed_on=timezone.localdate() - timedelta(days=150))
    certificate = Certificate.objects.get(enrolment=enrolment)

    # The learner downloads the signed PDF from "my certificates".
    browser_login(page, learner.document_number, PASSWORD)
    page.goto("/programs/energy/certificates/")
    expect(page.locator(".cert-number")).to_have_text(certificate.number)
    with page.expect_download() as download_info:
        page.click("a.cert-download")
    pdf_path = tmp_path / "downloaded.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert verify_pdf(pdf).ok

    # An anonymous visitor scans the QR code and sees the record.
    url = qr_url(pdf)
    assert url == f"{live_server.url}/certificates/verify/{certificate.number}/"
    visitor_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    visitor = visitor_context.new_page()
    try:
        visitor.goto(url)
        record = visitor.locator(".cert-record")
        expect(record).to_have_attribute("data-status", "valid")
        expect(record.locator(".cert-holder")).to_have_text("赵六")
        expect(record.locator(".cert-number")).to_have_text(certificate.number)
        expect(record.locator(".cert-document")).to_have_text("110***********" + learner.document_number[-4:])

        # Lookup by ID number + name finds it…
        visitor.goto("/certificates/lookup/")
        visitor.check("input[name=mode][value=document]")
        visitor.fill("input[name=document_number]", learner.document_number)
        visitor.fill("input[name=name]", "赵六")
        visitor.click("form.cert-lookup-form button[type=submit]")
        expect(visitor.locator(".cert-record .cert-number")).to_have_text(certificate.number)

        # …the ID number alone does not.
        visitor.goto("/certificates/lookup/")
        visitor.check("input[name=mode][value=document]")
        visitor.fill("input[name=document_number]", learner.document_number)
        visitor.click("form.cert-lookup-form button[type=submit]")
        expect(visitor.locator(".field-name .errorlist")).to_be_visible()
        expect(visitor.locator(".cert-record")).to_have_count(0)
        assert certificate.number not in visitor.content()
    finally:
        visitor_context.close()
