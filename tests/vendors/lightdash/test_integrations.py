"""Integrations: Google Drive token and Sheets upload job, Slack channels and custom settings."""

from __future__ import annotations

from typing import Any

import requests

from tests.vendors.lightdash.conftest import LightdashClient


def _gsheet_body(ld: LightdashClient, **overrides: Any) -> dict[str, Any]:
    chart = next(c for c in ld.store.saved_charts.values() if c.name == "Revenue by status")
    return {"projectUuid": ld.project_uuid, "exploreId": chart.tableName, "metricQuery": chart.metricQuery,
            "columnOrder": chart.tableConfig["columnOrder"], "showTableNames": False, **overrides}


def test_gdrive_access_token(ld: LightdashClient) -> None:
    token = ld.ok("GET", "/api/v1/gdrive/get-access-token")
    assert isinstance(token, str) and token.startswith("ya29.")


def test_upload_gsheet_job_completes_with_sheet_url(ld: LightdashClient) -> None:
    job_id = ld.ok("POST", "/api/v1/gdrive/upload-gsheet", json=_gsheet_body(ld))["jobId"]
    assert ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")["status"] == "scheduled"
    requests.post(ld.url + "/__mockbi/clock", json={"advance": 10})
    done = ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")
    assert done["status"] == "completed"
    assert done["details"]["fileUrl"].startswith("https://docs.google.com/spreadsheets/d/")


def test_upload_gsheet_of_a_broken_query_ends_in_error(ld: LightdashClient) -> None:
    body = _gsheet_body(ld, exploreId="no_such_explore")
    job_id = ld.ok("POST", "/api/v1/gdrive/upload-gsheet", json=body)["jobId"]
    requests.post(ld.url + "/__mockbi/clock", json={"advance": 10})
    failed = ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")
    assert failed["status"] == "error" and "no_such_explore" in failed["details"]["error"]


def test_upload_gsheet_errors(ld: LightdashClient) -> None:
    ld.error("POST", "/api/v1/gdrive/upload-gsheet", 404, "NotFoundError", json=_gsheet_body(ld, projectUuid="x"))
    ld.error("POST", "/api/v1/gdrive/upload-gsheet", 403, "ForbiddenError", token=ld.token_for("viewer"),
             json=_gsheet_body(ld))
    err = ld.error("POST", "/api/v1/gdrive/upload-gsheet", 422, "ValidateError", json={"projectUuid": "x"})
    assert "body.exploreId" in err["data"]


def test_slack_channels_and_members_with_search(ld: LightdashClient) -> None:
    rows = ld.ok("GET", "/api/v1/slack/channels")
    names = [r["name"] for r in rows]
    assert "#general" in names and any(n.startswith("@") for n in names)
    assert rows == ld.ok("GET", "/api/v1/slack/channels")
    found = ld.ok("GET", "/api/v1/slack/channels?search=ALERT")
    assert found == [r for r in rows if r["name"] == "#data-alerts"] and found[0]["id"].startswith("C0")


def test_update_slack_custom_settings(ld: LightdashClient) -> None:
    body = {"notificationChannel": "C0123", "appProfilePhotoUrl": None,
            "slackChannelProjectMappings": [{"projectUuid": ld.project_uuid, "slackChannelId": "C0123"}]}
    saved = ld.ok("PUT", "/api/v1/slack/custom-settings", json=body)
    assert saved["notificationChannel"] == "C0123"
    assert ld.store.slack_settings["slackChannelProjectMappings"][0]["slackChannelId"] == "C0123"
    ld.error("PUT", "/api/v1/slack/custom-settings", 403, "ForbiddenError", token=ld.token_for("editor"), json=body)
    ld.error("PUT", "/api/v1/slack/custom-settings", 422, "ValidateError", json={"notificationChannel": None})
