"""Benchmark: certificates issued per second in a batch issue (record + PDF + signature).

Run:  .venv/bin/python tests/bench/bench_cert_pdf.py [count]

Creates a throwaway test database, ``count`` energy-program learners (default 40) who
passed the same sitting with their hours met, then times ``services.batch_issue`` done in
one process (what one ``db_worker`` does). Also times drawing and signing alone.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings.test")


def main(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.CERT_PLUGIN_KEY_DIR = tempfile.mkdtemp(prefix="cert-bench-keys-")
    connection.creation.create_test_db(verbosity=0)
    call_command("load_initial_data", verbosity=0, stdout=open(os.devnull, "w"))

    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cert_plugin import services
    from cert_plugin.models import Certificate, ExamPass
    from cert_plugin.pdf import render_certificate
    from cert_plugin.signing import sign_pdf, signing_material
    from course_content.models import Enrolment, ProgramLevel, ProgramPage, StudyInterval
    from tests.helpers import mainland_id

    energy = ProgramPage.objects.get(slug="energy")
    level = ProgramLevel.objects.get(program=energy, code="junior")
    sitting = date(2026, 8, 15)
    end = timezone.now()
    for n in range(count):
        user = get_user_model().objects.create_learner(
            real_name=f"测试学员{n:03d}", document_type="mainland_id", document_number=mainland_id(n + 1),
            password="x", phone=f"1390000{n:04d}",
        )
        enrolment = Enrolment.objects.create(learner=user, program=energy, level=level)
        seconds = 36 * 45 * 60
        StudyInterval.objects.create(enrolment=enrolment, started_at=end - timedelta(seconds=seconds), ended_at=end,
                                     credited_seconds=seconds, lesson_title="bench")
        ExamPass.objects.create(enrolment=enrolment, result_id=f"B{n}", score=75, passed_on=sitting)
    signing_material()  # key generation is a one-off, not part of the rate
    services.certificate_print_data  # noqa: B018

    started = time.perf_counter()
    issued = services.batch_issue(energy, passed_on=sitting, background=False)
    elapsed = time.perf_counter() - started
    assert issued == count == Certificate.objects.exclude(pdf_path="").count()

    sample = services.certificate_print_data(Certificate.objects.first())
    t0 = time.perf_counter()
    pdfs = [render_certificate(sample) for _ in range(10)]
    t1 = time.perf_counter()
    for pdf in pdfs:
        sign_pdf(pdf, reason="bench")
    t2 = time.perf_counter()

    print(f"batch issue: {issued} certificates in {elapsed:.2f} s = {issued / elapsed:.1f} PDFs/s "
          f"(record + number + draw + sign + store)")
    print(f"draw only:  {10 / (t1 - t0):.1f} PDFs/s ({(t1 - t0) / 10 * 1000:.0f} ms each)")
    print(f"sign only:  {10 / (t2 - t1):.1f} PDFs/s ({(t2 - t1) / 10 * 1000:.0f} ms each)")
    print(f"PDF size:   {len(pdfs[0]) / 1024:.0f} KiB unsigned")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
