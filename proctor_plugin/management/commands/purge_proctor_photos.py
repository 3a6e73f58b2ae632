from django.core.management.base import BaseCommand

from proctor_plugin.services.privacy import purge_expired_photos


class Command(BaseCommand):
    help = "Delete exam photos older than each program's retention period (proctor plugin setting)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run, **options):
        count = purge_expired_photos(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} exam photo(s).")
