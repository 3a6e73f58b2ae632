"""The certificate PDF: A4 landscape, real CJK glyphs, photo, QR to the verify URL, signature."""

import re
import subprocess
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from cert_plugin import services
from cert_plugin.models import Certificate
from cert_plugin.services import signing

DPI = 100


def render_png(pdf_bytes: bytes, tmp_path: Path, name="page") -> np.ndarray:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(tmp_path / name)], check=True)
    return np.asarray(Image.open(tmp_path / f"{name}.png").convert("L"))


def word_boxes(pdf_bytes: bytes, tmp_path: Path) -> dict[str, tuple[float, float, float, float]]:
    pdf = tmp_path / "words.pdf"
    pdf.write_bytes(pdf_bytes)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    boxes = {}
    for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
    ):
        boxes.setdefault(word, (float(x0), float(y0), float(x1), float(y1)))
    return boxes


def ink(image: np.ndarray) -> np.ndarray:
    """The image cropped to its dark pixels, as 0..1 ink density."""
    dark = image < 160
    ys, xs = np.nonzero(dark)
    assert len(xs) > 30, "no ink where the text should be"
    crop = image[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1]
    return 1 - crop.astype(float) / 255


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two ink crops scaled to the same size."""
    h, w = 48, 48 * 6
    a = cv2.resize(a, (w, h), interpolation=cv2.INTER_AREA).ravel()
    b = cv2.resize(b, (w, h), interpolation=cv2.INTER_AREA).ravel()
    return float(np.corrcoef(a, b)[0, 1])


def reference_render(text: str, size: float, tmp_path: Path, name: str) -> np.ndarray:
    """The same text drawn alone with the same embedded font, rendered by the same poppler."""
    from reportlab.pdfgen import canvas

    from cert_plugin.services.pdf import PAGE_SIZE, register_font

    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=PAGE_SIZE)
    c.setFont(register_font(), size)
    c.drawString(100, 300, text)
    c.showPage()
    c.save()
    return ink(render_png(buffer.getvalue(), tmp_path, name))


@pytest.fixture
def certificate_pdf(issued_certificate):
    return services.read_pdf(issued_certificate)


def test_pdf_is_a4_landscape_with_every_field(issued_certificate, certificate_pdf):
    reader = PdfReader(BytesIO(certificate_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = reader.pages[0].extract_text()
    learner = issued_certificate.learner
    for value in ("张三丰", "综合能源服务专业技能人才（初级）", "中国节能协会", issued_certificate.number,
                  f"{issued_certificate.issue_date:%Y-%m-%d}", "36.0", "初级", "110***********" + learner.document_number[-4:]):
        assert value in text, value
    assert learner.document_number not in text  # the ID is masked on the certificate too


def test_chinese_name_and_title_are_real_glyphs(issued_certificate, certificate_pdf, tmp_path):
    fonts = subprocess.run(["pdffonts", "-"], input=certificate_pdf, capture_output=True, check=True).stdout.decode()
    # The CJK font is embedded as a subset with a Unicode map (emb/sub/uni = yes).
    assert re.search(r"\+WenQuanYiZenHei\S*\s+TrueType\s+\S+\s+yes\s+yes\s+yes", fonts), fonts

    page = render_png(certificate_pdf, tmp_path, "certificate")
    boxes = word_boxes(certificate_pdf, tmp_path)
    scale = DPI / 72
    for text, size in (("张三丰", 15), ("综合能源服务专业技能人才（初级）", 20)):
        x0, y0, x1, y1 = (v * scale for v in boxes[text])
        crop = ink(page[int(y0) - 2: int(y1) + 3, int(x0) - 2: int(x1) + 3])
        same = similarity(crop, reference_render(text, size, tmp_path, f"ref-{len(text)}"))
        other = similarity(crop, reference_render("李四五" if len(text) == 3 else "一二三四五六七八九十百千万亿兆京", size, tmp_path, "other"))
        assert same > 0.9, (text, same)
        assert other < same - 0.2, (text, same, other)  # the comparison tells glyphs apart


def test_qr_code_opens_the_verify_url(issued_certificate, certificate_pdf, tmp_path):
    page = render_png(certificate_pdf, tmp_path, "qr")
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR))
    assert decoded.endswith(f"/certificates/verify/{issued_certificate.number}/")
    assert decoded.startswith("http")


def test_holder_photo_from_the_approved_registration_is_printed(energy, make_learner, grant_hours, send_pass, tmp_path):
    from course_content.registration.signals import registration_approved

    photo = tmp_path / "photo.png"
    Image.new("RGB", (350, 490), (230, 20, 20)).save(photo)
    learner = make_learner(energy, real_name="王五")
    enrolment = learner.enrolments.get()
    registration_approved.send(sender=energy, registration=None, enrolment=enrolment, photo_path=str(photo))
    grant_hours(enrolment, 36)
    send_pass(enrolment)
    pdf = services.read_pdf(Certificate.objects.get(enrolment=enrolment))
    page = np.asarray(Image.open(BytesIO(subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", "-"], input=pdf, capture_output=True, check=True
    ).stdout)).convert("RGB")).astype(int)
    red = (page[:, :, 0] > 200) & (page[:, :, 1] < 60) & (page[:, :, 2] < 60)
    # 35 × 49 mm at 50 dpi is about 69 × 96 px of red
    assert red.sum() > 0.8 * 69 * 96


def test_signature_validates_and_one_changed_byte_breaks_it(issued_certificate, certificate_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[signing.signing_material().cert])
    status = validate_pdf_signature(PdfFileReader(BytesIO(certificate_pdf)).embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted
    assert signing.verify_pdf(certificate_pdf).ok

    # Change one byte of the signed content: a character of the number in the metadata.
    offset = certificate_pdf.index(issued_certificate.number.encode())
    tampered = bytearray(certificate_pdf)
    tampered[offset + 12] = ord("Z") if tampered[offset + 12] != ord("Z") else ord("Y")
    tampered = bytes(tampered)
    assert len(tampered) == len(certificate_pdf)
    status = validate_pdf_signature(PdfFileReader(BytesIO(tampered)).embedded_signatures[0], context)
    assert not status.intact
    assert not signing.verify_pdf(tampered).ok


def test_a_pdf_signed_with_another_key_is_not_trusted(issued_certificate, settings, tmp_path):
    from cert_plugin.services.pdf import render_certificate

    site_key_dir = settings.CERT_PLUGIN_KEY_DIR
    unsigned = render_certificate(services.certificate_print_data(issued_certificate))
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "forger-key")
    forged = signing.sign_pdf(unsigned, reason="forged")
    assert signing.verify_pdf(forged).ok  # valid for the forger's own key…
    settings.CERT_PLUGIN_KEY_DIR = site_key_dir
    check = signing.verify_pdf(forged)
    assert check.intact and not check.trusted and not check.ok  # …but not for the site's


def test_verify_page_checks_an_uploaded_pdf(client, issued_certificate, certificate_pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/certificates/verify/{issued_certificate.number}/"
    ok = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", certificate_pdf, "application/pdf")})
    assert "未经改动的原始 PDF" in ok.content.decode()
    offset = certificate_pdf.index(issued_certificate.number.encode())
    tampered = certificate_pdf[:offset] + b"X" + certificate_pdf[offset + 1:]
    bad = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", tampered, "application/pdf")})
    assert "签名已损坏" in bad.content.decode()


def test_signing_key_is_generated_once_outside_the_repository(issued_certificate):
    from django.conf import settings

    path = signing.ensure_key_file()
    assert path.exists() and (path.stat().st_mode & 0o077) == 0
    assert not str(path.resolve()).startswith(str(Path(settings.BASE_DIR).resolve() / "cert_plugin"))
    before = path.read_bytes()
    assert signing.ensure_key_file().read_bytes() == before
