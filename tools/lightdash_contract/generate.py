"""Generate contracts/lightdash/openapi.json from the Lightdash 0.1411.0 fact tables.

Run from the repository root (needs the team's reference folder, never run in CI)::

    .venv/bin/python tools/lightdash_contract/generate.py [--facts /work/shared/reference]

Mechanical parts come from ``lightdash-ops.json`` (operations, parameters, body and results shapes,
statuses, auth class) and ``lightdash-schemas.json`` (component schemas, converted from OpenAPI 3.0
``nullable`` to JSON Schema 2020-12). Everything that follows the running service rather than the
vendor's document lives in ``overrides.py`` and is reviewed by hand; SOURCE.md lists it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from overrides import (  # noqa: E402
    EXTENSIONS,
    HAND_COMPONENTS,
    OPTIONAL_RESULTS,
    RESULT_OVERRIDES,
    STUB_NOTE,
    SUCCESS_STATUSES,
    TAG_DESCRIPTIONS,
)
from shape import nullable, parse_shape  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
REF = "#/components/schemas/"
ERROR_REF = {"$ref": REF + "ApiErrorPayload"}
SECURITY = {
    "session-or-PAT": [{"ApiKey": []}, {"SessionCookie": []}],
    "session-only": [{"SessionCookie": []}],
    "none": [],
}
# The vendor's envelope-level schemas: we build every envelope ourselves from the results shapes.
SKIP_CENTRAL = {
    "ApiRunQueryResponse",
    "ApiJobStatusResponse",
    "ApiCsvUrlResponse",
    "ApiJobScheduledResponse",
    "ApiSuccessEmpty",
    "ApiErrorPayload",
}


def convert(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema 2020-12 (``nullable`` becomes a ``null`` type or branch)."""
    if isinstance(node, list):
        return [convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: convert(v) for k, v in node.items() if k not in ("nullable", "example")}
    if "properties" in node and isinstance(node["properties"], dict):
        out["properties"] = {k: convert(v) for k, v in node["properties"].items()}
    if node.get("nullable") is True:
        if "$ref" in out or "allOf" in out:
            return {"anyOf": [out, {"type": "null"}]}
        return nullable(out)
    return out


