"""Hostile input to Hasura Cloud: text with a NUL is refused the way Hasura reports Postgres' refusal, before
anything is stored; bodies that are no request object get Hasura's non-GraphQL error shape (issue 12: D18).
Through the shipped ``mockbi`` fixture."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi.handle import MockbiHandle

NUL_IN_TEXT = 'invalid byte sequence for encoding "UTF8": 0x00'
STATE = """query { tenant(order_by: {id: asc}) { id slug config { hash } custom_domains { fqdn } }
  projects(order_by: {id: asc}) { id name } }"""
ENV = "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }"


class Cloud:
    def __init__(self, mockbi: MockbiHandle) -> None:
        self.url = f"{mockbi.url}/v1/graphql"
        self.headers = {"Authorization": f"pat {mockbi.credentials['hasura_cloud']['personal_access_token']}"}

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        resp = requests.post(self.url, json={"query": query, "variables": variables or {}}, headers=self.headers,
                             timeout=10)
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def state(self) -> dict[str, Any]:
        """Every tenant, project and custom domain, and the first tenant's env vars."""
        body = self.post(STATE)
        assert "errors" not in body, body
        env = self.post(ENV, {"t": body["data"]["tenant"][0]["id"]})
        assert "errors" not in env, env
        return {**body["data"], **env["data"]}


@pytest.fixture
def cloud(mockbi: MockbiHandle) -> Cloud:
    return Cloud(mockbi)


def nul_refused(body: dict[str, Any], code: str) -> None:
    assert body == {"errors": [{"extensions": {"path": "$", "code": code}, "message": NUL_IN_TEXT}]}


TENANT_ACTIONS = [
    ("mutation($t: uuid!) { updateTenantName(tenantId: $t, name: \"ab\\u0000cd\") { tenant { id } } }", {}),
    ("mutation($t: uuid!, $h: String!, $v: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, "
     "envs: [{key: \"K\", value: $v}]) { hash } }", {"v": "v\x00"}),
    ("mutation($t: uuid!, $h: String!, $k: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, "
     "envs: [{key: $k, value: \"v\"}]) { hash } }", {"k": "K\x00"}),
    ("mutation($t: uuid!, $h: String!) { deleteTenantEnv(tenantId: $t, currentHash: $h, "
     "deleteEnvs: [\"A\\u0000\"]) { hash } }", {}),
]


@pytest.mark.parametrize(("query", "extra"), TENANT_ACTIONS)
def test_a_nul_in_an_actions_text_is_refused_and_stores_nothing(cloud: Cloud, query: str,
                                                                 extra: dict[str, Any]) -> None:
    before = cloud.state()
    tenant = before["tenant"][0]
    variables = {"t": tenant["id"], "h": tenant["config"]["hash"], **extra}
    used = {k: v for k, v in variables.items() if f"${k}" in query}
    nul_refused(cloud.post(query, used), "unexpected")
    assert cloud.state() == before


@pytest.mark.parametrize("args", ['name: "a\\u0000b"', 'databaseUrl: "postgres://db\\u0000"', 'plan: "\\u0000"'])
def test_create_tenant_with_a_nul_creates_nothing(cloud: Cloud, args: str) -> None:
    before = cloud.state()
    nul_refused(cloud.post(f'mutation {{ createTenant(cloud: "aws", region: "us-east-2", {args}) {{ id }} }}'),
                "unexpected")
    assert cloud.state() == before


def test_postgres_mutations_and_queries_answer_a_data_exception(cloud: Cloud) -> None:
    before = cloud.state()
    project, tenant = before["projects"][0]["id"], before["tenant"][0]["id"]
    nul_refused(cloud.post("mutation($p: uuid!) { update_projects_by_pk(pk_columns: {id: $p}, "
                           "_set: {name: \"x\\u0000\"}) { id } }", {"p": project}), "data-exception")
    nul_refused(cloud.post("mutation($t: uuid!) { insert_custom_domain_one(object: {fqdn: \"a.example.org\\u0000\", "
                           "tenant_id: $t}) { id } }", {"t": tenant}), "data-exception")
    nul_refused(cloud.post("query($n: String!) { projects(where: {name: {_eq: $n}}) { id } }", {"n": "a\x00"}),
                "data-exception")
    assert cloud.state() == before


def test_a_preview_app_payload_with_a_nul_queues_no_job(cloud: Cloud) -> None:
    payload = {"githubPersonalAccessToken": "ghp_x", "githubRepoDetails": {
        "owner": "acme", "repo": "app\x00", "branch": "main", "directory": "hasura"},
        "projectOptions": {"name": "preview-nul", "cloud": "aws", "region": "us-east-2", "plan": "cloud_free",
                           "envVars": []}}
    body = cloud.post("mutation($p: GitHubPreviewAppPayload!) { createGitHubPreviewApp(payload: $p) "
                      "{ githubPreviewAppJobID } }", {"p": payload})
    nul_refused(body, "unexpected")
    payload["githubRepoDetails"]["repo"] = "app"  # type: ignore[index]
    ok = cloud.post("mutation($p: GitHubPreviewAppPayload!) { createGitHubPreviewApp(payload: $p) "
                    "{ githubPreviewAppJobID } }", {"p": payload})
    assert "errors" not in ok, ok


@pytest.mark.parametrize("raw", [b"null", b"5", b'"query"', b"true", b"{}"])
def test_a_body_that_is_no_request_object_is_hasuras_http_error(mockbi: MockbiHandle, raw: bytes) -> None:
    cloud = Cloud(mockbi)
    resp = requests.post(cloud.url, data=raw, timeout=10, headers={**cloud.headers, "Content-Type": "application/json"})
    assert resp.status_code == 400
    doc = resp.json()
    assert set(doc) == {"path", "error", "code"} and doc["code"] == "parse-failed"
    assert cloud.state()["tenant"]
