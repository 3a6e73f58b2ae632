from django.core.management.base import BaseCommand

TICKS: list = []


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--label", default="tick")

    def handle(self, *args, label, **options):
        TICKS.append(label)
        if label == "fail":
            raise RuntimeError("a failing periodic job")
