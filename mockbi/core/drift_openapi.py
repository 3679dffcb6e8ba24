"""OpenAPI drift: what changed between mockbi's contract (``old``) and a document the vendor publishes now
(``new``), OpenAPI 3.0 or 3.1.

Operations are matched by method and path with the parameter names blanked (``GET /dashboards/{}``), so a
renamed path parameter is not an added and a removed operation. For each operation present in both:
parameters, the JSON request body, and the JSON body of every status both declare are compared property by
property (``$ref`` followed, ``allOf`` merged, 3.0 ``nullable`` read as a ``null`` type).

Severity, for a client tested against mockbi: *breaking* when that client may now fail against the vendor
(an operation or a success status gone, a parameter or request property newly required, a response property
gone, a type changed, an enum value gone); *non-breaking* otherwise (additions, removals a client cannot
notice, a response property the vendor now marks optional).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
JSON = "application/json"
_PARAM = re.compile(r"\{[^}]*\}")
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``kind`` (e.g. ``property_removed``), ``where`` (operation and location) and details."""

    kind: str
    breaking: bool
    where: str
    detail: str
    #: the operationId in mockbi's contract (else the vendor's), when the change belongs to an operation
    operation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": "breaking" if self.breaking else "non-breaking",
                "operation": self.operation, "where": self.where, "detail": self.detail}


Emit = Callable[[str, bool, str, str], None]


