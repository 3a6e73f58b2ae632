from django.core.management.base import BaseCommand, CommandError

from ...services.curriculum.archive import Archive, ArchiveRefused
from ...services.curriculum.importer import DRAFT, MIRROR


class Command(BaseCommand):
    help = ("Import a curriculum archive: new pages as drafts, changed pages as new draft revisions (nothing is "
            "published); importing the same archive twice changes nothing. Prints what was created, updated "
            "or refused.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--publish", action="store_true", help="publish created and updated pages")

    def handle(self, archive, publish=False, **options):
        try:
            opened = Archive(archive)
        except (ArchiveRefused, OSError) as err:
            raise CommandError(str(err)) from err
        try:
            report = opened.import_into_site(MIRROR if publish else DRAFT)
        finally:
            opened.close()
        if options["verbosity"] > 1:
            for line in report.lines:
                self.stdout.write(f"  {line.action:9} {line.kind:16} {line.label} {line.reason}".rstrip())
        for line in report.of("refused"):
            self.stderr.write(f"refused {line.kind} {line.label}: {line.reason}")
        self.stdout.write(report.summary())
