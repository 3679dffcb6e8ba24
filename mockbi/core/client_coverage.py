"""Client-suite coverage: which contract operations, statuses and error branches the client under test drove.

Every answered call is counted by (vendor, operation, status), with how many of those answers were injected
(a fault rule or ``Prefer: code=``), so a suite can prove it handles each documented error. Calls no
operation matched are counted per vendor. Counts survive ``reset`` (a pytest session resets before every
test); ``clear()`` (``DELETE /__mockbi/coverage/client``) starts again.

A *snapshot* (``{"declared": ..., "counts": ...}``) is plain JSON data, so snapshots from several servers
(pytest-xdist workers) merge by adding counts; :func:`report` turns one into the published document.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from mockbi.core.journal import Call

if TYPE_CHECKING:
    from mockbi.core.runtime import VendorRuntime

FORMAT = "mockbi-client-coverage/1"
DISCONNECT = "disconnect"


class ClientCoverage:
    """Thread-safe counters of one app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, dict[str, list[int]]]] = {}
        self._unmatched: dict[str, int] = {}

    def observe(self, call: Call, vendor: str | None = None) -> None:
        """Count one answered call (a status of 0, a dropped connection, counts as ``disconnect``); a call no
        operation matched counts as unmatched for ``vendor`` (default: the call's)."""
        vendor = vendor or call.vendor or "-"
        with self._lock:
            if call.operation_id is None:
                self._unmatched[vendor] = self._unmatched.get(vendor, 0) + 1
                return
            status = str(call.status) if call.status else DISCONNECT
            operations = self._counts.get(vendor)
            if operations is None:
                operations = self._counts[vendor] = {}
            statuses = operations.get(call.operation_id)
            if statuses is None:
                statuses = operations[call.operation_id] = {}
            seen = statuses.get(status)
            if seen is None:  # (not setdefault: its default would be built on every call)
                seen = statuses[status] = [0, 0]
            seen[0] += 1
            seen[1] += call.fault is not None

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
            self._unmatched.clear()

    def snapshot(self, vendors: dict[str, VendorRuntime]) -> dict[str, Any]:
        with self._lock:
            counts = {v: {op: {s: list(n) for s, n in st.items()} for op, st in ops.items()}
                      for v, ops in self._counts.items()}
            unmatched = dict(self._unmatched)
        return {"declared": declared(vendors), "counts": counts, "unmatched": unmatched}


def declared(vendors: dict[str, VendorRuntime]) -> dict[str, Any]:
    """Per vendor: its title and, per operation, the route and the declared error statuses (REST only:
    GraphQL errors travel in 200 answers)."""
    out: dict[str, Any] = {}
    for name, vr in vendors.items():
        ops: dict[str, Any] = {}
        operations = getattr(vr.contract, "operations", None)
        for op_id, label, _extension in vr.contract.coverage_items():
            errors: list[str] = []
            if isinstance(operations, dict) and op_id in operations:
                errors = sorted(s for s in operations[op_id].responses if s.isdigit() and int(s) >= 400)
            ops[op_id] = {"route": label, "error_statuses": errors}
        out[name] = {"title": vr.vendor.title, "operations": ops}
    return out


def merge(into: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Add ``other``'s counts to ``into`` (both snapshots; ``into`` may be empty) and return ``into``."""
    for vendor, info in other.get("declared", {}).items():
        into.setdefault("declared", {}).setdefault(vendor, info)
    counts = into.setdefault("counts", {})
    for vendor, ops in other.get("counts", {}).items():
        for op, statuses in ops.items():
            for status, (n, injected) in statuses.items():
                seen = counts.setdefault(vendor, {}).setdefault(op, {}).setdefault(status, [0, 0])
                seen[0] += n
                seen[1] += injected
    unmatched = into.setdefault("unmatched", {})
    for vendor, n in other.get("unmatched", {}).items():
        unmatched[vendor] = unmatched.get(vendor, 0) + n
    return into


def _pct(part: int, total: int) -> float:
    return round(100.0 * part / total, 1) if total else 100.0


def report(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The published document: per vendor, operations exercised / declared, statuses seen per operation
    (and how many were injected), declared error statuses never seen, operations never called."""
    vendors: dict[str, Any] = {}
    counts = snapshot.get("counts", {})
    for name, info in snapshot.get("declared", {}).items():
        rows = []
        for op_id, op in info["operations"].items():
            seen = counts.get(name, {}).get(op_id, {})
            statuses = {s: n for s, (n, _) in sorted(seen.items())}
            rows.append({"operation_id": op_id, "route": op["route"], "calls": sum(statuses.values()),
                         "statuses": statuses,
                         "injected": {s: i for s, (_, i) in sorted(seen.items()) if i},
                         "error_statuses_declared": op["error_statuses"],
                         "error_statuses_missing": [s for s in op["error_statuses"] if s not in seen]})
        exercised = [r for r in rows if r["calls"]]
        vendors[name] = {"title": info["title"], "operations_declared": len(rows),
                         "operations_exercised": len(exercised), "percent": _pct(len(exercised), len(rows)),
                         "unmatched_calls": snapshot.get("unmatched", {}).get(name, 0), "operations": rows}
    declared_total = sum(v["operations_declared"] for v in vendors.values())
    exercised_total = sum(v["operations_exercised"] for v in vendors.values())
    return {"format": FORMAT, "operations_declared": declared_total, "operations_exercised": exercised_total,
            "percent": _pct(exercised_total, declared_total),
            "unmatched_calls": sum(snapshot.get("unmatched", {}).values()), "vendors": vendors}
