from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plugins.services.registry import all_plugins


def loader_apps():
    """App configs with a ``load_initial_data`` method: core first, then plugins with
    their dependencies before them."""
    plugins = {p.label: p for p in all_plugins()}
    core = [cfg for cfg in apps.get_app_configs() if cfg.label not in plugins]
    ordered, seen = [], set()

    def visit(label):
        if label in seen or label not in plugins:
            return
        seen.add(label)
        for dep in plugins[label].depends_on:
            visit(dep)
        ordered.append(plugins[label].app_config)

    for label in sorted(plugins):
        visit(label)
    return [cfg for cfg in [*core, *ordered] if callable(getattr(cfg, "load_initial_data", None))]


class Command(BaseCommand):
    help = "Load programs, content, rules and plugin states from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"))
        parser.add_argument(
            "--demo-accounts", action="store_true",
            help="Also create one demo account per role and print the credentials (dev only).",
        )

    def handle(self, *args, fixtures, demo_accounts, **options):
        fixtures_dir = Path(fixtures)
        if not fixtures_dir.is_dir():
            raise CommandError(f"No fixtures directory at {fixtures_dir}")
        if demo_accounts and not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo accounts are only created with the dev settings.")
        for app_config in loader_apps():
            self.stdout.write(f"{app_config.label}:")
            app_config.load_initial_data(fixtures_dir, self.stdout.write)
        if demo_accounts:
            from course_content.services.demo import create_demo_accounts

            self.stdout.write(self.style.SUCCESS("Demo accounts (dev only):"))
            for line in create_demo_accounts():
                self.stdout.write(f"  {line}")
