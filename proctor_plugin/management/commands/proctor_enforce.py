import time

from django.core.management.base import BaseCommand

from proctor_plugin.services.monitoring import enforce_all


class Command(BaseCommand):
    help = "Apply exam-room deadlines (leave, break, reconnect, second camera) of every open exam."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="Repeat every SECONDS (0: once).")

    def handle(self, *args, loop, **options):
        while True:
            count = enforce_all()
            self.stdout.write(f"Checked {count} proctored exam(s).")
            if not loop:
                return
            time.sleep(loop)
