"""Integrations: Google Drive (access token, upload query results to a Google Sheet as a job) and the
organization's Slack app (channels to deliver to, custom settings)."""

from __future__ import annotations

import uuid
from typing import Any

from mockbi.core.deferred import Deferred
from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.dataplane import DataPlaneError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.handlers._dataplane import EXPLORE_ROLE
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")

#: the organization's Slack workspace (its members are listed too, as ``@first.last``)
SLACK_CHANNELS = ("general", "analytics", "data-alerts", "finance", "marketing", "sales", "engineering", "random")


def slack_id(prefix: str, name: str) -> str:
    """A stable Slack-style id (``C0…`` channels, ``U0…`` users) for a name."""
    return prefix + "0" + uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.slack.example.com").hex[:9].upper()


@registry.operation("getAccessToken")
def get_access_token(store: LightdashStore, req: OpRequest) -> Any:
    """A short-lived Google OAuth access token for the Google Drive picker."""
    me(req)
    return f"ya29.a0{store.token(100)}"


@registry.operation("uploadGsheet")
def upload_gsheet(store: LightdashStore, req: OpRequest) -> Any:
    """Export a query's results to a new Google Sheet; returns ``{jobId}`` (the sheet URL is in its details)."""
    user, data = me(req), body(req)
    project_uuid = store.require_project(user, data["projectUuid"], EXPLORE_ROLE).projectUuid
    try:
        run = store.data_plane(project_uuid).prepare_run(data["exploreId"], data["metricQuery"], now=store.now())
    except DataPlaneError as exc:
        return _gsheet_job(store, user.userUuid, project_uuid, exc)

    def ran() -> DataPlaneError | None:  # the query runs off the event loop; only its failure matters
        try:
            run()
        except DataPlaneError as exc:
            return exc
        return None

    return Deferred(ran, then=lambda live, failure: _gsheet_job(live, user.userUuid, project_uuid, failure))


def _gsheet_job(store: LightdashStore, user_uuid: str, project_uuid: str,
                failure: DataPlaneError | None) -> dict[str, str]:
    """The ``uploadGsheetFromQuery`` job: ends in ``error`` when the query failed, else names the new sheet."""
    queue = store.job_queue()
    if failure is not None:
        job = queue.submit("uploadGsheetFromQuery", user_uuid=user_uuid, job_id=store.new_uuid(),
                           error=failure.message, payload={"projectUuid": project_uuid})
        return {"jobId": job.job_id}
    sheet = f"https://docs.google.com/spreadsheets/d/{store.nanoid(44)}"
    job = queue.submit("uploadGsheetFromQuery", user_uuid=user_uuid, job_id=store.new_uuid(),
                       details={"fileUrl": sheet, "truncated": False}, payload={"projectUuid": project_uuid})
    return {"jobId": job.job_id}


@registry.operation("getSlackChannels")
def get_slack_channels(store: LightdashStore, req: OpRequest) -> Any:
    """Channels (``#name``) and members (``@first.last``) of the Slack workspace, filtered by ``search``."""
    user = me(req)
    rows = [{"id": slack_id("C", name), "name": f"#{name}"} for name in SLACK_CHANNELS]
    for member in store.org_members(user.organizationUuid):
        if member.isActive and not member.isPending:
            handle = f"{member.firstName}.{member.lastName}".lower().replace(" ", "")
            rows.append({"id": slack_id("U", handle), "name": f"@{handle}"})
    search = (req.query.get("search") or "").lower()
    return [r for r in rows if search in r["name"].lower()]


@registry.operation("UpdateCustomSettings")
def update_custom_settings(store: LightdashStore, req: OpRequest) -> Any:
    """Set the Slack app's failure-notification channel, profile photo and channel/project mappings (admins)."""
    user, data = me(req), body(req)
    store.require_org_admin(user)
    settings = {"notificationChannel": data["notificationChannel"], "appProfilePhotoUrl": data["appProfilePhotoUrl"],
                "slackChannelProjectMappings": list(data.get("slackChannelProjectMappings") or [])}
    store.slack_settings = settings
    return dict(settings)
