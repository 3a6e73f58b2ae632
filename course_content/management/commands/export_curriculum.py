from django.core.management.base import BaseCommand, CommandError

from ...services.curriculum.archive import export_archive
from ...services.curriculum.lookup import program_by_path


class Command(BaseCommand):
    help = ("Export a program's course tree (latest revisions, drafts included), media and plugin sections "
            "(the question bank) to one curriculum archive (zip).")

    def add_arguments(self, parser):
        parser.add_argument("program_path", help="e.g. energy or dual-carbon/asset")
        parser.add_argument("-o", "--output", help="the archive (default: <program>-curriculum.zip)")
        parser.add_argument("--live", action="store_true", help="only live pages, as published")

    def handle(self, program_path, output=None, live=False, **options):
        program = program_by_path(program_path)
        if program is None:
            raise CommandError(f"No program at {program_path!r}.")
        output = output or f"{program.slug}-curriculum.zip"
        manifest = export_archive(program, output, drafts=not live)
        self.stdout.write(f"{output}: media {len(manifest['media'])}")
