"""``core/graphql_executor.py``: the short path for leaf fields answers exactly what graphql-core's own
executor answers — data, errors, their messages, paths and order — for dict and object sources, plain and
odd values, nulls where the type allows them and where it does not, coercion failures, aliases and
``__typename``; a property is read only by the long path; lists of objects (taken by a shorter path too)
with null, failing and awaitable items."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import build_schema, execute, execute_sync, parse, validate

from mockbi import vendors as vendor_catalog
from mockbi.core.graphql import GraphQLContract, strict_field_resolver
from mockbi.core.graphql_executor import leaf_executor

SDL = """
enum Colour { RED GREEN }
type Item { id: ID! name: String size: Int ratio: Float on: Boolean colour: Colour must: String! }
type Query { items: [Item!]! maybe: [Item] }
"""


class Shade(enum.Enum):
    RED = "RED"


@dataclass(slots=True)
class Slotted:
    id: Any
    name: Any = None
    size: Any = 3
    ratio: Any = 0.5
    on: Any = True
    colour: Any = "GREEN"
    must: Any = "m"


class WithProperty:
    def __init__(self) -> None:
        self.reads = 0
        self.id = "p"

    @property
    def name(self) -> str:
        self.reads += 1
        return f"read {self.reads}"


ITEMS: list[Any] = [
    {"id": "1", "name": "a", "size": 1, "ratio": 1.5, "on": False, "colour": "RED", "must": "x"},
    {"id": 2, "name": None, "size": None, "ratio": None, "on": None, "colour": None, "must": "y"},
    {"id": "3", "name": "c", "size": 2**40, "ratio": "nan", "on": "yes", "colour": "BLUE", "must": None},
    {"id": "4", "name": Shade.RED, "size": True, "ratio": 2, "on": 1, "colour": Shade.RED, "must": ""},
    {"id": "5"},  # every other key missing: the strict resolver's defect
    Slotted("6"), Slotted("7", name="n", size="8", must=None),
]


def _schema() -> Any:
    schema = build_schema(SDL)
    schema.query_type.fields["items"].resolve = lambda obj, info: ITEMS  # type: ignore[union-attr]
    schema.query_type.fields["maybe"].resolve = lambda obj, info: [WithProperty()]  # type: ignore[union-attr]
    return schema


@pytest.mark.parametrize("query", [
    "{ items { id name size ratio on colour } }",
    "{ items { id must } }",
    "{ items { __typename key: id id other: name name } }",
    "{ maybe { id name again: name } }",
])
def test_the_short_path_answers_as_graphql_core_does(query: str) -> None:
    schema, document = _schema(), parse(query)
    executor = leaf_executor(strict_field_resolver)
    ours = execute_sync(schema, document, field_resolver=strict_field_resolver, executor_class=executor)
    theirs = execute_sync(schema, document, field_resolver=strict_field_resolver)
    assert ours.data == theirs.data
    assert [e.formatted for e in ours.errors or []] == [e.formatted for e in theirs.errors or []]
    assert executor.leaves  # the table was used


def test_a_property_is_read_by_the_long_path_only() -> None:
    """The strict resolver reads a property twice (``hasattr``, then ``getattr``); the short path adds none."""
    answers = [execute_sync(_schema(), parse("{ maybe { id name } }"), field_resolver=strict_field_resolver,
                            **extra).data for extra in ({}, {"executor_class": leaf_executor(strict_field_resolver)})]
    assert answers[0] == answers[1] == {"maybe": [{"id": "p", "name": "read 2"}]}


def test_another_resolver_always_takes_the_long_path() -> None:
    executor = leaf_executor(strict_field_resolver)
    result = execute_sync(_schema(), parse("{ items { id } }"), field_resolver=lambda s, i, **a: "r",
                          executor_class=executor)
    assert result.data == {"items": [{"id": "r"}] * len(ITEMS)}
    assert not executor.leaves


LIST_SDL = """
type Owner { id: ID! }
type Row { id: ID! name: String owner: Owner }
type Query { rows: [Row!]! maybe: [Row] strict: [Row!] nested: [[Row]] generated: [Row] later: [Row] }
"""


class Boom(Exception):
    pass


def _owner(row: Any, info: Any) -> Any:
    if row.get("owner") == "raise":
        raise Boom(f"no owner for {row['id']}")
    return row.get("owner")


ROWS: list[Any] = [{"id": "1", "name": "a", "owner": {"id": "o1"}}, {"id": "2", "owner": "raise"},
                   {"id": "3", "name": None, "owner": None}]
ODD_ROWS: list[Any] = [*ROWS, None, Boom("a bad row"), {"name": "no id"}]


def _list_schema() -> Any:
    schema = build_schema(LIST_SDL)
    fields = schema.query_type.fields  # type: ignore[union-attr]
    fields["rows"].resolve = lambda obj, info: ROWS
    fields["maybe"].resolve = lambda obj, info: ODD_ROWS
    fields["strict"].resolve = lambda obj, info: tuple(ODD_ROWS)
    fields["nested"].resolve = lambda obj, info: [ROWS, None, ODD_ROWS]
    fields["generated"].resolve = lambda obj, info: (row for row in ODD_ROWS)
    schema.get_type("Row").fields["owner"].resolve = _owner  # type: ignore[union-attr]
    return schema


@pytest.mark.parametrize("query", [
    "{ rows { id name owner { id } } }",
    "{ maybe { id name owner { id } } }",
    "{ strict { id } }",
    "{ nested { id owner { id } } }",
    "{ generated { id name } }",
    "{ rows { id } maybe { name } strict { name } }",
])
def test_lists_of_objects_complete_as_graphql_core_completes_them(query: str) -> None:
    """Items that are null, exceptions or miss a non-null field, in nullable and non-null positions, inner
    lists, tuples and generators: the same data and the same errors, paths and order."""
    document = parse(query)
    ours = execute_sync(_list_schema(), document, field_resolver=strict_field_resolver,
                        executor_class=leaf_executor(strict_field_resolver))
    theirs = execute_sync(_list_schema(), document, field_resolver=strict_field_resolver)
    assert ours.data == theirs.data
    assert [e.formatted for e in ours.errors or []] == [e.formatted for e in theirs.errors or []]
    assert ours.errors or query.startswith("{ rows { id } }")


async def test_awaitable_items_and_fields_complete_as_graphql_core_completes_them() -> None:
    async def later(obj: Any, info: Any) -> Any:
        return [asyncio.sleep(0, row) for row in ROWS[:1]] + ODD_ROWS

    async def owner(row: Any, info: Any) -> Any:
        return _owner(row, info)

    answers = []
    for extra in ({}, {"executor_class": leaf_executor(strict_field_resolver)}):
        schema = _list_schema()
        schema.query_type.fields["later"].resolve = later  # type: ignore[union-attr]
        schema.get_type("Row").fields["owner"].resolve = owner  # type: ignore[union-attr]
        result = await execute(schema, parse("{ later { id owner { id } } rows { owner { id } } }"),
                               field_resolver=strict_field_resolver, **extra)  # type: ignore[misc]
        answers.append((result.data, [e.formatted for e in result.errors or []]))
    assert answers[0] == answers[1]
    assert answers[0][1]


def test_no_graphql_contract_declares_incremental_delivery() -> None:
    """The executor has no incremental delivery: a document using ``@defer`` or ``@stream`` must fail
    validation against every served schema (and does: the directives are unknown there)."""
    contracts = [v.load_contract() for v in vendor_catalog.load()]
    schemas = [c.schema for c in contracts if isinstance(c, GraphQLContract)]
    assert len(schemas) >= 2
    for schema in schemas:
        assert schema.get_directive("defer") is None and schema.get_directive("stream") is None
        query = next(iter(schema.query_type.fields))  # type: ignore[union-attr]
        problems = validate(schema, parse(f"{{ ... @defer {{ {query} {{ __typename }} }} }}"))
        assert any("Unknown directive '@defer'" in p.message for p in problems)
