"""Run every app's periodic jobs in one loop (a small cron for one machine).

An app config declares ``periodic_jobs = [(seconds, "command_name", {"option": value})]``;
this command runs each job's management command whenever its interval has passed. Core
never names a plugin's command: the plugins declare their own jobs.
"""

import io
import logging
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def declared_jobs():
    jobs = []
    for config in apps.get_app_configs():
        for seconds, command, options in getattr(config, "periodic_jobs", ()):
            jobs.append((config.label, int(seconds), command, dict(options)))
    return jobs


class Command(BaseCommand):
    help = "Run the periodic jobs the apps declare (auto hand-in, proctor deadlines, photo purge…)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once=False, **options):
        jobs = declared_jobs()
        next_run = {index: 0.0 for index in range(len(jobs))}
        while True:
            now = time.monotonic()
            for index, (label, seconds, command, job_options) in enumerate(jobs):
                if now < next_run[index]:
                    continue
                next_run[index] = now + seconds
                output = io.StringIO()
                try:
                    call_command(command, stdout=output, **job_options)
                    logger.info("%s:%s %s", label, command, output.getvalue().strip())
                except Exception:  # noqa: BLE001 - one failing job must not stop the others
                    logger.exception("Periodic job %s:%s failed", label, command)
                finally:
                    close_old_connections()
            if once:
                return
            time.sleep(max(1.0, min(next_run.values()) - time.monotonic()))
