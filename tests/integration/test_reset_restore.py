"""Reset restores a cached pristine world instead of rebuilding it: the result must be the rebuilt world,
byte for byte, state and generators included.

Server A runs a mutating request script through all four vendors (creations draw ids from counters,
uuids and tokens from the RNG, timestamps from the clock; plain GETs stamp ``last_used_at``), resets,
and runs the script again. Server B, started fresh with the same config (a world built from scratch),
runs the script once. Every response byte must match, and every store's state must pickle to the same
bytes as a freshly built store's, with the same RNG and Faker states.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.app import create_app
from mockbi.core.runtime import Runtime
from mockbi.core.world import capture
from mockbi.keys import RUNTIME
from mockbi.server import ServerThread
from tests.integration.test_determinism import HASHBOARD_QUERY, HASURA_QUERY
from tests.integration.test_isolation import UPDATE_ENV


def script(url: str, v: dict[str, Any]) -> list[bytes]:
    """Reads and writes through every vendor; returns every response body in order."""
    out: list[bytes] = []
    s = requests.Session()

    def call(method: str, path: str, headers: dict[str, str], **kw: Any) -> Any:
        resp = s.request(method, url + path, headers=headers, timeout=10, **kw)
        out.append(f"{method} {path} {resp.status_code} ".encode() + resp.content)
        return resp.json() if resp.content else None

    ph = {"Authorization": f"Bearer {v['posthog']['personal_api_key']}"}
    dashboards = f"/api/projects/{v['posthog']['project_id']}/dashboards/"
    call("GET", "/api/personal_api_keys/@current", ph)  # a GET that stamps last_used_at
    created = call("POST", dashboards, ph, json={"use_template": "DEFAULT_APP", "name": "copy"})
    call("PATCH", f"{dashboards}{created['id']}/", ph, json={"name": "renamed", "pinned": True})
    call("GET", f"{dashboards}{created['id']}/", ph)
    call("GET", dashboards + "?limit=100", ph)

    ld = {"Authorization": f"ApiKey {v['lightdash']['personal_access_token']}"}
    project = v["lightdash"]["project_uuid"]
    charts = call("GET", f"/api/v1/projects/{project}/charts", ld)["results"]
    chart = call("GET", f"/api/v1/saved/{charts[0]['uuid']}", ld)["results"]  # counts a view
    call("PATCH", f"/api/v1/saved/{chart['uuid']}", ld, json={"name": "edited"})
    call("POST", f"/api/v1/projects/{project}/spaces", ld, json={"name": "A new space"})
    call("GET", f"/api/v1/projects/{project}/spaces", ld)
    call("GET", f"/api/v1/saved/{charts[0]['uuid']}", ld)

    hb = {"Authorization": v["hashboard"]["api_token"]}
    call("POST", "/__mockbi/hashboard/resources", {}, json={"project_id": v["hashboard"]["project_id"],
                                                            "type": "model", "name": "Leak", "alias": "leak"})
    call("POST", "/__mockbi/hashboard/access-keys", {}, json={"project_id": v["hashboard"]["project_id"]})
    call("POST", "/api/graphql", hb, json={"query": HASHBOARD_QUERY, "variables": {"id": v["hashboard"]["project_id"]}})

    pat = {"Authorization": f"pat {v['hasura_cloud']['personal_access_token']}"}
    tenant = v["hasura_cloud"]["tenant_id"]
    env = call("POST", "/v1/graphql", pat, json={"query": "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }",
                                                  "variables": {"t": tenant}})
    call("POST", "/v1/graphql", pat, json={"query": UPDATE_ENV,
                                           "variables": {"t": tenant, "h": env["data"]["getTenantEnv"]["hash"]}})
    call("POST", "/v1/graphql", pat, json={"query": HASURA_QUERY})
    call("POST", "/__mockbi/clock", {}, json={"advance": 3600})
    call("POST", dashboards, ph, json={"name": "after an hour"})
    return out


def test_reset_restores_the_rebuilt_world_byte_for_byte() -> None:
    config = MockbiConfig(seed=11, strict=True)
    with ServerThread(config) as a, ServerThread(config) as b:
        creds = requests.get(f"{a.url}/__mockbi/info", timeout=10).json()["vendors"]
        first = script(a.url, creds)
        assert requests.post(f"{a.url}/__mockbi/reset", json={}, timeout=10).status_code == 200
        again = script(a.url, creds)
        fresh = script(b.url, creds)
        assert len(first) == len(fresh) > 15
        for got, want in zip(again, fresh, strict=True):
            assert got == want
        assert first == fresh  # (and the script itself is deterministic)
        assert not a.runtime.journal.calls.with_violations()


def _state(rt: Runtime) -> dict[str, tuple[Any, ...]]:
    """Every vendor's state attributes (compared with ``==``: equal strings need not be the same object)
    and generator states."""
    out = {}
    for name, vr in rt.vendors.items():
        store = vr.peek()
        image = capture(store)
        state = {k: v for k, v in vars(store).items() if k not in store._infrastructure}
        out[name] = (state, image.rng_state, image.faker_states, image.faker_seen, image.seed, image.scenario)
    return out


@pytest.mark.parametrize("scenario", ["default", "empty", "large"])
def test_restored_state_and_generators_equal_a_fresh_build(scenario: str) -> None:
    config = MockbiConfig(seed=4, scenario=scenario, clock_mode="frozen")
    fresh = _state(create_app(config)[RUNTIME])
    with ServerThread(MockbiConfig(seed=4, clock_mode="frozen")) as a:
        creds = requests.get(f"{a.url}/__mockbi/info", timeout=10).json()["vendors"]
        script(a.url, creds)  # dirty the default world, then move to the scenario's (built on demand)
        assert requests.post(f"{a.url}/__mockbi/reset", json={"seed": 4, "scenario": scenario},
                             timeout=10).status_code == 200
        for _ in range(2):  # the second time from the image cached by the first
            assert a.call(lambda: _state(a.runtime)) == fresh
            if scenario == "default":
                script(a.url, creds)
            a.call(lambda: a.runtime.store("posthog").dashboards.clear())
            assert requests.post(f"{a.url}/__mockbi/reset", json={}, timeout=10).status_code == 200


def test_only_touched_vendors_are_restored() -> None:
    rt = create_app(MockbiConfig(seed=2, clock_mode="frozen"))[RUNTIME]
    before = {name: vars(vr.peek())["users"] for name, vr in rt.vendors.items()}
    rt.store("posthog")  # handing a store out counts as a write
    rt.reset()
    after = {name: vars(vr.peek())["users"] for name, vr in rt.vendors.items()}
    assert after["posthog"] is not before["posthog"]
    assert all(after[name] is before[name] for name in before if name != "posthog")
    assert not any(vr.dirty for vr in rt.vendors.values())
    rt.reset(seed=3)  # another world restores every vendor
    assert all(vars(vr.peek())["users"] is not before[name] for name, vr in rt.vendors.items())
