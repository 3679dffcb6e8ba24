"""Documents real clients of the live API send, verbatim: the mock must accept what Hasura Cloud accepts.

Sources: the official preview-apps GitHub Action (``hasura/hasura-cloud-preview-apps`` src/previewApps.ts,
src/tasks.ts), the terraform provider ``terraform-provider-hasura-cloud`` (hasuracloud/resource_tenant.go),
Infisical's Hasura Cloud sync and a public user script (see contracts/hasura_cloud/SOURCE.md).
"""

from __future__ import annotations

from typing import Any

from tests.vendors.hasura_cloud.conftest import CloudClient, Server

# preview-apps Action: the job poll declares a default that is no uuid; Hasura never checks an unused default
NOT_A_UUID = "GF12zEeQai1skCuOoVU3wyyiqj30nEnzt2hpZ0LRe368UdwE5JC7nrT4AIr85rmu"
POLL_PREVIEW_JOB = """
        query getPreviewAppCreationJob($jobId: uuid!=\"""" + NOT_A_UUID + """\") {
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
        }

      """
CREATE_PREVIEW_APP = """
        mutation createPreviewApp (
          $githubPAT: String!
          $appName: String!
          $githubRepoOwner: String!
          $githubRepo: String!
          $githubBranch: String!
          $githubDir: String!
          $region: String!
          $cloud: String!
          $plan: String!
          $env: [UpdateEnvsObject]
        ) {
          createGitHubPreviewApp (
            payload: {
              githubPersonalAccessToken: $githubPAT,
              githubRepoDetails: {
                  branch:$githubBranch
                  owner: $githubRepoOwner
                  repo: $githubRepo,
                  directory: $githubDir
              },
              projectOptions: {
                cloud: $cloud,
                region: $region,
                plan: $plan,
                name: $appName
                envVars: $env
              }
            }
          ) {
            githubPreviewAppJobID
          }
        }
      """
# terraform provider: decodes cert and dns_validation of the new row into Go strings (null fits, an object not)
TF_CREATE_CUSTOM_DOMAIN = ("mutation createCustomDomain($tenantId: uuid!, $fqdn: String!) {  "
                           "insert_custom_domain_one(object: {fqdn: $fqdn, tenant_id: $tenantId}) {    id    "
                           "created_at    dns_validation    fqdn    cert    __typename  }}")
TF_CREATE_TENANT = ("mutation createTenant($name: String, $plan: String!, $region: String!, $cloud: String!) { "
                    "createTenant(cloud: $cloud, region: $region, name: $name, plan: $plan) {  id } }")


def test_preview_action_polls_with_a_non_uuid_default_and_its_own_job_id(cloud: CloudClient, server: Server) -> None:
    job_id = cloud.data(CREATE_PREVIEW_APP, {
        "githubDir": "hasura", "githubPAT": "ghp_x", "githubRepoOwner": "my-org", "githubRepo": "my-repo",
        "githubBranch": "feature", "appName": "pr-42", "cloud": "aws", "region": "us-east-2",
        "plan": "cloud_free", "env": [{"key": "A", "value": "1"}]})["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    assert cloud.data(POLL_PREVIEW_JOB, {"jobId": job_id})["jobs_by_pk"]["status"] == "created"
    server.advance(60)
    job = cloud.data(POLL_PREVIEW_JOB, {"jobId": job_id})["jobs_by_pk"]
    assert job["status"] == "success"
    success = next(e for e in job["tasks"][0]["task_events"] if e["event_type"] == "success")
    assert set(success["public_event_data"]) == {"projectId", "githubDeploymentJobID"}
    missing = cloud.data(POLL_PREVIEW_JOB, {"jobId": "00000000-0000-4000-8000-000000000000"})
    assert missing == {"jobs_by_pk": None}


def test_a_default_that_is_used_is_still_checked_by_postgres(cloud: CloudClient) -> None:
    assert cloud.error(POLL_PREVIEW_JOB) == {
        "extensions": {"path": "$.selectionSet.jobs_by_pk.args.id", "code": "data-exception"},
        "message": f'invalid input syntax for type uuid: "{NOT_A_UUID}"'}
    ok = 'query($t: uuid! = "7a79cf94-0e53-4520-a560-1b02bf522f08") { tenant_by_pk(id: $t) { id } }'
    assert cloud.data(ok) == {"tenant_by_pk": {"id": "7a79cf94-0e53-4520-a560-1b02bf522f08"}}
    # defaults of GraphQL's own scalars are validated as usual
    err = cloud.error('query($n: Int = "x") { projects(limit: $n) { id } }')
    assert err["extensions"]["code"] == "validation-failed"


def test_terraform_provider_creates_a_tenant_and_a_custom_domain(cloud: CloudClient) -> None:
    tenant_id = cloud.data(TF_CREATE_TENANT, {"cloud": "aws", "region": "us-east-2", "name": "tf-proj",
                                              "plan": "cloud_free"})["createTenant"]["id"]
    domain = cloud.data(TF_CREATE_CUSTOM_DOMAIN, {"tenantId": tenant_id, "fqdn": "api.tf.example.org"})
    row: dict[str, Any] = domain["insert_custom_domain_one"]
    assert row["fqdn"] == "api.tf.example.org" and row["__typename"] == "custom_domain"
    assert row["cert"] is None and row["dns_validation"] is None
    assert isinstance(row["id"], str) and isinstance(row["created_at"], str)
    listed = cloud.data("query getTenantDetails($tenant_id: uuid!) { tenant_by_pk( id: $tenant_id ) "
                        "{ custom_domains { id fqdn } } }", {"tenant_id": tenant_id})
    assert listed == {"tenant_by_pk": {"custom_domains": [{"id": row["id"], "fqdn": "api.tf.example.org"}]}}
