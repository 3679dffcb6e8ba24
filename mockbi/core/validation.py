"""Check requests and responses against the contract; every problem becomes a :class:`Violation`.

Request violations are rejected in the vendor's own error shape; response violations are mock
defects, reported in the journal and the ``X-Mockbi-Violations`` header (and as a 500 in strict mode).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from multidict import MultiMapping

from mockbi.core.contracts import JSON_MEDIA, Operation, Parameter, RestContract

#: how deeply a request body may nest objects and arrays. The services take deeper JSON, but mockbi could
#: neither validate it (jsonschema-rs stops at its recursion limit) nor send it back (orjson stops at 254
#: levels), so a deeper body is a request violation, answered by the vendor in its own shape.
MAX_JSON_DEPTH = 100


@dataclass(frozen=True, slots=True)
class Violation:
    """One contract violation. ``where`` is ``path``, ``query``, ``header``, ``body`` or ``response``;
    ``field`` names the offending item (``name``, ``tiles.0.id``), empty for the whole document."""

    where: str
    field: str
    message: str
    keyword: str = ""

    def __str__(self) -> str:
        loc = f"{self.where}.{self.field}" if self.field else self.where
        return f"{loc}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "field": self.field, "message": self.message, "keyword": self.keyword}


class _Uncoercible(Exception):
    pass


def _types(schema: Mapping[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    if isinstance(t, str):
        return [t]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [x for s in schema[key] for x in _types(s)]
    return []


def coerce_scalar(raw: str, schema: Mapping[str, Any]) -> Any:
    """Turn a path/query string into the contract's type (integer, number, boolean), if it can."""
    kinds = _types(schema)
    if not kinds or "string" in kinds:
        return raw
    for kind in kinds:
        try:
            if kind == "integer":
                return int(raw)
            if kind == "number":
                value = float(raw)
                return int(value) if value.is_integer() and "." not in raw and "e" not in raw.lower() else value
            if kind == "boolean" and raw.lower() in ("true", "false", "1", "0"):
                return raw.lower() in ("true", "1")
        except ValueError:
            continue
    raise _Uncoercible(raw)


def _error_field(prefix: str, err: jsonschema_rs.ValidationError) -> str:
    parts = [str(p) for p in err.instance_path]
    kind = err.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        parts.append(str(kind.property))
    joined = ".".join(parts)
    if prefix:
        return f"{prefix}.{joined}" if joined else prefix
    return joined


def _schema_errors(validator: jsonschema_rs.Validator, instance: Any, where: str,
                   prefix: str = "") -> list[Violation]:
    if validator.is_valid(instance):  # the common case, and cheaper than collecting errors
        return []
    return [Violation(where, _error_field(prefix, e), e.message, type(e.kind).__name__.lower())
            for e in validator.iter_errors(instance)]


def _coerce_params(params: tuple[Parameter, ...], source: Mapping[str, str] | MultiMapping[str],
                   where: str) -> tuple[dict[str, Any], list[Violation]]:
    values: dict[str, Any] = {}
    problems: list[Violation] = []
    multi = source if isinstance(source, MultiMapping) else None
    for p in params:
        if multi is not None and p.is_array:
            raws = multi.getall(p.name, []) or multi.getall(p.name + "[]", [])
            if not raws:
                if p.required:
                    problems.append(Violation(where, p.name, f"'{p.name}' is required", "required"))
                continue
            item_schema = p.schema.get("items", {})
            try:
                values[p.name] = [coerce_scalar(r, item_schema) for r in raws]
            except _Uncoercible as exc:
                problems.append(Violation(where, p.name, f"invalid value {exc.args[0]!r}", "type"))
            continue
        raw = source.get(p.name)
        if raw is None:
            if p.required:
                problems.append(Violation(where, p.name, f"'{p.name}' is required", "required"))
            continue
        try:
            values[p.name] = coerce_scalar(raw, p.schema)
        except _Uncoercible:
            problems.append(Violation(where, p.name, f"invalid value {raw!r}, expected {'/'.join(_types(p.schema))}",
                                      "type"))
    return values, problems


def _check_values(contract: RestContract, op: Operation, where: str, values: dict[str, Any]) -> list[Violation]:
    if not values:
        return []
    validator = contract.validator((op.operation_id, where), op.param_schemas[where])
    return _schema_errors(validator, values, where)


