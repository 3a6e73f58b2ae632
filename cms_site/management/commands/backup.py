from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cms_site.services.backups import create_backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and uploaded files to one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="Archive path or directory (default: DATA_DIR/backups/)")

    def handle(self, *args, output=None, **options):
        target = Path(output) if output else Path(settings.DATA_DIR) / "backups"
        if output is None:
            target.mkdir(parents=True, exist_ok=True)
        archive = create_backup(target)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
