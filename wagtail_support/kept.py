"""Configuration read once per process and kept until it changes: rows an admin edits a few
times a year but every request reads (service levels, workflows, form fields).

A change bumps a version in Django's cache, at once and again after its commit, so a process
that reloads in between does not keep what the transaction had not committed yet; every process
sharing that cache reloads on its next use. Processes that don't share one (the per-process
default cache) reload after at most ``max_age`` seconds.

What ``get()`` hands out is shared by every request of the process: read it, never change it.
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction


class Kept:
    def __init__(self, key, load, max_age=60):
        self.key = key
        self.load = load
        self.max_age = max_age
        self.version = None
        self.value = None
        self.at = 0.0

    def get(self):
        version = cache.get(self.key)
        if version is None:
            version = str(uuid.uuid4())
            cache.set(self.key, version, None)
        stale = time.monotonic() - self.at > self.max_age
        if self.version != version or self.value is None or stale:
            self.value = self.load()
            self.version = version
            self.at = time.monotonic()
        return self.value

    def forget(self, **kwargs):
        """Makes every process reload (connected to the models' changes)."""
        self._bump()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._bump)

    def _bump(self):
        cache.set(self.key, str(uuid.uuid4()), None)
        self.value = None
