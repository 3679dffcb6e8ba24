"""Translate graphql-core's errors into Hasura's wording, codes and ``$.selectionSet...`` paths.

Hasura answers every GraphQL-level failure with HTTP 200 and ``{"errors": [{"extensions": {"path", "code"},
"message"}]}`` and no ``data`` key. Paths point at the offending field or argument:
``$.selectionSet.<field>[.selectionSet.<field>...][.args.<arg>[.<input field>...]]``.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    ObjectValueNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    parse,
    visit,
)
from graphql.language import Visitor

from mockbi.vendors.hasura_cloud.errors import DATA_EXCEPTION, UNEXPECTED, VALIDATION_FAILED, CloudError, entry
from mockbi.vendors.hasura_cloud.scalars import ScalarInputError

_CANNOT_QUERY = re.compile(r"^Cannot query field '([^']+)' on type '([^']+)'")
_UNKNOWN_ARG = re.compile(r"^Unknown argument '([^']+)' on field '[^.']+\.([^']+)'")
_REQUIRED_ARG = re.compile(r"^Argument '[^.']+\.([^(']+)\((\w+):\)' of type '[^']+' is required|"
                           r"^Field '([^']+)' argument '([^']+)' of type '[^']+' is required")
_VAR_POSITION = re.compile(r"^Variable '\$(\w+)' of type '([^']+)' used in position expecting type '([^']+)'")
_VAR_MISSING = re.compile(r"^Variable '\$(\w+)' (?:of (?:required|non-null) type '[^']+' "
                          r"(?:was not provided|must not be null)|"
                          r"has invalid value: Expected a value of non-null type '[^']+' to be provided)")
_VAR_INVALID = re.compile(r"^Variable '\$(\w+)' (?:got|has) invalid value")
_BAD_DEFAULT = re.compile(r"^Variable '\$(\w+)' has invalid default value: (invalid input syntax for type .*)$")
_UNKNOWN_INPUT_FIELD = re.compile(r"Expected value of type '([^']+)' not to include unknown field '([^']+)'")


def _contains(node: Node, position: int) -> bool:
    return node.loc is not None and node.loc.start <= position < node.loc.end


def _in_value(value: ValueNode, position: int) -> str:
    if isinstance(value, ObjectValueNode):
        for f in value.fields:
            if _contains(f, position):
                return f".{f.name.value}" + _in_value(f.value, position)
    return ""


def _in_selection(selection_set: SelectionSetNode, position: int, prefix: str) -> str:
    for sel in selection_set.selections:
        if not _contains(sel, position):
            continue
        if isinstance(sel, FieldNode):
            here = f"{prefix}.selectionSet.{(sel.alias or sel.name).value}"
            for arg in sel.arguments or ():
                if _contains(arg, position):
                    return f"{here}.args.{arg.name.value}" + _in_value(arg.value, position)
            if sel.selection_set is not None and _contains(sel.selection_set, position):
                return _in_selection(sel.selection_set, position, here)
            return here
        if isinstance(sel, InlineFragmentNode):
            return _in_selection(sel.selection_set, position, prefix)
    return prefix


def locate(body: str, position: int) -> str:
    """The Hasura-style path of whatever sits at ``position`` in the query text."""
    try:
        document = parse(body)
    except GraphQLError:
        return "$"
    for definition in document.definitions:
        selection_set = getattr(definition, "selection_set", None)
        if selection_set is not None and _contains(definition, position):
            return _in_selection(selection_set, position, "$")
    return "$"


def locate_variable(body: str, name: str) -> str:
    """The path of the first argument that uses ``$name``."""
    try:
        document = parse(body)
    except GraphQLError:
        return "$"
    found: list[int] = []

    class Uses(Visitor):
        def enter_variable(self, node: VariableNode, key: Any, parent: Any, *_: Any) -> None:
            # key "variable" is the definition ``$name: Type``, not a use
            if node.name.value == name and not found and key != "variable" and node.loc:
                found.append(node.loc.start)

    visit(document, Uses())
    return locate(body, found[0]) if found else "$"


def _where(error: GraphQLError, suffix: str = "") -> str:
    node = error.nodes[-1] if error.nodes else None
    if node is None or node.loc is None or error.source is None:
        return "$"
    return locate(error.source.body, node.loc.start) + suffix


def format_error(error: GraphQLError, phase: str) -> dict[str, Any]:
    """One Hasura ``errors`` entry for a graphql-core error raised in ``phase``."""
    query = error.source.body if error.source is not None else None
    original = error.original_error if isinstance(error.original_error, CloudError) else error
    if isinstance(original, ScalarInputError):
        path = original.extensions.get("path", "$") if original.extensions else "$"
        if original.nodes and original.source is not None:
            path = locate(original.source.body, original.nodes[0].loc.start)  # type: ignore[union-attr]
        else:
            match = _VAR_INVALID.match(error.message)
            if match and query:
                path = locate_variable(query, match.group(1))
        return entry(original.message, original.code, path)
    if isinstance(original, CloudError):
        ext = original.extensions or {}
        return entry(original.message, str(ext.get("code", UNEXPECTED)), str(ext.get("path", "$")))
    message = error.message
    if m := _UNKNOWN_INPUT_FIELD.search(message):  # Hasura words an unknown input field like an unknown field
        message = f"field '{m.group(2)}' not found in type: '{m.group(1)}'"
    if phase == "parse":
        return entry("not a valid graphql query", VALIDATION_FAILED, "$.query")
    if phase == "validate":
        if m := _CANNOT_QUERY.match(message):
            return entry(f"field '{m.group(1)}' not found in type: '{m.group(2)}'", VALIDATION_FAILED, _where(error))
        if m := _UNKNOWN_ARG.match(message):
            return entry(f"'{m.group(2)}' has no argument named '{m.group(1)}'", VALIDATION_FAILED, _where(error))
        if m := _REQUIRED_ARG.match(message):
            arg = m.group(2) or m.group(4)
            return entry(f"missing required field '{arg}'", VALIDATION_FAILED, _where(error, ".args"))
        if m := _VAR_POSITION.match(message):
            return entry(f"variable '{m.group(1)}' is declared as '{m.group(2)}', but used where '{m.group(3)}' "
                         "is expected", VALIDATION_FAILED, _where(error))
        return entry(message, VALIDATION_FAILED, _where(error))
    if phase == "request":
        if (m := _BAD_DEFAULT.match(message)) and query:  # a used default that Postgres rejects
            return entry(m.group(2), DATA_EXCEPTION, locate_variable(query, m.group(1)))
        if m := _VAR_MISSING.match(message):
            return entry(f'expecting a value for non-nullable variable: "{m.group(1)}"', VALIDATION_FAILED, "$")
        if (m := _VAR_INVALID.match(error.message)) and query:
            return entry(message, VALIDATION_FAILED, locate_variable(query, m.group(1)))
        return entry(message, VALIDATION_FAILED, "$")
    if phase == "limit":
        return entry(message, VALIDATION_FAILED, "$")
    return entry(message, UNEXPECTED, "$")
