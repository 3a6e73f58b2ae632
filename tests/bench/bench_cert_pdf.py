"""Benchmark: certificates issued per second in a batch issue (record + PDF + signature).

Run:  .venv/bin/python tests/bench/bench_cert_pdf.py [count]

Creates a throwaway test database, ``count`` energy-program learners (default 40) who
passed one of four sittings with their hours met, then times ``triggers.batch_issue`` done
in one process (what one ``db_worker`` does), sitting by sitting; after each sitting the
same number of PDFs is drawn alone and signed alone, so the three rates share the machine's
background load. The one-off start-up cost of a worker process (URL conf, font, pyHanko
imports) is timed apart. ``BENCH_PROFILE=1`` prints a cProfile of the batch calls.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings.test")
GROUPS = 4  # sittings the batch is split into, each followed by draw-only and sign-only runs


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
    from cert_plugin.services import triggers
    from cert_plugin.services.pdf import render_certificate
    from cert_plugin.services.signing import sign_pdf, signing_material
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
        ExamPass.objects.create(enrolment=enrolment, result_id=f"B{n}", score=75,
                                passed_on=sitting + timedelta(days=n % GROUPS))
    signing_material()  # key generation is a one-off, not part of the rate
    # What a long-lived db_worker pays once per process, not per batch: the URL conf
    # (verify URL in the QR code), the CJK font parse, pyHanko's imports. Timed apart.
    warm_start = time.perf_counter()
    from cert_plugin.services.pdf import verify_url

    warm_pdf = render_certificate({
        "number": "WARMUP", "holder_name": "预热", "document_number": "", "program_name": "", "level_name": "",
        "title": "", "issuer": "", "class_hours": "0", "issue_date": "2026-01-01",
        "verify_url": verify_url("WARMUP"), "photo_path": None,
    })
    sign_pdf(warm_pdf, reason="warm-up")
    warm_up = time.perf_counter() - warm_start

    # Side by side under the same background load: the batch is issued in GROUPS sittings,
    # and after each one the same number of PDFs is drawn alone and signed alone.
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
    sample = None
    elapsed = draw_total = sign_total = 0.0
    issued = 0
    for group in range(GROUPS):
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        done = triggers.batch_issue(energy, passed_on=sitting + timedelta(days=group), background=False)
        elapsed += time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
        issued += done
        sample = sample or services.certificate_print_data(Certificate.objects.first())
        t0 = time.perf_counter()
        pdfs = [render_certificate(sample) for _ in range(done)]
        t1 = time.perf_counter()
        for pdf in pdfs:
            sign_pdf(pdf, reason="bench")
        t2 = time.perf_counter()
        draw_total += t1 - t0
        sign_total += t2 - t1
    assert issued == count == Certificate.objects.exclude(pdf_path="").count()
    if profiler is not None:
        import pstats

        pstats.Stats(profiler).sort_stats("cumtime").print_stats(60)
    draw, sign = draw_total / count, sign_total / count

    print(f"load avg {os.getloadavg()[0]:.1f}; one-off per process (URL conf, font, pyHanko imports): {warm_up:.2f} s")
    print(f"batch issue: {issued} certificates in {elapsed:.2f} s = {issued / elapsed:.1f} PDFs/s "
          f"(record + number + draw + sign + store, {elapsed / issued * 1000:.0f} ms each)")
    print(f"draw only:  {1 / draw:.1f} PDFs/s ({draw * 1000:.0f} ms each)")
    print(f"sign only:  {1 / sign:.1f} PDFs/s ({sign * 1000:.0f} ms each)")
    print(f"batch ÷ (draw + sign in series) = {(1 / (elapsed / issued)) / (1 / (draw + sign)):.2f}; "
          f"the rest (records, queries, storage, signals) {max(0.0, elapsed / issued - draw - sign) * 1000:.0f} ms each")
    print(f"PDF size:   {len(pdfs[0]) / 1024:.0f} KiB unsigned")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
