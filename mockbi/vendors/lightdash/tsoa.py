"""tsoa's request validation as Lightdash 0.1411.0 answers it: 422 ``ValidateError`` with an empty
``message`` and ``data`` = tsoa's ``FieldErrors``.

* keys: ``body.<prop>`` for body fields (array items as ``$<index>``: ``body.members.$0.userUuid``),
  the bare name for a query or path parameter;
* each value is ``{"message": ..., "value": <the offending value>}``; ``value`` is left out when it was
  ``undefined`` (a missing field), as JSON drops it;
* messages are tsoa's own: ``'name' is required``, ``invalid string value``, ``invalid float number``,
  ``invalid integer number``, ``invalid boolean value``, ``invalid array``, ``invalid object``,
  ``should be one of the following; ['a','b']``, ``Not match in '<pattern>'``,
  ``Could not match the union against any of the items. ...``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import orjson

from mockbi.core.validation import Violation

_TYPE_MESSAGES = MappingProxyType({"string": "invalid string value", "number": "invalid float number",
                  "integer": "invalid integer number", "boolean": "invalid boolean value",
                  "array": "invalid array", "object": "invalid object"})
_SEPARATORS = (" is not of type", " is not one of ", " does not match ",
               " is not valid under any of the schemas")
_QUERY_VALUE = re.compile(r"^invalid value '(.*)', expected ")
_UNDEFINED = object()


def _key(v: Violation) -> str:
    if v.where != "body":
        return v.field or v.where
    parts = ["body", *(f"${p}" if p.isdigit() else p for p in v.field.split(".") if p)]
    return ".".join(parts)


def _value(v: Violation) -> Any:
    """The offending value, read back from the validator's message (``_UNDEFINED`` if unknown)."""
    if v.keyword == "required":
        return _UNDEFINED
    found = _QUERY_VALUE.match(v.message) if v.where != "body" else None
    if found:
        return found.group(1)
    for sep in _SEPARATORS:
        if sep in v.message:
            try:
                return orjson.loads(v.message.split(sep, 1)[0])
            except orjson.JSONDecodeError:
                return _UNDEFINED
    return _UNDEFINED


def _resolve(schema: Any, components: Mapping[str, Any]) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = components.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
    return schema


def _enum_of(schema: Any, components: Mapping[str, Any]) -> list[Any] | None:
    schema = _resolve(schema, components)
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return [e for e in schema["enum"] if e is not None]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            found = _enum_of(sub, components)
            if found:
                return found
    return None


def _child(schema: Any, part: str, components: Mapping[str, Any]) -> Any:
    """The subschema for one step of an instance path (property name or array index)."""
    schema = _resolve(schema, components)
    if not isinstance(schema, dict):
        return None
    if part.isdigit() and "items" in schema:
        return schema["items"]
    if part in schema.get("properties", {}):
        return schema["properties"][part]
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            found = _child(sub, part, components)
            if found is not None:
                return found
    return None


def _enum_for(v: Violation, schemas: Mapping[str, Any], components: Mapping[str, Any]) -> list[Any] | None:
    if v.where != "body":
        return _enum_of(schemas.get(v.field), components)
    schema: Any = schemas.get("body")
    for part in (p for p in v.field.split(".") if p):
        schema = _child(schema, part, components)
    return _enum_of(schema, components)


def _message(v: Violation, schemas: Mapping[str, Any], components: Mapping[str, Any]) -> str:
    if v.keyword == "required":
        name = v.field.rsplit(".", 1)[-1] if v.field else "body"
        return f"'{name}' is required"
    if v.keyword == "type":
        expected = v.message.rsplit("expected ", 1)[-1] if v.where != "body" \
            else v.message.split(" is not of type", 1)[-1]
        for kind in ("integer", "number", "boolean", "array", "object", "string"):
            if f'"{kind}"' in expected or (v.where != "body" and kind in expected.split("/")):
                return _TYPE_MESSAGES[kind]
    if v.keyword == "enum":
        members = _enum_for(v, schemas, components)
        if members:
            quoted = ",".join(f"'{m}'" if isinstance(m, str) else str(m).lower() for m in members)
            return f"should be one of the following; [{quoted}]"
    if v.keyword == "pattern" and ' does not match "' in v.message:
        return f"Not match in '{v.message.split(' does not match ', 1)[1][1:-1]}'"
    if v.keyword in ("anyof", "oneof"):
        return "Could not match the union against any of the items."
    return v.message


def field_errors(violations: list[Violation], schemas: Mapping[str, Any],
                 components: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """tsoa's ``FieldErrors`` for the violations (``schemas``: ``body`` and each parameter by name)."""
    data: dict[str, dict[str, Any]] = {}
    for v in violations:
        key = _key(v)
        if key in data:
            continue
        entry: dict[str, Any] = {"message": _message(v, schemas, components)}
        value = _value(v)
        if value is not _UNDEFINED:
            entry["value"] = value
        data[key] = entry
    return data
