"""Postgres-backed scalars as Hasura exposes them: ``uuid``, ``jsonb``, ``timestamptz``.

A malformed value is rejected the way Postgres rejects it (``data-exception``, ``invalid input syntax
for type ...``); the error is located at the argument that carried it by :mod:`.wire`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from graphql import (
    SKIP,
    StringValueNode,
    ValueNode,
    ValuesOfCorrectTypeRule,
    VariableDefinitionNode,
    get_named_type,
    type_from_ast,
    value_from_ast_untyped,
)
from graphql.language import VisitorAction

from mockbi.vendors.hasura_cloud.errors import DATA_EXCEPTION, CloudError


class ScalarInputError(CloudError):
    """A literal or variable value Postgres would not accept; ``wire`` fills in the path."""

    def __init__(self, message: str, node: ValueNode | None = None) -> None:
        super().__init__(message, code=DATA_EXCEPTION, nodes=node)


def _literal_text(node: ValueNode) -> Any:
    return node.value if isinstance(node, StringValueNode) else value_from_ast_untyped(node)


def parse_uuid(value: Any, node: ValueNode | None = None) -> str:
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise ScalarInputError(f'invalid input syntax for type uuid: "{value}"', node)


def parse_timestamptz(value: Any, node: ValueNode | None = None) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    raise ScalarInputError(f'invalid input syntax for type timestamp with time zone: "{value}"', node)


def timestamptz_out(value: Any) -> str:
    """Postgres' JSON rendering of a timestamptz in UTC: fractional seconds only as far as they are non-zero,
    ``2025-01-15T09:30:00+00:00``, ``2025-01-15T09:30:00.12+00:00``, ``2025-01-15T09:30:00.123456+00:00``."""
    if isinstance(value, datetime):
        utc = value.astimezone(UTC)
        text = utc.replace(microsecond=0).isoformat(timespec="seconds")
        if utc.microsecond:
            text = text[:-6] + f".{utc.microsecond:06d}".rstrip("0") + text[-6:]
        return text
    return str(value)


SCALARS: Mapping[str, dict[str, Callable[..., Any]]] = MappingProxyType({
    "uuid": {
        "coerce_output_value": str,
        "coerce_input_value": parse_uuid,
        "coerce_input_literal": lambda node: parse_uuid(_literal_text(node), node),
    },
    "timestamptz": {
        "coerce_output_value": timestamptz_out,
        "coerce_input_value": parse_timestamptz,
        "coerce_input_literal": lambda node: parse_timestamptz(_literal_text(node), node),
    },
    "jsonb": {
        "coerce_output_value": lambda value: value,
        "coerce_input_value": lambda value: value,
        "coerce_input_literal": value_from_ast_untyped,
    },
})


POSTGRES_SCALARS = frozenset(SCALARS)


class ValuesOfCorrectTypeExceptPostgresDefaults(ValuesOfCorrectTypeRule):
    """graphql-core's rule, except for the default value of a variable of a Postgres scalar type.

    Hasura hands such values to Postgres only when they are used, so the official preview-apps Action's
    ``query getPreviewAppCreationJob($jobId: uuid!="GF12zEeQ...")`` (a default that is no uuid) validates, and
    runs with the ``jobId`` it sends. A default that is actually used is still checked, at execution.
    """

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> VisitorAction:
        if node.default_value is not None:
            declared = type_from_ast(self.context.schema, node.type)
            if declared is not None and get_named_type(declared).name in POSTGRES_SCALARS:
                return SKIP
        return None
