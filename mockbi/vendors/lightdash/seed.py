"""Build one coherent Lightdash world from the store's seeded RNG and Faker.

``default``: an organization "… Analytics" on example.com with an admin (who owns the printed personal
access token and password), editors, viewers, a pending invite and a deactivated member; two groups;
a DEFAULT project on Postgres + GitHub dbt with a PREVIEW project copied from it; public and private
spaces with access lists; saved charts with version history; dashboards with chart, markdown and
loom tiles and tabs; a pinned list; schedulers with jobs and logs; share links; tags; user attributes;
notifications and comments; validation results; an SSH key pair.
``empty``: the organization, the admin and its token, and one bare project (no content).
A scenario file may override ``organization_name``, ``admin`` (email/first_name/last_name/password),
``members`` (how many extra members), ``charts_per_space`` and ``warehouse_type`` (postgres, redshift,
snowflake, bigquery, databricks or trino: the projects' warehouse connection); ``warehouse`` sizes the
seeded tables (``dataplane/warehouse.py``). ``seeds/lightdash/default.yaml`` states the values used when a
key is left out (the organization's and the admin's names are Faker's, drawn from the seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash import warehouses

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore

CHART_COLORS = ("#5470c6", "#fc8452", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#9a60b4", "#ea7ccc")
ROLES = ("editor", "editor", "developer", "viewer", "viewer", "interactive_viewer", "member")
#: (name, exploreName, dimensions, metrics, chart type)
CHARTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("Revenue by status", "orders", ("orders_status",), ("orders_total_order_amount",), "cartesian"),
    ("Orders per week", "orders", ("orders_order_date_week",), ("orders_order_count",), "cartesian"),
    ("Average order value", "orders", (), ("orders_average_order_amount",), "big_number"),
    ("Customers by first order month", "customers", ("customers_first_order_month",),
     ("customers_unique_customer_count",), "cartesian"),
    ("Payments by method", "payments", ("payments_payment_method",), ("payments_total_revenue",), "pie"),
    ("Order details", "orders", ("orders_order_id", "orders_status", "orders_order_date_day"),
     ("orders_total_order_amount",), "table"),
)


@dataclass(frozen=True, slots=True)
class _Cast:
    """The seeded people the rest of the world refers to."""

    admin: m.User
    editor: m.User
    viewer: m.User
    member_only: m.User


def build_world(store: LightdashStore) -> None:
    """The whole world, each part in the order it draws from the store's RNG and Faker (the same seed gives
    the same world: reordering these calls changes it)."""
    data: dict[str, Any] = store.ctx.scenario_data or {}
    created = store.now_iso(-400)
    org, admin, project = _organization(store, data, created)
    if store.ctx.scenario == "empty":
        return
    cast = _members(store, org, admin, data)
    finance, preview = _access(store, org, cast, project, _warehouse_type(data))
    charts, overview = _content(store, data, cast, project, preview, finance)
    _tags(store, project, admin)
    _schedulers(store, project, admin, charts[0], overview)
    _user_attribute(store, org, cast, finance)
    _share_url(store, org, project, admin, overview)
    _comments(store, overview, cast.editor, admin)
    public_key = f"ssh-rsa AAAAB3NzaC1yc2E{store.token(200)} (generated-by-lightdash)"
    store.ssh_key_pairs.append(m.SshKeyPair(publicKey=public_key, privateKey="-----BEGIN OPENSSH PRIVATE KEY-----",
                                            createdAt=created))
    _validations(store, project, charts[1], overview)
    _other_organization(store, created)


def _warehouse_type(data: dict[str, Any]) -> str:
    return str(data.get("warehouse_type") or "postgres")


def _organization(store: LightdashStore, data: dict[str, Any], created: str,
                  ) -> tuple[m.Organization, m.User, m.Project]:
    """What even the ``empty`` world has: the organization, its admin with a token, the default project."""
    f = store.faker
    org = m.Organization(organizationUuid=store.new_uuid(),
                         name=data.get("organization_name") or f"{f.company()} Analytics",
                         createdAt=created, chartColors=list(CHART_COLORS),
                         emailDomains=["example.com"], emailDomainsRole="viewer")
    store.organizations[org.organizationUuid] = org
    store.organization_uuid = org.organizationUuid

    admin_data = data.get("admin") or {}
    first, last = admin_data.get("first_name") or f.first_name(), admin_data.get("last_name") or f.last_name()
    admin = _user(store, org, first, last, "admin", created, email=admin_data.get("email"),
                  password=admin_data.get("password") or "lightdash-demo-1")
    store.admin_uuid = admin.userUuid
    store.issue_token(admin.userUuid, "mockbi seeded token")

    project = _project(store, org, admin, "Jaffle shop", "DEFAULT", None, _warehouse_type(data))
    org.defaultProjectUuid = project.projectUuid
    store.default_project_uuid = project.projectUuid
    return org, admin, project


def _members(store: LightdashStore, org: m.Organization, admin: m.User, data: dict[str, Any]) -> _Cast:
    """Members with the roles in turn, a pending invite and a deactivated member; an editor and a viewer
    get a token each."""
    f = store.faker
    members = [admin]
    for i in range(int(data.get("members", len(ROLES)))):
        u = _user(store, org, f.first_name(), f.last_name(), ROLES[i % len(ROLES)], store.now_iso(-300 + i * 9))
        members.append(u)
    invited = _user(store, org, "", "", "viewer", store.now_iso(-2), email=f"{f.user_name()}.invite@example.com")
    invited.isPending, invited.isActive, invited.isSetupComplete = True, True, False
    invited.inviteCode, invited.inviteExpiresAt = store.nanoid(30), store.now_iso(5)
    gone = _user(store, org, f.first_name(), f.last_name(), "viewer", store.now_iso(-200))
    gone.isActive = False
    editor = next(u for u in members if u.role == "editor")
    viewer = next(u for u in members if u.role == "viewer")
    member_only = next(u for u in members if u.role == "member")
    for u in (editor, viewer):
        store.issue_token(u.userUuid, f"{u.firstName}'s token")
    return _Cast(admin, editor, viewer, member_only)


def _access(store: LightdashStore, org: m.Organization, cast: _Cast, project: m.Project, warehouse: str,
            ) -> tuple[m.Group, m.Project]:
    """The Analysts and Finance groups, the default project's group and member access, and the PREVIEW
    project copied from it; returns the Finance group and the preview project."""
    analysts = _group(store, org, cast.admin, "Analysts", [cast.editor.userUuid, cast.member_only.userUuid])
    finance = _group(store, org, cast.admin, "Finance", [cast.viewer.userUuid])
    project.groupAccess[analysts.uuid] = "editor"
    project.members[cast.member_only.userUuid] = "viewer"

    preview = _project(store, org, cast.editor, "Jaffle shop (preview)", "PREVIEW", project.projectUuid, warehouse)
    preview.members[cast.editor.userUuid] = "admin"
    return finance, preview


def _content(store: LightdashStore, data: dict[str, Any], cast: _Cast, project: m.Project, preview: m.Project,
             finance: m.Group) -> tuple[list[m.SavedChart], m.Dashboard]:
    """Spaces (one private, with access lists), their saved charts, two dashboards and the pinned list;
    returns the charts and the "Company overview" dashboard."""
    admin, editor = cast.admin, cast.editor
    shared = _space(store, project, admin, "Shared", False)
    sales = _space(store, project, editor, "Sales", False)
    private = _space(store, project, admin, "Finance (private)", True)
    private.access[admin.userUuid] = "admin"
    private.groupAccess[finance.uuid] = "viewer"
    _space(store, preview, editor, "Shared", False)

    charts: list[m.SavedChart] = []
    for space, specs in ((shared, CHARTS[:3]), (sales, CHARTS[3:5]), (private, CHARTS[5:])):
        for spec in specs[: int(data.get("charts_per_space", len(specs)))]:
            charts.append(_chart(store, project, space, store.rng.choice([admin, editor]), *spec))

    overview = _dashboard(store, project, shared, admin, "Company overview", charts[:3], tabs=True)
    _dashboard(store, project, sales, editor, "Sales weekly", charts[3:5], tabs=False)

    plist = store.pinned_list(project.projectUuid)
    plist.items = [m.PinnedItem("dashboard", overview.uuid, 0), m.PinnedItem("chart", charts[0].uuid, 1),
                   m.PinnedItem("space", shared.uuid, 2)]
    return charts, overview


def _tags(store: LightdashStore, project: m.Project, admin: m.User) -> None:
    for name, color in (("finance", "#ee6666"), ("core metrics", "#5470c6"), ("deprecated", "#9a60b4")):
        tag = m.Tag(tagUuid=store.new_uuid(), projectUuid=project.projectUuid, name=name, color=color,
                    createdAt=store.now_iso(-30), createdByUserUuid=admin.userUuid)
        store.tags[tag.tagUuid] = tag


def _user_attribute(store: LightdashStore, org: m.Organization, cast: _Cast, finance: m.Group) -> None:
    region = m.UserAttribute(uuid=store.new_uuid(), organizationUuid=org.organizationUuid, name="sales_region",
                             description="Row-level filter on the sales region", attributeDefault=None,
                             createdAt=store.now_iso(-60), users={cast.editor.userUuid: "EMEA"},
                             groups={finance.uuid: "NA"})
    store.user_attributes[region.uuid] = region


def _share_url(store: LightdashStore, org: m.Organization, project: m.Project, admin: m.User,
               dashboard: m.Dashboard) -> None:
    share = m.ShareUrl(nanoid=store.nanoid(), path=f"/projects/{project.projectUuid}/dashboards/{dashboard.uuid}/view",
                       params="?tab=summary", organizationUuid=org.organizationUuid,
                       createdByUserUuid=admin.userUuid, createdAt=store.now_iso(-3))
    store.share_urls[share.nanoid] = share


def _other_organization(store: LightdashStore, created: str) -> None:
    """A second organization with its own admin, which nobody in the first one can see."""
    f = store.faker
    other = m.Organization(organizationUuid=store.new_uuid(), name=f"{f.company()} Labs", createdAt=created,
                           emailDomains=["example.com"], emailDomainsRole="viewer")
    store.organizations[other.organizationUuid] = other
    _user(store, other, f.first_name(), f.last_name(), "admin", created)


def _user(store: LightdashStore, org: m.Organization, first: str, last: str, role: str, created: str, *,
          email: str | None = None, password: str | None = None) -> m.User:
    handle = f"{first}.{last}".lower().replace(" ", "").replace("'", "") or store.token(8).lower()
    taken = {u.email for u in store.users.values()}
    email = email or f"{handle}@example.com"
    n = 2
    while email in taken:
        email = f"{handle}{n}@example.com"
        n += 1
    user = m.User(userUuid=store.new_uuid(), email=email, firstName=first, lastName=last,
                  password=password or store.token(16), organizationUuid=org.organizationUuid, role=role,
                  createdAt=created, updatedAt=created)
    store.users[user.userUuid] = user
    return user


def _group(store: LightdashStore, org: m.Organization, by: m.User, name: str, members: list[str]) -> m.Group:
    at = store.now_iso(-90)
    group = m.Group(uuid=store.new_uuid(), name=name, organizationUuid=org.organizationUuid, createdAt=at,
                    createdByUserUuid=by.userUuid, updatedAt=at, updatedByUserUuid=by.userUuid,
                    memberUuids=list(members))
    store.groups[group.uuid] = group
    return group


def _project(store: LightdashStore, org: m.Organization, by: m.User, name: str, kind: str,
             upstream: str | None, warehouse: str) -> m.Project:
    project = m.Project(
        projectUuid=store.new_uuid(), name=name, type=kind, organizationUuid=org.organizationUuid,
        createdAt=store.now_iso(-380), createdByUserUuid=by.userUuid, upstreamProjectUuid=upstream,
        dbtVersion="v1.7",
        dbtConnection={"type": "github", "repository": "example/jaffle-shop-dbt", "branch": "main",
                       "project_sub_path": "/", "host_domain": "github.com", "target": "prod", "environment": []},
        warehouseConnection=warehouses.connection(warehouse),
        schedulerTimezone="UTC")
    store.projects[project.projectUuid] = project
    store.pinned_list(project.projectUuid)
    return project


def _space(store: LightdashStore, project: m.Project, by: m.User, name: str, private: bool) -> m.Space:
    taken = {s.slug for s in store.spaces.values() if s.projectUuid == project.projectUuid}
    space = m.Space(uuid=store.new_uuid(), projectUuid=project.projectUuid, name=name,
                    slug=store.slugify(name, taken), isPrivate=private, createdAt=store.now_iso(-200),
                    createdByUserUuid=by.userUuid)
    store.spaces[space.uuid] = space
    return space


def chart_config(kind: str, dimensions: list[str], metrics: list[str]) -> dict[str, Any]:
    """A plausible ``chartConfig`` for a chart type."""
    if kind == "big_number":
        return {"type": "big_number", "config": {"label": "", "selectedField": metrics[0] if metrics else None}}
    if kind == "table":
        return {"type": "table", "config": {"showColumnCalculation": False, "showTableNames": False,
                                            "hideRowNumbers": False, "columns": {}}}
    if kind == "pie":
        return {"type": "pie", "config": {"groupFieldIds": dimensions, "metricId": metrics[0] if metrics else None,
                                          "isDonut": True, "showLegend": True}}
    x = dimensions[0] if dimensions else None
    return {"type": "cartesian", "config": {
        "layout": {"xField": x, "yField": metrics, "flipAxes": False},
        "eChartsConfig": {"series": [{"type": "bar", "encode": {"xRef": {"field": x}, "yRef": {"field": y}}}
                                     for y in metrics]}}}


def _chart(store: LightdashStore, project: m.Project, space: m.Space, by: m.User, name: str, explore: str,
           dimension_ids: Sequence[str], metric_ids: Sequence[str], kind: str) -> m.SavedChart:
    dimensions, metrics = list(dimension_ids), list(metric_ids)  # the chart's own lists, never the table's
    taken = {c.slug for c in store.saved_charts.values() if c.projectUuid == project.projectUuid}
    created = store.now_iso(-store.rng.randint(20, 150))
    sorts = [{"fieldId": metrics[0], "descending": True}] if metrics else []
    chart = m.SavedChart(
        uuid=store.new_uuid(), projectUuid=project.projectUuid, spaceUuid=space.uuid, name=name,
        description=store.faker.sentence(nb_words=8), tableName=explore,
        metricQuery={"exploreName": explore, "dimensions": list(dimensions), "metrics": list(metrics),
                     "filters": {}, "sorts": sorts, "limit": 500, "tableCalculations": [],
                     "additionalMetrics": [], "customDimensions": []},
        chartConfig=chart_config(kind, dimensions, metrics),
        tableConfig={"columnOrder": [*dimensions, *metrics]}, pivotConfig=None,
        slug=store.slugify(name, taken), createdAt=created, updatedAt=created, updatedByUserUuid=by.userUuid,
        views=store.rng.randint(3, 400), firstViewedAt=created)
    store.saved_charts[chart.uuid] = chart
    store.record_version(chart, by.userUuid, created)
    if store.rng.random() < 0.6:
        later = store.now_iso(-store.rng.randint(1, 19))
        chart.metricQuery["limit"] = 1000
        chart.updatedAt = later
        store.record_version(chart, by.userUuid, later)
    return chart


def chart_tile(store: LightdashStore, chart: m.SavedChart, x: int, y: int, tab: str | None) -> dict[str, Any]:
    return {"uuid": store.new_uuid(), "type": "saved_chart", "x": x, "y": y, "w": 15, "h": 9, "tabUuid": tab,
            "properties": {"savedChartUuid": chart.uuid, "chartName": chart.name, "title": "",
                           "hideTitle": False, "belongsToDashboard": False, "lastVersionChartKind": None}}


def _dashboard(store: LightdashStore, project: m.Project, space: m.Space, by: m.User, name: str,
               charts: list[m.SavedChart], *, tabs: bool) -> m.Dashboard:
    taken = {d.slug for d in store.dashboards.values() if d.projectUuid == project.projectUuid}
    created = store.now_iso(-store.rng.randint(10, 100))
    tab_list: list[dict[str, Any]] = [
        {"uuid": store.new_uuid(), "name": n, "order": i} for i, n in enumerate(("Summary", "Details"))
    ] if tabs else []
    first_tab: str | None = tab_list[0]["uuid"] if tab_list else None
    tiles = [chart_tile(store, c, (i % 2) * 18, (i // 2) * 9, first_tab) for i, c in enumerate(charts)]
    tiles.append({"uuid": store.new_uuid(), "type": "markdown", "x": 0, "y": 30, "w": 36, "h": 3,
                  "tabUuid": tab_list[-1]["uuid"] if tab_list else None,
                  "properties": {"title": "About", "content": store.faker.paragraph(nb_sentences=2)}})
    if tabs:
        tiles.append({"uuid": store.new_uuid(), "type": "loom", "x": 0, "y": 33, "w": 18, "h": 6,
                      "tabUuid": tab_list[-1]["uuid"],
                      "properties": {"title": "Walkthrough", "url": "https://www.loom.com/share/0123456789abcdef",
                                     "hideTitle": False}})
    dashboard = m.Dashboard(uuid=store.new_uuid(), projectUuid=project.projectUuid, spaceUuid=space.uuid,
                            name=name, description=store.faker.sentence(nb_words=10),
                            slug=store.slugify(name, taken), createdAt=created, updatedAt=created,
                            updatedByUserUuid=by.userUuid, tiles=tiles, tabs=tab_list,
                            views=store.rng.randint(10, 900), firstViewedAt=created)
    store.dashboards[dashboard.uuid] = dashboard
    return dashboard


def _schedulers(store: LightdashStore, project: m.Project, admin: m.User, chart: m.SavedChart,
                dashboard: m.Dashboard) -> None:
    for name, fmt, chart_uuid, dash_uuid, cron in (
            ("Daily revenue CSV", "csv", chart.uuid, None, "0 9 * * *"),
            ("Weekly overview", "image", None, dashboard.uuid, "0 8 * * 1")):
        at = store.now_iso(-45)
        sched = m.Scheduler(schedulerUuid=store.new_uuid(), name=name, message=None, createdAt=at, updatedAt=at,
                            createdBy=admin.userUuid, format=fmt, cron=cron, timezone=None,
                            savedChartUuid=chart_uuid, dashboardUuid=dash_uuid,
                            options={"formatted": True, "limit": "table"} if fmt == "csv" else {},
                            targets=[{"schedulerEmailTargetUuid": store.new_uuid(), "recipient": admin.email}])
        store.schedulers[sched.schedulerUuid] = sched
        for day in (3, 2, 1):
            job = store.new_job("scheduler", admin.userUuid, projectUuid=project.projectUuid,
                                schedulerUuid=sched.schedulerUuid, status="completed")
            when = store.now_iso(-day)
            for task, status in (("handleScheduledDelivery", "started"), ("handleScheduledDelivery", "completed"),
                                 ("sendEmailNotification", "completed")):
                store.scheduler_logs.append(m.SchedulerLog(
                    schedulerUuid=sched.schedulerUuid, jobId=job.jobId, jobGroup=job.jobId, scheduledTime=when,
                    createdAt=when, task=task, status=status,
                    target=admin.email if task == "sendEmailNotification" else None,
                    targetType="email" if task == "sendEmailNotification" else None))


def _comments(store: LightdashStore, dashboard: m.Dashboard, author: m.User, mentioned: m.User) -> None:
    tile = dashboard.tiles[0]
    text = f"@{mentioned.firstName} these numbers look off for last week"
    comment = m.Comment(commentId=store.new_uuid(), dashboardUuid=dashboard.uuid, dashboardTileUuid=tile["uuid"],
                        text=text, textHtml=f"<p>{text}</p>", createdAt=store.now_iso(-1),
                        userUuid=author.userUuid, mentions=[mentioned.userUuid])
    store.comments[comment.commentId] = comment
    note = m.Notification(
        notificationId=store.new_uuid(), userUuid=mentioned.userUuid, resourceType="dashboardComments",
        resourceUuid=dashboard.uuid, message=f"{author.firstName} {author.lastName} mentioned you in a comment",
        url=f"/projects/{dashboard.projectUuid}/dashboards/{dashboard.uuid}/view", createdAt=comment.createdAt,
        metadata={"dashboardUuid": dashboard.uuid, "dashboardName": dashboard.name,
                  "dashboardTileUuid": tile["uuid"], "dashboardTileName": tile["properties"].get("chartName", "")})
    store.notifications[note.notificationId] = note


def _validations(store: LightdashStore, project: m.Project, chart: m.SavedChart, dashboard: m.Dashboard) -> None:
    at = store.now_iso(-1)
    for kwargs in (
            {"name": chart.name, "error": "Dimension error: the field 'orders_order_date_week' no longer exists",
             "errorType": "dimension", "source": "chart", "chartUuid": chart.uuid,
             "fieldName": "orders_order_date_week"},
            {"name": dashboard.name, "error": "Filter error: the field 'orders_legacy_region' no longer exists",
             "errorType": "filter", "source": "dashboard", "dashboardUuid": dashboard.uuid,
             "fieldName": "orders_legacy_region"},
            {"name": "stg_refunds", "error": "Model \"stg_refunds\" has a dimension with an invalid SQL reference",
             "errorType": "model", "source": "table"}):
        vid = store.next_validation_id()
        store.validations[vid] = m.ValidationResult(validationId=vid, projectUuid=project.projectUuid,
                                                    createdAt=at, **kwargs)
