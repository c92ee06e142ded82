"""Django's Redis cache, made to cost a cache miss rather than a page when Redis is down.

Every server shares Redis for the page cache, the rate limits and the session cache. If it stops
answering, reads miss, writes are dropped and a warning is logged (at most once every
`QUIET_SECONDS` per process); for `QUIET_SECONDS` after a failure the cache is not even asked,
so a Redis that hangs does not add its timeout to every request. Sessions stay in the database
(`cached_db`), the rate limits then let requests through, and the health check reports the
cache as degraded (`portal/health.py`).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
QUIET_SECONDS = 5.0


class ResilientRedisCacheClient(RedisCacheClient):
    _down_until = 0.0

    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, made once.

        Django makes a new `redis.Redis` for every call, and building one fills its table of
        response callbacks (about 170 entries): a fifth of a page-cache hit's time went there.
        A client is only a front of its pool, safe to share between threads."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _guarded(self, name, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args)
        except RedisError as error:
            quiet = time.monotonic() < self._down_until + QUIET_SECONDS
            self._down_until = time.monotonic() + QUIET_SECONDS
            if not quiet:
                logger.warning("Cache unreachable, serving without it: %s", error)
            return fallback

    def add(self, key, value, timeout):
        return self._guarded("add", False, key, value, timeout)

    def get(self, key, default):
        return self._guarded("get", default, key, default)

    def set(self, key, value, timeout):
        return self._guarded("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._guarded("touch", False, key, timeout)

    def delete(self, key):
        return self._guarded("delete", False, key)

    def get_many(self, keys):
        return self._guarded("get_many", {}, keys)

    def has_key(self, key):
        return self._guarded("has_key", False, key)

    def incr(self, key, delta):
        missing = object()
        value = self._guarded("incr", missing, key, delta)
        if value is missing:
            # What Django raises for a key that is not there: callers already handle it.
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return value

    def set_many(self, data, timeout):
        return self._guarded("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._guarded("delete_many", None, keys)

    def clear(self):
        return self._guarded("clear", False)

    def ping(self):
        """Ask Redis itself, past the guard: for the health check."""
        return self.get_client(write=True).ping()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    def ping(self):
        return self._cache.ping()
