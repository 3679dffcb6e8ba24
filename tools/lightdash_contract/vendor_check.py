"""Cross-check mockbi's Lightdash replies against Lightdash's own generated document (never run in CI).

A pytest plugin: every 2xx JSON reply the Lightdash test folder gets back (``ld`` and ``api`` fixtures) is
validated against the response schema the vendor's swagger gives its operation, reading OpenAPI 3.0.3
strictly (``nullable`` only counts where ``type`` is in the same schema object). Extensions are checked
against the vendor's component schema of their payload where it has one. Run from the repository root::

    PYTHONPATH=tools/lightdash_contract .venv/bin/python -m pytest tests/vendors/lightdash \\
        -p vendor_check -p no:cacheprovider -W ignore::DeprecationWarning \\
        [--vendor-swagger /work/shared/reference/upstream/lightdash-0.1411.0.swagger.json]

The report (one line per operation that breaks the document) is printed at the end of the session.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

DEFAULT = Path("/work/shared/reference/upstream/lightdash-0.1411.0.swagger.json")
#: extension -> the vendor's component schema of its ``results`` ("[]" prefix: an array of it)
EXTENSIONS = {"getSavedChartExt": "SavedChart", "updateSavedChartExt": "SavedChart",
              "createSavedChartExt": "SavedChart", "createSavedChartVersionExt": "SavedChart",
              "getDashboardExt": "Dashboard", "updateDashboardExt": "Dashboard", "loginExt": "LightdashUser",
              "createPersonalAccessTokenExt": "PersonalAccessTokenWithToken",
              "listPersonalAccessTokensExt": "[]PersonalAccessToken"}
SEEN: dict[str, list[bytes]] = collections.defaultdict(list)


def convert(node: Any) -> Any:
    """OpenAPI 3.0.3 -> JSON Schema, strictly: ``nullable`` adds null only next to ``type``."""
    if isinstance(node, list):
        return [convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: convert(v) for k, v in node.items() if k not in ("nullable", "example")}
    if "properties" in node and isinstance(node["properties"], dict):
        out["properties"] = {k: convert(v) for k, v in node["properties"].items()}
    if node.get("nullable") is True and "type" in node:
        kind = out["type"]
        out["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--vendor-swagger", type=Path, default=DEFAULT, help="Lightdash's swagger document")


def _schema(swagger: dict[str, Any], op_id: str) -> Any:
    if op_id in EXTENSIONS:
        name = EXTENSIONS[op_id]
        inner: dict[str, Any] = {"$ref": "#/components/schemas/" + name.removeprefix("[]")}
        if name.startswith("[]"):
            inner = {"type": "array", "items": inner}
        return {"type": "object", "required": ["results"], "properties": {"results": inner}}
    for methods in swagger["paths"].values():
        for op in methods.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                for status in ("200", "201", "204"):
                    media = op.get("responses", {}).get(status, {}).get("content", {}).get("application/json")
                    if media:
                        return convert(media["schema"])
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    funcargs = getattr(item, "funcargs", {})
    calls = []
    if funcargs.get("ld") is not None:
        calls += list(funcargs["ld"].server.runtime.journal.calls)
    if funcargs.get("api") is not None:
        calls += list(funcargs["api"].mockbi.journal)
    for call in calls:
        if (call.vendor == "lightdash" and call.operation_id and 200 <= (call.status or 0) < 300
                and (call.content_type or "").startswith("application/json") and call.response_bytes):
            SEEN[call.operation_id].append(call.response_bytes)
    yield


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    swagger = json.loads(Path(session.config.getoption("--vendor-swagger")).read_text())
    components = {k: convert(v) for k, v in swagger["components"]["schemas"].items()}
    lines, ok = [], 0
    for op_id in sorted(SEEN):
        schema = _schema(swagger, op_id)
        if schema is None:
            lines.append(f"skip {op_id}: the document has no JSON schema for it")
            continue
        validator = jsonschema.Draft202012Validator({**schema, "components": {"schemas": components}})
        problems: collections.Counter[str] = collections.Counter()
        for raw in SEEN[op_id][:40]:
            try:
                reply = json.loads(raw)
            except json.JSONDecodeError:  # the journal keeps a truncated copy of a large body
                continue
            for error in validator.iter_errors(reply):
                where = "/".join(str(p) for p in error.absolute_path)
                problems[f"{where}: {error.message[:160]}"] += 1
        if not problems:
            ok += 1
            continue
        lines.append(f"FAIL {op_id} ({len(SEEN[op_id])} replies)")
        lines += [f"    {n}x {text}" for text, n in problems.most_common(6)]
    lines.append(f"{ok} operations conform, {sum(1 for x in lines if x.startswith('FAIL'))} do not")
    print("\n" + "\n".join(lines))
