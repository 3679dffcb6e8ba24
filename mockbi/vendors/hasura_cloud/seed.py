"""Build the Hasura Cloud world from a scenario (``seeds/hasura_cloud/<scenario>.yaml``); Faker and the
store's RNG fill the gaps. Keys (all optional):

``users``               ``[{email, token?}]``; the first is the owner whose token ``credentials()`` shows
``regions``             ``[{cloud, name, nat_ip?, is_active?}]`` (default: a built-in catalogue)
``projects``            ``[{name, owner?, id?, tenant_id?, cloud?, region?, plan?, env?, hash?, days_ago?,
                        custom_domains?}]``; ``owner`` is a user's email (default: the first user)
``generated_projects``  how many more projects with generated names the first user owns
``jobs``                ``[{id?, app_name, outcome: success|failed|skipped, seconds_ago?, failing_task?, owner?,
                        cloud?, region?, plan?}]``: preview-app jobs that ran before the clock's start
``preview_apps``        ``{queue_seconds, create_seconds, deployment_queue_seconds, deployment_task_seconds,
                        outcomes: {app name: failed}, deployment_failures: {app name: task name}}``
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from mockbi.vendors.hasura_cloud import envs, jobs
from mockbi.vendors.hasura_cloud.models import CustomDomain, Region, User

if TYPE_CHECKING:
    from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

#: (cloud, region, has a NAT IP, active)
REGION_CATALOGUE = (
    ("aws", "us-east-1", True, True), ("aws", "us-east-2", True, True), ("aws", "us-west-1", True, True),
    ("aws", "us-west-2", True, True), ("aws", "eu-central-1", True, True), ("aws", "eu-west-1", True, True),
    ("aws", "eu-west-2", True, True), ("aws", "ap-south-1", True, True), ("aws", "ap-southeast-1", True, True),
    ("aws", "ap-northeast-1", True, True), ("aws", "sa-east-1", False, False),
    ("gcp", "us-central1", True, True), ("gcp", "europe-west1", True, True), ("gcp", "asia-south1", False, True),
)
PAT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def build_world(store: HasuraCloudStore, data: dict[str, Any], scenario: str) -> None:
    store.users, store.tokens = {}, {}
    store.regions, store.projects, store.tenants = [], {}, {}
    store.custom_domains, store.jobs = {}, {}
    preview = dict(data.get("preview_apps") or {})
    store.timing = jobs.Timing.from_data(preview)
    store.preview_outcomes = {str(k): str(v) for k, v in (preview.get("outcomes") or {}).items()}
    store.deployment_failures = {str(k): str(v) for k, v in (preview.get("deployment_failures") or {}).items()}

    for spec in data.get("users") or [{"email": "owner@example.com"}]:
        user = User(store.new_uuid(), str(spec["email"]), [str(spec.get("token") or store.token(64, PAT_ALPHABET))])
        store.users[user.id] = user
        for token in user.tokens:
            store.tokens[token] = user.id
    by_email = {u.email: u for u in store.users.values()}
    owner = next(iter(store.users.values()))

    for spec in data.get("regions") or [{"cloud": c, "name": n, "nat_ip": "auto" if ip else None, "is_active": a}
                                         for c, n, ip, a in REGION_CATALOGUE]:
        nat_ip = spec.get("nat_ip", "auto")
        if nat_ip == "auto":
            nat_ip = ".".join(str(store.rng.randint(lo, 254)) for lo in (3, 0, 0, 1))
        store.regions.append(Region(str(spec["name"]), str(spec["cloud"]), nat_ip, bool(spec.get("is_active", True))))

    now = store.now()
    for spec in data.get("projects") or []:
        user = by_email.get(spec.get("owner", ""), owner)
        _seed_project(store, user, spec, now)
    for _ in range(int(data.get("generated_projects", 0))):
        region = store.rng.choice([r for r in store.regions if r.is_active and r.cloud == "aws"])
        _seed_project(store, owner, {"name": store.random_name(), "region": region.name,
                                     "plan": store.rng.choice(("cloud_free", "cloud_payg")),
                                     "env": {"HASURA_GRAPHQL_ENABLE_CONSOLE": store.rng.choice(("true", "false"))},
                                     "days_ago": store.rng.randint(1, 400)}, now)

    for spec in data.get("jobs") or []:
        _seed_job(store, by_email.get(spec.get("owner", ""), owner), spec, now)
    store.tick(now)


def _seed_project(store: HasuraCloudStore, user: User, spec: dict[str, Any], now: Any) -> None:
    project_id = str(spec.get("id") or store.new_uuid())
    tenant_id = str(spec.get("tenant_id") or store.new_uuid())
    env = {str(k): str(v) for k, v in (spec.get("env") or {}).items()}
    env.setdefault("HASURA_GRAPHQL_ADMIN_SECRET", store.token(32))
    tenant = store.create_tenant(user, cloud=str(spec.get("cloud", "aws")), region=str(spec.get("region", "us-east-2")),
                                 envs_in=[{"key": k, "value": v} for k, v in env.items()], name=str(spec["name"]),
                                 plan=spec.get("plan"), ids=(project_id, tenant_id),
                                 admin_secret=env["HASURA_GRAPHQL_ADMIN_SECRET"])
    created = now - timedelta(days=float(spec.get("days_ago", 30)), seconds=store.rng.randint(0, 86399))
    project = store.projects[project_id]
    tenant.created_at = tenant.updated_at = project.created_at = project.updated_at = created
    tenant.hash = str(spec.get("hash") or envs.initial_hash(tenant_id, tenant.environment))
    for fqdn in spec.get("custom_domains") or []:
        domain = CustomDomain(store.new_uuid(), str(fqdn), tenant_id, created, {"status": "issued"},
                              {"type": "CNAME", "name": str(fqdn), "value": f"{project.name}.hasura.app"})
        store.custom_domains[domain.id] = domain


def _seed_job(store: HasuraCloudStore, user: User, spec: dict[str, Any], now: Any) -> None:
    name = str(spec["app_name"])
    outcome = str(spec.get("outcome", "success"))
    start = now - timedelta(seconds=float(spec.get("seconds_ago", 3600)))
    payload = {"githubPersonalAccessToken": "seeded",
               "githubRepoDetails": {"owner": str(spec.get("repo_owner", "my-org")),
                                     "repo": str(spec.get("repo", "my-repo")),
                                     "branch": str(spec.get("branch", "main")),
                                     "directory": str(spec.get("directory", "hasura"))},
               "projectOptions": {"name": name, "cloud": str(spec.get("cloud", "aws")),
                                  "region": str(spec.get("region", "us-east-2")),
                                  "plan": str(spec.get("plan", "cloud_free")), "envVars": []}}
    job = jobs.plan_preview(store, user.id, payload, start, store.timing,
                            "failed" if outcome == "failed" else None, spec.get("failing_task"))
    if spec.get("id"):
        job.id = str(spec["id"])
    if outcome == "skipped":
        jobs.skip(job, start + timedelta(seconds=store.timing.queue_seconds / 2))
    store.jobs[job.id] = job
