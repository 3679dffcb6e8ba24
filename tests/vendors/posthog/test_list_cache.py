"""The dashboards list keeps its ordering and each dashboard's viewer-independent wire form between
requests (``Store.memo``, ``PostHogStore.wire_cache``): every change must still show at once, whether made
by a write request, by a GET that stamps a field, or by a test writing through the store it holds."""

from __future__ import annotations

from typing import Any

import requests

from mockbi.handle import MockbiHandle


def _list(mockbi: MockbiHandle) -> list[dict[str, Any]]:
    creds = mockbi.credentials["posthog"]
    resp = requests.get(f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/?limit=500", timeout=10,
                        headers={"Authorization": f"Bearer {creds['personal_api_key']}"})
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]  # type: ignore[no-any-return]


def _auth(mockbi: MockbiHandle) -> dict[str, str]:
    return {"Authorization": f"Bearer {mockbi.credentials['posthog']['personal_api_key']}"}


def test_a_renaming_request_reorders_the_next_list(mockbi: MockbiHandle) -> None:
    before = _list(mockbi)
    last = [d for d in before if not d["pinned"]][-1]
    base = f"{mockbi.url}/api/projects/{mockbi.credentials['posthog']['project_id']}/dashboards/"
    resp = requests.patch(f"{base}{last['id']}/", json={"name": "!!! first by name"}, headers=_auth(mockbi),
                          timeout=10)
    assert resp.status_code == 200, resp.text
    after = _list(mockbi)
    unpinned = [d for d in after if not d["pinned"]]
    assert unpinned[0]["id"] == last["id"] and unpinned[0]["name"] == "!!! first by name"
    assert _list(mockbi) == after  # and the kept ordering answers the same


def test_a_get_that_stamps_last_accessed_at_shows_in_the_list(mockbi: MockbiHandle) -> None:
    first = _list(mockbi)[0]
    mockbi.advance(3600)
    base = f"{mockbi.url}/api/projects/{mockbi.credentials['posthog']['project_id']}/dashboards/"
    retrieved = requests.get(f"{base}{first['id']}/", headers=_auth(mockbi), timeout=10).json()
    listed = next(d for d in _list(mockbi) if d["id"] == first["id"])
    assert listed["last_accessed_at"] == retrieved["last_accessed_at"] != first["last_accessed_at"]


def test_writes_through_a_held_store_show_without_a_request(mockbi: MockbiHandle) -> None:
    store: Any = mockbi.store("posthog")
    listed = _list(mockbi)
    target = [d for d in listed if not d["pinned"]][-1]
    with mockbi.locked():
        store.dashboards[target["id"]].name = "!!! arranged"
        store.users[store.main_user_id].first_name = "Arranged"
    after = _list(mockbi)
    assert [d for d in after if not d["pinned"]][0]["id"] == target["id"]
    assert {d["created_by"]["first_name"] for d in after if d["created_by"] and
            d["created_by"]["id"] == store.main_user_id} == {"Arranged"}


def test_a_reset_brings_the_pristine_list_back(mockbi: MockbiHandle) -> None:
    pristine = _list(mockbi)
    store: Any = mockbi.store("posthog")
    with mockbi.locked():
        for d in store.dashboards.values():
            d.pinned = not d.pinned
    assert _list(mockbi) != pristine
    mockbi.reset()
    assert _list(mockbi) == pristine


def test_reading_the_list_keeps_the_kept_ordering(mockbi: MockbiHandle) -> None:
    """A GET counts as a read, fault check included: otherwise every list re-sorts the whole store."""
    _list(mockbi)
    store = mockbi.runtime.vendors["posthog"].peek()
    writes = store.writes
    for _ in range(3):
        _list(mockbi)
    assert store.writes == writes


def test_a_kept_page_is_kept_per_url_the_client_used(mockbi: MockbiHandle) -> None:
    """The same path asked through two proxies (and as two pages) gets links to where each client asked."""
    base = f"{mockbi.url}/api/projects/{mockbi.credentials['posthog']['project_id']}/dashboards/"
    pages = {}
    for host in ("one.example", "two.example", "one.example"):
        for offset in ("0", "1"):
            resp = requests.get(base, params={"limit": "1", "offset": offset}, timeout=10,
                                headers={**_auth(mockbi), "X-Forwarded-Host": host, "X-Forwarded-Proto": "https"})
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert body["next"].startswith(f"https://{host}/api/projects/")
            pages.setdefault(offset, set()).add(body["results"][0]["id"])
    assert all(len(ids) == 1 for ids in pages.values()) and pages["0"] != pages["1"]
