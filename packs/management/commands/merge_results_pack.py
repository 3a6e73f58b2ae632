from django.core.management.base import BaseCommand, CommandError

from ...services.results import merge_results_pack
from ...services.signing import PackRefused


class Command(BaseCommand):
    help = "Merge a signed results pack through the ledger rules (merging twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("pack")

    def handle(self, pack, **options):
        try:
            counts = merge_results_pack(pack)
        except PackRefused as err:
            raise CommandError(str(err)) from err
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
