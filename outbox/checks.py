from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def lease_outlasts_a_slow_mail(app_configs, **kwargs):
    timeout = settings.EMAIL_TIMEOUT or 60
    lease = settings.OUTBOX_LEASE_SECONDS
    if lease < 10 * timeout:
        return [
            checks.Error(
                f"OUTBOX_LEASE_SECONDS ({lease}) must be at least 10 "
                f"times EMAIL_TIMEOUT ({timeout}): a worker could still be sending a mail when "
                "another takes it over, and the mail would go out twice.",
                id="outbox.E001",
            )
        ]
    return []
