from django.core.management.base import BaseCommand

from cert_plugin.services.notices import announce_due


class Command(BaseCommand):
    help = (
        "Push 'certificate issued' to holders whose certificate's issue date has come "
        "(each certificate once; run periodically, see CertPluginConfig.periodic_jobs)."
    )

    def handle(self, *args, **options):
        queued = announce_due()
        if queued or options["verbosity"] > 1:
            self.stdout.write(f"queued {queued} certificate notice(s)")
