"""Study-heartbeat benchmark: how many heartbeats per second one process records.

    .venv/bin/python tests/bench/bench_study_heartbeats.py --learners 200 --beats 10

Creates a throwaway database (migrate + load_initial_data), ``--learners`` energy
learners, then records ``--beats`` consecutive online heartbeats per learner through
``course_content.services.ledger.record_heartbeat`` (the function the JSON API calls), one
learner after another as a live site would interleave them. Prints heartbeats/s, p50/p99
latency and how many concurrent learners one worker sustains at N = 30 s.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--beats", type=int, default=10)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-study-"))
    os.environ["CERTPLATFORM_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from course_content.models import LessonPage, ProgramLevel, ProgramPage
    from course_content.services.enrolment import enrol
    from course_content.services.ledger import Heartbeat, heartbeat_seconds, record_heartbeat
    from tests.helpers import mainland_id

    try:
        call_command("migrate", verbosity=0)
        call_command("load_initial_data", verbosity=0, stdout=open(os.devnull, "w"))
        energy = ProgramPage.objects.get(slug="energy")
        junior = ProgramLevel.objects.get(program=energy, code="junior")
        lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
        learners = []
        for i in range(args.learners):
            user = get_user_model().objects.create_learner(
                real_name=f"压测{i}", document_type="mainland_id", document_number=mainland_id(i % 1000, birth=f"{1970 + i // 1000}0101"),
                password="x",
            )
            enrol(user, junior)
            learners.append(user)
        n = heartbeat_seconds()
        start = timezone.now().replace(microsecond=0) - timedelta(days=1)
        latencies = []
        began = time.perf_counter()
        for beat in range(1, args.beats + 1):
            end = start + timedelta(seconds=n * beat)
            for user in learners:
                hb = Heartbeat(lesson_id=lesson.pk, device_id="bench", seq=beat, started_at=end - timedelta(seconds=n), ended_at=end)
                t = time.perf_counter()
                outcome = record_heartbeat(user, hb, received_at=end)
                latencies.append(time.perf_counter() - t)
                assert outcome.status == "accepted", outcome
        elapsed = time.perf_counter() - began
        total = len(latencies)
        rate = total / elapsed
        latencies.sort()
        print(f"{total} heartbeats in {elapsed:.2f} s = {rate:.0f} heartbeats/s (one process, SQLite)")
        print(f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[int(total * 0.99) - 1] * 1000:.1f} ms")
        print(f"at N = {n} s one worker sustains ≈ {int(rate * n)} learners studying at once")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
