from django.core.management.base import BaseCommand, CommandError

from ...packs.content import import_content_pack
from ...packs.signing import PackRefused


class Command(BaseCommand):
    help = "Import a signed content pack (idempotent: creates what is missing, never overwrites)."

    def add_arguments(self, parser):
        parser.add_argument("pack")

    def handle(self, pack, **options):
        try:
            counts = import_content_pack(pack, log=self.stdout.write if options["verbosity"] > 1 else (lambda _m: None))
        except PackRefused as err:
            raise CommandError(str(err)) from err
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
