"""Optimistic concurrency on env vars, with truly concurrent HTTP requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.vendors.hasura_cloud.conftest import Server

UPDATE = """mutation($t: uuid!, $h: String!, $envs: [UpdateEnvObject!]!) {
  updateTenantEnv(tenantId: $t, currentHash: $h, envs: $envs) { hash envVars } }"""


def test_concurrent_updates_with_one_hash_exactly_one_wins(server: Server, creds: dict[str, Any]) -> None:
    tenant_id = creds["tenant_id"]
    clients = [server.client(creds["personal_access_token"]) for _ in range(8)]
    start = clients[0].data("query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }", {"t": tenant_id})
    current = start["getTenantEnv"]["hash"]

    def attempt(i: int) -> Any:
        return clients[i].raw(UPDATE, {"t": tenant_id, "h": current, "envs": [{"key": "WRITER", "value": str(i)}]})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(8)))
    winners = [r for r in results if "data" in r]
    losers = [r for r in results if "errors" in r]
    assert len(winners) == 1 and len(losers) == 7
    assert all(r["errors"][0]["extensions"]["code"] == "unexpected" for r in losers)
    final = clients[0].data("query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }", {"t": tenant_id})
    assert final["getTenantEnv"] == winners[0]["data"]["updateTenantEnv"]


def test_no_op_update_is_rejected_and_every_write_changes_the_hash(server: Server, creds: dict[str, Any]) -> None:
    cloud = server.client(creds["personal_access_token"])
    tenant_id = creds["tenant_id"]
    read = cloud.data("query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }", {"t": tenant_id})
    h0 = read["getTenantEnv"]["hash"]
    err = cloud.error(UPDATE, {"t": tenant_id, "h": h0, "envs": [{"key": "HASURA_GRAPHQL_CORS_DOMAIN", "value": "*"}]})
    assert "no changes" in err["message"]
    h1 = cloud.data(UPDATE, {"t": tenant_id, "h": h0, "envs": [{"key": "X", "value": "1"}]})["updateTenantEnv"]["hash"]
    h2 = cloud.data(UPDATE, {"t": tenant_id, "h": h1, "envs": [{"key": "X", "value": "2"}]})["updateTenantEnv"]["hash"]
    h3 = cloud.data(UPDATE, {"t": tenant_id, "h": h2, "envs": [{"key": "X", "value": "1"}]})["updateTenantEnv"]["hash"]
    assert len({h0, h1, h2, h3}) == 4  # back to an earlier content, still a new hash: an old hash stays stale
    assert cloud.error(UPDATE, {"t": tenant_id, "h": h1, "envs": [{"key": "Y", "value": "1"}]})
