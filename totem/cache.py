"""A Redis cache that a page never waits on for long and never fails because of.

Everything Totem keeps in the cache can be drawn or read again (kept parts of pages; sessions,
which `cached_db` also keeps in the database). So when Redis refuses, times out (REDIS_TIMEOUT,
well under a second, for connecting and for each answer) or errs, the call is skipped — a read
finds nothing, a write is dropped — a warning is logged, and for CACHE_RETRY_SECONDS this
process does not ask Redis at all: a hung Redis costs one timeout, not one per cache call.
`check()` asks Redis for real, for the readiness check.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("totem.cache")


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise unless Redis answers now (ignores the pause after a failure)."""
        self._cache.get_client(write=True).ping()

    def _skipped(self, method: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except Exception as error:  # redis.ConnectionError, TimeoutError, ResponseError, OSError
            pause = float(getattr(settings, "CACHE_RETRY_SECONDS", 5))
            with self._lock:
                first = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + pause
            if first:
                log.warning(
                    "cache unavailable (%s: %s): serving uncached for %.0fs",
                    type(error).__name__,
                    error,
                    pause,
                )
            return default

    def get(self, key, default=None, version=None):
        return self._skipped("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._skipped("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._skipped("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._skipped("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._skipped("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._skipped("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._skipped("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._skipped("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._skipped("delete_many", None, keys, version)
