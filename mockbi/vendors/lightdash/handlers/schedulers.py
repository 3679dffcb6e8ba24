"""Schedulers: deliveries of a chart or dashboard (read, update, enable, delete), their upcoming runs
and logs, "send now", and the generic job status every async operation is polled through."""

from __future__ import annotations

import uuid
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import ForbiddenError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.handlers._cron import Cron, CronError, runs
from mockbi.vendors.lightdash.store import PROJECT_ROLES, LightdashStore, iso
from mockbi.vendors.lightdash.wire.common import compact

registry = Registry("lightdash")

FORMATS = ("csv", "image", "gsheets")
#: settings updateScheduler may change (the body is untyped ``any`` in the contract)
UPDATABLE = ("name", "message", "format", "cron", "timezone", "options", "thresholds", "notificationFrequency",
             "includeLinks", "enabled", "filters", "customViewportWidth", "selectedTabs")


def target_view(s: m.Scheduler, target: dict[str, Any]) -> dict[str, Any]:
    """``SchedulerEmailTarget`` / ``SchedulerSlackTarget``."""
    base = {"schedulerUuid": s.schedulerUuid, "createdAt": target.get("createdAt", s.createdAt),
            "updatedAt": target.get("updatedAt", s.updatedAt)}
    if "channel" in target:
        return {"schedulerSlackTargetUuid": target["schedulerSlackTargetUuid"], "channel": target["channel"], **base}
    return {"schedulerEmailTargetUuid": target["schedulerEmailTargetUuid"], "recipient": target["recipient"], **base}


def scheduler_view(s: m.Scheduler) -> dict[str, Any]:
    """``SchedulerAndTargets``: a chart or dashboard scheduler with its targets."""
    out: dict[str, Any] = {
        "schedulerUuid": s.schedulerUuid, "name": s.name, "createdAt": s.createdAt, "updatedAt": s.updatedAt,
        "createdBy": s.createdBy, "format": s.format, "cron": s.cron, "savedChartUuid": s.savedChartUuid,
        "dashboardUuid": s.dashboardUuid, "options": dict(s.options), "enabled": s.enabled,
        "includeLinks": s.includeLinks, "thresholds": list(s.thresholds)}
    out |= compact({"message": s.message, "timezone": s.timezone, "notificationFrequency": s.notificationFrequency})
    if s.dashboardUuid is not None:
        out |= compact({"filters": s.filters, "customViewportWidth": s.customViewportWidth,
                        "selectedTabs": s.selectedTabs})
    out["targets"] = [target_view(s, t) for t in s.targets]
    return out


def log_view(log: m.SchedulerLog) -> dict[str, Any]:
    return compact({"schedulerUuid": log.schedulerUuid, "jobId": log.jobId, "jobGroup": log.jobGroup,
                    "scheduledTime": log.scheduledTime, "createdAt": log.createdAt, "task": log.task,
                    "status": log.status, "target": log.target, "targetType": log.targetType,
                    "details": log.details})


def resource_project(store: LightdashStore, s: m.Scheduler) -> tuple[str, m.Space]:
    """(projectUuid, space) of the chart or dashboard a scheduler delivers."""
    if s.savedChartUuid is not None:
        chart = store.get_chart(s.savedChartUuid)
        return chart.projectUuid, store.spaces[chart.spaceUuid]
    dashboard = store.get_dashboard(s.dashboardUuid or "")
    return dashboard.projectUuid, store.spaces[dashboard.spaceUuid]


def _scheduler(store: LightdashStore, req: OpRequest, *, edit: bool = False) -> m.Scheduler:
    """The scheduler if the caller can see what it delivers; editing also needs its creator or an editor."""
    user = me(req)
    s = store.get_scheduler(req.path["schedulerUuid"])
    project_uuid, space = resource_project(store, s)
    project = store.require_project(user, project_uuid)
    store.require_space(user, space)
    if edit and s.createdBy != user.userUuid:
        role = store.project_role(user, project) or "viewer"
        if PROJECT_ROLES.index(role) < PROJECT_ROLES.index("editor"):
            raise ForbiddenError()
    return s


def _targets(store: LightdashStore, raw: Any, s: m.Scheduler | None = None) -> list[dict[str, Any]]:
    """Email (``recipient``) and Slack (``channel``) targets; known target uuids are kept."""
    if not isinstance(raw, list) or not raw:
        raise ParameterError("Scheduler must have at least one target")
    known = {t.get("schedulerEmailTargetUuid") or t.get("schedulerSlackTargetUuid"): t
             for t in (s.targets if s else [])}
    now = store.now_iso()
    out = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("recipient", item.get("channel")), str):
            raise ParameterError("Each target needs a recipient (email) or a channel (Slack)")
        key = "schedulerSlackTargetUuid" if "channel" in item else "schedulerEmailTargetUuid"
        old = known.get(item.get(key))
        target = {key: old[key] if old else store.new_uuid(), "createdAt": old.get("createdAt", now) if old else now,
                  "updatedAt": now}
        target["channel" if "channel" in item else "recipient"] = item.get("channel", item.get("recipient"))
        out.append(target)
    return out


