from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms_site.services.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database and files)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive, yes, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No backup at {path}")
        manifest = read_manifest(path)
        if not yes:
            answer = input(f"Replace all data with the backup of {manifest['created_at']}? [y/N] ")
            if answer.strip().lower() != "y":
                raise CommandError("Restore cancelled.")
        try:
            restore_backup(path)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}"))
