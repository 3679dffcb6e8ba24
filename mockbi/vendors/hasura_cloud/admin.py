"""Hasura Cloud's own admin routes (``/__mockbi/hasura_cloud/...``): what a test arranges that the API itself
cannot, such as how the next preview-app deployment turns out."""

from __future__ import annotations

import orjson
from aiohttp import web

from mockbi.core.admin import PREFIX
from mockbi.keys import RUNTIME
from mockbi.vendors.hasura_cloud import jobs
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

BASE = f"{PREFIX}/hasura_cloud"


def admin_routes() -> list[web.RouteDef]:
    return [web.post(f"{BASE}/preview_outcomes", preview_outcome)]


async def preview_outcome(request: web.Request) -> web.Response:
    """Fault: ``{"name": app, "outcome": "failed"|"success", "failing_task"?: deployment task}`` makes the
    next creation jobs of that preview app fail (or its deployment fail at ``failing_task``)."""
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return web.json_response({"error": "expected {name, outcome?, failing_task?}"}, status=400)
    outcome, task = body.get("outcome", "success"), body.get("failing_task")
    if outcome not in ("success", "failed") or (task is not None and task not in jobs.DEPLOYMENT_TASKS):
        return web.json_response({"error": f"outcome is success|failed; failing_task one of {jobs.DEPLOYMENT_TASKS}"},
                                 status=400)
    rt = request.config_dict[RUNTIME]
    store = rt.store("hasura_cloud")
    assert isinstance(store, HasuraCloudStore)
    with rt.lock:
        store.preview_outcomes.pop(body["name"], None)
        store.deployment_failures.pop(body["name"], None)
        if outcome == "failed":
            store.preview_outcomes[body["name"]] = "failed"
        if task is not None:
            store.deployment_failures[body["name"]] = task
    return web.json_response({"name": body["name"], "outcome": outcome, "failing_task": task})
