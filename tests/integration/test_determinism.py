"""Same seed and scenario → byte-identical responses across processes; another seed → another world.

Two real ``mockbi serve`` processes (wall clock, as users run them) are started side by side and asked
the same questions, as a client would ask them, for every vendor.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]

HASHBOARD_QUERY = """query($id: ID!) { project(projectId: $id) { id name
  models { grn name spec viewsLastTwoWeeks savedExplorations { grn name spec viewsLastTwoWeeks } }
  metrics { grn name spec } dashboards { grn name spec } users { id email } roles { name } } }"""
HASURA_QUERY = "{ projects(order_by: {name: asc}) { id name tenant { id } } }"
#: Lightdash's warehouse engine: a metric query with a window table calculation, and SQL with random()
LIGHTDASH_QUERY = {"exploreName": "orders", "dimensions": ["orders_order_date_month", "customers_country"],
                   "metrics": ["orders_average_order_amount", "orders_total_order_amount"], "filters": {},
                   "sorts": [{"fieldId": "orders_total_order_amount", "descending": True}], "limit": 100,
                   "tableCalculations": [{"name": "rank", "displayName": "Rank",
                                          "sql": "RANK() OVER (ORDER BY ${orders.total_order_amount} DESC)"}]}
LIGHTDASH_SQL = "select customer_id, avg(amount), random() from orders group by 1 order by 2 desc limit 50"


class Served:
    def __init__(self, seed: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockbi", "serve", "--port", "0", "--seed", str(seed),
             "--log-level", "WARNING"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().split(" ready at ")[1].split()[0]
        self.info: dict[str, Any] = requests.get(f"{self.url}/__mockbi/info", timeout=10).json()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def answers(self) -> dict[str, bytes]:
        """The raw bytes of a representative read of every vendor's seeded world."""
        out: dict[str, bytes] = {}
        v = self.info["vendors"]
        if "posthog" in v:
            auth = {"Authorization": f"Bearer {v['posthog']['personal_api_key']}"}
            base = f"{self.url}/api/projects/{v['posthog']['project_id']}/dashboards/"
            out["posthog list"] = requests.get(base, headers=auth, timeout=10).content
        if "lightdash" in v:
            auth = {"Authorization": f"ApiKey {v['lightdash']['personal_access_token']}"}
            project = v["lightdash"]["project_uuid"]
            for path in ("/api/v1/org/projects", "/api/v1/projects/{p}/spaces", "/api/v1/projects/{p}/charts",
                         "/api/v1/projects/{p}/explores"):
                out[f"lightdash {path}"] = requests.get(self.url + path.format(p=project), headers=auth,
                                                        timeout=10).content
            base = f"{self.url}/api/v1/projects/{project}"
            out["lightdash runQuery"] = requests.post(f"{base}/explores/orders/runQuery", json=LIGHTDASH_QUERY,
                                                      headers=auth, timeout=30).content
            out["lightdash sqlQuery"] = requests.post(f"{base}/sqlQuery", json={"sql": LIGHTDASH_SQL},
                                                      headers=auth, timeout=30).content
        if "hashboard" in v:
            auth = {"Authorization": v["hashboard"]["api_token"]}
            body = {"query": HASHBOARD_QUERY, "variables": {"id": v["hashboard"]["project_id"]}}
            out["hashboard project"] = requests.post(f"{self.url}/api/graphql", json=body, headers=auth,
                                                     timeout=10).content
        if "hasura_cloud" in v:
            auth = {"Authorization": f"pat {v['hasura_cloud']['personal_access_token']}"}
            out["hasura projects"] = requests.post(f"{self.url}/v1/graphql", json={"query": HASURA_QUERY},
                                                   headers=auth, timeout=10).content
        return out


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Served, Served, Served]]:
    started = [Served(9), Served(9), Served(10)]
    try:
        yield started[0], started[1], started[2]
    finally:
        for s in started:
            s.close()


def test_same_seed_gives_byte_identical_worlds_across_processes(servers: tuple[Served, Served, Served]) -> None:
    one, two, _ = servers
    assert one.info["vendors"] == two.info["vendors"]
    first, second = one.answers(), two.answers()
    assert set(first) == set(second) and len(first) >= 4
    for key, body in first.items():
        assert body == second[key], key
        assert len(body) > 50, key  # a real answer, not an empty error


def test_another_seed_gives_another_world(servers: tuple[Served, Served, Served]) -> None:
    one, _, other = servers
    assert one.info["vendors"] != other.info["vendors"]
    mine, theirs = one.answers(), other.answers()
    assert sum(mine[k] != theirs[k] for k in mine) >= len(mine) - 1
