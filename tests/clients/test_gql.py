"""gql 4 (``gql[requests]`` from PyPI), unmodified, against Hashboard and Hasura Cloud on the mock.

``Client(transport=RequestsHTTPTransport(url=...), fetch_schema_from_transport=True)``: on connect gql sends
its own introspection query, builds a schema from the answer and validates every document against it
before sending. Only ``url`` points at the mock; the ``Authorization`` header is each vendor's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from gql import Client, gql
from gql.client import SyncClientSession
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError

from tests.clients.conftest import Mock


@contextmanager
def session(mock: Mock, path: str, authorization: str | None) -> Iterator[SyncClientSession]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    transport = RequestsHTTPTransport(url=mock.url + path, headers=headers, timeout=10)
    with Client(transport=transport, fetch_schema_from_transport=True) as opened:
        yield opened


def run(opened: SyncClientSession, document: str, operation_name: str | None = None, **variables: Any) -> Any:
    request = gql(document)
    request.variable_values = variables or None
    request.operation_name = operation_name
    return opened.execute(request)


def sent(mock: Mock, vendor: str) -> list[str | None]:
    return [c.operation_id for c in mock.handle.runtime.journal.calls.filter(vendor=vendor)]


# -- Hashboard: /api/graphql, Authorization: <token> ------------------------------------------------------------
PROJECT = """query Project($id: ID!) {
  project(projectId: $id) {
    id name
    models { grn name savedExplorations { grn name } }
    metrics { grn name }
    dashboards { grn name viewsLastTwoWeeks }
    users { fullName email roles }
  }
}"""


@pytest.fixture
def hashboard(mock: Mock) -> Iterator[tuple[SyncClientSession, dict[str, str]]]:
    creds = mock.credentials("hashboard")
    with session(mock, "/api/graphql", creds["api_token"]) as opened:
        yield opened, creds


def test_hashboard_schema_fetch_and_documented_query(mock: Mock,
                                                     hashboard: tuple[SyncClientSession, dict[str, str]]) -> None:
    opened, creds = hashboard
    schema = opened.client.schema
    assert schema is not None and list(schema.query_type.fields) == ["project"]  # type: ignore[union-attr]
    project = run(opened, PROJECT, id=creds["project_id"])["project"]
    assert project["id"] == creds["project_id"] and project["name"] == "Acme Analytics"
    assert [m["name"] for m in project["models"]] == ["Orders", "Invoices", "Web Sessions"]
    assert all(d["grn"].startswith("dsb:") and d["viewsLastTwoWeeks"] >= 0 for d in project["dashboards"])
    assert project["users"][0]["roles"] == ["Owner"]
    assert sent(mock, "hashboard") == ["Query.__schema", "Query.project"]  # introspection first, once


def test_hashboard_fragments_aliases_and_operation_name(hashboard: tuple[SyncClientSession, dict[str, str]]) -> None:
    opened, creds = hashboard
    document = """
    fragment Named on Model { grn name }
    query Names($id: ID!) { p: project(projectId: $id) { name models { ...Named } } }
    query Ids($id: ID!) { p: project(projectId: $id) { id } }
    """
    names = run(opened, document, "Names", id=creds["project_id"])
    assert names["p"]["name"] == "Acme Analytics" and len(names["p"]["models"]) == 3
    assert run(opened, document, "Ids", id=creds["project_id"]) == {"p": {"id": creds["project_id"]}}


def test_hashboard_undocumented_field_is_refused_by_gql_before_sending(
        mock: Mock, hashboard: tuple[SyncClientSession, dict[str, str]]) -> None:
    opened, creds = hashboard
    before = len(sent(mock, "hashboard"))
    with pytest.raises(GraphQLError, match="Cannot query field 'owner' on type 'Project'"):
        run(opened, "query($id: ID!) { project(projectId: $id) { owner } }", id=creds["project_id"])
    assert len(sent(mock, "hashboard")) == before  # validated against the fetched schema, never sent


def test_hashboard_other_projects_id_is_a_query_error_with_null_data(
        mock: Mock, hashboard: tuple[SyncClientSession, dict[str, str]]) -> None:
    opened, _creds = hashboard
    unknown = "ef97b962-5146-442c-9342-2270ed330b65"
    with pytest.raises(TransportQueryError) as caught:
        run(opened, "query($id: ID!) { project(projectId: $id) { id name } }", id=unknown)
    assert caught.value.data == {"project": None}
    assert caught.value.errors is not None and len(caught.value.errors) == 1
    assert caught.value.errors[0]["message"] == (f"Project {unknown} not found, or this API token does not "
                                                 "have access to it.")
    assert caught.value.errors[0]["path"] == ["project"]


@pytest.mark.parametrize(("authorization", "message"), [
    (None, "Missing API token. Set the Authorization header to your Hashboard API token."),
    ("not a token", "Malformed API token."),
])
def test_hashboard_bad_token_fails_the_schema_fetch_with_the_message(mock: Mock, authorization: str | None,
                                                                    message: str) -> None:
    with pytest.raises(TransportQueryError) as caught, session(mock, "/api/graphql", authorization):
        pass
    assert caught.value.errors == [{"message": message}]  # the 401 body's GraphQL-style errors
    assert str(caught.value).startswith(f"Error while fetching schema: {{'message': '{message}'}}")


# -- Hasura Cloud: /v1/graphql, Authorization: pat <token> ------------------------------------------------------
CREATE = """mutation($cloud: String!, $region: String!, $name: String, $plan: String, $envs: [UpdateEnvsObject]) {
  createTenant(cloud: $cloud, region: $region, name: $name, plan: $plan, envs: $envs) {
    id name tenant { id slug config { hash } project { id name endpoint } }
  }
}"""
TENANT = "query($id: uuid!) { tenant_by_pk(id: $id) { id slug project { id name endpoint } } }"
GET_ENV = "query($tenantId: uuid!) { getTenantEnv(tenantId: $tenantId) { hash envVars } }"
UPDATE_ENV = """mutation($tenantId: uuid!, $currentHash: String!, $envs: [UpdateEnvObject!]!) {
  updateTenantEnv(tenantId: $tenantId, currentHash: $currentHash, envs: $envs) { hash envVars }
}"""
PREVIEW = """mutation createPreviewApp($githubPAT: String!, $appName: String!, $githubRepoOwner: String!,
  $githubRepo: String!, $githubBranch: String!, $githubDir: String!, $region: String!, $cloud: String!,
  $plan: String!, $env: [UpdateEnvsObject]) {
  createGitHubPreviewApp(payload: {
    githubPersonalAccessToken: $githubPAT,
    githubRepoDetails: {branch: $githubBranch, owner: $githubRepoOwner, repo: $githubRepo, directory: $githubDir},
    projectOptions: {cloud: $cloud, region: $region, plan: $plan, name: $appName, envVars: $env}
  }) { githubPreviewAppJobID }
}"""
JOB = """query getPreviewAppCreationJob($jobId: uuid!) { jobs_by_pk(id: $jobId) { id status
  tasks(order_by: {updated_at: asc}) { name task_events(order_by: {updated_at: desc}, limit: 1) {
    event_type public_event_data error } } } }"""
DELETE = "mutation($t: uuid!) { deleteTenant(tenantId: $t) { status } }"


@pytest.fixture
def cloud(mock: Mock) -> Iterator[SyncClientSession]:
    with session(mock, "/v1/graphql", "pat " + mock.credentials("hasura_cloud")["personal_access_token"]) as opened:
        yield opened


def test_hasura_schema_fetch_sees_the_cloud_api(cloud: SyncClientSession) -> None:
    schema = cloud.client.schema
    assert schema is not None and schema.mutation_type is not None
    assert {"projects", "tenant_by_pk", "getTenantEnv", "jobs_by_pk"} <= set(schema.query_type.fields)  # type: ignore[union-attr]
    assert {"createTenant", "updateTenantEnv", "deleteTenant", "createGitHubPreviewApp"} <= set(
        schema.mutation_type.fields)
    assert {"uuid", "jsonb", "timestamptz"} <= set(schema.type_map)


def test_hasura_tenant_story(mock: Mock, cloud: SyncClientSession) -> None:
    created = run(cloud, CREATE, cloud="aws", region="us-east-2", name="gql-app", plan="cloud_free",
                  envs=[{"key": "A", "value": "1"}])["createTenant"]
    tenant_id = created["id"]
    assert created["tenant"]["project"]["endpoint"] == "https://gql-app.hasura.app/v1/graphql"
    assert run(cloud, TENANT, id=tenant_id)["tenant_by_pk"] == {
        "id": tenant_id, "slug": "gql-app", "project": created["tenant"]["project"]}

    env = run(cloud, GET_ENV, tenantId=tenant_id)["getTenantEnv"]
    assert env["hash"] == created["tenant"]["config"]["hash"] and env["envVars"]["environment"]["A"] == "1"
    updated = run(cloud, UPDATE_ENV, tenantId=tenant_id, currentHash=env["hash"],
                  envs=[{"key": "B", "value": "2"}])["updateTenantEnv"]
    assert updated["hash"] != env["hash"] and updated["envVars"]["environment"]["B"] == "2"

    with pytest.raises(TransportQueryError) as stale:  # HTTP 200, no data, extensions.code
        run(cloud, UPDATE_ENV, tenantId=tenant_id, currentHash=env["hash"], envs=[{"key": "C", "value": "3"}])
    assert stale.value.data is None
    assert stale.value.errors is not None and len(stale.value.errors) == 1
    assert stale.value.errors[0]["extensions"] == {"path": "$", "code": "unexpected"}
    assert "getTenantEnv" in stale.value.errors[0]["message"]
    assert run(cloud, GET_ENV, tenantId=tenant_id)["getTenantEnv"] == updated  # the rejected update changed nothing

    job_id = run(cloud, PREVIEW, githubPAT="ghp_x", appName="gql-preview", githubRepoOwner="my-org",
                 githubRepo="my-repo", githubBranch="feature", githubDir="hasura", region="us-west-1", cloud="aws",
                 plan="cloud_free", env=[{"key": "HASURA_GRAPHQL_ADMIN_SECRET", "value": "s3cret"}],
                 )["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    statuses = []
    for _ in range(30):  # the preview-apps Action's poll loop, one clock step per poll
        job = run(cloud, JOB, "getPreviewAppCreationJob", jobId=job_id)["jobs_by_pk"]
        statuses.append(job["status"])
        if job["status"] in ("success", "failed"):
            break
        mock.advance(1)
    assert statuses[-1] == "success" and "running" in statuses
    event = job["tasks"][0]["task_events"][0]
    assert event["event_type"] == "success" and event["error"] is None
    project_id = event["public_event_data"]["projectId"]
    preview = run(cloud, "query($id: uuid!) { projects_by_pk(id: $id) { name tenant { id } } }", id=project_id)
    assert preview["projects_by_pk"]["name"] == "gql-preview"

    for tid in (tenant_id, preview["projects_by_pk"]["tenant"]["id"]):
        assert run(cloud, DELETE, t=tid) == {"deleteTenant": {"status": "deleted"}}
        assert run(cloud, TENANT, id=tid) == {"tenant_by_pk": None}


def test_hasura_errors_raise_transport_query_error_with_the_errors_list(cloud: SyncClientSession) -> None:
    with pytest.raises(TransportQueryError) as caught:
        run(cloud, TENANT, id="not-a-uuid")  # gql sends variables as given; Postgres rejects the value
    assert caught.value.data is None
    assert caught.value.errors == [{
        "extensions": {"path": "$.selectionSet.tenant_by_pk.args.id", "code": "data-exception"},
        "message": 'invalid input syntax for type uuid: "not-a-uuid"'}]


@pytest.mark.parametrize("authorization", [None, "pat not-a-token"])
def test_hasura_without_a_valid_pat_gql_builds_the_empty_role_schema(mock: Mock, authorization: str | None) -> None:
    with session(mock, "/v1/graphql", authorization) as anonymous:
        schema = anonymous.client.schema
        assert schema is not None and schema.mutation_type is None
        assert list(schema.query_type.fields) == ["no_queries_available"]  # type: ignore[union-attr]
        assert run(anonymous, "{ no_queries_available }")["no_queries_available"].startswith(
            "There are no queries available to the current role.")
        with pytest.raises(GraphQLError, match="Cannot query field 'projects' on type 'query_root'"):
            run(anonymous, "{ projects { id } }")  # refused by gql itself, against the fetched schema
