"""Routes come from the contract: every operation (and each spelling its vendor answers) becomes an
aiohttp route named after the operationId, literal segments registered before ``{param}`` segments
(prism's specificity score), so ``/metrics/tree`` wins over ``/{table}/tree``."""

from __future__ import annotations

from aiohttp import web

from mockbi.core.contracts import Operation, RestContract
from mockbi.core.pipeline import make_handler
from mockbi.core.vendor import RestVendor


def specificity(path: str) -> tuple[tuple[int, ...], int]:
    """Sort key: at each segment a literal (0) beats a template (1); then longer paths first."""
    segments = [s for s in path.split("/") if s]
    return tuple(1 if s.startswith("{") else 0 for s in segments), -len(segments)


def route_table(vendor: RestVendor, contract: RestContract) -> list[tuple[str, str, Operation]]:
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
    return sorted(unique, key=lambda r: specificity(r[1]))


def add_routes(app: web.Application, vendor: RestVendor, contract: RestContract) -> int:
    handlers = {op_id: make_handler(vendor, contract, op) for op_id, op in contract.operations.items()}
    table = route_table(vendor, contract)
    for method, path, op in table:
        app.router.add_route(method, path, handlers[op.operation_id])
    return len(table)
