"""Property-based fuzzing of every public and learner form (hypothesis).

The forms are found, not listed: every page classified in the URL inventory is opened by
an anonymous visitor and by a learner, and each ``<form method="post">`` on it (login,
registration, uploads, certificate lookup, password change, ...) gets generated posts:
missing fields, out-of-range and absurd numbers (10^20, 2^63, NaN), dates of year 0,
NUL characters, very long text, and files that are junk, real images or images whose
header claims a huge size. No answer may be a server error and the log may hold no
traceback. ``REQUIRED_FORMS`` proves the discovery found the forms the issue names.
"""

import io
import logging
import re
import struct
import zlib
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.security.form_inventory import forms_on, page_urls
from tests.security.test_api_inventory import NOT_JSON, PAGE
from tests.security.url_inventory import routes

pytestmark = pytest.mark.django_db
EXAMPLES = 20  # per form and visitor

REQUIRED_FORMS = {
    "accounts:login",
    "accounts:password_change",
    "registration:start",  # registration of a learner for a level
    "registration:detail",  # the registration form with its material uploads
    "cert_plugin_global:lookup",
}
# Forms not fuzzed, and why.
NOT_FUZZED = {
    "accounts:logout": "ends the session the other forms are fuzzed with",
}
ABSURD_TEXT = [
    "", " ", "0", "-1", "1e400", "NaN", "Infinity", "1" + "0" * 20, str(2**63), str(-(2**63) - 1), "9" * 40,
    "0000-01-01", "9999-12-31", "2026-02-30", "0000-00-00T00:00", "a\x00b", "\x00", "<script>alert(1)</script>",
    "' OR 1=1 --", "中文名字", "x" * 5000, "../../etc/passwd", "%00", "１２３",
]


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels (its data is one tiny row)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 4)) + chunk(b"IEND", b"")


def _jpeg(size=(350, 490)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (67, 142, 219)).save(buffer, "JPEG")
    return buffer.getvalue()


FILE_BODIES = st.sampled_from([
    b"", b"not an image", b"%PDF-1.4\n%junk", _jpeg(), _jpeg((20, 20)), _png_header(50_000, 50_000),
    _png_header(2**31 - 1, 1), _png_header(1, 1), b"\xff\xd8\xff\xe0" + b"\x00" * 64,
])


def _file_strategy():
    return st.builds(
        lambda body, name, ctype: SimpleUploadedFile(name, body, content_type=ctype),
        FILE_BODIES,
        st.sampled_from(["photo.jpg", "a.png", "doc.pdf", "x.exe", "../../evil.jpg", "名字.jpg", "a\x00.jpg"]),
        st.sampled_from(["image/jpeg", "image/png", "application/pdf", "application/octet-stream", "text/html"]),
    )




def _value_strategy(form_field):
    text = st.sampled_from(ABSURD_TEXT) | st.text(max_size=50)
    if form_field.kind == "file":
        return _file_strategy()
    if form_field.kind in ("select", "radio", "checkbox") and form_field.choices:
        return st.sampled_from(form_field.choices) | text
    if form_field.kind in ("hidden", "submit"):
        return st.just(form_field.value) | text
    if form_field.kind == "number":
        return st.integers(min_value=-(2**70), max_value=2**70).map(str) | text
    return text


def _post_strategy(form):
    """Each field: left out or given a generated value (files as uploads)."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: _value_strategy(f)
            for name, f in form.fields.items()
            if name != "csrfmiddlewaretoken"
        },
    )


def _world(energy, make_learner):
    from datetime import timedelta

    from django.utils import timezone

    from course_content.models import ProgramLevel
    from course_content.registration.services import registrations as registration
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_mock_attempt
    from exam_plugin.services.sittings import admit
    from proctor_plugin.services.preflight import for_candidate

    learner = make_learner(energy, password="Forms-2026!")
    enrolment = learner.enrolments.get()
    level = ProgramLevel.objects.get(program=energy, code="intermediate")
    draft = registration.start_registration(learner, level)
    start = timezone.now() + timedelta(days=3)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    proctored = for_candidate(admit(sitting, enrolment, check=False))
    mock = start_mock_attempt(enrolment)
    values = {
        "program_path": energy.program_path, "level_id": level.pk, "pk": draft.pk, "attempt_id": mock.pk,
        "sitting_id": sitting.pk,
    }

    def kwargs_for(route):
        names = re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route.route)
        wanted = {a or b for a, b in names}
        chosen = {k: v for k, v in values.items() if k in wanted}
        if route.name.startswith("proctor_plugin:") and "sitting_id" in wanted:
            chosen["sitting_id"] = proctored.pk
        return chosen

    return learner, kwargs_for


def _discover(visitors, kwargs_for):
    pages = {name for name, kind in NOT_JSON.items() if kind == PAGE} - {"wagtail_serve"}
    urls, _unreachable = page_urls(routes(), pages, kwargs_for)
    found = {}
    for who, client in visitors.items():
        for url in ["/", *urls]:
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                for form in forms_on(url, response.content.decode()):
                    if form.url_name not in NOT_FUZZED and urlsplit(form.action).netloc in ("", "testserver"):
                        found.setdefault((who, form.url_name, form.action), form)
    return found


def _fuzz_form(client, relogin, label, action, form, failures, statuses):
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=_post_strategy(form))
    def post(data):
        for upload in data.values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        if relogin is not None:
            client.force_login(relogin)
        with transaction.atomic():  # a savepoint: one failed request cannot poison the next
            response = client.post(action, data)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code} for {sorted(data)}")
        assert response.status_code < 500

    try:
        post()
    except AssertionError:
        pass  # collected in failures, reported together


def test_no_form_answers_any_post_with_a_server_error(site_data, energy, make_learner, caplog):
    caplog.set_level(logging.WARNING)
    learner, kwargs_for = _world(energy, make_learner)
    anonymous = Client(raise_request_exception=False)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(learner)
    visitors = {"anonymous": anonymous, "learner": signed_in}
    forms = _discover(visitors, kwargs_for)
    assert REQUIRED_FORMS <= {name for _who, name, _action in forms}, sorted({n for _w, n, _a in forms})

    failures, statuses = [], []
    for (who, name, action), form in sorted(forms.items(), key=lambda item: item[0]):
        client = visitors[who]
        relogin = learner if who == "learner" else None  # a fuzzed password change may end the session
        _fuzz_form(client, relogin, f"{who} {name} {action}", action, form, failures, statuses)
    assert not failures, failures
    assert len(statuses) >= EXAMPLES * len(REQUIRED_FORMS)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [f"{r.name}: {r.getMessage()}" for r in tracebacks]
