"""Schedulers: read/update/enable/delete, upcoming runs, logs, send-now and the generic job status."""

from __future__ import annotations

import requests

from mockbi.vendors.lightdash.handlers._cron import Cron, CronError, runs
from tests.vendors.lightdash.conftest import LightdashClient


def _scheduler(ld: LightdashClient, name: str) -> str:
    return next(s.schedulerUuid for s in ld.store.schedulers.values() if s.name == name)


def _advance(ld: LightdashClient, seconds: float) -> None:
    resp = requests.post(ld.url + "/__mockbi/clock", json={"advance": seconds})
    assert resp.status_code == 200, resp.text


def test_get_chart_and_dashboard_schedulers(ld: LightdashClient) -> None:
    chart_s = ld.ok("GET", f"/api/v1/schedulers/{_scheduler(ld, 'Daily revenue CSV')}")
    assert chart_s["format"] == "csv" and chart_s["dashboardUuid"] is None
    assert chart_s["savedChartUuid"] in ld.store.saved_charts
    assert chart_s["includeLinks"] is True and chart_s["enabled"] is True
    target = chart_s["targets"][0]
    assert target["recipient"] == ld.creds["email"] and target["schedulerUuid"] == chart_s["schedulerUuid"]
    dash_s = ld.ok("GET", f"/api/v1/schedulers/{_scheduler(ld, 'Weekly overview')}")
    assert dash_s["savedChartUuid"] is None and dash_s["dashboardUuid"] in ld.store.dashboards


def test_unknown_scheduler_is_404(ld: LightdashClient) -> None:
    err = ld.error("GET", "/api/v1/schedulers/00000000-0000-4000-8000-000000000000", 404, "NotFoundError")
    assert "does not exist" in err["message"]
    ld.error("DELETE", "/api/v1/schedulers/nope", 404, "NotFoundError")


def test_update_scheduler_is_200_and_replaces_targets(ld: LightdashClient) -> None:
    uuid = _scheduler(ld, "Daily revenue CSV")
    resp = ld.patch(f"/api/v1/schedulers/{uuid}", json={
        "name": "Hourly revenue", "cron": "0 * * * *", "format": "image", "message": "fresh numbers",
        "targets": [{"recipient": "ops@example.com"}, {"channel": "C0123"}]})
    assert resp.status_code == 200, resp.text
    updated = resp.json()["results"]
    assert updated["name"] == "Hourly revenue" and updated["message"] == "fresh numbers"
    assert [t.get("recipient") or t.get("channel") for t in updated["targets"]] == ["ops@example.com", "C0123"]
    assert "schedulerSlackTargetUuid" in updated["targets"][1]
    assert ld.ok("GET", f"/api/v1/schedulers/{uuid}")["cron"] == "0 * * * *"


def test_update_scheduler_rejects_bad_settings_without_changing_it(ld: LightdashClient) -> None:
    uuid = _scheduler(ld, "Daily revenue CSV")
    ld.error("PATCH", f"/api/v1/schedulers/{uuid}", 400, "ParameterError", json={"name": "x", "cron": "every day"})
    ld.error("PATCH", f"/api/v1/schedulers/{uuid}", 400, "ParameterError", json={"format": "pdf"})
    ld.error("PATCH", f"/api/v1/schedulers/{uuid}", 400, "ParameterError", json={"targets": []})
    assert ld.ok("GET", f"/api/v1/schedulers/{uuid}")["name"] == "Daily revenue CSV"


def test_viewer_cannot_update_or_delete_someone_elses_scheduler(ld: LightdashClient) -> None:
    uuid, token = _scheduler(ld, "Daily revenue CSV"), ld.token_for("viewer")
    assert ld.ok("GET", f"/api/v1/schedulers/{uuid}", token=token)["schedulerUuid"] == uuid
    ld.error("PATCH", f"/api/v1/schedulers/{uuid}/enabled", 403, "ForbiddenError", token=token,
             json={"enabled": False})
    ld.error("DELETE", f"/api/v1/schedulers/{uuid}", 403, "ForbiddenError", token=token)


def test_disable_scheduler_clears_upcoming_runs(ld: LightdashClient) -> None:
    uuid = _scheduler(ld, "Daily revenue CSV")  # 0 9 * * *, clock at 2025-01-15T09:30Z
    jobs = ld.ok("GET", f"/api/v1/schedulers/{uuid}/jobs")
    assert [j["date"] for j in jobs] == ["2025-01-16T09:00:00.000Z"]
    assert jobs == ld.ok("GET", f"/api/v1/schedulers/{uuid}/jobs")
    resp = ld.patch(f"/api/v1/schedulers/{uuid}/enabled", json={"enabled": False})
    assert resp.status_code == 200 and resp.json()["results"]["enabled"] is False
    assert ld.ok("GET", f"/api/v1/schedulers/{uuid}/jobs") == []
    ld.error("PATCH", f"/api/v1/schedulers/{uuid}/enabled", 422, "ValidateError", json={})


