"""Rate limiting on the injected clock, for ``rate_limit`` fault rules.

A vendor that documents its limits says so through :meth:`~mockbi.core.vendor.Vendor.rate_limits`: the
windows (``(limit, seconds)`` pairs, all enforced at once), whose calls count (a key per caller, or
``None`` for calls the vendor does not throttle) and its throttled answer for a given wait. The counting
follows DRF's ``SimpleRateThrottle``: only calls let through are remembered, and the wait announced is the
time until the oldest remembered call of the full window leaves it (rounded up).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from mockbi.core.errors import ApiError


@dataclass(frozen=True, slots=True)
class RateLimits:
    """A vendor's documented limits and how it answers a throttled call."""

    windows: tuple[tuple[int, float], ...]
    key: Callable[[web.Request], str | None]
    throttled: Callable[[int], ApiError]
    #: where the limits are documented (shown by ``GET /__mockbi/faults``)
    source: str = ""


def caller_key(request: web.Request) -> str:
    """The default caller key: the credentials sent (every anonymous caller shares one bucket)."""
    return request.headers.get("Authorization") or "anonymous"


def over_limit(hits: list[float], windows: tuple[tuple[int, float], ...], now: float) -> int | None:
    """Seconds to wait (rounded up) if one more call at ``now`` breaks a window, else ``None`` after
    remembering the call. ``hits`` is the caller's ascending list of remembered instants."""
    longest = max(seconds for _, seconds in windows)
    del hits[:bisect.bisect_right(hits, now - longest)]
    waits = []
    for limit, seconds in windows:
        first = bisect.bisect_right(hits, now - seconds)
        if len(hits) - first >= limit:
            waits.append(hits[len(hits) - limit] + seconds - now)
    if waits:
        return max(1, math.ceil(max(waits)))
    hits.append(now)
    return None
