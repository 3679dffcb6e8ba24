"""Preview-app creation and GitHub deployment jobs, planned up front and revealed by the injected clock.

A preview-app job goes ``created`` → ``running`` → ``success`` | ``failed`` (or ``skipped`` when a newer
creation for the same app is queued before it finishes). Its single task gets a ``created`` event when
it starts and a ``success`` event whose ``public_event_data`` is ``{projectId, githubDeploymentJobID}``
(or a ``failed`` event with an ``error``). At success the project is created (replacing an earlier
preview app of that name) and the GitHub deployment job starts: one task per step, each with a
``created`` then a ``success``/``failed`` event. Every id is drawn when the job is queued, so the world
is the same whenever a client happens to poll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockbi.vendors.hasura_cloud.models import Effect, Job, Task, TaskEvent

if TYPE_CHECKING:
    from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

PREVIEW_TASK = "create-github-preview-app"
DEPLOYMENT_TASKS = ("gh-validation", "parse-metadata-migration", "parse-migration", "parse-metadata",
                    "apply-metadata", "apply-migration", "reload-metadata", "check-healthz")
DEPLOYMENT_DETAIL = MappingProxyType({
    "gh-validation": "Validating the GitHub repository {repo} at branch {branch}",
    "parse-metadata-migration": "Reading Metadata and Migrations from {directory}",
    "parse-migration": "Parsing Migrations",
    "parse-metadata": "Parsing Metadata",
    "apply-metadata": "Applying Metadata",
    "apply-migration": "Applying Migrations",
    "reload-metadata": "Reloading Metadata",
    "check-healthz": "Checking the health of the project",
})
FINAL = ("success", "failed", "skipped")
CLOUDS = ("aws", "gcp")
PLANS = ("cloud_free", "cloud_payg", "cloud_free_v2")
NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
INTERNAL_ERROR = ("error creating tenant: Message: there was an internal error while serving your request, "
                  "please try again later")


@dataclass(frozen=True, slots=True)
class Timing:
    """Durations in seconds (scenario key ``preview_apps``)."""

    queue_seconds: float = 2.0
    create_seconds: float = 20.0
    deployment_queue_seconds: float = 1.0
    deployment_task_seconds: float = 3.0

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Timing:
        known = {k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def name_problem(name: str) -> str | None:
    """Why a project name is unacceptable (``None`` when it is fine)."""
    if not NAME_RE.match(name):
        return (f"invalid project name {name!r}: a name can contain lowercase letters, numbers and hyphens, "
                "and must start and end with a letter or number")
    return None


def creation_problem(store: HasuraCloudStore, owner_id: str, options: dict[str, Any]) -> str | None:
    """Why the creation of a preview app would fail (checked by the job, not by the mutation)."""
    name = options["name"]
    problem = name_problem(name)
    if problem:
        return f"error creating tenant: {problem}"
    if options["cloud"] not in CLOUDS:
        return f"error creating tenant: cloud {options['cloud']!r} is not supported; use one of aws, gcp"
    if store.find_region(options["cloud"], options["region"]) is None:
        return f"error creating tenant: region {options['region']!r} is not available on {options['cloud']}"
    if options["plan"] not in PLANS:
        return f"error creating tenant: plan {options['plan']!r} is not available; use cloud_free or cloud_payg"
    taken = store.project_by_name(name)
    if taken is not None:
        tenant = store.tenants[taken.tenant_id]
        if taken.owner_id != owner_id or tenant.preview_app != name:
            return f"error creating tenant: the project name {name!r} is not available"
    return None


def plan_preview(store: HasuraCloudStore, owner_id: str, payload: dict[str, Any], start: datetime,
                 timing: Timing, outcome: str | None = None, failing_task: str | None = None) -> Job:
    """Queue a preview-app creation job (and plan the deployment job that follows a success)."""
    options = payload["projectOptions"]
    repo = payload["githubRepoDetails"]
    job_id, task_id = store.new_uuid(), store.new_uuid()
    started = start + timedelta(seconds=timing.queue_seconds)
    done = started + timedelta(seconds=timing.create_seconds)
    error = creation_problem(store, owner_id, options)
    if error is None and outcome == "failed":
        error = INTERNAL_ERROR
    task = Task(task_id, PREVIEW_TASK, options["cloud"], options["region"],
                [TaskEvent(store.new_uuid(), "created", started,
                           github_detail=f"Creating preview app {options['name']}")])
    job = Job(job_id, "preview_app", owner_id, start, [(start, "created"), (started, "running")], [task],
              app_name=options["name"])
    if error is not None:
        task.events.append(TaskEvent(store.new_uuid(), "failed", done, None, error))
        job.timeline.append((done, "failed"))
        return job
    project_id, tenant_id = store.new_uuid(), store.new_uuid()
    deployment = plan_deployment(store, owner_id, repo, options, done, timing, failing_task)
    task.events.append(TaskEvent(store.new_uuid(), "success", done,
                                 {"projectId": project_id, "githubDeploymentJobID": deployment.id},
                                 github_detail=f"Created preview app {options['name']}"))
    job.timeline.append((done, "success"))
    envs = [{"key": e["key"], "value": e["value"]} for e in (options.get("envVars") or []) if e is not None]
    job.effects.append(Effect(done, "create_preview_project", {
        "project_id": project_id, "tenant_id": tenant_id, "name": options["name"], "cloud": options["cloud"],
        "region": options["region"], "plan": options["plan"], "envs": envs, "owner_id": owner_id,
        "admin_secret": store.token(32), "deployment": deployment}))
    return job


def plan_deployment(store: HasuraCloudStore, owner_id: str, repo: dict[str, Any], options: dict[str, Any],
                    start: datetime, timing: Timing, failing_task: str | None) -> Job:
    """The GitHub deployment job: one task per step, stopping at the failing one."""
    job_id = store.new_uuid()
    at = start + timedelta(seconds=timing.deployment_queue_seconds)
    job = Job(job_id, "github_deployment", owner_id, start, [(start, "created"), (at, "running")], [],
              app_name=options["name"])
    step = timedelta(seconds=timing.deployment_task_seconds)
    fields = {"repo": f"{repo['owner']}/{repo['repo']}", "branch": repo["branch"],
              "directory": repo["directory"] or "/"}
    for name in DEPLOYMENT_TASKS:
        detail = DEPLOYMENT_DETAIL[name].format(**fields)
        task = Task(store.new_uuid(), name, options["cloud"], options["region"],
                    [TaskEvent(store.new_uuid(), "created", at, github_detail=detail)])
        job.tasks.append(task)
        at += step
        if name == failing_task:
            task.events.append(TaskEvent(store.new_uuid(), "failed", at,
                                         error=f"{name} failed: the step exited with an error; see github_detail",
                                         github_detail=f"{detail}: failed"))
            job.timeline.append((at, "failed"))
            return job
        task.events.append(TaskEvent(store.new_uuid(), "success", at, github_detail=f"{detail}: done"))
    job.timeline.append((at, "success"))
    return job


def skip(job: Job, now: datetime) -> None:
    """A newer creation for the same app was queued: stop here, forget the rest of the plan."""
    if job.status_at(now) in FINAL:
        return
    job.timeline = [(at, s) for at, s in job.timeline if at <= now] + [(now, "skipped")]
    for task in job.tasks:
        task.events = [e for e in task.events if e.at <= now]
    job.tasks = [t for t in job.tasks if t.events]
    job.effects.clear()
