"""PostHog's rate limits, for ``rate_limit: "vendor"`` faults (``posthog-notes.md``, "Rate limits").

Only requests made with a personal API key are throttled (``PersonalApiKeyRateThrottle``): 480 a minute
(burst) and 4,800 an hour (sustained), counted per key. Over the limit DRF raises ``Throttled(wait)`` and
drf-exceptions-hog answers ``429 {"type": "throttled_error", "code": "throttled", "detail": "Request was
throttled. Expected available in N seconds.", "attr": null}`` with ``Retry-After: N`` (N rounded up;
DRF says "second" when N is 1).
"""

from __future__ import annotations

from aiohttp import web

from mockbi.core.errors import ApiError
from mockbi.core.ratelimit import RateLimits
from mockbi.vendors.posthog.errors import hog

BURST = (480, 60.0)
SUSTAINED = (4800, 3600.0)


def personal_api_key(request: web.Request) -> str | None:
    """The personal API key a request carries in its header or query string (``None``: not throttled).
    Faults run before the body is read, so a key sent only in the body is not counted (SOURCE.md)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip().startswith("phx_"):
        return token.strip()
    if "personal_api_key" in request.query:
        return request.query["personal_api_key"]
    return None


def throttled(wait: int) -> ApiError:
    unit = "second" if wait == 1 else "seconds"
    return hog(429, "throttled", f"Request was throttled. Expected available in {wait} {unit}.",
               type_="throttled_error", headers={"Retry-After": str(wait)})


RATE_LIMITS = RateLimits(windows=(BURST, SUSTAINED), key=personal_api_key, throttled=throttled,
                         source="posthog-notes.md: PersonalApiKeyRateThrottle, 480/minute burst, 4800/hour sustained")
