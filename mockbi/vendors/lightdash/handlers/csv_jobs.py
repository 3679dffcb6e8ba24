"""CSV exports: schedule a download job (from an explore query or a saved chart), poll its URL, and
serve the file at ``/api/v1/projects/{projectUuid}/csv/{nanoId}``.

The CSV is rendered when the job is submitted (the warehouse never changes under it), off the event loop,
and kept in the job's payload; the job then moves scheduled -> started -> completed on the injected clock.
A query the data plane rejects (unknown explore or field, a warehouse timeout...) still answers ``{jobId}``:
the job ends in ``error`` with that message, as the real scheduler worker reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockbi.core.deferred import Deferred
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.dataplane import DataPlaneError, csv_file_name
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, chart_in_path, me
from mockbi.vendors.lightdash.handlers._dataplane import (
    EXPLORE_ROLE,
    applied_dashboard_filters,
    project_plane,
    translated,
    with_dashboard_filters,
)
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _submit(store: LightdashStore, req: OpRequest, project_uuid: str, explore: str, download: Mapping[str, Any],
            name: str) -> Any:
    """Plan the query now, render the CSV off the event loop, then queue a ``downloadCsv`` job that reveals
    its URL once completed (a query the data plane refuses queues a job that ends in ``error``)."""
    now = store.now()
    user_uuid = me(req).userUuid
    try:
        render = store.data_plane(project_uuid).prepare_csv(explore, download, now=now)
    except DataPlaneError as exc:
        return _failed_job(store, user_uuid, project_uuid, exc)

    def rendered() -> tuple[str, bool] | DataPlaneError:
        try:
            return render()
        except DataPlaneError as exc:  # the warehouse refused it (a timeout...): the job reports it
            return exc

    def queue_job(live: LightdashStore, outcome: tuple[str, bool] | DataPlaneError) -> dict[str, str]:
        if isinstance(outcome, DataPlaneError):
            return _failed_job(live, user_uuid, project_uuid, outcome)
        text, truncated = outcome
        nano_id = live.nanoid()
        url = f"{req.base_url}/api/v1/projects/{project_uuid}/csv/{nano_id}"
        job = live.job_queue().submit(
            "downloadCsv", user_uuid=user_uuid, details={"fileUrl": url, "truncated": truncated},
            payload={"projectUuid": project_uuid, "nanoId": nano_id, "csv": text,
                     "fileName": csv_file_name(name, now, truncated)})
        return {"jobId": job.job_id}

    return Deferred(rendered, then=queue_job)


def _failed_job(store: LightdashStore, user_uuid: str, project_uuid: str, exc: DataPlaneError) -> dict[str, str]:
    job = store.job_queue().submit("downloadCsv", user_uuid=user_uuid, error=exc.message,
                                   payload={"projectUuid": project_uuid})
    return {"jobId": job.job_id}


def _chart_download_options(chart: m.SavedChart) -> dict[str, Any]:
    """The table chart settings a saved chart's CSV honours: column order, labels, hidden columns."""
    config = (chart.chartConfig.get("config") or {}) if chart.chartConfig.get("type") == "table" else {}
    columns = config.get("columns") or {}
    return {"columnOrder": list(chart.tableConfig.get("columnOrder") or []),
            # Lightdash: a table chart's own setting, any other chart type always shows table names
            "showTableNames": bool(config.get("showTableNames", False)) if chart.chartConfig.get("type") == "table"
            else True,
            "customLabels": {fid: c["name"] for fid, c in columns.items() if isinstance(c, dict) and c.get("name")},
            "hiddenFields": [fid for fid, c in columns.items() if isinstance(c, dict) and c.get("visible") is False]}


@registry.operation("DownloadCsvFromExplore")
def download_csv_from_explore(store: LightdashStore, req: OpRequest) -> Any:
    """Schedule a CSV export of an explore query (csvLimit, onlyRaw, showTableNames, columnOrder...)."""
    project, _ = project_plane(store, req, EXPLORE_ROLE)
    data = body(req)
    return _submit(store, req, project.projectUuid, req.path["exploreId"], data,
                   str(data.get("chartName") or req.path["exploreId"]))


@registry.operation("DownloadCsvFromSavedChart")
def download_csv_from_saved_chart(store: LightdashStore, req: OpRequest) -> Any:
    """Schedule a CSV export of a saved chart's results (with the dashboard's filters, if any)."""
    chart = chart_in_path(store, req, project_role=EXPLORE_ROLE)
    data = body(req)
    plane = store.data_plane(chart.projectUuid)
    applied = applied_dashboard_filters(plane, chart.tableName, data.get("dashboardFilters"), data.get("tileUuid"))
    download: dict[str, Any] = {**with_dashboard_filters(chart.metricQuery, applied), **_chart_download_options(chart),
                                "onlyRaw": bool(data.get("onlyRaw"))}
    if "csvLimit" in data:
        download["csvLimit"] = data["csvLimit"]
    return _submit(store, req, chart.projectUuid, chart.tableName, download, chart.name)


@registry.operation("getCsvUrl")
def get_csv_url(store: LightdashStore, req: OpRequest) -> Any:
    """A CSV job's state; ``url`` appears once it completed (404 for another user's or an unknown job)."""
    with translated():
        return store.job_queue().csv_url_view(req.path["jobId"], me(req).userUuid)


@registry.operation("getCsvFileExt")
def get_csv_file_ext(store: LightdashStore, req: OpRequest) -> Any:
    """The exported CSV file itself (``text/csv``, ``Content-Disposition: attachment``). Like the Express
    route it needs no credentials and looks the file up by its nanoId alone (the path's project is not checked)."""
    queue = store.job_queue()
    for job in store.queued_jobs.values():
        payload = job.payload
        if payload.get("nanoId") == req.path["nanoId"] and job.status_at(queue.clock()) == "completed":
            return Reply(body=payload["csv"], content_type=CSV_CONTENT_TYPE,
                         headers={"Content-Disposition": f"attachment; filename={payload['fileName']}"})
    raise NotFoundError("Cannot find file")
