"""Validation: seeded errors, a validation job read back by jobId, and dismissing by numeric id."""

from __future__ import annotations

import requests

from tests.vendors.lightdash.conftest import LightdashClient


def _base(ld: LightdashClient) -> str:
    return f"/api/v1/projects/{ld.project_uuid}/validate"


def test_latest_results_list_seeded_errors_by_source(ld: LightdashClient) -> None:
    results = ld.ok("GET", _base(ld))
    assert [r["source"] for r in results] == ["chart", "dashboard", "table"]
    chart, dashboard, table = results
    assert chart["chartName"] == "Orders per week" and chart["errorType"] == "dimension"
    assert chart["chartViews"] >= 0 and chart["fieldName"] == "orders_order_date_week"
    assert dashboard["dashboardViews"] >= 0 and dashboard["name"] == "Company overview"
    assert table["name"] == "stg_refunds" and "chartUuid" not in table
    assert isinstance(chart["validationId"], int)
    # the same errors show on the chart as content lists it
    charts = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts")
    listed = next(c for c in charts if c["uuid"] == chart["chartUuid"])
    assert [e["validationId"] for e in listed["validationErrors"]] == [chart["validationId"]]


def test_validation_needs_developer(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    ld.error("GET", _base(ld), 403, "ForbiddenError", token=token)
    ld.error("POST", _base(ld), 403, "ForbiddenError", token=token, json={})
    ld.error("GET", "/api/v1/projects/nope/validate", 404, "NotFoundError")


def test_validate_project_job_then_results_by_job_id(ld: LightdashClient) -> None:
    job_id = ld.ok("POST", _base(ld), json={"validationTargets": ["charts", "tables"]})["jobId"]
    assert ld.ok("GET", f"{_base(ld)}?jobId={job_id}") == []  # still running
    requests.post(ld.url + "/__mockbi/clock", json={"advance": 10})
    assert ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")["status"] == "completed"
    found = ld.ok("GET", f"{_base(ld)}?jobId={job_id}")
    assert sorted(r["source"] for r in found) == ["chart", "table"]
    assert len(ld.ok("GET", _base(ld))) == 3
    ld.error("POST", _base(ld), 422, "ValidateError", json={"validationTargets": ["spaces"]})


def test_dismiss_validation_by_numeric_id(ld: LightdashClient) -> None:
    first = ld.ok("GET", _base(ld))[0]["validationId"]
    resp = ld.delete(f"{_base(ld)}/{first}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert first not in [r["validationId"] for r in ld.ok("GET", _base(ld))]
    ld.error("DELETE", f"{_base(ld)}/{first}", 404, "NotFoundError")
    err = ld.error("DELETE", f"{_base(ld)}/abc", 422, "ValidateError")
    assert "validationId" in err["data"]
