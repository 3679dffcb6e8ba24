"""Checking a stub's canned response against the operation's contract when the stub is registered.

REST: the status must be declared for the operation, the media type too, and a JSON body must satisfy the
response schema (the same validators the pipeline uses on the fake's own answers).

GraphQL: a ``200`` body is ``{"data": {<root field or its alias>: value}}`` and/or ``{"errors": [{"message": ...}]}``;
the value is checked against the root field's output type (non-null, lists, scalars, enum values, object
fields and ``__typename``). An answer with another status is an HTTP-level error outside the schema and is
taken as given.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    is_abstract_type,
)

from mockbi.core.contracts import Operation, RestContract
from mockbi.core.validation import validate_response

INT_RANGE = (-(2**31), 2**31 - 1)


def rest_violations(contract: RestContract, op: Operation, status: int, content_type: str | None,
                    body: Any) -> list[str]:
    has_body = body is not None
    return [str(v) for v in validate_response(contract, op, status, content_type, body, has_body=has_body)]


def operation_for_path(contract: RestContract, method: str, path: str, variants: Any) -> Operation | None:
    """The operation whose path template (or one of the vendor's spellings of it) matches ``path``;
    the most literal template wins, as in the router."""
    best: tuple[int, Operation] | None = None
    for op in contract.operations.values():
        if op.method != method.upper():
            continue
        for template in variants(op.path):
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            if template == path or re.match(pattern, path):
                literal = template.count("/") - template.count("{")
                if best is None or literal > best[0]:
                    best = (literal, op)
    return best[1] if best else None


def graphql_violations(schema: GraphQLSchema, operation_id: str, status: int, body: Any) -> list[str]:
    if status != 200:
        return []
    if not isinstance(body, dict) or not body or set(body) - {"data", "errors", "extensions"}:
        return ["a GraphQL answer is an object with 'data' and/or 'errors' (and optionally 'extensions')"]
    problems = []
    errors = body.get("errors")
    if errors is not None and not (isinstance(errors, list) and all(
            isinstance(e, dict) and isinstance(e.get("message"), str) for e in errors)):
        problems.append("errors: a list of objects with a 'message' string")
    data = body.get("data")
    if data is None:
        return problems
    root_name, _, field_name = operation_id.partition(".")
    root = schema.get_type(root_name)
    field: GraphQLField | None = root.fields.get(field_name) if isinstance(root, GraphQLObjectType) else None
    if field is None:
        return [*problems, f"{operation_id} is not a field of the schema"]
    if not isinstance(data, dict) or len(data) != 1:
        return [*problems, f"data must be an object holding one answer of {field_name!r} (under its name or the "
                           "alias the client's query gives it)"]
    [(key, value)] = data.items()
    check_value(schema, value, field.type, f"data.{key}", problems)
    return problems


def check_value(schema: GraphQLSchema, value: Any, gtype: GraphQLOutputType, path: str, out: list[str]) -> None:
    """Append to ``out`` every way ``value`` cannot be a response value of ``gtype``."""
    if isinstance(gtype, GraphQLNonNull):
        if value is None:
            out.append(f"{path}: null for non-null {gtype}")
            return
        check_value(schema, value, gtype.of_type, path, out)
        return
    if value is None:
        return
    if isinstance(gtype, GraphQLList):
        if not isinstance(value, list):
            out.append(f"{path}: expected a list for {gtype}")
            return
        for i, item in enumerate(value):
            check_value(schema, item, gtype.of_type, f"{path}.{i}", out)
        return
    if isinstance(gtype, GraphQLScalarType):
        problem = _scalar_problem(gtype.name, value)
        if problem:
            out.append(f"{path}: {problem}")
        return
    if isinstance(gtype, GraphQLEnumType):
        if value not in gtype.values:
            out.append(f"{path}: {value!r} is not a value of enum {gtype.name}")
        return
    if not isinstance(value, dict):
        out.append(f"{path}: expected an object for {gtype}")
        return
    _check_object(schema, value, gtype, path, out)


def _check_object(schema: GraphQLSchema, value: dict[str, Any], gtype: Any, path: str, out: list[str]) -> None:
    typename = value.get("__typename")
    if is_abstract_type(gtype):
        concrete = schema.get_type(typename) if isinstance(typename, str) else None
        if not isinstance(concrete, GraphQLObjectType) or not schema.is_sub_type(gtype, concrete):
            out.append(f"{path}: an {gtype.name} value needs a __typename naming one of its types")
            return
        gtype = concrete
    if typename is not None and typename != gtype.name:
        out.append(f"{path}: __typename {typename!r} is not {gtype.name}")
    for key, item in value.items():
        if key == "__typename":
            continue
        field = gtype.fields.get(key)
        if field is None:
            out.append(f"{path}: {gtype.name} has no field {key!r}")
            continue
        check_value(schema, item, field.type, f"{path}.{key}", out)


def _scalar_problem(name: str, value: Any) -> str | None:
    if name == "Int":
        ok = isinstance(value, int) and not isinstance(value, bool) and INT_RANGE[0] <= value <= INT_RANGE[1]
        return None if ok else f"{value!r} is not an Int"
    if name == "Float":
        return None if isinstance(value, int | float) and not isinstance(value, bool) else f"{value!r} is not a Float"
    if name == "String":
        return None if isinstance(value, str) else f"{value!r} is not a String"
    if name == "Boolean":
        return None if isinstance(value, bool) else f"{value!r} is not a Boolean"
    if name == "ID":
        return None if isinstance(value, str | int) and not isinstance(value, bool) else f"{value!r} is not an ID"
    return None  # a custom scalar: its wire form is the vendor's (any JSON value)
