"""The same seed gives the same bytes as before: a fixed request script over all four vendors (reads, writes,
deletes and their refusals) is answered exactly as recorded in ``data/golden.json``.

The file was recorded before the vendor packages were reshaped (issue 8) and guards every refactor: a
change that alters what a client receives fails here. A deliberate change of behaviour records it again:

    MOCKBI_RECORD_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_golden.py

and the diff of ``data/golden.json`` shows, in the commit, exactly which answers changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from mockbi.config import MockbiConfig
from mockbi.server import ServerThread

GOLDEN = Path(__file__).parent / "data" / "golden.json"
HASHBOARD_QUERY = ("query($id: ID!) { project(projectId: $id) { id name models { grn name spec viewsLastTwoWeeks } "
                   "dashboards { grn name } users { id email } } }")
RUN_QUERY = {"exploreName": "orders", "dimensions": ["orders_status"],
             "metrics": ["orders_order_count", "orders_total_order_amount"], "filters": {},
             "sorts": [{"fieldId": "orders_total_order_amount", "descending": True}], "limit": 10,
             "tableCalculations": []}


class Script:
    """Sends the script's requests and keeps what came back (status, media type, body with the URL masked)."""

    def __init__(self, url: str, info: dict[str, Any]) -> None:
        self.url = url
        self.info = info
        self.answers: list[dict[str, Any]] = []

    def send(self, label: str, method: str, path: str, auth: dict[str, str] | None = None,
             body: Any = None) -> Any:
        resp = requests.request(method, self.url + path, json=body, headers=auth or {}, timeout=30)
        text = resp.content.decode("utf-8", "replace").replace(self.url, "{BASE}")
        self.answers.append({"label": label, "request": f"{method} {path}", "status": resp.status_code,
                             "content_type": resp.headers.get("Content-Type"), "body": text})
        try:
            return resp.json()
        except ValueError:
            return None

    def posthog(self) -> None:
        ph = self.info["posthog"]
        auth = {"Authorization": f"Bearer {ph['personal_api_key']}"}
        base = f"/api/projects/{ph['project_id']}/dashboards/"
        self.send("posthog list", "GET", f"{base}?limit=5", auth)
        made = self.send("posthog create", "POST", base, auth, {"name": "Golden", "description": "recorded"})
        self.send("posthog get", "GET", f"{base}{made['id']}/", auth)
        self.send("posthog patch", "PATCH", f"{base}{made['id']}/", auth, {"name": "Golden 2", "pinned": True})
        self.send("posthog delete", "DELETE", f"{base}{made['id']}/", auth)
        self.send("posthog soft-deleted", "PATCH", f"{base}{made['id']}/", auth, {"deleted": True})
        self.send("posthog refused body", "POST", base, auth, {"name": ["not", "a", "name"]})
        self.send("posthog missing", "GET", f"{base}999999/", auth)
        self.send("posthog anonymous", "GET", base)

    def lightdash(self) -> None:
        ld = self.info["lightdash"]
        auth = {"Authorization": ld["auth_header"]}
        project = f"/api/v1/projects/{ld['project_uuid']}"
        self.send("lightdash projects", "GET", "/api/v1/org/projects", auth)
        self.send("lightdash spaces", "GET", f"{project}/spaces", auth)
        space = self.send("lightdash create space", "POST", f"{project}/spaces", auth, {"name": "Golden"})
        self.send("lightdash get space", "GET", f"{project}/spaces/{space['results']['uuid']}", auth)
        self.send("lightdash charts", "GET", f"{project}/charts", auth)
        self.send("lightdash runQuery", "POST", f"{project}/explores/orders/runQuery", auth, RUN_QUERY)
        self.send("lightdash sqlQuery", "POST", f"{project}/sqlQuery", auth,
                  {"sql": "select status, count(*) from orders group by 1 order by 1"})
        self.send("lightdash refused body", "POST", f"{project}/spaces", auth, {"name": 7})
        self.send("lightdash missing", "GET", "/api/v1/saved/no-such-chart", auth)
        self.send("lightdash anonymous", "GET", "/api/v1/org/projects")

    def hashboard(self) -> None:
        hb = self.info["hashboard"]
        auth = {"Authorization": hb["api_token"]}
        self.send("hashboard project", "POST", "/api/graphql", auth,
                  {"query": HASHBOARD_QUERY, "variables": {"id": hb["project_id"]}})
        self.send("hashboard invalid query", "POST", "/api/graphql", auth, {"query": "{ project { nope } }"})
        self.send("hashboard anonymous", "POST", "/api/graphql", None, {"query": "{ __typename }"})

    def hasura(self) -> None:
        hc = self.info["hasura_cloud"]
        auth = {"Authorization": f"pat {hc['personal_access_token']}"}
        self.send("hasura projects", "POST", "/v1/graphql", auth,
                  {"query": "{ projects(order_by: {name: asc}) { id name tenant { id } } }"})
        self.send("hasura rename", "POST", "/v1/graphql", auth, {
            "query": "mutation($id: uuid!) { updateTenantName(tenantId: $id, name: \"golden-name\") "
                     "{ tenant { id } } }",
            "variables": {"id": hc["tenant_id"]}})
        self.send("hasura env", "POST", "/v1/graphql", auth, {
            "query": "query($id: uuid!) { getTenantEnv(tenantId: $id) { hash envVars } }",
            "variables": {"id": hc["tenant_id"]}})
        self.send("hasura invalid query", "POST", "/v1/graphql", auth, {"query": "{ projects { nope } }"})
        self.send("hasura anonymous", "POST", "/v1/graphql", None, {"query": "{ projects { id } }"})


@pytest.fixture(scope="module")
def answers() -> Iterator[list[dict[str, Any]]]:
    with ServerThread(MockbiConfig(seed=4, clock_mode="frozen")) as server:
        info = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]
        script = Script(server.url, info)
        script.posthog()
        script.lightdash()
        script.hashboard()
        script.hasura()
        yield script.answers


def test_the_request_script_is_answered_as_recorded(answers: list[dict[str, Any]]) -> None:
    if os.environ.get("MOCKBI_RECORD_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [a["label"] for a in answers] == [r["label"] for r in recorded]
    for got, want in zip(answers, recorded, strict=True):
        assert got == want, f"{got['label']} ({got['request']}) answers otherwise than recorded"
    assert {a["status"] for a in answers} >= {200, 201, 400, 401, 404}  # the script covers refusals too
