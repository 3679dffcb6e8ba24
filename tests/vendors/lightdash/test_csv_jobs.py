"""CSV exports over HTTP: the job moves scheduled -> started -> completed as the clock advances, both
polling routes report it, and the file at the returned URL matches the query and the download options."""

from __future__ import annotations

import csv
import io
import re
import threading
from typing import Any

import requests

from tests.vendors.lightdash._dataplane_http import query, run

DOWNLOAD = {"columnOrder": [], "showTableNames": False, "onlyRaw": False}


def advance(ld: Any, seconds: float) -> None:
    resp = requests.post(ld.url + "/__mockbi/clock", json={"advance": seconds})
    assert resp.status_code == 200, resp.text


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def status(ld: Any, job_id: str) -> Any:
    return ld.ok("GET", f"/api/v1/schedulers/job/{job_id}/status")


def finished_file(ld: Any, job_id: str) -> requests.Response:
    advance(ld, 10)
    url = ld.ok("GET", f"/api/v1/csv/{job_id}")["url"]
    resp = ld.get(url[len(ld.url):])
    assert resp.status_code == 200, resp.text
    return resp


def test_explore_csv_job_lifecycle_and_file(ld: Any) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               sorts=[{"fieldId": "orders_status", "descending": False}])
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv",
                   json={**mq, **DOWNLOAD})["jobId"]
    assert status(ld, job_id) == {"status": "scheduled", "details": None}
    assert ld.ok("GET", f"/api/v1/csv/{job_id}") == {"status": "scheduled", "truncated": False}
    advance(ld, 1.5)
    assert status(ld, job_id)["status"] == "started"
    assert "url" not in ld.ok("GET", f"/api/v1/csv/{job_id}")
    advance(ld, 2)
    done = status(ld, job_id)
    assert done["status"] == "completed"
    assert done["details"]["truncated"] is False and done["details"]["createdByUserUuid"] == ld.store.admin_uuid
    view = ld.ok("GET", f"/api/v1/csv/{job_id}")
    assert view == {"url": done["details"]["fileUrl"], "status": "completed", "truncated": False}
    assert view["url"].startswith(f"{ld.url}/api/v1/projects/{ld.project_uuid}/csv/")
    resp = ld.get(view["url"][len(ld.url):])
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert re.fullmatch(r"attachment; filename=csv-orders-\d{4}(-\d{2}){5}-\d{4}\.csv",
                        resp.headers["Content-Disposition"])
    results = run(ld, mq)
    columns = ["orders_status", "orders_order_count", "orders_total_order_amount"]
    expected = [[results["fields"][c]["label"] for c in columns]]
    expected += [[row[c]["value"]["formatted"] for c in columns] for row in results["rows"]]
    assert resp.text == csv_text(expected)


def test_csv_options_raw_table_names_order_labels_hidden_and_limit(ld: Any) -> None:
    mq = query("orders", ["orders_order_id", "orders_status", "orders_order_date_day"], ["orders_total_order_amount"],
               sorts=[{"fieldId": "orders_order_id", "descending": False}], limit=500)
    body = {**mq, "onlyRaw": True, "showTableNames": True, "csvLimit": 3,
            "columnOrder": ["orders_total_order_amount", "orders_order_id", "orders_order_date_day", "orders_status"],
            "customLabels": {"orders_order_id": "ID"}, "hiddenFields": ["orders_status"]}
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv", json=body)["jobId"]
    text = finished_file(ld, job_id).text
    # Lightdash's truncated flag means "the cell budget was filled", not "csvLimit cut the rows"
    assert ld.ok("GET", f"/api/v1/csv/{job_id}")["truncated"] is False
    first = sorted(ld.store.data_planes[ld.project_uuid].warehouse.tables["orders"], key=lambda o: o["order_id"])[:3]
    expected = [["Orders Total order amount", "ID", "Orders Order date day"]]
    expected += [[str(o["amount"]), str(o["order_id"]), o["order_date"].isoformat()] for o in first]
    assert text == csv_text(expected)


