"""The limits a GraphQL vendor sets on a document: depth, fields and aliases (introspection included).

Depth follows fragment spreads (cycles cut); fields and aliases count the field nodes written in the document.
The depth of ``__schema``/``__type`` subtrees is measured apart and held to ``max(max_depth,
max_introspection_depth)``: clients' standard introspection query is 15 deep, deeper than most vendors' limits,
while its 67 fields and no aliases count like any others (so 7,000 aliased introspections are refused).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from mockbi.core.graphql import GraphQLVendor

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


class Measure(NamedTuple):
    """What the limits look at: the deepest path outside and inside introspection, fields and aliases."""

    depth: int
    fields: int
    aliases: int
    introspection_depth: int


def measure(document: DocumentNode) -> Measure:
    """Depth, fields and aliases of a document. Depth follows fragment spreads (cycles cut); fields and aliases
    count the field nodes written in the document, introspection included. The depth of ``__schema``/``__type``
    subtrees is measured apart (clients' standard introspection query is deeper than most vendors' limits)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, int] = {}
    introspection = 0

    def depth(sel: SelectionSetNode | None, stack: frozenset[str], top: bool) -> int:
        nonlocal introspection
        if sel is None:
            return 0
        best = 0
        for s in sel.selections:
            if isinstance(s, FieldNode):
                d = 1 + depth(s.selection_set, stack, False)
                if top and s.name.value in INTROSPECTION_ROOTS:
                    introspection = max(introspection, d)
                    continue
            elif isinstance(s, InlineFragmentNode):
                d = depth(s.selection_set, stack, top)
            elif isinstance(s, FragmentSpreadNode):
                name = s.name.value
                if name in stack or name not in fragments:
                    continue
                if top or name not in memo:
                    d = depth(fragments[name].selection_set, stack | {name}, top)
                    if not top:
                        memo[name] = d
                else:
                    d = memo[name]
            else:
                continue
            best = max(best, d)
        return best

    fields = aliases = 0

    def count(sel: SelectionSetNode | None) -> None:
        nonlocal fields, aliases
        if sel is None:
            return
        for s in sel.selections:
            if isinstance(s, FieldNode):
                fields += 1
                aliases += s.alias is not None
                count(s.selection_set)
            elif isinstance(s, InlineFragmentNode):
                count(s.selection_set)

    deepest = 0
    for d in document.definitions:
        if isinstance(d, OperationDefinitionNode):
            deepest = max(deepest, depth(d.selection_set, frozenset(), True))
            count(d.selection_set)
        elif isinstance(d, FragmentDefinitionNode):
            count(d.selection_set)
    return Measure(deepest, fields, aliases, introspection)


def check_limits(vendor: GraphQLVendor[Any], document: DocumentNode) -> list[GraphQLError]:
    if vendor.max_depth is None and vendor.max_fields is None and vendor.max_aliases is None:
        return []
    try:
        depth, fields, aliases, introspection = measure(document)
    except RecursionError:  # a chain of fragments deeper than Python's stack: deeper than any limit
        deepest = vendor.max_depth if vendor.max_depth is not None else 0
        return [vendor.limit_error("depth", deepest + 1, deepest)]
    if vendor.max_depth is not None:
        depth = max(depth, introspection if introspection > max(vendor.max_depth, vendor.max_introspection_depth)
                    else 0)
    errors = []
    for kind, actual, maximum in (("depth", depth, vendor.max_depth), ("fields", fields, vendor.max_fields),
                                  ("aliases", aliases, vendor.max_aliases)):
        if maximum is not None and actual > maximum:
            errors.append(vendor.limit_error(kind, actual, maximum))
    return errors
