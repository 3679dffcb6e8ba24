"""The Cloud API reference's examples, sent verbatim (v2.x docs, then the 2020 docs)."""

from __future__ import annotations

import re
from typing import Any

from tests.vendors.hasura_cloud.conftest import CloudClient, Server

DOC_ID = "7a79cf94-0e53-4520-a560-1b02bf522f08"
DOC_HASH = "6902a395d70072fbf8d36288f0eacc36c9d82e68"

CREATE_PROJECT = """mutation createProject {
createTenant(
cloud: "aws"
region: "us-east-2"
envs: [{ key: "HASURA_GRAPHQL_CORS_DOMAIN", value: "*" }, { key: "MY_ENV_VAR_1", value: "my value 1" }]
) {
id
name
}
}"""

GET_PROJECT_TENANT_ID = """query getProjectTenantId {
projects_by_pk(id: "7a79cf94-0e53-4520-a560-1b02bf522f08") {
id
tenant {
id
}
}
}"""

GET_TENANT_DETAILS = """query getTenantDetails {
tenant_by_pk(id: "7a79cf94-0e53-4520-a560-1b02bf522f08") {
id
slug
project {
id
endpoint
}
}
}"""

DELETE_TENANT = """mutation deleteTenant {
deleteTenant(tenantId: "7a79cf94-0e53-4520-a560-1b02bf522f08") {
status
}
}"""

GET_TENANT_ENV = """query getTenantENV {
getTenantEnv(tenantId: "7a79cf94-0e53-4520-a560-1b02bf522f08") {
hash
envVars
}
}"""

UPDATE_TENANT_ENV = """mutation updateTenantEnv {
updateTenantEnv(
tenantId: "7a79cf94-0e53-4520-a560-1b02bf522f08"
currentHash: "6902a395d70072fbf8d36288f0eacc36c9d82e68"
envs: [
{ key: "HASURA_GRAPHQL_ENABLE_CONSOLE", value: "true" }
{ key: "ACTIONS_ENDPOINT", value: "https://my-actions-endpoint.com/actions" }
]
) {
hash
envVars
}
}"""

CREATE_PREVIEW_APP = """mutation createGitHubPreviewApp {
createGitHubPreviewApp(
payload: {
githubPersonalAccessToken: "<github_access_token>"
githubRepoDetails: { branch: "main", owner: "my-org", repo: "my-repo", directory: "backend/hasura" }
projectOptions: {
cloud: "aws"
region: "us-east-2"
plan: "cloud_free"
name: "my-app_name"
envVars: [
{ key: "HASURA_GRAPHQL_AUTH_HOOK", value: "https://my-webhook.com" }
{ key: "MY_ENV_VAR_1", value: "my value 1" }
]
}
}
) {
githubPreviewAppJobID
}
}"""

PREVIEW_STATUS = """query getPreviewAppCreationStatus($jobId: uuid!) {
jobs_by_pk(id: $jobId) {
id
status
tasks {
id
name
task_events {
id
event_type
public_event_data
error
}
}
}
}"""

CREATE_TENANT_2020 = """mutation createProject {
  createTenant(
    cloud: "aws"
    region: "us-east-2"
    databaseUrl: "postgres://username:password@database-host.com:5432/dbname"
  ) {
    id
    name
  }
}"""

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_create_project(cloud: CloudClient) -> None:
    created = cloud.data(CREATE_PROJECT)["createTenant"]
    assert UUID.match(created["id"])
    assert re.match(r"^[a-z]+-[a-z]+-\d\d$", created["name"])  # a generated name like honest-mutt-59
    env = cloud.data("query($t: uuid!) { getTenantEnv(tenantId: $t) { envVars } }", {"t": created["id"]})
    environment = env["getTenantEnv"]["envVars"]["environment"]
    assert environment["HASURA_GRAPHQL_CORS_DOMAIN"] == "*"
    assert environment["MY_ENV_VAR_1"] == "my value 1"


