"""The stateful story a real client lives through, and the preview-app job machine on the injected clock."""

from __future__ import annotations

from typing import Any

from tests.vendors.hasura_cloud.conftest import CloudClient, Server

CREATE = """mutation($cloud: String!, $region: String!, $name: String, $plan: String, $envs: [UpdateEnvsObject]) {
  createTenant(cloud: $cloud, region: $region, name: $name, plan: $plan, envs: $envs) {
    id name tenant { id slug cloud region config { hash } project { id name endpoint } }
  }
}"""
TENANT = "query($id: uuid!) { tenant_by_pk(id: $id) { id slug project { id name endpoint } } }"
GET_ENV = "query($tenantId: uuid!) { getTenantEnv(tenantId: $tenantId) { hash envVars } }"
UPDATE_ENV = """mutation($tenantId: uuid!, $currentHash: String!, $envs: [UpdateEnvObject!]!) {
  updateTenantEnv(tenantId: $tenantId, currentHash: $currentHash, envs: $envs) { hash envVars }
}"""
DELETE_ENV = """mutation($tenantId: uuid!, $currentHash: String!, $deleteEnvs: [String!]!) {
  deleteTenantEnv(tenantId: $tenantId, currentHash: $currentHash, deleteEnvs: $deleteEnvs) { hash envVars }
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
JOB = """query($id: uuid!) { jobs_by_pk(id: $id) { id status
  tasks(order_by: {updated_at: asc}) { id name cloud region
    task_events(order_by: {updated_at: desc}, limit: 1) { id event_type public_event_data error github_detail } } } }"""
PROJECT_BY_NAME = "query($n: String!) { projects(where: {name: {_eq: $n}}) { id name tenant { id } } }"
DEPLOYMENT_TASKS = ["gh-validation", "parse-metadata-migration", "parse-migration", "parse-metadata",
                    "apply-metadata", "apply-migration", "reload-metadata", "check-healthz"]


def preview_vars(name: str, **extra: Any) -> dict[str, Any]:
    return {"githubPAT": "ghp_x", "appName": name, "githubRepoOwner": "my-org", "githubRepo": "my-repo",
            "githubBranch": "feature", "githubDir": "hasura", "region": "us-west-1", "cloud": "aws",
            "plan": "cloud_free", "env": [{"key": "HASURA_GRAPHQL_ADMIN_SECRET", "value": "s3cret"}], **extra}


def queue(cloud: CloudClient, name: str, **extra: Any) -> str:
    job_id: str = cloud.data(PREVIEW, preview_vars(name, **extra))["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    return job_id


def job(cloud: CloudClient, job_id: str) -> Any:
    return cloud.data(JOB, {"id": job_id})["jobs_by_pk"]


def test_create_read_update_stale_preview_delete(cloud: CloudClient, server: Server) -> None:
    created = cloud.data(CREATE, {"cloud": "aws", "region": "eu-central-1", "name": "story-app", "plan": "cloud_payg",
                                  "envs": [{"key": "A", "value": "1"}]})["createTenant"]
    tenant_id = created["id"]
    assert created["name"] == "story-app"
    assert created["tenant"]["project"]["endpoint"] == "https://story-app.hasura.app/v1/graphql"
    read = cloud.data(TENANT, {"id": tenant_id})["tenant_by_pk"]
    assert read == {"id": tenant_id, "slug": "story-app", "project": created["tenant"]["project"]}

    env = cloud.data(GET_ENV, {"tenantId": tenant_id})["getTenantEnv"]
    assert env["hash"] == created["tenant"]["config"]["hash"]
    assert env["envVars"]["environment"]["A"] == "1"
    updated = cloud.data(UPDATE_ENV, {"tenantId": tenant_id, "currentHash": env["hash"],
                                      "envs": [{"key": "B", "value": "2"}]})["updateTenantEnv"]
    assert updated["envVars"]["environment"]["A"] == "1" and updated["envVars"]["environment"]["B"] == "2"
    assert updated["hash"] != env["hash"]
    stale = cloud.error(UPDATE_ENV, {"tenantId": tenant_id, "currentHash": env["hash"],
                                     "envs": [{"key": "C", "value": "3"}]})
    assert stale["extensions"] == {"path": "$", "code": "unexpected"}
    assert "getTenantEnv" in stale["message"]
    assert cloud.data(GET_ENV, {"tenantId": tenant_id})["getTenantEnv"] == updated  # nothing changed
    deleted = cloud.data(DELETE_ENV, {"tenantId": tenant_id, "currentHash": updated["hash"],
                                      "deleteEnvs": ["A"]})["deleteTenantEnv"]
    assert "A" not in deleted["envVars"]["environment"] and deleted["hash"] != updated["hash"]

    job_id = queue(cloud, "story-preview")
    server.advance(1)
    assert job(cloud, job_id)["status"] == "created"
    server.advance(2)
    running = job(cloud, job_id)
    assert running["status"] == "running"
    assert running["tasks"][0]["task_events"][0]["event_type"] == "created"
    assert cloud.data(PROJECT_BY_NAME, {"n": "story-preview"}) == {"projects": []}
    server.advance(20)
    done = job(cloud, job_id)
    assert done["status"] == "success"
    event = done["tasks"][0]["task_events"][0]
    project_id = event["public_event_data"]["projectId"]
    project = cloud.data("query($id: uuid!) { projects_by_pk(id: $id) { id name endpoint tenant { id } } }",
                         {"id": project_id})["projects_by_pk"]
    assert project["name"] == "story-preview"
    preview_env = cloud.data(GET_ENV, {"tenantId": project["tenant"]["id"]})["getTenantEnv"]
    assert preview_env["envVars"]["environment"]["HASURA_GRAPHQL_ADMIN_SECRET"] == "s3cret"

    deployment_id = event["public_event_data"]["githubDeploymentJobID"]
    server.advance(1)
    assert job(cloud, deployment_id)["status"] == "running"
    server.advance(3 * len(DEPLOYMENT_TASKS))
    deployment = job(cloud, deployment_id)
    assert deployment["status"] == "success"
    assert [t["name"] for t in deployment["tasks"]] == DEPLOYMENT_TASKS
    assert all(t["task_events"][0]["event_type"] == "success" for t in deployment["tasks"])
    assert all(t["cloud"] == "aws" and t["region"] == "us-west-1" for t in deployment["tasks"])

    for tid in (tenant_id, project["tenant"]["id"]):
        assert cloud.data("mutation($t: uuid!) { deleteTenant(tenantId: $t) { status } }",
                          {"t": tid}) == {"deleteTenant": {"status": "deleted"}}
        assert cloud.data(TENANT, {"id": tid}) == {"tenant_by_pk": None}
    assert cloud.data("query($id: uuid!) { projects_by_pk(id: $id) { id } }", {"id": project_id}) == \
        {"projects_by_pk": None}


def test_deployment_progress_shows_one_task_at_a_time(cloud: CloudClient, server: Server) -> None:
    job_id = queue(cloud, "progress")
    server.advance(22)
    deployment_id = job(cloud, job_id)["tasks"][0]["task_events"][0]["public_event_data"]["githubDeploymentJobID"]
    assert job(cloud, deployment_id) == {"id": deployment_id, "status": "created", "tasks": []}  # queued
    server.advance(1)
    started = job(cloud, deployment_id)
    assert [(t["name"], t["task_events"][0]["event_type"]) for t in started["tasks"]] == [("gh-validation", "created")]
    server.advance(3)
    two = job(cloud, deployment_id)["tasks"]
    assert [(t["name"], t["task_events"][0]["event_type"]) for t in two] == \
        [("gh-validation", "success"), ("parse-metadata-migration", "created")]


def test_second_app_with_the_same_name_replaces_the_first(cloud: CloudClient, server: Server) -> None:
    first = queue(cloud, "pr-7")
    server.advance(30)
    first_project = job(cloud, first)["tasks"][0]["task_events"][0]["public_event_data"]["projectId"]
    second = queue(cloud, "pr-7")
    server.advance(30)
    assert job(cloud, first)["status"] == "success"  # finished before the second was queued: not skipped
    second_project = job(cloud, second)["tasks"][0]["task_events"][0]["public_event_data"]["projectId"]
    assert second_project != first_project
    assert cloud.data(PROJECT_BY_NAME, {"n": "pr-7"})["projects"][0]["id"] == second_project
    assert cloud.data("query($id: uuid!) { projects_by_pk(id: $id) { id } }", {"id": first_project}) == \
        {"projects_by_pk": None}


def test_unfinished_job_is_skipped_by_a_newer_one(cloud: CloudClient, server: Server) -> None:
    first = queue(cloud, "pr-8")
    server.advance(5)
    second = queue(cloud, "pr-8")
    assert job(cloud, first)["status"] == "skipped"
    server.advance(60)
    assert job(cloud, first)["status"] == "skipped"
    assert job(cloud, second)["status"] == "success"
    assert len(cloud.data(PROJECT_BY_NAME, {"n": "pr-8"})["projects"]) == 1


def test_failures_by_scenario(cloud: CloudClient, server: Server) -> None:
    # seeds/hasura_cloud/default.yaml: "always-fails" fails to create, "bad-migrations" fails to deploy
    failing = queue(cloud, "always-fails")
    broken = queue(cloud, "bad-migrations")
    server.advance(60)
    failed = job(cloud, failing)
    assert failed["status"] == "failed"
    assert failed["tasks"][0]["task_events"][0]["error"].startswith("error creating tenant: ")
    assert cloud.data(PROJECT_BY_NAME, {"n": "always-fails"}) == {"projects": []}
    deployment_id = job(cloud, broken)["tasks"][0]["task_events"][0]["public_event_data"]["githubDeploymentJobID"]
    deployment = job(cloud, deployment_id)
    assert deployment["status"] == "failed"
    assert deployment["tasks"][-1]["name"] == "apply-migration"
    assert deployment["tasks"][-1]["task_events"][0]["event_type"] == "failed"
    assert len(deployment["tasks"]) == DEPLOYMENT_TASKS.index("apply-migration") + 1


def test_failure_by_fault_route(cloud: CloudClient, server: Server) -> None:
    server.admin("hasura_cloud/preview_outcomes", {"name": "pr-9", "outcome": "failed"})
    job_id = queue(cloud, "pr-9")
    server.advance(60)
    assert job(cloud, job_id)["status"] == "failed"
    server.admin("hasura_cloud/preview_outcomes", {"name": "pr-9", "outcome": "success"})
    job_id = queue(cloud, "pr-9")
    server.advance(60)
    assert job(cloud, job_id)["status"] == "success"


def test_seeded_jobs_cover_every_final_status(cloud: CloudClient, server: Server) -> None:
    store = server.handle.runtime.store("hasura_cloud")
    ids = {j.app_name: j.id for j in store.jobs.values() if j.kind == "preview_app"}  # type: ignore[attr-defined]
    assert {name: job(cloud, i)["status"] for name, i in ids.items()} == {
        "feature-login": "success", "feature-broken": "failed", "feature-billing": "success",
        "feature-search": "skipped"}


def test_preview_jobs_are_private_to_their_owner(server: Server, creds: dict[str, Any]) -> None:
    owner = server.client(creds["personal_access_token"])
    other = server.client(creds["other_personal_access_token"])
    job_id = queue(owner, "mine")
    assert other.data("query($id: uuid!) { jobs_by_pk(id: $id) { id } }", {"id": job_id}) == {"jobs_by_pk": None}
