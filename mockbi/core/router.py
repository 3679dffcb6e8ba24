"""Routes come from the contract: every operation (and each spelling its vendor answers) becomes an
aiohttp route, literal segments registered before ``{param}`` segments (prism's specificity score), so
``/metrics/tree`` wins over ``/{table}/tree``.

Every GET also answers HEAD (as the services' frameworks do). A contract path asked with a method it does
not declare reaches the vendor's ``method_not_allowed`` hook (a 405 in the vendor's own envelope, after
whatever checks the vendor makes first), registered once per path *shape* so that two templates of the
same shape with different parameter names (Lightdash's comment routes) still reach each other's methods.
The resources are registered through ``core/route_index.py``, so resolving a request costs the same with 10
routes under a prefix as with 100.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from mockbi.core.contracts import Operation, RestContract
from mockbi.core.pipeline import make_handler, make_not_allowed_handler
from mockbi.core.route_index import RouteBuilder
from mockbi.core.runtime import Runtime
from mockbi.core.serving import served
from mockbi.core.vendor import RestVendor
from mockbi.keys import RUNTIME


def specificity(path: str) -> tuple[tuple[int, ...], int]:
    """Sort key: at each segment a literal (0) beats a template (1); then longer paths first."""
    segments = [s for s in path.split("/") if s]
    return tuple(1 if s.startswith("{") else 0 for s in segments), -len(segments)


def route_table(vendor: RestVendor[Any], contract: RestContract) -> list[tuple[str, str, Operation]]:
    """(method, path, operation) for every operation and path variant, most specific first."""
    rows = [(op.method, variant, op)
            for op in contract.operations.values()
            for variant in vendor.path_variants(op.path)]
    seen: set[tuple[str, str]] = set()
    unique = []
    for method, path, op in rows:
        if (method, path) not in seen:
            seen.add((method, path))
            unique.append((method, path, op))
    # same-shape paths stay together (stable sort), so each shape's catch-all goes after all its routes
    return sorted(unique, key=lambda r: (specificity(r[1]), shape(r[1])))


def shape(path: str) -> str:
    """``/a/{x}/b`` and ``/a/{y}/b`` have the same shape ``/a/{}/b``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def add_routes(app: web.Application, vendor: RestVendor[Any], contract: RestContract) -> int:
    """Register the vendor's routes; returns how many (method, path) pairs its operations are served at."""
    routes = RouteBuilder()
    for method, path, handler in route_plan(vendor, contract, app[RUNTIME]):
        routes.add_route(method, path, served(app, handler))
    routes.register(app.router)
    return len(route_table(vendor, contract))


def route_plan(vendor: RestVendor[Any], contract: RestContract, rt: Runtime) -> list[tuple[str, str, Any]]:
    """(method, path, handler) in registration order: each operation's spellings (GET with its HEAD), each
    shape closed by its catch-all for undeclared methods."""
    handlers = {op_id: make_handler(vendor, contract, op, rt) for op_id, op in contract.operations.items()}
    by_shape: dict[str, list[tuple[str, str, Operation]]] = {}
    for row in route_table(vendor, contract):
        by_shape.setdefault(shape(row[1]), []).append(row)
    plan: list[tuple[str, str, Any]] = []
    for rows in by_shape.values():
        for method, path, op in rows:
            plan.append((method, path, handlers[op.operation_id]))
            if method == "GET":
                plan.append(("HEAD", path, handlers[op.operation_id]))
        allowed = sorted({m for m, _, _ in rows} | ({"HEAD"} if any(m == "GET" for m, _, _ in rows) else set()))
        plan.append(("*", rows[-1][1], make_not_allowed_handler(vendor, [op for _, _, op in rows], allowed)))
    return plan
