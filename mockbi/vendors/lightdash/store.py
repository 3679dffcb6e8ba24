"""``LightdashStore``: one organization's world, rebuilt from the seed on every reset.

Collections are plain dicts keyed by uuid (``store.users``, ``store.projects``, ``store.spaces``,
``store.saved_charts``, ``store.dashboards``, ...). Relations are uuids, joined at read time in
``wire/``, so there is one copy of every fact. The methods below are the API handler modules use:

* lookups that raise Lightdash's 404 (``get_project``, ``get_space``, ``get_chart``, ``get_dashboard``, ...);
* access checks that raise 403 (``require_project``, ``project_role``, ``space_role``);
* auth helpers (``issue_token``, ``token_user``, ``open_session``, ``session_user``);
* ``record_version``: a chart's content kept as its newest version (the seed and every write that
  changes a chart).

Deletes that cascade, so a removed record disappears from every list, are in ``cascade.py``.
The query engine (explores, fields, rows) lives in ``mockbi.vendors.lightdash.dataplane``; this store
only keeps what a project overrides (``Project.explores`` from SetExplores) and the async ``jobs``.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import Any, TypeVar

from faker import Faker

from mockbi.core.store import SeedContext, Store
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.dataplane import DataPlane, Job, JobQueue, Warehouses, job_queue, location
from mockbi.vendors.lightdash.errors import ForbiddenError, NotFoundError

#: project roles from weakest to strongest (an organization role other than ``member`` applies to every project)
PROJECT_ROLES = ("viewer", "interactive_viewer", "editor", "developer", "admin")
SPACE_ROLES = ("viewer", "editor", "admin")
HEX = "0123456789abcdef"
NANO = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"
Content = TypeVar("Content", m.SavedChart, m.Dashboard)


def iso(dt: datetime) -> str:
    """``2025-01-15T09:30:00.000Z``: how Lightdash serialises dates."""
    return dt.isoformat(timespec="milliseconds")[:23] + "Z"  # JavaScript's toISOString (~5x strftime)


def chart_snapshot(chart: m.SavedChart) -> dict[str, Any]:
    """A chart's content as a version keeps it (a deep copy)."""
    return copy.deepcopy({"name": chart.name, "description": chart.description, "tableName": chart.tableName,
                          "metricQuery": chart.metricQuery, "chartConfig": chart.chartConfig,
                          "tableConfig": chart.tableConfig, "pivotConfig": chart.pivotConfig,
                          "updatedAt": chart.updatedAt, "updatedByUserUuid": chart.updatedByUserUuid})


def stronger(a: str | None, b: str | None, order: tuple[str, ...] = PROJECT_ROLES) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if order.index(a) >= order.index(b) else b


def _by_uuid_or_slug(items: dict[str, Content], key: str, not_found: str) -> Content:
    """The record with uuid ``key``, else the first with slug ``key`` (the scan only runs for a slug)."""
    found = items.get(key)
    if found is None:
        found = next((i for i in items.values() if i.slug == key), None)
    if found is None:
        raise NotFoundError(not_found)
    return found