def test_saved_chart_csv_follows_the_chart(ld: Any) -> None:
    chart = next(c for c in ld.store.saved_charts.values() if c.name == "Revenue by status")
    job_id = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/downloadCsv",
                   json={"onlyRaw": True, "dashboardFilters": {}})["jobId"]
    resp = finished_file(ld, job_id)
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=csv-revenue_by_status-")
    assert chart.chartConfig["type"] == "cartesian"  # not a table chart: Lightdash always shows table names
    results = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/results", json={})
    columns = chart.tableConfig["columnOrder"]
    expected = [[f'{results["fields"][c]["tableLabel"]} {results["fields"][c]["label"]}' for c in columns]]
    expected += [[str(row[c]["value"]["raw"]) for c in columns] for row in results["rows"]]
    assert resp.text == csv_text(expected)


def test_failed_job_unknown_job_and_other_users(ld: Any) -> None:
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/nope/downloadCsv",
                   json={**query("nope", [], ["nope_count"]), **DOWNLOAD})["jobId"]
    advance(ld, 10)
    failed = status(ld, job_id)
    assert failed == {"status": "error", "details": {"error": 'Explore "nope" does not exist.',
                                                    "createdByUserUuid": ld.store.admin_uuid}}
    error = ld.error("GET", f"/api/v1/csv/{job_id}", 404, "NotExistsError")
    assert error["message"] == 'Explore "nope" does not exist.'
    assert ld.error("GET", "/api/v1/schedulers/job/no-such-job/status", 404, "NotFoundError")["message"] == \
        "Job not found"
    mine = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv",
                 json={**query("orders", ["orders_status"], []), **DOWNLOAD})["jobId"]
    other = ld.token_for("editor")
    assert ld.error("GET", f"/api/v1/csv/{mine}", 404, "NotFoundError", token=other)["message"] == \
        "Download CSV job not found"
    ld.error("GET", f"/api/v1/projects/{ld.project_uuid}/csv/not-a-file", 404, "NotFoundError")
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv", 403, "ForbiddenError",
             json={**query("orders", ["orders_status"], []), **DOWNLOAD}, token=ld.token_for("viewer"))


def test_file_is_not_served_before_the_job_completes(ld: Any) -> None:
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv",
                   json={**query("orders", ["orders_status"], []), **DOWNLOAD})["jobId"]
    nano_id = ld.store.queued_jobs[job_id].payload["nanoId"]
    ld.error("GET", f"/api/v1/projects/{ld.project_uuid}/csv/{nano_id}", 404, "NotFoundError")
    advance(ld, 3)
    assert ld.get(f"/api/v1/projects/{ld.project_uuid}/csv/{nano_id}").status_code == 200


def test_file_link_downloads_without_credentials(ld: Any) -> None:
    """The Express CSV route has no auth middleware: a delivered link works with no token or session."""
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv",
                   json={**query("orders", ["orders_status"], []), **DOWNLOAD})["jobId"]
    advance(ld, 10)
    url = ld.ok("GET", f"/api/v1/csv/{job_id}")["url"]
    resp = requests.get(url)
    assert "X-Mockbi-Violations" not in resp.headers
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/csv")
    assert resp.text.splitlines()[0] == "Status"
    missing = requests.get(f"{ld.url}/api/v1/projects/{ld.project_uuid}/csv/not-a-file")
    assert missing.status_code == 404 and missing.json()["error"]["name"] == "NotFoundError"


