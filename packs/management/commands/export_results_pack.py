from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from plugins.services.programs import program_for_path

from ...services.results import write_results_pack


class Command(BaseCommand):
    help = "Export this installation's study intervals and practice results as a signed results pack."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--program", help="only this program (its path)")
        parser.add_argument("--since", help="only intervals ending after this ISO time")

    def handle(self, output, program=None, since=None, **options):
        page = None
        if program:
            page = program_for_path(program)
            if page is None:
                raise CommandError(f"No live program at {program!r}.")
        since_at = parse_datetime(since) if since else None
        if since and since_at is None:
            raise CommandError(f"Not a time: {since!r}")
        counts = write_results_pack(output, program=page, since=since_at)
        self.stdout.write(f"{output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
