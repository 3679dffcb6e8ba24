"""Hasura Cloud's own admin routes (``/__mockbi/hasura_cloud/...``): what a test arranges that the API itself
cannot, such as how the next preview-app deployment turns out."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mockbi.core.vendor_admin import AdminCall, admin_route
from mockbi.vendors.hasura_cloud import jobs
from mockbi.vendors.hasura_cloud.errors import ArrangeError
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore


def admin_routes() -> list[web.RouteDef]:
    return [admin_route("POST", "hasura_cloud", "preview_outcomes", HasuraCloudStore, preview_outcome)]


def preview_outcome(call: AdminCall[HasuraCloudStore]) -> tuple[dict[str, Any], int]:
    """Fault: ``{"name": app, "outcome": "failed"|"success", "failing_task"?: deployment task}`` makes the
    next creation jobs of that preview app fail (or its deployment fail at ``failing_task``)."""
    body, store = call.body, call.store
    if not isinstance(body.get("name"), str):
        raise ArrangeError("expected {name, outcome?, failing_task?}")
    outcome, task = body.get("outcome", "success"), body.get("failing_task")
    if outcome not in ("success", "failed") or (task is not None and task not in jobs.DEPLOYMENT_TASKS):
        raise ArrangeError(f"outcome is success|failed; failing_task one of {jobs.DEPLOYMENT_TASKS}")
    store.preview_outcomes.pop(body["name"], None)
    store.deployment_failures.pop(body["name"], None)
    if outcome == "failed":
        store.preview_outcomes[body["name"]] = "failed"
    if task is not None:
        store.deployment_failures[body["name"]] = task
    return {"name": body["name"], "outcome": outcome, "failing_task": task}, 200