def test_get_project_tenant_id(cloud: CloudClient, creds: dict[str, Any]) -> None:
    # the docs reuse one uuid for both examples; in the seeded world it is the Tenant ID, not a Project ID
    assert cloud.data(GET_PROJECT_TENANT_ID) == {"projects_by_pk": None}
    query = GET_PROJECT_TENANT_ID.replace(DOC_ID, creds["project_id"])
    assert cloud.data(query) == {"projects_by_pk": {"id": creds["project_id"], "tenant": {"id": DOC_ID}}}


def test_get_tenant_details(cloud: CloudClient, creds: dict[str, Any]) -> None:
    assert cloud.data(GET_TENANT_DETAILS) == {"tenant_by_pk": {
        "id": DOC_ID, "slug": "my-project",
        "project": {"id": creds["project_id"], "endpoint": "https://my-project.hasura.app/v1/graphql"}}}


def test_get_and_update_env_vars(cloud: CloudClient) -> None:
    before = cloud.data(GET_TENANT_ENV)["getTenantEnv"]
    assert before["hash"] == DOC_HASH
    assert before["envVars"]["environment"]["HASURA_GRAPHQL_ENABLE_CONSOLE"] == "false"
    after = cloud.data(UPDATE_TENANT_ENV)["updateTenantEnv"]
    assert re.match(r"^[0-9a-f]{40}$", after["hash"]) and after["hash"] != DOC_HASH
    environment = after["envVars"]["environment"]
    assert environment["HASURA_GRAPHQL_ENABLE_CONSOLE"] == "true"
    assert environment["HASURA_GRAPHQL_CORS_DOMAIN"] == "*"  # keys not sent keep their values
    assert cloud.data(GET_TENANT_ENV)["getTenantEnv"] == after
    # the documented hash is now stale: the same example is rejected and changes nothing
    err = cloud.error(UPDATE_TENANT_ENV)
    assert err["extensions"] == {"path": "$", "code": "unexpected"}
    assert DOC_HASH in err["message"]
    assert cloud.data(GET_TENANT_ENV)["getTenantEnv"] == after


def test_create_preview_app_and_poll_status(cloud: CloudClient, server: Server) -> None:
    job_id = cloud.data(CREATE_PREVIEW_APP)["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    assert UUID.match(job_id)
    queued = cloud.data(PREVIEW_STATUS, {"jobId": job_id})["jobs_by_pk"]
    assert queued == {"id": job_id, "status": "created", "tasks": []}
    server.advance(60)
    done = cloud.data(PREVIEW_STATUS, {"jobId": job_id})["jobs_by_pk"]
    # "my-app_name" has an underscore, which project names cannot contain: the job fails, like a real
    # creation that the service queued and then could not carry out
    assert done["status"] == "failed"
    events = done["tasks"][0]["task_events"]
    assert [e["event_type"] for e in events] == ["created", "failed"]
    assert events[-1]["public_event_data"] is None
    assert events[-1]["error"].startswith("error creating tenant: invalid project name 'my-app_name'")
    fixed = CREATE_PREVIEW_APP.replace("my-app_name", "my-app-name")
    job_id = cloud.data(fixed)["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    server.advance(60)
    done = cloud.data(PREVIEW_STATUS, {"jobId": job_id})["jobs_by_pk"]
    assert done["status"] == "success"
    success = done["tasks"][0]["task_events"][-1]
    assert success["event_type"] == "success" and success["error"] is None
    assert set(success["public_event_data"]) == {"projectId", "githubDeploymentJobID"}


def test_delete_tenant(cloud: CloudClient) -> None:
    assert cloud.data(DELETE_TENANT) == {"deleteTenant": {"status": "deleted"}}
    assert cloud.data(GET_TENANT_DETAILS) == {"tenant_by_pk": None}
    err = cloud.error(DELETE_TENANT)
    assert err["extensions"]["code"] == "unexpected"
    assert DOC_ID in err["message"]


def test_create_tenant_2020_with_database_url(cloud: CloudClient) -> None:
    created = cloud.data(CREATE_TENANT_2020)["createTenant"]
    env = cloud.data("query($t: uuid!) { getTenantEnv(tenantId: $t) { envVars } }", {"t": created["id"]})
    assert env["getTenantEnv"]["envVars"]["environment"]["HASURA_GRAPHQL_DATABASE_URL"] == \
        "postgres://username:password@database-host.com:5432/dbname"