class _Doc:
    """One OpenAPI document: ``$ref`` resolution and schema normalisation."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") \
                and seen < 32:
            target: Any = self.document
            for part in node["$ref"][2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) \
                    else {}
            node, seen = target, seen + 1
        return node

    def schema(self, node: Any) -> dict[str, Any]:
        """A schema with ``$ref`` followed and ``allOf`` parts merged (properties, required)."""
        node = self.deref(node)
        if not isinstance(node, dict):
            return {}
        if "allOf" not in node:
            return node
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        props = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for part in node["allOf"]:
            sub = self.schema(part)
            props.update(sub.get("properties", {}))
            required += sub.get("required", [])
            for key in ("type", "enum", "items", "nullable"):
                if key in sub and key not in merged:
                    merged[key] = sub[key]
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        return merged

    def operations(self) -> dict[str, tuple[str, dict[str, Any], list[dict[str, Any]]]]:
        """``"METHOD /path/{}"`` → (the path as written, the operation, its parameters incl. path-level)."""
        found = {}
        for path, item in (self.document.get("paths") or {}).items():
            item = self.deref(item)
            shared = [self.deref(p) for p in item.get("parameters", [])]
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    params = {(p.get("in"), p.get("name")): p for p in shared}
                    own = map(self.deref, op.get("parameters", []))
                    params.update({(p.get("in"), p.get("name")): p for p in own})
                    found[f"{method.upper()} {_PARAM.sub('{}', path)}"] = (f"{method.upper()} {path}", op,
                                                                           list(params.values()))
        return found


def types_of(schema: dict[str, Any]) -> frozenset[str]:
    """The JSON types a schema allows (empty: unconstrained or not a plain typed schema)."""
    declared = schema.get("type")
    types = set(declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else [])
    if schema.get("nullable") is True and types:
        types.add("null")
    # integer vs number is a document's precision, not a different JSON type
    return frozenset("number" if t == "integer" else t for t in types)


def _shown(types: frozenset[str]) -> str:
    return "|".join(sorted(types))


def compare_schemas(old_doc: _Doc, new_doc: _Doc, old: Any, new: Any, where: str, request: bool, emit: Emit,
                    depth: int = 0) -> None:
    """Property by property: added, removed, retyped, required changes and enum values."""
    old_s, new_s = old_doc.schema(old), new_doc.schema(new)
    if depth > MAX_DEPTH or not old_s or not new_s:
        return
    old_t, new_t = types_of(old_s), types_of(new_s)
    if old_t and new_t and old_t != new_t:
        # a request that may now send null, or a response that may no longer, is not a client failure
        widened = old_t < new_t if request else new_t < old_t
        emit("type_changed", not widened, where, f"type {_shown(old_t)} → {_shown(new_t)}")
    old_enum, new_enum = old_s.get("enum"), new_s.get("enum")
    if isinstance(old_enum, list) and isinstance(new_enum, list):
        for value in [v for v in old_enum if v not in new_enum]:
            emit("enum_value_removed", True, where, f"enum value {value!r} removed")
        for value in [v for v in new_enum if v not in old_enum]:
            emit("enum_value_added", False, where, f"enum value {value!r} added")
    if "items" in old_s and "items" in new_s:
        compare_schemas(old_doc, new_doc, old_s["items"], new_s["items"], where + "[]", request, emit, depth + 1)
    old_p, new_p = old_s.get("properties"), new_s.get("properties")
    if not isinstance(old_p, dict) or not isinstance(new_p, dict):
        return  # one side leaves the object's properties open: nothing to compare them with
    old_req, new_req = set(old_s.get("required") or []), set(new_s.get("required") or [])
    for name in sorted(set(old_p) | set(new_p)):
        sub = f"{where}.{name}"
        if name not in new_p:
            emit("property_removed", not request, sub, "property removed")
        elif name not in old_p:
            required = request and name in new_req
            emit("property_added", required, sub, "required property added" if required else "property added")
        else:
            if name in new_req and name not in old_req:
                emit("property_required", request, sub, "property made required")
            elif name in old_req and name not in new_req:
                emit("property_optional", False, sub, "property made optional")
            compare_schemas(old_doc, new_doc, old_p[name], new_p[name], sub, request, emit, depth + 1)


def _json_schema(doc: _Doc, holder: Any) -> Any:
    content = (doc.deref(holder) or {}).get("content") or {}
    media = content.get(JSON) or next((v for k, v in content.items() if "json" in k), None)
    return media.get("schema") if isinstance(media, dict) else None


def _compare_parameters(old_doc: _Doc, new_doc: _Doc, old_params: list[dict[str, Any]],
                        new_params: list[dict[str, Any]], label: str, emit: Emit) -> None:
    old_by = {(p.get("in"), p.get("name")): p for p in old_params if p.get("in") != "path"}
    new_by = {(p.get("in"), p.get("name")): p for p in new_params if p.get("in") != "path"}
    for key in sorted(set(old_by) | set(new_by), key=str):
        where = f"{label} {key[0]} parameter {key[1]}"
        if key not in new_by:
            emit("parameter_removed", False, where, "parameter removed")
        elif key not in old_by:
            required = bool(new_by[key].get("required"))
            emit("parameter_added", required, where, "required parameter added" if required else "parameter added")
        else:
            if new_by[key].get("required") and not old_by[key].get("required"):
                emit("parameter_required", True, where, "parameter made required")
            compare_schemas(old_doc, new_doc, old_by[key].get("schema"), new_by[key].get("schema"), where, True,
                            emit)


def _compare_operation(old_doc: _Doc, new_doc: _Doc, label: str, old: tuple[str, dict[str, Any], list[Any]],
                       new: tuple[str, dict[str, Any], list[Any]], emit: Emit) -> None:
    _compare_parameters(old_doc, new_doc, old[2], new[2], label, emit)
    old_body = _json_schema(old_doc, old[1].get("requestBody"))
    new_body = _json_schema(new_doc, new[1].get("requestBody"))
    if old_body is not None and new_body is not None:
        compare_schemas(old_doc, new_doc, old_body, new_body, f"{label} request body", True, emit)
    old_res = {str(k): v for k, v in (old[1].get("responses") or {}).items()}
    new_res = {str(k): v for k, v in (new[1].get("responses") or {}).items()}
    for status in sorted(set(old_res) | set(new_res)):
        where = f"{label} response {status}"
        if status not in new_res:
            emit("status_removed", status.startswith("2"), where, f"status {status} no longer declared")
        elif status not in old_res:
            emit("status_added", False, where, f"status {status} declared")
        else:
            old_schema, new_schema = _json_schema(old_doc, old_res[status]), _json_schema(new_doc, new_res[status])
            if old_schema is not None and new_schema is not None:
                compare_schemas(old_doc, new_doc, old_schema, new_schema, f"{where} body", False, emit)


def compare_openapi(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` (mockbi's contract) to ``new`` (the vendor's document), in a stable order.
    An operation marked ``x-mockbi-extension`` exists only in mockbi: its absence is not drift."""
    changes: list[Change] = []
    current: list[str | None] = [None]

    def emit(kind: str, breaking: bool, where: str, detail: str) -> None:
        changes.append(Change(kind, breaking, where, detail, current[0]))

    old_doc, new_doc = _Doc(old), _Doc(new)
    old_ops, new_ops = old_doc.operations(), new_doc.operations()
    for key in sorted(set(old_ops) | set(new_ops)):
        current[0] = (old_ops.get(key) or new_ops[key])[1].get("operationId")
        if key not in new_ops:
            if not old_ops[key][1].get("x-mockbi-extension"):  # an extension exists only in mockbi
                emit("operation_removed", True, old_ops[key][0], "operation no longer in the vendor's document")
        elif key not in old_ops:
            emit("operation_added", False, new_ops[key][0], "operation not in mockbi's contract")
        else:
            _compare_operation(old_doc, new_doc, new_ops[key][0], old_ops[key], new_ops[key], emit)
    return changes
