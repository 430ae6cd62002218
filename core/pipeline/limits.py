"""Per-client limits on starting analyses, and the user-facing summary of every input limit.

A client is a dashboard session, or its IP address where Streamlit knows it; the limiter only
sees an opaque key. The clock is injected so tests can move time instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from core.documents.messages import size_text
from core.errors import RateLimited
from core.settings import Settings


class RateLimiter:
    """At most `limit` events per client in any `window_s` seconds (a sliding window)."""

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, client: str) -> None:
        """Count one event for `client`, or raise RateLimited saying when to try again."""
        with self._lock:
            now = self._clock()
            events = self._events.setdefault(client, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                wait = max(1, math.ceil(events[0] + self.window_s - now))
                raise RateLimited(
                    f"too many analyses: {self.limit} per {_duration(self.window_s)} for each "
                    f"user; try again in {wait} seconds",
                    retry_after_s=wait,
                )
            events.append(now)


def _duration(seconds: float) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} seconds"


def limits_text(settings: Settings) -> str:
    """The input limits, in one line a user can read before uploading."""
    return (
        f"Limits: files up to {size_text(settings.max_bytes)}, {settings.max_pages:,} PDF pages "
        f"and {settings.max_chars:,} characters of text; reading a file may take "
        f"{settings.parse_timeout_s:g} s; {settings.rate_limit_analyses} analyses per "
        f"{_duration(settings.rate_limit_window_s)} per user."
    )
