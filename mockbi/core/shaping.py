"""Project a domain object onto a response schema (moto's spec serializer idea).

Handlers may return store records (dicts or dataclasses) that carry more than the wire shows:
internal bookkeeping, or the full object where the operation declares a smaller view (PostHog's
``DashboardBasic`` in lists). ``project`` keeps exactly the properties the schema declares, recursively,
so the contract, not a per-model ``to_dict()``, decides what goes on the wire. Free-form objects
(no declared properties) pass through unchanged. The work is proportional to the response.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

Resolver = Callable[[dict[str, Any]], dict[str, Any]]
_MISSING = object()


def _get(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key, _MISSING)
    return getattr(value, key, _MISSING)


def _is_object(value: Any) -> bool:
    return isinstance(value, Mapping) or (dataclasses.is_dataclass(value) and not isinstance(value, type))


def _object_properties(schema: dict[str, Any], resolve: Resolver) -> tuple[dict[str, Any], Any] | None:
    """Declared properties (merged over allOf/anyOf/oneOf object branches) and additionalProperties."""
    props: dict[str, Any] = {}
    additional: Any = schema.get("additionalProperties")
    found = False
    if "properties" in schema:
        props.update(schema["properties"])
        found = True
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key, ()):
            sub = _object_properties(resolve(branch), resolve)
            if sub is not None:
                props.update({k: v for k, v in sub[0].items() if k not in props})
                additional = additional if additional is not None else sub[1]
                found = True
    return (props, additional) if found else None


def _array_items(schema: dict[str, Any], resolve: Resolver) -> dict[str, Any] | None:
    if "items" in schema:
        return schema["items"]  # type: ignore[no-any-return]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, ()):
            items = _array_items(resolve(branch), resolve)
            if items is not None:
                return items
    return None


def project(value: Any, schema: dict[str, Any], resolve: Resolver) -> Any:
    """``value`` reduced to what ``schema`` declares; ``resolve`` follows ``$ref``s."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    schema = resolve(schema)
    if isinstance(value, list | tuple):
        items = _array_items(schema, resolve)
        return [project(v, items, resolve) for v in value] if items is not None else list(value)
    if not _is_object(value):
        return value
    declared = _object_properties(schema, resolve)
    if declared is None and isinstance(schema.get("additionalProperties"), dict):
        declared = ({}, schema["additionalProperties"])
    if declared is None or (not declared[0] and not isinstance(declared[1], dict)):
        if isinstance(value, Mapping):
            return dict(value)
        return dataclasses.asdict(value)
    props, additional = declared
    out: dict[str, Any] = {}
    for key, sub in props.items():
        item = _get(value, key)
        if item is not _MISSING:
            out[key] = project(item, sub, resolve)
    if isinstance(value, Mapping) and additional not in (None, False):
        for key, item in value.items():
            if key not in props and not str(key).startswith("_"):
                out[key] = project(item, additional, resolve) if isinstance(additional, dict) else item
    return out
