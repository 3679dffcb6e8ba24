from __future__ import annotations

import typing
from typing import Any

import pytest
from aiohttp import web

import mockbi
from mockbi import MockbiConfig, create_app
from mockbi.core.clock import Clock
from mockbi.core.journal import Call, Journal
from tests.core.toy import Toy


def _mockbi_types(annotation: Any, found: set[type]) -> None:
    if isinstance(annotation, type) and annotation.__module__.startswith("mockbi"):
        found.add(annotation)
    for part in (typing.get_origin(annotation), *typing.get_args(annotation)):
        if part is not None:
            _mockbi_types(part, found)


def test_public_api_is_sorted_and_complete() -> None:
    """Every mockbi type the vendor SDK's hooks and the handle's members take or return is importable from
    ``mockbi`` (a vendor author or a typed test never reaches into ``mockbi.core``)."""
    assert mockbi.__all__ == sorted(mockbi.__all__)
    exported = {name: getattr(mockbi, name) for name in mockbi.__all__}
    names = {**vars(web), **exported}  # the hooks' annotations name these under TYPE_CHECKING
    found: set[type] = set()
    # the plugin builds the handle (its __init__ takes the server's runtime); a user builds a ServerThread
    for cls, built_by_users in ((mockbi.Vendor, True), (mockbi.RestVendor, True), (mockbi.GraphQLVendor, True),
                                (mockbi.MockbiHandle, False), (mockbi.ServerThread, True)):
        for member, value in vars(cls).items():
            function = value.fget if isinstance(value, property) else value
            public = not member.startswith("_") or (member == "__init__" and built_by_users)
            if not public or not callable(function):
                continue
            for annotation in typing.get_type_hints(function, localns=names).values():
                _mockbi_types(annotation, found)
    missing = sorted(f"{t.__module__}.{t.__qualname__}" for t in found if exported.get(t.__name__) is not t)
    assert not missing, f"public hooks and handle members use types mockbi does not export: {missing}"
    assert len(found) >= 15  # the walk did see the SDK's types


def test_journal_is_a_bounded_ring_buffer() -> None:
    journal = Journal(maxlen=3)
    for _ in range(5):
        journal.record(Call(journal.next_seq(), "toy", "op", "GET", "/", "", None, status=200))
    assert [c.seq for c in journal.calls] == [3, 4, 5]
    assert journal.calls.last.seq == 5
    assert journal.calls.filter(operation_id="op").call_count == 3
    assert not journal.calls.filter(operation_id="other").called
    with pytest.raises(AssertionError):
        _ = journal.calls.filter(operation_id="other").last


def test_clock_is_injected_and_moves_only_forward() -> None:
    clock = Clock()
    start = clock.now()
    assert clock.now() == start  # frozen
    clock.advance(5)
    assert (clock.now() - start).total_seconds() == 5
    with pytest.raises(ValueError):
        clock.advance(-1)
    clock.unfreeze()
    assert clock.now() >= start


async def test_journal_size_is_configurable_over_http(aiohttp_client: Any) -> None:
    client = await aiohttp_client(create_app(MockbiConfig(journal_size=2), vendors=[Toy()]))
    for _ in range(4):
        await client.get("/toy/widgets")
    journal = await (await client.get("/__mockbi/journal")).json()
    assert journal["count"] == 2
    assert (await client.delete("/__mockbi/journal")).status == 204
    assert (await (await client.get("/__mockbi/journal")).json())["count"] == 0


async def test_two_apps_in_one_process_share_nothing(aiohttp_client: Any) -> None:
    one = await aiohttp_client(create_app(MockbiConfig(seed=1), vendors=[Toy()]))
    two = await aiohttp_client(create_app(MockbiConfig(seed=1), vendors=[Toy()]))
    first = await (await one.get("/toy/widgets")).read()
    assert first == await (await two.get("/toy/widgets")).read()
    await one.post("/toy/widgets", json={"name": "only-one"})
    assert len(await (await one.get("/toy/widgets")).json()) == 4
    assert await (await two.get("/toy/widgets")).read() == first
    await one.post("/__mockbi/clock", json={"advance": 3600})
    clock_two = await (await two.get("/__mockbi/clock")).json()
    assert clock_two["now"].startswith("2025-01-15T09:30:00")
    other = await aiohttp_client(create_app(MockbiConfig(seed=2), vendors=[Toy()]))
    assert await (await other.get("/toy/widgets")).read() != first
