from django.core.management.base import BaseCommand

from outbox import delivery


class Command(BaseCommand):
    help = (
        "Send every due email of the outbox now (what the worker's periodic sweep does); "
        "without a broker, run it to retry mail that failed."
    )

    def handle(self, *args, **options):
        totals = delivery.sweep()
        self.stdout.write(f"Sent {totals['sent']}, failed attempts {totals['failed']}.")
