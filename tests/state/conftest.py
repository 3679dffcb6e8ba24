"""A client for all four vendors at once, talking HTTP to the plugin's server (the ``mockbi`` fixture)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi.handle import MockbiHandle

HASHBOARD_QUERY = """query($id: ID!) { project(projectId: $id) { id name
  models { grn name spec viewsLastTwoWeeks } dashboards { grn name spec } users { id email } } }"""
HASURA_QUERY = "{ projects(order_by: {name: asc}) { id name created_at tenant { id } } }"


class World:
    """Writes and reads on every vendor; each answer is kept as the raw bytes the client received."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        info = self.http.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]
        self.posthog = info["posthog"]
        self.lightdash = info["lightdash"]
        self.hashboard = info["hashboard"]
        self.hasura = info["hasura_cloud"]

    def admin(self, method: str, path: str, **kw: Any) -> requests.Response:
        if "data" in kw:  # admin writes are application/json (a form post is what a hostile page sends)
            kw["headers"] = {"Content-Type": "application/json", **kw.get("headers", {})}
        return self.http.request(method, f"{self.url}/__mockbi{path}", timeout=30, **kw)

    def posthog_call(self, method: str, path: str, headers: dict[str, str] | None = None,
                     **kw: Any) -> requests.Response:
        auth = {"Authorization": f"Bearer {self.posthog['personal_api_key']}", **(headers or {})}
        return self.http.request(method, f"{self.url}/api/projects/{self.posthog['project_id']}{path}",
                                 headers=auth, timeout=10, **kw)

    def lightdash_call(self, method: str, path: str, **kw: Any) -> requests.Response:
        auth = {"Authorization": f"ApiKey {self.lightdash['personal_access_token']}"}
        return self.http.request(method, f"{self.url}/api/v1{path}", headers=auth, timeout=10, **kw)

    def hashboard_query(self, query: str, variables: dict[str, Any] | None = None) -> requests.Response:
        return self.http.post(f"{self.url}/api/graphql", json={"query": query, "variables": variables or {}},
                              headers={"Authorization": self.hashboard["api_token"]}, timeout=10)

    def hasura_query(self, query: str, variables: dict[str, Any] | None = None) -> requests.Response:
        return self.http.post(f"{self.url}/v1/graphql", json={"query": query, "variables": variables or {}},
                              headers={"Authorization": f"pat {self.hasura['personal_access_token']}"}, timeout=10)

    def round(self, tag: str) -> list[bytes]:
        """One round of writes that draw new ids from every store's generators, then reads of the result."""
        project = self.lightdash["project_uuid"]
        answers = [
            self.posthog_call("POST", "/dashboards/", json={"name": f"Dashboard {tag}", "tags": [tag]}),
            self.posthog_call("GET", "/dashboards/"),
            self.lightdash_call("POST", f"/projects/{project}/spaces", json={"name": f"Space {tag}"}),
            self.lightdash_call("GET", f"/projects/{project}/spaces"),
            self.admin("POST", "/hashboard/resources", json={
                "project_id": self.hashboard["project_id"], "type": "model", "name": f"Model {tag}"}),
            self.hashboard_query(HASHBOARD_QUERY, {"id": self.hashboard["project_id"]}),
            self.hasura_query('mutation { createTenant(cloud: "aws", region: "us-east-2") { id name } }'),
            self.hasura_query(HASURA_QUERY),
            self.admin("POST", "/clock", json={"advance": 90}),
        ]
        for resp in answers:
            assert resp.status_code < 300, resp.text
        return [resp.content for resp in answers]

    def state(self) -> bytes:
        resp = self.admin("GET", "/state")
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
        return resp.content


@pytest.fixture
def world(mockbi: MockbiHandle) -> World:
    return World(mockbi.url)
