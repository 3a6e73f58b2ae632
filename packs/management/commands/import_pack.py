from django.core.management.base import BaseCommand, CommandError

from ...services.content import import_content_pack
from ...services.signing import PackRefused


class Command(BaseCommand):
    help = ("Import a content pack signed by a trusted centre key: pages published (updated when the centre "
            "changed them), media files, learners, practice bank. Importing twice changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("pack")

    def handle(self, pack, **options):
        try:
            counts = import_content_pack(pack, log=self.stdout.write if options["verbosity"] > 1 else (lambda _m: None))
        except PackRefused as err:
            raise CommandError(str(err)) from err
        report = counts.pop("report")
        if options["verbosity"] > 1:
            for line in report.lines:
                self.stdout.write(f"  {line.action:9} {line.kind:16} {line.label} {line.reason}".rstrip())
        for line in report.of("refused"):
            self.stderr.write(f"refused {line.kind} {line.label}: {line.reason}")
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