class LightdashStore(Store):
    vendor = "lightdash"
    #: ``warehouse`` sizes the seeded warehouse tables (customers, orders, payments), see dataplane.warehouse;
    #: ``warehouse_type`` is the projects' warehouse (seed.py reads it)
    scenario_keys = {"organization_name": str, "admin": dict, "members": int, "charts_per_space": int,
                     "warehouse": dict, "warehouse_type": str}
    #: ``warehouses`` (the world's SQL engine, tables that never change) survives resets and snapshots
    _infrastructure = Store._infrastructure | {"warehouses"}
    # the world's state, as the portable-state codec reads it (``state.py``: StateSpec.from_annotations);
    # ``data_planes`` and ``_token_index`` are derived, rebuilt on first use
    organizations: dict[str, m.Organization]
    users: dict[str, m.User]
    groups: dict[str, m.Group]
    projects: dict[str, m.Project]
    spaces: dict[str, m.Space]
    saved_charts: dict[str, m.SavedChart]
    dashboards: dict[str, m.Dashboard]
    pinned_lists: dict[str, m.PinnedList]
    schedulers: dict[str, m.Scheduler]
    scheduler_logs: list[m.SchedulerLog]
    jobs: dict[str, m.Job]
    queued_jobs: dict[str, Job]
    share_urls: dict[str, m.ShareUrl]
    tags: dict[str, m.Tag]
    user_attributes: dict[str, m.UserAttribute]
    tokens: dict[str, m.PersonalAccessToken]
    ssh_key_pairs: list[m.SshKeyPair]
    notifications: dict[str, m.Notification]
    comments: dict[str, m.Comment]
    validations: dict[int, m.ValidationResult]
    warehouse_credentials: dict[str, m.UserWarehouseCredentials]
    credentials_preferences: dict[str, dict[str, str]]
    email_otps: dict[str, m.EmailOtp]
    sessions: dict[str, str]
    catalog_categories: dict[str, list[str]]
    catalog_icons: dict[str, dict[str, Any] | None]
    metrics_tree_edges: dict[str, list[tuple[str, str, str, str | None]]]
    slack_settings: dict[str, Any]
    github_installation: dict[str, Any] | None
    github_oauth_states: dict[str, str]
    _next_validation_id: int
    admin_uuid: str
    organization_uuid: str
    default_project_uuid: str

    def __init__(self, ctx: SeedContext) -> None:
        self.warehouses = Warehouses()
        super().__init__(ctx)

    def build(self) -> None:
        from mockbi.vendors.lightdash.seed import build_world

        self.organizations = {}
        self.users = {}
        self.groups = {}
        self.projects = {}
        self.spaces = {}
        self.saved_charts = {}
        self.dashboards = {}
        self.pinned_lists = {}
        self.schedulers = {}
        self.scheduler_logs = []
        self.jobs = {}
        #: clock-driven jobs (CSV downloads): plain records, read and written through ``job_queue()``
        self.queued_jobs = {}
        #: projectUuid -> its data plane, built on first use from a seed derived from the store seed and the
        #: project (never from request order), with warehouse rows ending at the clock's start instant
        self.data_planes: dict[str, DataPlane] = {}
        self.share_urls = {}
        self.tags = {}
        self.user_attributes = {}
        self.tokens = {}
        self._token_index: dict[str, str] = {}  # secret -> token uuid, a cache rebuilt on a miss (token_user)
        self.ssh_key_pairs = []
        self.notifications = {}
        self.comments = {}
        self.validations = {}
        self.warehouse_credentials = {}
        #: userUuid -> projectUuid -> userWarehouseCredentialsUuid (credentials preference per project)
        self.credentials_preferences = {}
        self.email_otps = {}
        #: session id (the ``connect.sid`` value) -> userUuid
        self.sessions = {}
        #: catalogSearchUuid -> tagUuids (catalog categories) / icon
        self.catalog_categories = {}
        self.catalog_icons = {}
        #: projectUuid -> [(sourceCatalogSearchUuid, targetCatalogSearchUuid, createdAt, createdByUserUuid)]
        self.metrics_tree_edges = {}
        self.slack_settings = {"notificationChannel": None, "appProfilePhotoUrl": None}
        self.github_installation = None
        #: session id -> the ``state`` GitHub must echo back to the OAuth callback
        self.github_oauth_states = {}
        self._next_validation_id = 1
        self.admin_uuid = ""
        self.organization_uuid = ""
        self.default_project_uuid = ""
        build_world(self)

    def credentials(self) -> dict[str, Any]:
        admin = self.users.get(self.admin_uuid)
        token = next((t.token for t in self.tokens.values() if t.userUuid == self.admin_uuid), None)
        return {"personal_access_token": token, "project_uuid": self.default_project_uuid,
                "email": admin.email if admin else None, "password": admin.password if admin else None,
                "organization_uuid": self.organization_uuid,
                "auth_header": f"ApiKey {token}" if token else None}

    # --- ids and time ----------------------------------------------------------------------------
    def now_iso(self, offset_days: float = 0) -> str:
        return iso(self.now() + timedelta(days=offset_days))

    def nanoid(self, length: int = 21) -> str:
        return self.token(length, NANO)

    def slugify(self, name: str, taken: set[str]) -> str:
        base = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
        while "--" in base:
            base = base.replace("--", "-")
        slug, n = base or "untitled", 1
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        return slug

    # --- lookups (404) ---------------------------------------------------------------------------
    def get_user(self, user_uuid: str) -> m.User:
        found = self.users.get(user_uuid)
        if found is None:
            raise NotFoundError(f"Cannot find user with uuid {user_uuid}")
        return found

    def get_project(self, project_uuid: str) -> m.Project:
        found = self.projects.get(project_uuid)
        if found is None:
            raise NotFoundError(f"Cannot find project with id: {project_uuid}")
        return found

    def get_group(self, group_uuid: str) -> m.Group:
        found = self.groups.get(group_uuid)
        if found is None:
            raise NotFoundError(f"Group with uuid {group_uuid} does not exist")
        return found

    def get_space(self, space_uuid: str, project_uuid: str | None = None) -> m.Space:
        found = self.spaces.get(space_uuid)
        if found is None or (project_uuid is not None and found.projectUuid != project_uuid):
            raise NotFoundError(f"No space found with uuid {space_uuid}")
        return found

    def get_chart(self, chart_uuid_or_slug: str) -> m.SavedChart:
        return _by_uuid_or_slug(self.saved_charts, chart_uuid_or_slug, "Saved query not found")

    def get_dashboard(self, dashboard_uuid_or_slug: str) -> m.Dashboard:
        return _by_uuid_or_slug(self.dashboards, dashboard_uuid_or_slug, "Dashboard not found")

    def get_scheduler(self, scheduler_uuid: str) -> m.Scheduler:
        found = self.schedulers.get(scheduler_uuid)
        if found is None:
            raise NotFoundError(f"Scheduler with uuid {scheduler_uuid} does not exist")
        return found

    def organization(self) -> m.Organization:
        return self.organizations[self.organization_uuid]

    def org_members(self, organization_uuid: str | None = None) -> list[m.User]:
        org = organization_uuid or self.organization_uuid
        return [u for u in self.users.values() if u.organizationUuid == org]

    # --- access ----------------------------------------------------------------------------------
    def project_role(self, user: m.User, project: m.Project) -> str | None:
        """The user's effective role on a project: organization role, direct membership and groups."""
        if user.organizationUuid != project.organizationUuid:
            return None
        role = None if user.role == "member" else user.role
        role = stronger(role, project.members.get(user.userUuid))
        for group_uuid, group_role in project.groupAccess.items():
            group = self.groups.get(group_uuid)
            if group is not None and user.userUuid in group.memberUuids:
                role = stronger(role, group_role)
        return role

    def require_project(self, user: m.User, project_uuid: str, minimum: str = "viewer") -> m.Project:
        """The project, or 404 if it does not exist, or 403 if ``user`` lacks ``minimum`` role on it."""
        project = self.get_project(project_uuid)
        role = self.project_role(user, project)
        if role is None or PROJECT_ROLES.index(role) < PROJECT_ROLES.index(minimum):
            raise ForbiddenError()
        return project

    def require_org_admin(self, user: m.User) -> None:
        if user.role != "admin":
            raise ForbiddenError()

    def space_role(self, user: m.User, space: m.Space) -> str | None:
        """The user's role in a space: direct or group access, else inherited from the project (public
        spaces, or any space for project admins)."""
        project = self.projects[space.projectUuid]
        project_role = self.project_role(user, project)
        if project_role is None:
            return None
        role = space.access.get(user.userUuid)
        for group_uuid, group_role in space.groupAccess.items():
            group = self.groups.get(group_uuid)
            if group is not None and user.userUuid in group.memberUuids:
                role = stronger(role, group_role, SPACE_ROLES)
        if project_role == "admin":
            return "admin"
        if role is not None or space.isPrivate:
            return role
        return {"viewer": "viewer", "interactive_viewer": "viewer"}.get(project_role, "editor")

    def require_space(self, user: m.User, space: m.Space, minimum: str = "viewer") -> None:
        role = self.space_role(user, space)
        if role is None or SPACE_ROLES.index(role) < SPACE_ROLES.index(minimum):
            raise ForbiddenError()

    def visible_spaces(self, user: m.User, project_uuid: str) -> list[m.Space]:
        return [s for s in self.spaces.values()
                if s.projectUuid == project_uuid and self.space_role(user, s) is not None]

    # --- pinning ---------------------------------------------------------------------------------
    def pinned_list(self, project_uuid: str) -> m.PinnedList:
        project = self.get_project(project_uuid)
        if project.pinnedListUuid is None or project.pinnedListUuid not in self.pinned_lists:
            project.pinnedListUuid = self.new_uuid()
            self.pinned_lists[project.pinnedListUuid] = m.PinnedList(project.pinnedListUuid, project_uuid)
        return self.pinned_lists[project.pinnedListUuid]

    def pin_of(self, project_uuid: str, item_uuid: str) -> tuple[str | None, int | None]:
        """(pinnedListUuid, pinnedListOrder) of a chart, dashboard or space, or (None, None)."""
        project = self.projects.get(project_uuid)
        plist = self.pinned_lists.get(project.pinnedListUuid or "") if project else None
        if plist is not None:
            for item in plist.items:
                if item.uuid == item_uuid:
                    return plist.pinnedListUuid, item.order
        return None, None

    # --- auth ------------------------------------------------------------------------------------
    def issue_token(self, user_uuid: str, description: str = "API token", expires_at: str | None = None,
                    ) -> m.PersonalAccessToken:
        """A new personal access token (32 hex characters, as Lightdash 0.1411 mints them)."""
        pat = m.PersonalAccessToken(uuid=self.new_uuid(), userUuid=user_uuid, token=self.token(32, HEX),
                                    description=description, createdAt=self.now_iso(), expiresAt=expires_at)
        self.tokens[pat.uuid] = pat
        return pat

    def token_user(self, token: str) -> tuple[m.User, m.PersonalAccessToken] | None:
        """The active user behind an unexpired token, or None (unknown, expired, or deactivated user)."""
        index = self._token_index  # rebuilt only on a miss or a stale entry (rotation, deletions)
        pat = self.tokens.get(index.get(token, ""))
        if pat is None or pat.token != token:
            index.clear()
            index.update((t.token, t.uuid) for t in self.tokens.values())
            pat = self.tokens.get(index.get(token, ""))
        if pat is None or (pat.expiresAt is not None and pat.expiresAt <= self.now_iso()):
            return None
        user = self.users.get(pat.userUuid)
        if user is None or not user.isActive:
            return None
        return user, pat

    def open_session(self, user_uuid: str) -> str:
        sid = self.token(32)
        self.sessions[sid] = user_uuid
        return sid

    def session_user(self, sid: str) -> m.User | None:
        user_uuid = self.sessions.get(sid)
        user = self.users.get(user_uuid) if user_uuid else None
        return user if user is not None and user.isActive else None

    # --- chart versions ----------------------------------------------------------------------------
    def record_version(self, chart: m.SavedChart, user_uuid: str | None, at: str | None = None) -> m.ChartVersion:
        """Append the chart's current content as a new version (newest last)."""
        version = m.ChartVersion(versionUuid=self.new_uuid(), chartUuid=chart.uuid, createdAt=at or self.now_iso(),
                                 createdByUserUuid=user_uuid, snapshot=chart_snapshot(chart))
        chart.versions.append(version)
        return version

    # --- jobs ------------------------------------------------------------------------------------
    def new_job(self, kind: str, user_uuid: str, **fields: Any) -> m.Job:
        job = m.Job(jobId=self.new_uuid(), kind=kind, createdByUserUuid=user_uuid, createdAt=self.now_iso(),
                    **fields)
        self.jobs[job.jobId] = job
        return job

    def job_queue(self) -> JobQueue:
        """The clock-driven queue over ``queued_jobs`` (status derived from the injected clock)."""
        queue = job_queue(self.now, self.rng)
        queue.jobs = self.queued_jobs
        return queue

    def job_status(self, job_id: str) -> dict[str, Any]:
        """getSchedulerJobStatus results for a queued or a recorded job; 404 "Job not found" otherwise."""
        if job_id in self.queued_jobs:
            return self.job_queue().status_view(job_id)
        job = self.jobs.get(job_id)
        if job is None:
            raise NotFoundError("Job not found")
        return {"status": job.status, "details": job.details}

    # --- data plane ------------------------------------------------------------------------------
    def data_plane(self, project_uuid: str) -> DataPlane:
        """The project's explores, warehouse and catalog (404 for an unknown project); rebuilt when the
        project's warehouse type changed (its SQL dialect), on the same seeded rows."""
        project = self.get_project(project_uuid)
        conn = project.warehouseConnection
        target = str(conn.get("type") or "postgres")
        plane = self.data_planes.get(project_uuid)
        if plane is None or plane.target != target:
            seed = f"{self.ctx.seed}:{project_uuid}"
            faker = Faker()
            faker.seed_instance(seed)
            database, schema = location(conn)
            plane = DataPlane(random.Random(seed), faker, anchor=self.clock.start,
                              scenario=self.ctx.scenario_data or None, database=database, schema=schema,
                              target=target, warehouses=self.warehouses)
            if project.explores is not None:
                plane.set_explores(project.explores)
            self.data_planes[project_uuid] = plane
        return plane

    def next_validation_id(self) -> int:
        value = self._next_validation_id
        self._next_validation_id += 1
        return value