def test_formatted_file_keeps_dates_plain_and_nulls_empty(ld: Any) -> None:
    """CsvService.convertRowToCsv: NULL -> empty cell, date fields YYYY-MM-DD and timestamps
    YYYY-MM-DD HH:mm:ss even in a formatted export; other cells are the API's formatted text."""
    mq = query("orders", ["orders_order_id", "orders_promo_code", "orders_order_date_month", "orders_created_raw"],
               ["orders_total_order_amount"], sorts=[{"fieldId": "orders_order_id", "descending": False}], limit=40)
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv",
                   json={**mq, **DOWNLOAD})["jobId"]
    rows = list(csv.reader(io.StringIO(finished_file(ld, job_id).text)))
    first = sorted(ld.store.data_planes[ld.project_uuid].warehouse.tables["orders"], key=lambda o: o["order_id"])[:40]
    assert rows[0] == ["Order id", "Promo code", "Order date month", "Created raw", "Total order amount"]
    assert rows[1:] == [[str(o["order_id"]), o["promo_code"] or "", o["order_date"].replace(day=1).isoformat(),
                         o["created_at"].strftime("%Y-%m-%d %H:%M:%S"), f"${o['amount']:,.2f}"] for o in first]
    assert any(o["promo_code"] is None for o in first)
    api = run(ld, mq)["rows"][0]["orders_order_date_month"]["value"]["formatted"]
    assert api == first[0]["order_date"].strftime("%Y-%m")  # the API keeps the interval format


def test_truncated_only_when_the_cell_budget_is_filled(ld: Any) -> None:
    """couldBeTruncated: rows x columns >= 100000 - columns. 90 columns allow 1111 rows; the payments
    explore has 1200 rows, so an export with csvLimit null stops at 1111 and says truncated."""
    calcs = [{"name": f"c{i}", "displayName": f"C{i}", "sql": "${payments.payment_id}"} for i in range(89)]
    mq = query("payments", ["payments_payment_id"], [], sorts=[{"fieldId": "payments_payment_id", "descending": False}],
               table_calculations=calcs)
    job_id = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/payments/downloadCsv",
                   json={**mq, **DOWNLOAD, "csvLimit": None})["jobId"]
    resp = finished_file(ld, job_id)
    assert len(resp.text.splitlines()) == 1 + 100000 // 90
    view = ld.ok("GET", f"/api/v1/csv/{job_id}")
    assert view["truncated"] is True and status(ld, job_id)["details"]["truncated"] is True
    assert "filename=csv-incomplete_results-payments-" in resp.headers["Content-Disposition"]


SLOW_SQL = ("(select count(*) from orders a cross join orders b cross join orders c cross join payments d)"
            " || ${TABLE}.status")


def test_an_export_runs_its_query_off_the_event_loop_and_a_timeout_fails_its_job(ld: Any) -> None:
    """The CSV is rendered in a worker thread with the runtime's lock released: other requests are answered
    while the warehouse is busy, and a query the warehouse cancels still answers ``{jobId}``, its job
    ending in ``error`` with the warehouse's message (the job is queued once the query is done)."""
    engine = ld.store.warehouses.engine
    before, engine.timeout = engine.timeout, 4.0  # generous: the GET below must finish first on a loaded machine
    slow = {"id": "slow", "name": "Slow", "type": "sql", "table": "orders", "dimensionType": "string",
            "sql": SLOW_SQL}
    body = {**query("orders", [], ["orders_order_count"]), "customDimensions": [slow], **DOWNLOAD}
    outcome: list[requests.Response] = []
    export = threading.Thread(target=lambda: outcome.append(ld.post(
        f"/api/v1/projects/{ld.project_uuid}/explores/orders/downloadCsv", json=body)))
    try:
        export.start()
        while not engine.busy:
            export.join(0.01)
            assert export.is_alive(), outcome[0].text
        assert ld.ok("GET", "/api/v1/org")["name"]  # answered while the export's query still runs
        assert export.is_alive()
        export.join()
    finally:
        engine.timeout = before
    assert outcome[0].status_code == 200, outcome[0].text
    job_id = outcome[0].json()["results"]["jobId"]
    advance(ld, 10)
    timeout = "canceling statement due to statement timeout"
    assert status(ld, job_id)["details"]["error"] == timeout
    assert ld.error("GET", f"/api/v1/csv/{job_id}", 404, "NotExistsError")["message"] == timeout
