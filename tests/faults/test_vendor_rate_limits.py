"""``rate_limit: "vendor"``: PostHog's documented throttle (480/min burst, 4,800/hour per personal API key),
its throttled body and ``Retry-After``, on the injected clock; over HTTP through a real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.core.ratelimit import over_limit
from mockbi.server import ServerThread
from mockbi.vendors.posthog.throttling import BURST, SUSTAINED


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(MockbiConfig(vendors=("posthog", "lightdash"), strict=True)) as running:
        yield running


@pytest.fixture
def ph(server: ServerThread) -> dict[str, Any]:
    requests.post(f"{server.url}/__mockbi/reset", json={}, timeout=10)
    creds = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
    return {"url": f"{server.url}/api/projects/{creds['project_id']}/dashboards/", "key": creds["personal_api_key"],
            "other": creds["keys"], "root": server.url}


def _get(http: requests.Session, ph: dict[str, Any], key: str | None = None) -> requests.Response:
    return http.get(ph["url"], headers={"Authorization": f"Bearer {key or ph['key']}"}, timeout=10)


def test_posthog_burst_limit_answers_its_throttled_error(ph: dict[str, Any]) -> None:
    resp = requests.post(f"{ph['root']}/__mockbi/faults", json={"vendor": "posthog", "rate_limit": "vendor"},
                         timeout=10)
    assert resp.status_code == 201
    with requests.Session() as http:
        assert {_get(http, ph).status_code for _ in range(480)} == {200}
        throttled = _get(http, ph)
        assert throttled.status_code == 429
        assert throttled.headers["Retry-After"] == "60"
        assert throttled.json() == {"type": "throttled_error", "code": "throttled",
                                    "detail": "Request was throttled. Expected available in 60 seconds.",
                                    "attr": None}
        other = next(k for k in ph["other"].values() if k != ph["key"])
        assert _get(http, ph, other).status_code != 429  # counted per key
        requests.post(f"{ph['root']}/__mockbi/clock", json={"advance": 59.5}, timeout=10)
        late = _get(http, ph)
        assert late.status_code == 429 and late.headers["Retry-After"] == "1"
        assert late.json()["detail"] == "Request was throttled. Expected available in 1 second."
        requests.post(f"{ph['root']}/__mockbi/clock", json={"advance": 0.5}, timeout=10)
        assert _get(http, ph).status_code == 200
    journal = requests.get(f"{ph['root']}/__mockbi/journal", params={"status": "429"}, timeout=10).json()
    assert journal["count"] == 2 and journal["calls"][0]["fault"]["rule"] == 1


def test_posthog_does_not_throttle_requests_without_a_personal_api_key(ph: dict[str, Any]) -> None:
    requests.post(f"{ph['root']}/__mockbi/faults", json={"vendor": "posthog", "rate_limit": "vendor"}, timeout=10)
    with requests.Session() as http:
        statuses = {http.get(ph["url"], timeout=10).status_code for _ in range(500)}
    assert statuses == {401}


def test_a_vendor_without_documented_limits_refuses_vendor_rate_limit(ph: dict[str, Any]) -> None:
    resp = requests.post(f"{ph['root']}/__mockbi/faults", json={"vendor": "lightdash", "rate_limit": "vendor"},
                         timeout=10)
    assert resp.status_code == 400 and "lightdash documents no rate limit" in resp.json()["error"]


def test_posthog_429_fault_with_retry_after_says_the_same_wait_in_its_body(ph: dict[str, Any]) -> None:
    """C12: a 429 with ``Retry-After: 7`` used to send 60 (header dropped, body unchanged)."""
    requests.post(f"{ph['root']}/__mockbi/faults",
                  json={"vendor": "posthog", "status": 429, "headers": {"Retry-After": "7"}}, timeout=10)
    with requests.Session() as http:
        resp = _get(http, ph)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
    assert resp.json()["detail"] == "Request was throttled. Expected available in 7 seconds."


def test_the_sustained_window_holds_once_the_burst_window_has_passed() -> None:
    hits: list[float] = []
    windows = (BURST, SUSTAINED)
    now = 0.0
    for minute in range(10):  # ten minutes of 480 calls each: 4,800 calls let through
        for _ in range(480):
            assert over_limit(hits, windows, now) is None
        # the burst window says a minute; after the 4,800th call the hour says the first call leaves in 51 minutes
        assert over_limit(hits, windows, now) == (60 if minute < 9 else 3600 - 540)
        now += 60
    assert over_limit(hits, windows, now) == 3600 - 600  # the burst has passed, the hour still holds
