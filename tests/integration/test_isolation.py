"""Two servers in one process share nothing, and a reset undoes every change.

Server A is changed through every vendor's API (templates copied, charts edited, env vars written,
resources added); server B, started with the same seed in the same process, must not see any of it,
and after ``POST /__mockbi/reset`` A must answer byte for byte what B answers.
"""

from __future__ import annotations

from typing import Any

import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread
from tests.integration.test_determinism import HASHBOARD_QUERY, HASURA_QUERY

UPDATE_ENV = """mutation($t: uuid!, $h: String!) {
  updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: "LEAK", value: "1"}]) { hash } }"""


def answers(url: str, v: dict[str, Any]) -> dict[str, bytes]:
    ph = {"Authorization": f"Bearer {v['posthog']['personal_api_key']}"}
    ld = {"Authorization": f"ApiKey {v['lightdash']['personal_access_token']}"}
    project = v["lightdash"]["project_uuid"]
    out = {
        "posthog": requests.get(f"{url}/api/projects/{v['posthog']['project_id']}/dashboards/?limit=500",
                                headers=ph, timeout=10).content,
        "lightdash charts": requests.get(f"{url}/api/v1/projects/{project}/charts", headers=ld, timeout=10).content,
        "lightdash spaces": requests.get(f"{url}/api/v1/projects/{project}/spaces", headers=ld, timeout=10).content,
        "hashboard": requests.post(f"{url}/api/graphql", headers={"Authorization": v["hashboard"]["api_token"]},
                                   json={"query": HASHBOARD_QUERY, "variables": {"id": v["hashboard"]["project_id"]}},
                                   timeout=10).content,
        "hasura": requests.post(f"{url}/v1/graphql", json={"query": HASURA_QUERY}, timeout=10,
                                headers={"Authorization": f"pat {v['hasura_cloud']['personal_access_token']}"}).content,
    }
    return out


def change_everything(url: str, v: dict[str, Any]) -> None:
    ph = {"Authorization": f"Bearer {v['posthog']['personal_api_key']}"}
    base = f"{url}/api/projects/{v['posthog']['project_id']}/dashboards/"
    for template in ("DEFAULT_APP", "Product analytics"):
        created = requests.post(base, json={"use_template": template, "name": "copy"}, headers=ph, timeout=10)
        assert created.status_code == 201, created.text
        tiles = created.json()["tiles"]
        if tiles:
            patched = requests.patch(f"{base}{created.json()['id']}/", headers=ph, timeout=10,
                                     json={"tiles": [{"id": tiles[0]["id"], "layouts": {"sm": {"x": 9, "y": 9}}}]})
            assert patched.status_code == 200, patched.text
    ld = {"Authorization": f"ApiKey {v['lightdash']['personal_access_token']}"}
    project = v["lightdash"]["project_uuid"]
    charts = requests.get(f"{url}/api/v1/projects/{project}/charts", headers=ld, timeout=10).json()["results"]
    chart = requests.get(f"{url}/api/v1/saved/{charts[0]['uuid']}", headers=ld, timeout=10).json()["results"]
    query = chart["metricQuery"]
    if "orders_status" not in query["dimensions"]:
        query["dimensions"].append("orders_status")
    query["limit"] = 7
    resp = requests.patch(f"{url}/api/v1/saved/{chart['uuid']}", headers=ld, timeout=10,
                          json={"name": "edited", "metricQuery": query})
    assert resp.status_code == 200, resp.text
    hb = requests.post(f"{url}/__mockbi/hashboard/resources", timeout=10,
                       json={"project_id": v["hashboard"]["project_id"], "type": "model", "name": "Leak",
                             "alias": "leak"})
    assert hb.status_code == 201, hb.text
    pat = {"Authorization": f"pat {v['hasura_cloud']['personal_access_token']}"}
    tenant = v["hasura_cloud"]["tenant_id"]
    env = requests.post(f"{url}/v1/graphql", headers=pat, timeout=10, json={
        "query": "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }", "variables": {"t": tenant}}).json()
    updated = requests.post(f"{url}/v1/graphql", headers=pat, timeout=10, json={
        "query": UPDATE_ENV, "variables": {"t": tenant, "h": env["data"]["getTenantEnv"]["hash"]}}).json()
    assert "errors" not in updated, updated


def test_changes_stay_in_their_server_and_reset_undoes_them() -> None:
    config = MockbiConfig(seed=3, strict=True)
    with ServerThread(config) as a, ServerThread(config) as b:
        creds = requests.get(f"{a.url}/__mockbi/info", timeout=10).json()["vendors"]
        assert creds == requests.get(f"{b.url}/__mockbi/info", timeout=10).json()["vendors"]
        pristine = answers(b.url, creds)
        assert answers(a.url, creds) == pristine
        change_everything(a.url, creds)
        changed = answers(a.url, creds)
        assert all(changed[k] != pristine[k] for k in ("posthog", "lightdash charts", "hashboard"))
        assert answers(b.url, creds) == pristine  # B saw none of it
        assert requests.post(f"{a.url}/__mockbi/reset", json={}, timeout=10).status_code == 200
        assert answers(a.url, creds) == pristine  # and reset undid all of it
        env_query = {"query": "query($t: uuid!) { getTenantEnv(tenantId: $t) { envVars } }",
                     "variables": {"t": creds["hasura_cloud"]["tenant_id"]}}
        pat = {"Authorization": f"pat {creds['hasura_cloud']['personal_access_token']}"}
        assert requests.post(f"{a.url}/v1/graphql", json=env_query, headers=pat, timeout=10).content == \
            requests.post(f"{b.url}/v1/graphql", json=env_query, headers=pat, timeout=10).content
        assert not a.runtime.journal.calls.with_violations()