def _check_settings(data: dict[str, Any]) -> None:
    if "name" in data and (not isinstance(data["name"], str) or not data["name"]):
        raise ParameterError("Scheduler name is required")
    if "format" in data and data["format"] not in FORMATS:
        raise ParameterError(f"Invalid scheduler format {data['format']!r}")
    if "cron" in data:
        try:
            Cron(str(data["cron"]))
        except CronError as exc:
            raise ParameterError(str(exc)) from exc


@registry.operation("getScheduler")
def get_scheduler(store: LightdashStore, req: OpRequest) -> Any:
    """A scheduler with its email and Slack targets."""
    return scheduler_view(_scheduler(store, req))


@registry.operation("updateScheduler")
def update_scheduler(store: LightdashStore, req: OpRequest) -> Any:
    """Change a scheduler's settings and targets (its creator or an editor); 200, not the swagger's 201."""
    s = _scheduler(store, req, edit=True)
    data = req.body
    if not isinstance(data, dict):
        raise ParameterError("Scheduler settings must be an object")
    _check_settings(data)
    targets = _targets(store, data["targets"], s) if "targets" in data else None
    for key in UPDATABLE:
        if key in data:
            setattr(s, key, data[key])
    if targets is not None:
        s.targets = targets
    s.updatedAt = store.now_iso()
    return scheduler_view(s)


@registry.operation("deleteScheduler")
def delete_scheduler(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a scheduler and its logs; 200 ``{"status":"ok"}`` (the swagger says 201)."""
    cascade.delete_scheduler(store, _scheduler(store, req, edit=True).schedulerUuid)
    return None


@registry.operation("updateSchedulerEnabled")
def update_scheduler_enabled(store: LightdashStore, req: OpRequest) -> Any:
    """Pause or resume a scheduler; 200 with the scheduler (the swagger says 201)."""
    s = _scheduler(store, req, edit=True)
    s.enabled = bool(body(req)["enabled"])
    s.updatedAt = store.now_iso()
    return scheduler_view(s)


@registry.operation("getScheduledJobs")
def get_scheduled_jobs(store: LightdashStore, req: OpRequest) -> Any:
    """The runs queued for the next 24 hours (none while the scheduler is disabled)."""
    s = _scheduler(store, req)
    if not s.enabled:
        return []
    project_uuid, _ = resource_project(store, s)
    timezone = s.timezone or store.projects[project_uuid].schedulerTimezone
    out = []
    for at in runs(s.cron, store.now(), timezone=timezone):
        date = iso(at)
        job_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"lightdash-scheduler:{s.schedulerUuid}:{s.updatedAt}:{date}"))
        out.append({"id": job_id, "date": date})
    return out


@registry.operation("getSchedulerLogs")
def get_scheduler_logs(store: LightdashStore, req: OpRequest) -> Any:
    """Delivery logs of the project's schedulers (newest first), with the schedulers, charts, dashboards
    and users they mention (editors)."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    schedulers = [s for s in store.schedulers.values()
                  if resource_project(store, s)[0] == project.projectUuid]
    ids = {s.schedulerUuid for s in schedulers}
    logs = sorted((log for log in store.scheduler_logs if log.schedulerUuid in ids),
                  key=lambda log: log.createdAt, reverse=True)
    charts = {s.savedChartUuid for s in schedulers if s.savedChartUuid}
    dashboards = {s.dashboardUuid for s in schedulers if s.dashboardUuid}
    creators = {s.createdBy for s in schedulers}
    return {"schedulers": [scheduler_view(s) for s in schedulers],
            "logs": [log_view(log) for log in logs],
            "users": [{"userUuid": u.userUuid, "firstName": u.firstName, "lastName": u.lastName}
                      for u in store.users.values() if u.userUuid in creators],
            "charts": [{"savedChartUuid": c.uuid, "name": c.name} for c in store.saved_charts.values()
                       if c.uuid in charts],
            "dashboards": [{"dashboardUuid": d.uuid, "name": d.name} for d in store.dashboards.values()
                           if d.uuid in dashboards]}


@registry.operation("sendScheduler")
def send_scheduler(store: LightdashStore, req: OpRequest) -> Any:
    """Deliver an unsaved scheduler now; returns ``{jobId}`` to poll with getSchedulerJobStatus."""
    user, data = me(req), req.body
    if not isinstance(data, dict):
        raise ParameterError("Scheduler settings must be an object")
    if not data.get("name"):
        raise ParameterError("Scheduler name is required")
    _check_settings(data)
    _targets(store, data.get("targets"))
    if data.get("savedChartUuid"):
        chart = store.get_chart(data["savedChartUuid"])
        project_uuid, space = chart.projectUuid, store.spaces[chart.spaceUuid]
    elif data.get("dashboardUuid"):
        dashboard = store.get_dashboard(data["dashboardUuid"])
        project_uuid, space = dashboard.projectUuid, store.spaces[dashboard.spaceUuid]
    else:
        raise ParameterError("Scheduler must have a savedChartUuid or a dashboardUuid")
    store.require_project(user, project_uuid, "interactive_viewer")
    store.require_space(user, space)
    job = store.job_queue().submit("handleScheduledDelivery", user_uuid=user.userUuid, job_id=store.new_uuid())
    return {"jobId": job.job_id}


@registry.operation("getSchedulerJobStatus")
def get_scheduler_job_status(store: LightdashStore, req: OpRequest) -> Any:
    """``{status, details}`` of any async job (CSV, Google Sheets, validation, scheduler delivery)."""
    me(req)
    return store.job_status(req.path["jobId"])
