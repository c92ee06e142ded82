"""Gunicorn settings for `make serve` and production, each overridable from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

_PROCESS_LOCAL_CACHES = ("locmemcache://", "dummycache://")


def when_ready(server):
    """Say it loudly when several workers would each keep their own cache (README: Running on
    several machines)."""
    debug = os.environ.get("DEBUG", "0").lower() in ("1", "true", "yes", "on")
    cache_url = os.environ.get("CACHE_URL", "locmemcache://")
    if not debug and server.cfg.workers > 1 and cache_url.startswith(_PROCESS_LOCAL_CACHES):
        line = "!" * 78
        server.log.error(
            "%s\nCACHE_URL is a local-memory cache but %d workers serve: each keeps its own "
            "rate limits and cache. Set CACHE_URL=redis://... (shared by every worker and "
            "server) before serving real traffic.\n%s",
            line,
            server.cfg.workers,
            line,
        )
