"""The typed state codec on its own: every kind of type hint it supports round-trips, and bad data is refused
with the path of the problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, ClassVar, Literal

import orjson
import pytest

from mockbi.core.state_codec import StateError, StateSpec


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(slots=True)
class Leaf:
    at: datetime
    day: date
    colour: Colour
    kind: Literal["a", "b"] = "a"


@dataclass(slots=True)
class Branch:
    leaves: dict[int, Leaf]
    pair: tuple[str, int | None]
    many: tuple[float, ...]
    either: int | str
    loose: Any = None
    notes: list[str] = field(default_factory=list)


class Holder:
    vendor: ClassVar[str] = "toy"
    branches: dict[str, Branch]
    count: int


SPEC = StateSpec.from_annotations(Holder)


def _branch() -> Branch:
    leaf = Leaf(datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=UTC), date(2024, 2, 29), Colour.BLUE, "b")
    loose = {"when": datetime(2020, 1, 1), "pair": (1, "x"), "$weird": {"leaf": leaf}, "plain": [1, 2.5, None]}
    return Branch({7: leaf}, ("x", None), (1.5, 2.0), "seven", loose, ["n"])


def test_every_supported_type_round_trips_to_the_same_bytes() -> None:
    codec = SPEC.codec()
    assert set(SPEC.fields) == {"branches", "count"}  # ClassVars are not state
    value = {"main": _branch()}
    encoded = codec.encode(value, SPEC.fields["branches"], "toy.branches")
    text = orjson.dumps(encoded)
    decoded = codec.decode(orjson.loads(text), SPEC.fields["branches"], "toy.branches")
    assert decoded == value
    assert orjson.dumps(codec.encode(decoded, SPEC.fields["branches"], "toy.branches")) == text
    assert encoded["main"]["loose"]["$dict"]["$weird"]["leaf"]["$dataclass"] == "Leaf"


@pytest.mark.parametrize(("change", "message"), [
    (lambda b: b["leaves"]["7"].update(kind="c"), "toy.branches.main.leaves.7.kind: expected one of ['a', 'b']"),
    (lambda b: b["leaves"]["7"].update(colour="green"), "'green' is not a Colour"),
    (lambda b: b.update(leaves={"seven": b["leaves"]["7"]}), "key 'seven' is not an integer"),
    (lambda b: b.update(pair=["x"]), "toy.branches.main.pair: expected 2 items, not 1"),
    (lambda b: b.update(either=True), "fits none of"),
    (lambda b: b["loose"].update({"$dict": {"x": {"$dataclass": "Nope", "fields": {}}}}), "'Nope' is not a record"),
    (lambda b: b["leaves"]["7"].update(day="2024-02-30"), "'2024-02-30' is not an ISO-8601 date"),
    (lambda b: b.pop("notes"), "Branch lacks field(s) ['notes']"),
])
def test_bad_data_is_refused_with_its_path(change: Any, message: str) -> None:
    codec = SPEC.codec()
    encoded = codec.encode({"main": _branch()}, SPEC.fields["branches"], "toy.branches")
    change(encoded["main"])
    with pytest.raises(StateError) as raised:
        codec.decode(encoded, SPEC.fields["branches"], "toy.branches")
    assert message in str(raised.value)


def test_values_the_codec_cannot_hold_are_refused_at_export() -> None:
    codec = SPEC.codec()
    with pytest.raises(StateError, match="toy.loose: cannot export a set held in untyped data"):
        codec.encode({1, 2}, Any, "toy.loose")
    with pytest.raises(StateError, match="toy.loose: a Unknown inside untyped data is not a record"):
        codec.encode(Unknown(), Any, "toy.loose")


@dataclass(slots=True)
class Unknown:
    x: int = 0
