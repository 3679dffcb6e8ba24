"""A GET's caller is resolved once per (operation, target, credentials, Accept) until a write
(``auth.authenticate``): every change to what authentication reads must still show at once, and the key's
``last_used_at`` is stamped on every call."""

from __future__ import annotations

from typing import Any

import requests

from mockbi.handle import MockbiHandle


def _get(mockbi: MockbiHandle, path: str = "") -> requests.Response:
    creds = mockbi.credentials["posthog"]
    return requests.get(f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/{path}", timeout=10,
                        headers={"Authorization": f"Bearer {creds['personal_api_key']}"})


def test_a_key_losing_its_scope_is_refused_at_once(mockbi: MockbiHandle) -> None:
    assert _get(mockbi).status_code == 200
    store: Any = mockbi.store("posthog")
    with mockbi.locked():
        key = store.api_keys[mockbi.credentials["posthog"]["personal_api_key"]]
        key.scopes = ["insight:read"]
    refused = _get(mockbi)
    assert refused.status_code == 403 and "dashboard:read" in refused.json()["detail"]


def test_every_call_stamps_the_keys_last_use(mockbi: MockbiHandle) -> None:
    store: Any = mockbi.store("posthog")
    key = store.api_keys[mockbi.credentials["posthog"]["personal_api_key"]]
    stamps = []
    for _ in range(3):
        assert _get(mockbi).status_code == 200
        stamps.append(key.last_used_at)
        mockbi.advance(60)
    assert len(set(stamps)) == 3 and stamps == sorted(stamps)


def test_a_deleted_dashboard_is_not_found_through_a_kept_caller(mockbi: MockbiHandle) -> None:
    dashboard = _get(mockbi, "?limit=1").json()["results"][0]["id"]
    assert _get(mockbi, f"{dashboard}/").status_code == 200
    creds = mockbi.credentials["posthog"]
    resp = requests.patch(f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/{dashboard}/",
                          json={"deleted": True}, timeout=10,
                          headers={"Authorization": f"Bearer {creds['personal_api_key']}"})
    assert resp.status_code == 200, resp.text
    assert _get(mockbi, f"{dashboard}/").status_code == 404
