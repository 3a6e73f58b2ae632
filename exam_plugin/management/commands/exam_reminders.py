from django.core.management.base import BaseCommand

from exam_plugin.services.notices import remind_exam_tomorrow


class Command(BaseCommand):
    help = (
        "Push the exam-tomorrow reminder to the candidates of tomorrow's scored sittings "
        "(each candidate once; run periodically, see ExamPluginConfig.periodic_jobs)."
    )

    def handle(self, *args, **options):
        queued = remind_exam_tomorrow()
        if queued or options["verbosity"] > 1:
            self.stdout.write(f"queued {queued} exam reminder(s)")
