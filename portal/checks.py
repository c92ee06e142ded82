"""System checks for running on more than one process or machine."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches that live inside one process: each gunicorn worker would count rate limits and keep
# cached pages and sessions on its own.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def cache_is_process_local():
    return settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    if settings.DEBUG or not cache_is_process_local():
        return []
    return [
        Warning(
            "The cache is local to each process: with more than one gunicorn worker or server, "
            "rate limits count per process and sessions are read from the database every time.",
            hint="Set CACHE_URL to a Redis shared by every server, e.g. redis://10.0.0.5:6379/1.",
            id="portal.W001",
        )
    ]