def load_facts(facts: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    ops = json.loads((facts / "lightdash-ops.json").read_text())
    schemas = json.loads((facts / "lightdash-schemas.json").read_text())
    return ops, schemas


class Builder:
    def __init__(self, ops: list[dict[str, Any]], facts: dict[str, Any]) -> None:
        self.ops = ops
        self.components: dict[str, Any] = {}
        for name, schema in facts["enums"].items():
            self.components[name] = convert(schema)
        for name, schema in facts["refTargets"].items():
            self.components[name] = convert(schema)
        for name, entry in facts["schemas"].items():
            if name not in SKIP_CENTRAL:
                self.components[name] = convert(entry["swagger"])
        self.defs: dict[str, tuple[int, Any]] = {}
        self.refs: set[str] = set()
        self.stubs: list[str] = []

    def shape(self, text: str) -> Any:
        text = text.replace("KnexPaginateArgs & object{totalResults,totalPageCount}", "KnexPaginationMeta")
        return parse_shape(text, self.defs, self.refs)

    # --- operations ------------------------------------------------------------------------------
    def parameters(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        types = row.get("pathParamTypes", {})
        params = []
        # Every template name, in path order (the vendor's document omits `projectUuid` on a few).
        for name in re.findall(r"\{(\w+)\}", row["path"]):
            kind = types.get(name, "string")
            schema: dict[str, Any] = {"type": "string"}
            if kind == "number":
                schema = {"type": "number"}
            elif kind == "string(uuid)":
                schema = {
                    "type": "string",
                    "format": "uuid",
                    "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
                }
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
        for q in row["queryParams"]:
            params.append(
                {
                    "name": q["name"],
                    "in": "query",
                    "required": bool(q["required"]),
                    "schema": self.shape(q["type"]),
                }
            )
        return params

    def request_body(self, row: dict[str, Any]) -> dict[str, Any] | None:
        body = row["requestBody"]
        if not body:
            return None
        kind = body["kind"]
        if kind == "any":
            schema: Any = {}
        elif kind == "array":
            schema = {"type": "array", "items": self.shape(body["items"])}
        elif kind == "anyOf":
            schema = {"anyOf": [self.body_object(v) for v in body["variants"]]}
        else:
            schema = self.body_object(body)
        return {"required": bool(body["required"]), "content": {"application/json": {"schema": schema}}}

    def body_object(self, spec: dict[str, Any]) -> Any:
        ref = spec.get("schemaRef")
        if ref and ref in self.components and ref not in ("MetricQuery",):
            return {"$ref": REF + ref}
        props = {p["name"]: self.shape(p["type"]) for p in spec["properties"]}
        required = [p["name"] for p in spec["properties"] if p["required"]]
        out: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out

    def results_schema(self, row: dict[str, Any]) -> Any:
        op_id = row["operationId"]
        if op_id in RESULT_OVERRIDES:
            return RESULT_OVERRIDES[op_id]
        return self.shape(row["responseResultsShape"])

    def responses(self, row: dict[str, Any]) -> dict[str, Any]:
        op_id = row["operationId"]
        statuses = SUCCESS_STATUSES.get(op_id) or {str(row["successStatusActual"]): "results"}
        out: dict[str, Any] = {}
        for status, kind in statuses.items():
            if kind == "redirect":
                out[status] = {
                    "description": "Redirect; no body.",
                    "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
                }
            elif kind == "empty":
                out[status] = {"description": "No content (nothing to change); empty body."}
            elif kind == "ok" or row["responseResultsShape"].startswith("undefined"):
                out[status] = {
                    "description": 'Exactly {"status":"ok"} (the controller returns no results).',
                    "content": {"application/json": {"schema": {"$ref": REF + "ApiSuccessEmpty"}}},
                }
            else:
                out[status] = {
                    "description": "Success.",
                    "content": {"application/json": {"schema": envelope(self.results_schema(row),
                                                                         optional=op_id in OPTIONAL_RESULTS)}},
                }
        if row["auth"] != "none":
            out["401"] = unauthorized()
        out["default"] = {
            "description": "Lightdash error envelope (any 4xx/5xx).",
            "content": {"application/json": {"schema": ERROR_REF}},
        }
        return out

    def operation(self, row: dict[str, Any]) -> dict[str, Any]:
        op: dict[str, Any] = {
            "operationId": row["operationId"],
            "tags": row["tags"] or ["GitHub App"],
            "summary": row.get("summary") or row["operationId"],
        }
        if row.get("deprecated"):
            op["deprecated"] = True
        params = self.parameters(row)
        if params:
            op["parameters"] = params
        body = self.request_body(row)
        if body:
            op["requestBody"] = body
        op["responses"] = self.responses(row)
        op["security"] = SECURITY[row["auth"]]
        return op

    # --- document --------------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        for row in self.ops:
            paths.setdefault(row["path"], {})[row["method"].lower()] = self.operation(row)
        documented = {(r["method"].upper(), r["path"]) for r in self.ops}
        self.skipped_extensions = []
        for ext in EXTENSIONS:
            method, path, op = ext["method"], ext["path"], json.loads(json.dumps(ext["operation"]))
            if (method, path) in documented:
                self.skipped_extensions.append(f"{method} {path}")
                continue
            op["x-mockbi-extension"] = True
            responses = op.setdefault("responses", {})
            if op.get("security"):
                responses["401"] = unauthorized()
            responses["default"] = {
                "description": "Lightdash error envelope (any 4xx/5xx).",
                "content": {"application/json": {"schema": ERROR_REF}},
            }
            paths.setdefault(path, {})[method.lower()] = op
        for name, schema in HAND_COMPONENTS.items():
            self.components[name] = schema
        for name, (_, schema) in sorted(self.defs.items()):
            self.components.setdefault(name, schema)
        self.fill_stubs(paths)
        tags = sorted({t for item in paths.values() for op in item.values() for t in op["tags"]})
        return {
            "openapi": "3.1.0",
            "info": {
                "title": "Lightdash API (mockbi contract)",
                "version": "0.1411.0",
                "description": "mockbi's own contract for the Lightdash 0.1411.0 REST API, authored from "
                "public facts (see SOURCE.md). Follows the running service where it differs from the "
                "vendor's generated document.",
            },
            "servers": [{"url": "/"}],
            "tags": [{"name": t, "description": TAG_DESCRIPTIONS.get(t, t)} for t in tags],
            "paths": dict(sorted(paths.items())),
            "components": {
                "securitySchemes": {
                    "ApiKey": {
                        "type": "apiKey",
                        "in": "header",
                        "name": "Authorization",
                        "description": "Personal access token: `Authorization: ApiKey <token>`.",
                    },
                    "SessionCookie": {
                        "type": "apiKey",
                        "in": "cookie",
                        "name": "connect.sid",
                        "description": "Express session cookie set by POST /api/v1/login.",
                    },
                },
                "schemas": dict(sorted(self.components.items())),
            },
        }

    def fill_stubs(self, paths: dict[str, Any]) -> None:
        while True:
            text = json.dumps([paths, self.components])
            missing = sorted({part.split('"')[0] for part in text.split('"$ref": "' + REF)[1:]} - set(self.components))
            if not missing:
                return
            for name in missing:
                self.components[name] = {"type": "object", "description": STUB_NOTE}
                self.stubs.append(name)


def envelope(results: Any, *, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["status"] if optional else ["status", "results"],
        "properties": {"status": {"const": "ok"}, "results": results},
    }


def unauthorized() -> dict[str, Any]:
    return {
        "description": "Not authenticated: passport's plain-text `Unauthorized` (no session and no "
        "`ApiKey` header) or the JSON AuthorizationError envelope (unknown/expired token, "
        "PAT on a session-only route).",
        "content": {"text/plain": {"schema": {"type": "string"}}, "application/json": {"schema": ERROR_REF}},
    }


def operations_table(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for row in ops:
        statuses = SUCCESS_STATUSES.get(row["operationId"]) or {str(row["successStatusActual"]): "results"}
        rows.append(
            {
                "method": row["method"].upper(),
                "path": row["path"],
                "operationId": row["operationId"],
                "auth": row["auth"],
                "successStatuses": sorted(int(s) for s in statuses),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=Path, default=Path("/work/shared/reference"))
    args = parser.parse_args()
    ops, facts = load_facts(args.facts)
    builder = Builder(ops, facts)
    doc = builder.build()
    out = REPO / "contracts" / "lightdash" / "openapi.json"
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    table = REPO / "tests" / "contract" / "data" / "lightdash_operations.json"
    table.write_text(json.dumps(operations_table(ops), indent=1, ensure_ascii=False) + "\n")
    n_ops = sum(len(v) for v in doc["paths"].values())
    print(f"wrote {out} ({n_ops} operations, {len(doc['components']['schemas'])} schemas)")
    print(f"stubs ({len(builder.stubs)}): {', '.join(builder.stubs)}")
    print(f"skipped extensions: {builder.skipped_extensions}")


if __name__ == "__main__":
    main()
