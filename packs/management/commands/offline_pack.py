from django.core.management.base import BaseCommand, CommandError

from plugins.services.programs import program_for_path

from ...services.content import write_content_pack


class Command(BaseCommand):
    help = "Write a program's published content, media manifest and practice bank to one signed SQLite pack."

    def add_arguments(self, parser):
        parser.add_argument("program_path", help="e.g. energy or dual-carbon/asset")
        parser.add_argument("-o", "--output", help="the pack file (default: <program>.pack)")
        parser.add_argument("--learners", action="store_true",
                            help="include the enrolled learners (username, name, level, password hash)")

    def handle(self, program_path, output=None, learners=False, **options):
        program = program_for_path(program_path)
        if program is None:
            raise CommandError(f"No live program at {program_path!r}.")
        output = output or f"{program.slug}.pack"
        counts = write_content_pack(program, output, learners=learners)
        self.stdout.write(f"{output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
