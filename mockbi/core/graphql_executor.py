"""graphql-core's executor with a short path for the commonest field: a scalar or enum read from a dict or a
model's plain attribute.

graphql-core executes every field alike: a ``GraphQLResolveInfo``, the resolver call, ``complete_value``
through the non-null and leaf checks (about 2.5 µs a field here, two thirds of a list query's time). For a
field with no resolver and no arguments, of a scalar or enum type, on a ``dict`` holding (or an object whose
instance attribute or slot is) a plain value (``str``, ``int``, ``float``, ``bool``) or a ``None`` the type
allows, the answer is the type's ``coerce_output_value`` of that value, which is what the long path computes.
Anything else — a missing key, a callable or other value, a null for a non-null type, a coercion that fails or
gives nothing, a property (reading it may run code: only the long path reads it) — takes the long path,
which reads the same value again and reports the error exactly as before (``strict_field_resolver``'s mock
defect included). Same data, same errors, same order.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Mapping
from typing import Any, ClassVar

from graphql import GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, Undefined, is_leaf_type, is_non_null_type
from graphql.execution import Executor
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_string

#: the value types a leaf is read as directly (a subclass, such as an Enum member, takes the long path)
PLAIN = frozenset({str, int, float, bool})
#: graphql-core's coercions that give a value of this exact type back unchanged (String, ID, Boolean)
UNCHANGED: dict[Any, type] = {serialize_string: str, serialize_id: str, serialize_boolean: bool}
_UNKNOWN = object()
#: what ``_leaf`` finds for a field that may take the short path
Leaf = tuple[GraphQLLeafType, bool, type | None]


def _leaf(parent_type: GraphQLObjectType, name: str) -> Leaf | None:
    """(leaf type, non-null, the value type its coercion gives back unchanged) when ``parent_type.name`` may
    take the short path, else None."""
    field = parent_type.fields.get(name)
    if field is None or field.resolve is not None or field.args:
        return None
    kind = field.type
    non_null = is_non_null_type(kind)
    inner = kind.of_type if non_null else kind
    if not is_leaf_type(inner):
        return None
    return inner, non_null, UNCHANGED.get(getattr(inner, "coerce_output_value", None))


def _plain_attribute(cls: type, name: str) -> bool:
    """Whether ``name`` on a ``cls`` instance is read without running code: a slot, an instance attribute or
    a class-level default (not a property, a method or another descriptor; no ``__getattr__`` behind it)."""
    if issubclass(cls, Mapping) or name.startswith("_") or hasattr(cls, "__getattr__"):
        return False
    found = inspect.getattr_static(cls, name, None)
    return isinstance(found, types.MemberDescriptorType) or not hasattr(type(found), "__get__")


class LeafExecutor(Executor[Any]):
    """graphql-core's ``Executor`` with the short paths for plain leaf fields and lists of objects. It is the
    executor without incremental delivery (``execute_sync`` defaults to ``IncrementalExecutor``, whose
    bookkeeping costs about 3 µs a request): no mockbi schema declares ``@defer`` or ``@stream``, so no
    document using them validates. The resolver it stands in for is the one the pipeline passes,
    ``strict_field_resolver``: used with any other, it always takes the long path. Made by
    ``leaf_executor``, which gives each class its own tables."""

    #: (parent type, field name) -> what ``_leaf`` found
    leaves: ClassVar[dict[tuple[GraphQLObjectType, str], Leaf | None]]
    #: (source class, field name) -> whether the value is a plain attribute (``_plain_attribute``)
    attributes: ClassVar[dict[tuple[type, str], bool]]
    #: the default resolver the short path reproduces
    reproduces: ClassVar[Any]

    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any, result: Any,
                       position_context: Any) -> Any:
        """graphql-core's ``complete_value``, with an object (or non-null object) type and a value that is
        neither null nor an exception taken straight to ``complete_object_value``, as graphql-core's own steps
        end there for it (a completed object is never null); anything else as graphql-core does it."""
        inner = return_type.of_type if type(return_type) is GraphQLNonNull else return_type
        if type(inner) is GraphQLObjectType and result is not None and result is not Undefined \
                and not isinstance(result, Exception):
            return self.complete_object_value(inner, field_details_list, info, path, result, position_context)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def complete_iterable_value(self, item_type: Any, field_details_list: Any, info: Any, path: Any, items: Any,
                                position_context: Any) -> Any:
        """graphql-core's ``complete_iterable_value`` for a list or tuple of objects of a type with no
        ``is_type_of``, no ``@stream``, ``@defer`` or delivery group: the sub-selection collected once for
        the list and each item's fields executed directly (graphql-core goes through four calls per item to
        the same ``execute_fields``); an item that is null, an exception or awaitable, through graphql-core's
        own per-item steps. Anything else as graphql-core does it."""
        inner = item_type.of_type if type(item_type) is GraphQLNonNull else item_type
        if position_context is not None or type(items) not in (list, tuple) or type(inner) is not GraphQLObjectType \
                or inner.is_type_of is not None or self.get_stream_usage(field_details_list, path) is not None:
            return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(inner, field_details_list)
        if new_defer_usages:
            return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                if is_awaitable(item):
                    completed.append(self.complete_awaitable_list_item_value(
                        item, item_type, field_details_list, info, item_path, position_context))
                    pending.append(index)
                elif item is None or item is Undefined or isinstance(item, Exception):
                    if self.complete_list_item_value(item, completed, item_type, field_details_list, info,
                                                     item_path, position_context):
                        pending.append(index)
                else:
                    completed.append(self._item_fields(inner, item, item_type, field_details_list, item_path,
                                                       grouped_field_set))
                    if is_awaitable(completed[-1]):
                        pending.append(index)
        except Exception:
            if pending:
                self.settle_in_background([completed[index] for index in pending])
            raise
        return self._awaited_items(completed, pending) if pending else completed

    def _item_fields(self, object_type: GraphQLObjectType, item: Any, item_type: Any, field_details_list: Any,
                     item_path: Any, grouped_field_set: Any) -> Any:
        """One list item's fields, a field error handled as graphql-core's ``complete_list_item_value`` does
        (a null item, or raised on when the item type is non-null)."""
        try:
            fields = self.execute_fields(object_type, item, item_path, grouped_field_set, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            return None
        if not self.is_awaitable(fields):
            return fields

        async def await_fields() -> Any:
            try:
                return await fields
            except Exception as raw_error:
                self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                return None

        return await_fields()

    async def _awaited_items(self, completed: list[Any], pending: list[int]) -> list[Any]:
        """``completed`` with its awaitable items awaited (as graphql-core's ``complete_iterable_value`` does)."""
        awaited = await gather_with_cancel(*(completed[index] for index in pending))
        for index, value in zip(pending, awaited, strict=True):
            completed[index] = value
        return completed

    def complete_object_value(self, return_type: GraphQLObjectType, field_details_list: Any, info: Any, path: Any,
                              result: Any, position_context: Any) -> Any:
        """graphql-core's own steps for an object with no ``is_type_of``, no ``@defer`` and no delivery
        group (what its ``collect_and_execute_subfields`` and ``execute_collected_subfields`` do then), without
        their two calls per object; anything else as graphql-core does it."""
        if return_type.is_type_of is None and position_context is None:
            grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(return_type, field_details_list)
            if not new_defer_usages:
                return self.execute_fields(return_type, result, path, grouped_field_set, None)
        return super().complete_object_value(return_type, field_details_list, info, path, result, position_context)

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Any, grouped_field_set: Any,
                       position_context: Any) -> Any:
        """graphql-core's ``execute_fields`` with each plain leaf answered before its ``Path`` is even made;
        any other field, and any awaitable, as graphql-core handles them."""
        if self.field_resolver is not self.reproduces or self.middleware_manager is not None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                result = self._plain_value(parent_type, source_value, node) if not node.arguments else _UNKNOWN
                if result is _UNKNOWN:
                    result = super().execute_field(parent_type, source_value, field_details_list,
                                                   Path(path, response_name, parent_type.name), position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if self.is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._awaited(results, awaitable_fields)

    async def _awaited(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        """``results`` with its awaitable fields awaited (as graphql-core's ``execute_fields`` does)."""
        awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def execute_field(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, path: Any,
                      position_context: Any) -> Any:
        if self.field_resolver is self.reproduces and self.middleware_manager is None:
            node = field_details_list[0].node
            value = self._plain_value(parent_type, source, node) if not node.arguments else _UNKNOWN
            if value is not _UNKNOWN:
                return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _plain_value(self, parent_type: GraphQLObjectType, source: Any, node: Any) -> Any:
        """The completed value by the short path, or ``_UNKNOWN`` for the long one."""
        name = node.name.value
        key = (parent_type, name)
        leaf = self.leaves.get(key, _UNKNOWN)
        if leaf is _UNKNOWN:
            leaf = self.leaves[key] = _leaf(parent_type, name)
        if leaf is None:
            return _UNKNOWN
        kind = type(source)
        if kind is dict:
            value = source.get(name, _UNKNOWN)
        else:
            plain = self.attributes.get((kind, name))
            if plain is None:
                plain = self.attributes[(kind, name)] = _plain_attribute(kind, name)
            value = getattr(source, name, _UNKNOWN) if plain else _UNKNOWN
        if value is None:
            return _UNKNOWN if leaf[1] else None  # type: ignore[index]
        kind = type(value)
        if kind is leaf[2]:  # type: ignore[index]
            return value
        if kind not in PLAIN:
            return _UNKNOWN
        try:
            coerced = leaf[0].coerce_output_value(value)  # type: ignore[index]
        except Exception:  # noqa: BLE001 - the long path raises it again, as a located field error
            return _UNKNOWN
        return _UNKNOWN if coerced is None or coerced is Undefined else coerced


def leaf_executor(field_resolver: Any) -> type[LeafExecutor]:
    """A ``LeafExecutor`` class with a table of its own (one per contract: two servers share nothing)."""
    return type("ContractLeafExecutor", (LeafExecutor,),
                {"leaves": {}, "attributes": {}, "reproduces": staticmethod(field_resolver)})
