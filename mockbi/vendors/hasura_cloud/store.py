"""The Hasura Cloud world: users and their personal access tokens, projects and their tenants, env vars,
regions, custom domains and asynchronous jobs.

Every method validates before it mutates, so a rejected call changes nothing. Time comes from the
injected clock: :meth:`HasuraCloudStore.tick` applies what jobs have done by ``now()`` (it is called
before every operation, so polling clients see jobs finish as the clock moves).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockbi.core.store import SeedContext, Store
from mockbi.vendors.hasura_cloud import envs, jobs
from mockbi.vendors.hasura_cloud.errors import CloudError
from mockbi.vendors.hasura_cloud.jobs import Timing
from mockbi.vendors.hasura_cloud.models import CustomDomain, Job, Project, Region, Tenant, User
from mockbi.vendors.hasura_cloud.seed import build_world

ADJECTIVES = ("honest", "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "kind", "lively",
              "merry", "nice", "proud", "quick", "silly", "sunny", "tidy", "witty", "zesty", "bold")
ANIMALS = ("mutt", "otter", "panda", "koala", "lemur", "heron", "bison", "gecko", "lynx", "moose",
           "newt", "owl", "puffin", "quail", "raven", "seal", "tapir", "walrus", "yak", "zebra")


class HasuraCloudStore(Store):
    vendor = "hasura_cloud"
    scenario_keys = {"users": list, "regions": list, "projects": list, "generated_projects": int, "jobs": list,
                     "preview_apps": dict}

    users: dict[str, User]
    tokens: dict[str, str]
    regions: list[Region]
    projects: dict[str, Project]
    tenants: dict[str, Tenant]
    custom_domains: dict[str, CustomDomain]
    jobs: dict[str, Job]
    timing: Timing
    #: preview app name -> "failed" (scenario ``preview_apps.outcomes`` or the admin fault route)
    preview_outcomes: dict[str, str]
    #: preview app name -> deployment task that fails
    deployment_failures: dict[str, str]

    #: ``filter_tables``: how ``where``/``order_by`` read each table (``resolvers._common.tables``), made once
    #: for this store: derived, never part of the world
    _infrastructure = Store._infrastructure | {"filter_tables"}

    def __init__(self, ctx: SeedContext) -> None:
        self.filter_tables: tuple[Any, Any] | None = None
        super().__init__(ctx)

    def build(self) -> None:
        build_world(self, self.ctx.scenario_data, self.ctx.scenario)

    # --- credentials and identity ------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        owner = next(iter(self.users.values()))
        out: dict[str, Any] = {"personal_access_token": owner.tokens[0], "user_email": owner.email}
        owned = [p for p in self.projects.values() if p.owner_id == owner.id]
        if owned:
            out["project_id"] = owned[0].id
            out["tenant_id"] = owned[0].tenant_id
            out["project_name"] = owned[0].name
        others = list(self.users.values())[1:]
        if others:
            out["other_personal_access_token"] = others[0].tokens[0]
        return out

    def user_for_token(self, token: str | None) -> User | None:
        user_id = self.tokens.get(token or "")
        return self.users.get(user_id) if user_id else None

    # --- lookups (owner-scoped: another user's rows do not exist for the caller) -------------------------
    def visible_projects(self, user: User) -> list[Project]:
        return [p for p in self.projects.values() if p.owner_id == user.id]

    def visible_tenants(self, user: User) -> list[Tenant]:
        return [t for t in self.tenants.values() if t.owner_id == user.id]

    def project(self, user: User, project_id: str) -> Project | None:
        found = self.projects.get(project_id)
        return found if found is not None and found.owner_id == user.id else None

    def tenant(self, user: User, tenant_id: str) -> Tenant | None:
        found = self.tenants.get(tenant_id)
        return found if found is not None and found.owner_id == user.id else None

    def job(self, user: User, job_id: str) -> Job | None:
        found = self.jobs.get(job_id)
        if found is None or found.owner_id != user.id or found.visible_from > self.now():
            return None
        return found

    def project_by_name(self, name: str) -> Project | None:
        return next((p for p in self.projects.values() if p.name == name), None)

    def find_region(self, cloud: str, name: str) -> Region | None:
        return next((r for r in self.regions if r.cloud == cloud and r.name == name and r.is_active), None)

    def _tenant_or_error(self, user: User, tenant_id: str) -> Tenant:
        tenant = self.tenant(user, tenant_id)
        if tenant is None:
            raise CloudError(f"tenant {tenant_id} does not exist or you do not have access to it")
        return tenant

    # --- projects and tenants ---------------------------------------------------------------------------
    def random_name(self) -> str:
        while True:
            name = f"{self.rng.choice(ADJECTIVES)}-{self.rng.choice(ANIMALS)}-{self.rng.randint(10, 99)}"
            if self.project_by_name(name) is None:
                return name

    def create_tenant(self, user: User, *, cloud: str, region: str, envs_in: list[Mapping[str, Any]] | None = None,
                      name: str | None = None, plan: str | None = None, database_url: str | None = None,
                      preview_app: str | None = None, ids: tuple[str, str] | None = None,
                      admin_secret: str | None = None) -> Tenant:
        """Create a project and its tenant (createTenant; also the preview-app job's effect)."""
        if cloud not in jobs.CLOUDS:
            raise CloudError(f"invalid cloud {cloud!r}: use one of aws, gcp")
        if self.find_region(cloud, region) is None:
            raise CloudError(f"invalid region {region!r} for cloud {cloud!r}")
        plan = plan or "cloud_free"
        if plan not in jobs.PLANS:
            raise CloudError(f"invalid plan {plan!r}: use cloud_free or cloud_payg")
        if name is not None:
            problem = jobs.name_problem(name)
            if problem:
                raise CloudError(problem)
            if self.project_by_name(name) is not None:
                raise CloudError(f"the project name {name!r} is not available")
        pairs = [p for p in (envs_in or []) if p is not None]
        project_id, tenant_id = ids or (self.new_uuid(), self.new_uuid())
        name = name or self.random_name()
        environment = {"HASURA_GRAPHQL_ADMIN_SECRET": admin_secret or self.token(32)}
        if database_url:
            environment["HASURA_GRAPHQL_DATABASE_URL"] = database_url
        environment = envs.merged(environment, pairs)
        now = self.now()
        tenant = Tenant(tenant_id, project_id, user.id, cloud, region, plan, environment,
                        envs.initial_hash(tenant_id, environment), now, now, preview_app=preview_app)
        self.tenants[tenant_id] = tenant
        self.projects[project_id] = Project(project_id, name, tenant_id, user.id, now, now)
        return tenant

    def delete_tenant(self, user: User, tenant_id: str) -> None:
        tenant = self._tenant_or_error(user, tenant_id)
        self._drop(tenant)

    def _drop(self, tenant: Tenant) -> None:
        self.projects.pop(tenant.project_id, None)
        self.tenants.pop(tenant.id, None)
        for domain_id in [d.id for d in self.custom_domains.values() if d.tenant_id == tenant.id]:
            del self.custom_domains[domain_id]

    def rename(self, user: User, project: Project, name: str) -> Project:
        """Rename a project (its tenant's slug and its hasura.app subdomain follow)."""
        if name != project.name:
            problem = jobs.name_problem(name)
            if problem:
                raise CloudError(problem)
            if self.project_by_name(name) is not None:
                raise CloudError(f"the project name {name!r} is not available")
            project.name = name
            project.updated_at = self.tenants[project.tenant_id].updated_at = self.now()
        return project

    def rename_tenant(self, user: User, tenant_id: str, name: str) -> Tenant:
        tenant = self._tenant_or_error(user, tenant_id)
        self.rename(user, self.projects[tenant.project_id], name)
        return tenant

    # --- env vars ---------------------------------------------------------------------------------------
    def _check_hash(self, tenant: Tenant, current_hash: str) -> None:
        if current_hash != tenant.hash:
            raise CloudError(f"env config has changed since hash {current_hash} was read; "
                             "fetch the latest hash with getTenantEnv and retry")

    def _write_env(self, tenant: Tenant, environment: dict[str, str]) -> Tenant:
        if environment == tenant.environment:
            raise CloudError("no changes to the env vars: every key already has the given value")
        tenant.hash = envs.next_hash(tenant.hash, environment)
        tenant.environment = environment
        tenant.updated_at = self.now()
        return tenant

    def update_env(self, user: User, tenant_id: str, current_hash: str, pairs: list[Mapping[str, Any]]) -> Tenant:
        """Upsert env vars; keys not sent keep their values. A stale hash changes nothing."""
        tenant = self._tenant_or_error(user, tenant_id)
        self._check_hash(tenant, current_hash)
        for pair in pairs:
            if not str(pair["key"]).strip():
                raise CloudError("env var keys cannot be empty")
        return self._write_env(tenant, envs.merged(tenant.environment, pairs))

    def delete_env(self, user: User, tenant_id: str, current_hash: str, keys: list[str]) -> Tenant:
        tenant = self._tenant_or_error(user, tenant_id)
        self._check_hash(tenant, current_hash)
        missing = [k for k in keys if k not in tenant.environment]
        if missing:
            raise CloudError(f"env vars not found: {', '.join(missing)}")
        return self._write_env(tenant, {k: v for k, v in tenant.environment.items() if k not in keys})

    # --- custom domains ---------------------------------------------------------------------------------
    def add_custom_domain(self, user: User, tenant_id: str, fqdn: str) -> CustomDomain:
        tenant = self.tenant(user, tenant_id)
        if tenant is None:
            raise CloudError('Foreign key violation. insert or update on table "custom_domain" violates '
                             'foreign key constraint "custom_domain_tenant_id_fkey"', code="constraint-violation",
                             path="$.selectionSet.insert_custom_domain_one.args.object")
        fqdn = fqdn.strip().lower().rstrip(".")
        if not fqdn or "." not in fqdn or any(d.fqdn == fqdn for d in self.custom_domains.values()):
            raise CloudError(f'Uniqueness violation. duplicate or invalid domain "{fqdn}"',
                             code="constraint-violation", path="$.selectionSet.insert_custom_domain_one.args.object")
        # cert and dns_validation are filled in later by Cloud's provisioning, so a fresh row has neither (the
        # terraform provider decodes the insert's ``cert``/``dns_validation`` into Go strings: null fits, an object not)
        domain = CustomDomain(self.new_uuid(), fqdn, tenant.id, self.now(), None, None)
        self.custom_domains[domain.id] = domain
        return domain

    # --- preview apps and jobs --------------------------------------------------------------------------
    def create_preview_app(self, user: User, payload: dict[str, Any]) -> Job:
        """Queue a preview-app creation job; an unfinished earlier job for the same app is skipped."""
        name = payload["projectOptions"]["name"]
        now = self.now()
        job = jobs.plan_preview(self, user.id, payload, now, self.timing, self.preview_outcomes.get(name),
                                self.deployment_failures.get(name))
        for earlier in self.jobs.values():
            if earlier.kind == "preview_app" and earlier.app_name == name and earlier.owner_id == user.id:
                jobs.skip(earlier, now)
        self.jobs[job.id] = job
        return job

    def tick(self, now: datetime | None = None) -> None:
        """Apply every job effect that is due by ``now`` (in time order)."""
        now = now or self.now()
        due = [(effect.at, i, job, effect) for i, job in enumerate(self.jobs.values())
               for effect in job.effects if effect.at <= now]
        for _, _, job, effect in sorted(due, key=lambda item: (item[0], item[1])):
            job.effects.remove(effect)
            if effect.kind == "create_preview_project":
                self._create_preview_project(effect.data)

    def _create_preview_project(self, data: dict[str, Any]) -> None:
        user = self.users[data["owner_id"]]
        earlier = self.project_by_name(data["name"])
        if earlier is not None:  # "cleaned up and recreated"
            self._drop(self.tenants[earlier.tenant_id])
        deployment: Job = data["deployment"]
        try:
            tenant = self.create_tenant(user, cloud=data["cloud"], region=data["region"], envs_in=data["envs"],
                                        name=data["name"], plan=data["plan"], preview_app=data["name"],
                                        ids=(data["project_id"], data["tenant_id"]),
                                        admin_secret=data["admin_secret"])
        except CloudError:  # the world changed under the job (name taken meanwhile): nothing to create
            return
        # the project exists from the instant the job succeeded, not from when a client noticed
        project = self.projects[tenant.project_id]
        tenant.created_at = tenant.updated_at = project.created_at = project.updated_at = deployment.created_at
        self.jobs[deployment.id] = deployment