def test_hourly_scheduler_has_24_runs_in_its_timezone(ld: LightdashClient) -> None:
    uuid = _scheduler(ld, "Weekly overview")
    ld.ok("PATCH", f"/api/v1/schedulers/{uuid}", json={"cron": "15 */6 * * *", "timezone": "America/New_York"})
    dates = [j["date"] for j in ld.ok("GET", f"/api/v1/schedulers/{uuid}/jobs")]
    # 00:15, 06:15, 12:15, 18:15 New York (UTC-5) are 05:15, 11:15, 17:15, 23:15 UTC
    assert dates == ["2025-01-15T11:15:00.000Z", "2025-01-15T17:15:00.000Z", "2025-01-15T23:15:00.000Z",
                     "2025-01-16T05:15:00.000Z"]


def test_delete_scheduler_is_200_and_drops_logs(ld: LightdashClient) -> None:
    uuid = _scheduler(ld, "Weekly overview")
    resp = ld.delete(f"/api/v1/schedulers/{uuid}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    ld.error("GET", f"/api/v1/schedulers/{uuid}", 404, "NotFoundError")
    logs = ld.ok("GET", f"/api/v1/schedulers/{ld.project_uuid}/logs")
    assert uuid not in {log["schedulerUuid"] for log in logs["logs"]}
    assert [s["name"] for s in logs["schedulers"]] == ["Daily revenue CSV"]


def test_scheduler_logs_join_charts_dashboards_and_users(ld: LightdashClient) -> None:
    logs = ld.ok("GET", f"/api/v1/schedulers/{ld.project_uuid}/logs")
    assert len(logs["schedulers"]) == 2 and len(logs["logs"]) == 18
    assert logs["logs"] == sorted(logs["logs"], key=lambda log: log["createdAt"], reverse=True)
    assert {log["task"] for log in logs["logs"]} == {"handleScheduledDelivery", "sendEmailNotification"}
    assert logs["users"][0]["userUuid"] == ld.store.admin_uuid
    assert len(logs["charts"]) == 1 and len(logs["dashboards"]) == 1
    ld.error("GET", f"/api/v1/schedulers/{ld.project_uuid}/logs", 403, "ForbiddenError", token=ld.token_for("viewer"))
    ld.error("GET", "/api/v1/schedulers/nope/logs", 404, "NotFoundError")


def test_send_scheduler_returns_a_job_that_completes_on_the_clock(ld: LightdashClient) -> None:
    chart = next(iter(ld.store.saved_charts.values()))
    job_id = ld.ok("POST", "/api/v1/schedulers/send", json={
        "name": "Now", "format": "csv", "cron": "0 9 * * *", "savedChartUuid": chart.uuid, "options": {},
        "targets": [{"recipient": "me@example.com"}]})["jobId"]
    status = ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")
    assert status == {"status": "scheduled", "details": None}
    _advance(ld, 1.5)
    assert ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")["status"] == "started"
    _advance(ld, 5)
    done = ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")
    assert done["status"] == "completed" and done["details"]["createdByUserUuid"] == ld.store.admin_uuid


def test_send_scheduler_errors(ld: LightdashClient) -> None:
    chart = next(iter(ld.store.saved_charts.values()))
    base = {"name": "Now", "format": "csv", "cron": "0 9 * * *", "options": {}, "targets": [{"recipient": "a@b.c"}]}
    ld.error("POST", "/api/v1/schedulers/send", 400, "ParameterError", json={**base, "name": "",
                                                                            "savedChartUuid": chart.uuid})
    ld.error("POST", "/api/v1/schedulers/send", 400, "ParameterError", json={**base, "targets": [],
                                                                            "savedChartUuid": chart.uuid})
    ld.error("POST", "/api/v1/schedulers/send", 404, "NotFoundError", json={**base, "savedChartUuid": "nope"})
    ld.error("POST", "/api/v1/schedulers/send", 403, "ForbiddenError", token=ld.token_for("viewer"),
             json={**base, "savedChartUuid": chart.uuid})


def test_job_status_of_seeded_and_unknown_jobs(ld: LightdashClient) -> None:
    seeded = next(iter(ld.store.jobs))
    assert ld.ok("GET", f"/api/v1/schedulers/job/{seeded}/status") == {"status": "completed", "details": None}
    err = ld.error("GET", "/api/v1/schedulers/job/nope/status", 404, "NotFoundError")
    assert err["message"] == "Job not found"


def test_cron_parsing() -> None:
    cron = Cron("*/15 9-17 * * mon-fri")
    assert cron.minutes == frozenset({0, 15, 30, 45}) and cron.weekdays == frozenset(range(1, 6))
    for bad in ("* * * *", "61 * * * *", "a b c d e", "*/0 * * * *"):
        try:
            Cron(bad)
        except CronError:
            continue
        raise AssertionError(bad)
    from datetime import UTC, datetime

    # day-of-month and day-of-week both restricted: either matches (the 1st, or any Sunday)
    start = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
    assert [d.day for d in runs("0 0 1 * 0", start, hours=24 * 3)] == [1, 2]
