"""Near-miss answers (WireMock's near-miss report): for a request no operation matches, the closest declared
operations as ``METHOD /path/template``.

Paths are compared segment by segment (an edit distance over segments): a ``{param}`` segment matches any
segment, other segments cost by how different their text is, a missing or extra segment costs 1 and a
different method 0.5, so a wrong method, a typo'd word and a missing trailing part all rank close.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockbi.core.runtime import Runtime

HEADER = "X-Mockbi-Near-Miss"
#: how far a declared operation may be and still be named (about two wrong segments)
MAX_DISTANCE = 2.0
#: and how much farther than the closest one (a clear typo is not padded with distant guesses)
MAX_BEHIND_BEST = 1.0
#: paths longer than this are not compared (a fuzzer's path is nobody's near miss)
MAX_SEGMENTS = 24
METHOD_COST = 0.5


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _cost(template: str, actual: str) -> float:
    if template == actual or (template.startswith("{") and template.endswith("}")):
        return 0.0
    return 1.0 - difflib.SequenceMatcher(None, template.lower(), actual.lower()).ratio()


def path_distance(template: str, path: str) -> float:
    """Edit distance between a path template and a concrete path, over segments."""
    want, got = _segments(template), _segments(path)
    previous = [float(j) for j in range(len(got) + 1)]
    for i, seg in enumerate(want, 1):
        row = [float(i)]
        for j, actual in enumerate(got, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + _cost(seg, actual)))
        previous = row
    return previous[-1] + (0.1 if template.endswith("/") != path.endswith("/") else 0.0)


def declared_routes(rt: Runtime) -> list[tuple[str, str, str]]:
    """Every (vendor, method, path template) the served contracts declare; a GraphQL vendor declares its endpoint."""
    routes: list[tuple[str, str, str]] = []
    for name, vr in rt.vendors.items():
        operations = getattr(vr.contract, "operations", None)
        if isinstance(operations, dict):
            routes += [(name, op.method, op.path) for op in operations.values()]
        endpoint = getattr(vr.vendor, "endpoint", None)
        if isinstance(endpoint, str):
            routes.append((name, "POST", endpoint))
    return routes


def closest(rt: Runtime, method: str, path: str, limit: int = 3) -> list[tuple[str, str]]:
    """Up to ``limit`` declared operations closest to ``method path``, closest first, as
    ``(vendor, "METHOD /template")``."""
    if len(_segments(path)) > MAX_SEGMENTS:
        return []
    scored = []
    for vendor, declared_method, template in declared_routes(rt):
        distance = path_distance(template, path) + (METHOD_COST if declared_method != method.upper() else 0.0)
        if distance <= MAX_DISTANCE:
            scored.append((distance, vendor, f"{declared_method} {template}"))
    scored.sort()
    found: list[tuple[str, str]] = []
    for distance, vendor, name in scored:
        if distance <= scored[0][0] + MAX_BEHIND_BEST and all(name != seen for _, seen in found):
            found.append((vendor, name))
    return found[:limit]


def header_value(names: list[str]) -> str:
    return ", ".join(names)