def validate_parameters(contract: RestContract, op: Operation, match_info: Mapping[str, str],
                        query: MultiMapping[str],
                        headers: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[Violation]]:
    """Coerce and check path, query and header parameters. Returns (path, query, violations)."""
    path, problems = _coerce_params(op.params("path"), match_info, "path")
    values, q_problems = _coerce_params(op.params("query"), query, "query")
    problems += q_problems
    problems += _check_values(contract, op, "path", path)
    problems += _check_values(contract, op, "query", values)
    header_params = op.params("header")
    if header_params:
        hvals, h_problems = _coerce_params(header_params, headers, "header")
        problems += h_problems + _check_values(contract, op, "header", hvals)
    return path, values, problems


#: a request target (path and query) longer than this is checked every time, not kept
KEPT_TARGET = 1024
#: parameter verdicts kept per contract (emptied when full)
KEPT_PARAMETERS = 4096


def checked_parameters(contract: RestContract, op: Operation, target: str, match_info: Mapping[str, str],
                       query: MultiMapping[str],
                       headers: MultiMapping[str]) -> tuple[dict[str, Any], dict[str, Any], list[Violation]]:
    """``validate_parameters``, kept per (operation, raw request target, values of the declared header
    parameters): the same target is the same path and query parameters. Each call gets its own copies."""
    declared = op.params("header")
    key = (op.operation_id, target, *(tuple(headers.getall(p.name, ())) for p in declared)) if declared \
        else (op.operation_id, target)
    kept = contract.parameter_verdicts.get(key)
    if kept is None:
        kept = validate_parameters(contract, op, match_info, query, headers)
        if len(target) <= KEPT_TARGET:
            if len(contract.parameter_verdicts) >= KEPT_PARAMETERS:
                contract.parameter_verdicts.clear()
            contract.parameter_verdicts[key] = kept
    path, values, problems = kept
    return _fresh(path), _fresh(values), list(problems)


def _fresh(values: dict[str, Any]) -> dict[str, Any]:
    """A copy a handler may change (array parameters are lists: each copied too)."""
    copied = dict(values)
    for name, value in copied.items():
        if type(value) is list:
            copied[name] = list(value)
    return copied


def nesting_violation(body: Any, limit: int = MAX_JSON_DEPTH) -> Violation | None:
    """A violation when ``body`` nests objects/arrays more than ``limit`` deep (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(body, 1)] if isinstance(body, dict | list) else []
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return too_deep(limit)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None


def too_deep(limit: int = MAX_JSON_DEPTH) -> Violation:
    return Violation("body", "", f"the JSON body is nested more than {limit} levels deep", "maxDepth")


def validate_body(contract: RestContract, op: Operation, body: Any, media: str | None,
                  *, prefix: str = "") -> list[Violation]:
    """Check a parsed request body. ``body is None`` means no body was sent."""
    if body is None:
        if op.request_required:
            return [Violation("body", prefix, "request body is required", "required")]
        return []
    key = media if media in op.request_media else JSON_MEDIA
    schema = op.request_media.get(key)
    if schema is None:
        return []
    return _schema_errors(contract.validator((op.operation_id, "request", key), schema), body, "body", prefix)


def validate_response(contract: RestContract, op: Operation, status: int, content_type: str | None,
                      body: Any, *, has_body: bool, payload: bytes | None = None) -> list[Violation]:
    """Check what the mock is about to send: the status is declared, the media type and the schema match.
    With ``payload`` (the bytes ``body`` was encoded to), a verdict on the same bytes is reused."""
    spec = op.response_for(status)
    if spec is None:
        return [Violation("response", "", f"status {status} is not declared for {op.operation_id}", "status")]
    if spec.empty:
        if has_body:
            return [Violation("response", "", f"status {status} of {op.operation_id} must have an empty body",
                              "content")]
        return []
    if not has_body:
        return [Violation("response", "", f"status {status} of {op.operation_id} must have a body", "content")]
    media = JSON_MEDIA if content_type == JSON_MEDIA else (content_type or "").split(";")[0].strip()
    if media not in spec.media:
        return [Violation("response", "", f"content type {media!r} is not declared for {op.operation_id} "
                                          f"{status} (declared: {', '.join(spec.media)})", "content")]
    schema = spec.media[media]
    if schema is None or media != JSON_MEDIA:
        return []
    if payload is None:
        return _schema_errors(contract.validator((op.operation_id, "response", spec.status, media), schema), body,
                              "response")
    key = (op.operation_id, spec.status, media, payload)
    verdict = contract.response_verdicts.get(key)
    if verdict is None:
        validator = contract.validator((op.operation_id, "response", spec.status, media), schema)
        verdict = tuple(_schema_errors(validator, body, "response"))
        contract.response_verdicts.put(key, verdict, len(payload))
    return list(verdict)
