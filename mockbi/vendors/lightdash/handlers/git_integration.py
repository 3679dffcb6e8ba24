"""Git integration: whether a project can open pull requests on its dbt repository (a GitHub dbt connection
and the organization's GitHub App installation), and pull requests that write custom metrics and
dimensions back to dbt YAML."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")


def enabled(store: LightdashStore, project: m.Project) -> bool:
    installation = store.github_installation
    return project.dbtConnection.get("type") == "github" and installation is not None and \
        installation.get("organizationUuid") == project.organizationUuid


def _pull_request(store: LightdashStore, project: m.Project, title: str) -> dict[str, str]:
    """Check the project can open a pull request, then "open" one on its dbt repository."""
    if project.dbtConnection.get("type") != "github":
        raise ParameterError("Project is not connected to Github")
    if not enabled(store, project):
        raise NotFoundError("GitHub App is not installed for this organization")
    repository = project.dbtConnection.get("repository") or "lightdash/dbt"
    number = store.rng.randint(10, 9999)
    return {"prUrl": f"https://github.com/{repository}/pull/{number}", "prTitle": title}


@registry.operation("GetConfiguration")
def get_configuration(store: LightdashStore, req: OpRequest) -> Any:
    """``{enabled}``: a GitHub dbt connection and a GitHub App installed for the organization."""
    project = store.require_project(me(req), req.path["projectUuid"])
    return {"enabled": enabled(store, project)}


@registry.operation("CreatePullRequestForChartFields")
def create_pull_request_for_chart_fields(store: LightdashStore, req: OpRequest) -> Any:
    """Open a pull request adding a chart's custom metrics and dimensions to dbt (editors)."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    chart = store.get_chart(req.path["chartUuid"])
    if chart.projectUuid != project.projectUuid:
        raise NotFoundError("Saved query not found")
    store.require_space(user, store.spaces[chart.spaceUuid])
    query = chart.metricQuery
    if not query.get("additionalMetrics") and not query.get("customDimensions"):
        raise ParameterError("Chart has no custom metrics or custom dimensions")
    return _pull_request(store, project, f"Lightdash: add custom fields from chart \"{chart.name}\"")


@registry.operation("CreatePullRequestForCustomMetrics")
def create_pull_request_for_custom_metrics(store: LightdashStore, req: OpRequest) -> Any:
    """Open a pull request adding the named custom metrics (as getCustomMetrics lists them) to dbt (editors)."""
    user, data = me(req), body(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    wanted = list(data["customMetrics"])
    if not wanted:
        raise ParameterError("No custom metrics to add")
    known = {metric.get("name") for chart in store.saved_charts.values() if chart.projectUuid == project.projectUuid
             for metric in chart.metricQuery.get("additionalMetrics") or []}
    missing = [name for name in wanted if name not in known]
    if missing:
        raise NotFoundError(f"Custom metrics not found: {', '.join(missing)}")
    return _pull_request(store, project, f"Lightdash: add {len(wanted)} custom metric{'s' * (len(wanted) > 1)}")
