"""Requests per API token: a token bucket per actor, in this process only.

Each token may make API_RATE_LIMIT requests in a burst, refilled evenly over API_RATE_WINDOW_SECONDS; past
it the request gets 429 with `Retry-After` (whole seconds until one request is allowed again). The buckets
live in the serving process: behind several processes or after a restart each counts on its own, so the
setting is a per-process bound (docs/api.md). API_RATE_LIMIT = 0 turns the limit off.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import TooManyRequests

EXTENSION = "nqdb.api_rate"


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One bucket of `capacity` requests per key, refilled at capacity / window per second."""

    def __init__(self, capacity: int, window_seconds: float) -> None:
        self.settings = (capacity, window_seconds)
        self.capacity = capacity
        self.rate = capacity / window_seconds if window_seconds > 0 else math.inf
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one request of `key`'s bucket: 0 if allowed, else the seconds until one is."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.setdefault(key, Bucket(float(self.capacity), moment))
            bucket.tokens = min(float(self.capacity), bucket.tokens + (moment - bucket.updated) * self.rate)
            bucket.updated = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate


def check_rate(app: Flask, actor: str) -> None:
    """Count one request of `actor`.

    Raises:
        TooManyRequests: over API_RATE_LIMIT; `retry_after` says when to come back.
    """
    capacity = int(app.config["API_RATE_LIMIT"])
    if capacity <= 0:
        return
    buckets: TokenBuckets | None = app.extensions.get(EXTENSION)
    window = float(app.config["API_RATE_WINDOW_SECONDS"])
    if buckets is None or buckets.settings != (capacity, window):
        buckets = app.extensions[EXTENSION] = TokenBuckets(capacity, window)  # new settings: new buckets
    wait = buckets.take(actor)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise TooManyRequests(f"This API token made more than {capacity} requests in {window:g} s; "
                              f"try again in {seconds} s.", retry_after=seconds)
