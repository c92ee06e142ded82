"""What the health check asks: the database (needed for every page), the cache and the broker
(each of which, when down, costs speed or delays mail but no page)."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

OK, ERROR, NOT_CONFIGURED = "ok", "error", "not configured"


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return ERROR
    return OK


def check_cache():
    try:
        if hasattr(cache, "ping"):
            cache.ping()
        else:
            key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
            cache.set(key, value, 10)
            if cache.get(key) != value:
                return ERROR
            cache.delete(key)
    except Exception:  # any backend's own error type
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return ERROR
    return OK


def check_broker():
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return NOT_CONFIGURED  # no broker: tasks run in the process that queues them
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=1)
    except Exception:  # kombu wraps the transport's errors in several types
        logger.warning("Health check: the broker does not answer", exc_info=True)
        return ERROR
    return OK


def readiness():
    """(HTTP status, body): 503 only when the database is down; a cache or broker that is down
    makes the portal "degraded", still serving pages."""
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    if checks["database"] != OK:
        return 503, {"status": "unavailable", "checks": checks}
    degraded = ERROR in checks.values()
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}
