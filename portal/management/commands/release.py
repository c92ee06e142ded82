"""The release step: run once per deployment, before the new code serves (not on every node)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Apply the database migrations and collect the static files: once per release, from "
        "one machine, before the servers start the new code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-static",
            action="store_true",
            help="Only migrate (static files are built elsewhere, e.g. in the image).",
        )

    def handle(self, *args, skip_static=False, verbosity=1, **options):
        call_command("migrate", interactive=False, verbosity=verbosity)
        if not skip_static:
            call_command("collectstatic", interactive=False, verbosity=verbosity)
        self.stdout.write(self.style.SUCCESS("Release ready: database migrated, static collected."))
