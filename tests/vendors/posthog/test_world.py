"""The seeded world: credentials, scenarios, determinism, reset, the contract and injected 429s."""

from __future__ import annotations

import re

import requests

from mockbi import MockbiConfig
from mockbi.core.contracts import RestContract
from mockbi.core.resources import contract_path
from mockbi.server import ServerThread
from mockbi.vendors.posthog import VENDOR
from mockbi.vendors.posthog.templates import TEMPLATE_JSON_SCHEMA
from tests.vendors.posthog.conftest import PostHog, hog

KEY = re.compile(r"^phx_[0-9A-Za-z]{43,}$")
DOCUMENTED = {
    "dashboards_list", "dashboards_create", "dashboards_collaborators_list", "dashboards_collaborators_create",
    "dashboards_collaborators_destroy", "dashboards_sharing_list", "dashboards_sharing_passwords_create",
    "dashboards_sharing_passwords_destroy", "dashboards_sharing_refresh_create", "dashboards_retrieve",
    "dashboards_partial_update", "dashboards_destroy", "dashboards_move_tile_partial_update",
    "dashboards_stream_tiles_retrieve", "dashboards_create_from_template_json_create",
}


def test_credentials(ph: PostHog) -> None:
    assert KEY.match(ph.key) and isinstance(ph.pid, int)
    assert set(ph.keys) == {"read_only", "dashboard_write", "sharing_read", "other_project"}
    assert all(KEY.match(k) for k in ph.keys.values())


def test_contract_operations_and_handlers() -> None:
    contract = RestContract.load("posthog", contract_path("posthog", "openapi.json"))
    documented = {op.operation_id for op in contract.operations.values() if not op.extension}
    assert documented == DOCUMENTED
    assert all(op.path.endswith("/") or op.path.endswith("@current") for op in contract.operations.values())
    assert all(op_id in VENDOR.registry for op_id in contract.operations)
    assert contract.schema("DashboardTemplateJSON") == TEMPLATE_JSON_SCHEMA
    assert contract.compile_all() > 0


def _bodies(url: str, seed: int) -> tuple[bytes, bytes]:
    requests.post(f"{url}/__mockbi/reset", json={"seed": seed}, timeout=10).raise_for_status()
    creds = requests.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
    headers = {"Authorization": f"Bearer {creds['personal_api_key']}"}
    base = f"{url}/api/projects/{creds['project_id']}/dashboards/"
    return (requests.get(base, headers=headers, timeout=10).content,
            requests.get(f"{base}1/", headers=headers, timeout=10).content)


def test_same_seed_is_byte_identical_and_another_seed_differs() -> None:
    config = MockbiConfig(strict=True, vendors=("posthog",), seed=7)
    with ServerThread(config) as one, ServerThread(config) as two:
        first = _bodies(one.url, 7)
        assert _bodies(two.url, 7) == (first[0].replace(one.url.encode(), two.url.encode()), first[1])
        other = _bodies(two.url, 8)
        assert other[0] != first[0] and other[1] != first[1]


def test_empty_scenario(ph: PostHog) -> None:
    requests.post(f"{ph.url}/__mockbi/reset", json={"scenario": "empty"}, timeout=10).raise_for_status()
    ph.refresh()
    body = ph.get(ph.path()).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    assert ph.post(ph.path(), json={"name": "First"}).json()["id"] == 1
    requests.post(f"{ph.url}/__mockbi/reset", json={"scenario": "default"}, timeout=10).raise_for_status()


def test_reset_discards_changes(ph: PostHog) -> None:
    ph.patch(ph.path("1/"), json={"name": "Changed"})
    requests.post(f"{ph.url}/__mockbi/reset", json={}, timeout=10).raise_for_status()
    assert ph.get(ph.path("1/")).json()["name"] == "Product KPIs"


def test_throttled_429_on_demand(ph: PostHog) -> None:
    requests.post(f"{ph.url}/__mockbi/faults", json={"vendor": "posthog", "operation_id": "dashboards_list",
                                                     "status": 429}, timeout=10).raise_for_status()
    resp = ph.get(ph.path())
    hog(resp, 429, "throttled", "Request was throttled. Expected available in 60 seconds.", None)
    assert resp.json()["type"] == "throttled_error" and resp.headers["Retry-After"] == "60"
    assert ph.get(ph.path()).status_code == 200  # the fault fired once


def test_template_insights_do_not_share_state_with_the_builtin_templates(ph: PostHog) -> None:
    first = ph.post(ph.path(), json={"use_template": "DEFAULT_APP"}).json()
    insight_id = first["tiles"][0]["insight"]["id"]
    pristine = first["tiles"][0]["insight"]["query"]
    with ph.server.runtime.lock:  # a store-side change to one insight must not leak into the module's template
        ph.store.insights[insight_id].query["source"]["interval"] = "month"
    second = ph.post(ph.path(), json={"use_template": "DEFAULT_APP"}).json()
    queries = {t["insight"]["name"]: t["insight"]["query"] for t in second["tiles"]}
    assert queries[first["tiles"][0]["insight"]["name"]] == pristine
