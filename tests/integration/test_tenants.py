"""Isolated tenants in one server: by base-URL prefix or header, each with its own world, journal, faults,
clock and admin API; created on first use or on request, bounded, evicted least recently used first."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread


@pytest.fixture
def server() -> Iterator[ServerThread]:
    running = ServerThread(MockbiConfig(clock_mode="frozen", max_tenants=3)).start()
    yield running
    running.stop()


class Client:
    """A PostHog client whose only setting is its base URL (plus, for header tenancy, one header)."""

    def __init__(self, root: str, admin: str, headers: dict[str, str] | None = None) -> None:
        self.root, self.admin, self.extra = root, admin, headers or {}
        self.info: dict[str, Any] = requests.get(f"{admin}/info", headers=self.extra, timeout=10).json()
        creds = self.info["vendors"]["posthog"]
        self.url = f"{root}/api/projects/{creds['project_id']}/dashboards/"
        self.auth = {"Authorization": f"Bearer {creds['personal_api_key']}", **self.extra}

    def create(self, name: str) -> int:
        resp = requests.post(self.url, json={"name": name}, headers=self.auth, timeout=10)
        assert resp.status_code == 201, resp.text
        return int(resp.json()["id"])

    def names(self) -> list[str]:
        body = requests.get(self.url, params={"limit": 500}, headers=self.auth, timeout=10).json()
        return [d["name"] for d in body["results"]]

    def get(self, path: str, **kw: Any) -> requests.Response:
        return requests.get(f"{self.url}{path}", headers=self.auth, timeout=10, **kw)


def _tenant(server: ServerThread, name: str) -> Client:
    return Client(f"{server.url}/tenants/{name}", f"{server.url}/__mockbi/tenants/{name}")


def test_tenants_share_the_seeded_world_but_not_its_changes(server: ServerThread) -> None:
    default = Client(server.url, f"{server.url}/__mockbi")
    a, b = _tenant(server, "job-a"), _tenant(server, "job-b")
    assert a.info["vendors"] == b.info["vendors"] == default.info["vendors"]  # same ids and credentials
    made = a.create("only in a")
    assert "only in a" in a.names()
    assert "only in a" not in b.names() and "only in a" not in default.names()
    assert a.get(f"{made}/").status_code == 200 and b.get(f"{made}/").status_code == 404
    # the header reaches the same tenant as the prefix
    by_header = Client(server.url, f"{server.url}/__mockbi", {"X-Mockbi-Tenant": "job-a"})
    assert "only in a" in by_header.names()


def test_links_keep_the_tenant_prefix(server: ServerThread) -> None:
    a = _tenant(server, "links")
    body = a.get("", params={"limit": 2}).json()
    assert body["next"].startswith(f"{server.url}/tenants/links/api/projects/")
    follow = requests.get(body["next"], headers=a.auth, timeout=10).json()
    assert follow["previous"].startswith(f"{server.url}/tenants/links/")


def test_each_tenant_has_its_own_journal_faults_clock_and_reset(server: ServerThread) -> None:
    a, b = _tenant(server, "a"), _tenant(server, "b")
    a.names()
    assert [c["operation_id"] for c in requests.get(f"{a.admin}/journal", timeout=10).json()["calls"]] == \
        ["dashboards_list"]
    assert requests.get(f"{b.admin}/journal", timeout=10).json()["calls"] == []
    fault = {"vendor": "posthog", "operation_id": "dashboards_list", "status": 503, "times": None}
    assert requests.post(f"{a.admin}/faults", json=fault, timeout=10).status_code == 201
    assert a.get("").status_code == 503 and b.get("").status_code == 200
    requests.post(f"{b.admin}/clock", json={"advance": 3600}, timeout=10)
    assert requests.get(f"{a.admin}/clock", timeout=10).json() != requests.get(f"{b.admin}/clock", timeout=10).json()
    b.create("gone after reset")
    requests.post(f"{b.admin}/reset", json={}, timeout=10)
    assert "gone after reset" not in b.names()


def test_created_tenants_have_their_own_seed_and_are_listed_and_removed(server: ServerThread) -> None:
    admin = f"{server.url}/__mockbi/tenants"
    resp = requests.post(admin, json={"name": "seven", "seed": 7, "scenario": "empty"}, timeout=10)
    assert resp.status_code == 201 and resp.json() == {"name": "seven", "seed": 7, "scenario": "empty",
                                                        "pinned": False}
    seven = _tenant(server, "seven")
    assert seven.info["seed"] == 7 and seven.info["vendors"] != _tenant(server, "other").info["vendors"]
    assert requests.post(admin, json={"name": "seven"}, timeout=10).status_code == 409
    assert {t["name"] for t in requests.get(admin, timeout=10).json()["tenants"]} == {"seven", "other"}
    assert requests.delete(f"{admin}/seven", timeout=10).status_code == 204
    assert requests.get(f"{admin}/seven", timeout=10).status_code == 404
    for bad in ({"name": "../x"}, {"name": "ok", "seed": "7"}, {"name": "ok", "color": 1}):
        resp = requests.post(admin, json=bad, timeout=10)
        assert resp.status_code == 400 and "error" in resp.json()
    assert requests.get(f"{server.url}/tenants/bad%20name/api/x", timeout=10).status_code == 400


def test_least_recently_used_tenants_are_evicted_but_pinned_ones_are_kept(server: ServerThread) -> None:
    admin = f"{server.url}/__mockbi/tenants"
    requests.post(admin, json={"name": "keep", "pinned": True}, timeout=10)
    first = _tenant(server, "first")
    first.create("lost on eviction")
    _tenant(server, "second")
    _tenant(server, "third")  # max_tenants=3: "first" (least recently used, unpinned) makes room
    names = {t["name"] for t in requests.get(admin, timeout=10).json()["tenants"]}
    assert names == {"keep", "second", "third"}
    assert "lost on eviction" not in _tenant(server, "first").names()  # a fresh world on next use
    for name in ("second", "third"):
        requests.delete(f"{admin}/{name}", timeout=10)
    requests.post(admin, json={"name": "p2", "pinned": True}, timeout=10)
    requests.post(admin, json={"name": "p3", "pinned": True}, timeout=10)
    requests.delete(f"{admin}/first", timeout=10)
    requests.post(admin, json={"name": "p4", "pinned": True}, timeout=10)
    refused = requests.get(f"{server.url}/tenants/one-more/api/projects/1/dashboards/", timeout=10)
    assert refused.status_code == 503 and "pinned" in refused.json()["error"]


def test_two_concurrent_clients_never_see_each_other(server: ServerThread) -> None:
    clients = {name: _tenant(server, name) for name in ("left", "right")}
    errors: list[str] = []

    def work(name: str) -> None:
        client = clients[name]
        for i in range(40):
            client.create(f"{name}-{i}")
        other = "right" if name == "left" else "left"
        seen = client.names()
        if any(n.startswith(other) for n in seen) or sum(n.startswith(name) for n in seen) != 40:
            errors.append(f"{name} saw {seen}")

    threads = [threading.Thread(target=work, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_a_tenants_console_shows_prefixed_base_urls(server: ServerThread) -> None:
    page = requests.get(f"{server.url}/__mockbi/tenants/ui/", timeout=10)
    assert page.status_code == 200 and 'src="console/console.js"' in page.text
    assert requests.get(f"{server.url}/__mockbi/tenants/ui/console/console.js", timeout=10).status_code == 200
    vendors = requests.get(f"{server.url}/__mockbi/tenants/ui/vendors", timeout=10).json()["vendors"]
    assert {v["name"]: v["base_url"] for v in vendors}["lightdash"] == f"{server.url}/tenants/ui/api/v1/"


def test_tenant_journals_share_the_servers_journal_budget() -> None:
    config = MockbiConfig(max_tenants=4, journal_bytes=8 * 1024 * 1024, journal_body_bytes=256 * 1024)
    server = ServerThread(config).start()
    try:
        _tenant(server, "budget").names()
        from mockbi.core.tenants import TENANTS
        from mockbi.keys import RUNTIME

        tenant_app = server.app[TENANTS]._live["budget"][1]
        assert tenant_app[RUNTIME].config.journal_bytes == 2 * 1024 * 1024
    finally:
        server.stop()
