"""Validation: content errors of a project (broken chart fields, dashboard filters, models), re-run as an
async job, and dismissed one at a time (developers)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")

#: ValidateProject's ``validationTargets`` -> ValidationResult.source
TARGETS = MappingProxyType({"charts": "chart", "dashboards": "dashboard", "tables": "table"})


def _author(store: LightdashStore, user_uuid: str | None) -> str | None:
    user = store.users.get(user_uuid or "")
    return f"{user.firstName} {user.lastName}" if user else None


def validation_view(store: LightdashStore, user: m.User, v: m.ValidationResult) -> dict[str, Any] | None:
    """``ValidationErrorChartResponse`` / ``...DashboardResponse`` / ``...TableResponse``, or None when the
    content is gone or in a space the caller cannot see."""
    base: dict[str, Any] = {"validationId": v.validationId, "createdAt": v.createdAt, "error": v.error,
                            "errorType": v.errorType, "projectUuid": v.projectUuid, "source": v.source}
    if v.source == "chart":
        chart = store.saved_charts.get(v.chartUuid or "")
        if chart is None or store.space_role(user, store.spaces[chart.spaceUuid]) is None:
            return None
        out = base | {"name": chart.name, "chartUuid": chart.uuid, "chartName": chart.name, "chartViews": chart.views,
                      "chartKind": content.chart_kind(chart), "spaceUuid": chart.spaceUuid,
                      "lastUpdatedAt": chart.updatedAt}
        by = _author(store, chart.updatedByUserUuid)
    elif v.source == "dashboard":
        dashboard = store.dashboards.get(v.dashboardUuid or "")
        if dashboard is None or store.space_role(user, store.spaces[dashboard.spaceUuid]) is None:
            return None
        out = base | {"name": dashboard.name, "dashboardUuid": dashboard.uuid, "dashboardViews": dashboard.views,
                      "spaceUuid": dashboard.spaceUuid, "lastUpdatedAt": dashboard.updatedAt}
        by = _author(store, dashboard.updatedByUserUuid)
    else:
        return base | {"name": v.name}
    if by is not None:
        out["lastUpdatedBy"] = by
    if v.fieldName is not None:
        out["fieldName"] = v.fieldName
    return out


@registry.operation("ValidateProject")
def validate_project(store: LightdashStore, req: OpRequest) -> Any:
    """Start a validation job (developers); its findings are read with ``?jobId=`` once it completes."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "developer")
    sources = {TARGETS[t] for t in body(req).get("validationTargets") or TARGETS}
    job = store.job_queue().submit("validateProject", user_uuid=user.userUuid, job_id=store.new_uuid())
    found = [v for v in store.validations.values() if v.projectUuid == project.projectUuid and v.source in sources]
    for old in found:
        del store.validations[old.validationId]
        vid = store.next_validation_id()
        store.validations[vid] = m.ValidationResult(
            validationId=vid, projectUuid=old.projectUuid, createdAt=store.now_iso(), name=old.name, error=old.error,
            errorType=old.errorType, source=old.source, chartUuid=old.chartUuid, dashboardUuid=old.dashboardUuid,
            fieldName=old.fieldName, jobId=job.job_id)
    return {"jobId": job.job_id}


@registry.operation("GetLatestValidationResults")
def get_latest_validation_results(store: LightdashStore, req: OpRequest) -> Any:
    """The project's open validation errors (developers), or one completed job's findings with ``jobId``."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "developer")
    rows = [v for v in store.validations.values() if v.projectUuid == project.projectUuid]
    job_id = req.query.get("jobId")
    if job_id is not None:
        if job_id not in store.queued_jobs or store.job_status(job_id)["status"] != "completed":
            return []
        rows = [v for v in rows if v.jobId == job_id]
    views = (validation_view(store, user, v) for v in sorted(rows, key=lambda v: v.validationId))
    return [v for v in views if v is not None]


@registry.operation("DeleteValidationDismiss")
def delete_validation_dismiss(store: LightdashStore, req: OpRequest) -> Any:
    """Dismiss one validation error by its numeric id (developers); ``{"status":"ok"}``."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "developer")
    validation_id = req.path["validationId"]
    found = store.validations.get(int(validation_id)) if float(validation_id).is_integer() else None
    if found is None or found.projectUuid != project.projectUuid:
        raise NotFoundError(f"Validation error {validation_id} not found")
    del store.validations[found.validationId]
    return None
