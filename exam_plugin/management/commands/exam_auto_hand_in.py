import time

from django.core.management.base import BaseCommand

from exam_plugin.services.attempts import auto_hand_in_due
from exam_plugin.services.grading import release_due


class Command(BaseCommand):
    help = "Hand in overdue exam attempts and release due results (run every minute, or with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="Keep running, checking every SECONDS.")

    def handle(self, *args, loop, **options):
        while True:
            handed_in, released = auto_hand_in_due(), release_due()
            if handed_in or released or options["verbosity"] > 1:
                self.stdout.write(f"handed in {handed_in} attempt(s), released {released} result(s)")
            if not loop:
                return
            time.sleep(loop)
