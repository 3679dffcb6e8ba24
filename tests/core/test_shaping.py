from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockbi.core.contracts import RestContract
from mockbi.core.shaping import project

DOC: dict[str, Any] = {
    "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
    "components": {"schemas": {
        "Basic": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "Full": {"allOf": [
            {"$ref": "#/components/schemas/Basic"},
            {"type": "object",
             "properties": {"tiles": {"type": "array", "items": {"$ref": "#/components/schemas/Tile"}}}}]},
        "Tile": {"type": "object", "properties": {"id": {"type": "integer"},
                                                  "insight": {"anyOf": [{"$ref": "#/components/schemas/Basic"},
                                                                        {"type": "null"}]}}},
        "Map": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Basic"}},
        "Free": {"type": "object"},
    }},
}
resolve = RestContract("t", DOC).resolve


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_keeps_only_declared_properties_recursively() -> None:
    record = {"id": 1, "name": "a", "secret": "x", "tiles": [{"id": 2, "insight": {"id": 3, "name": "i", "q": 1},
                                                              "internal": True}]}
    assert project(record, ref("Basic"), resolve) == {"id": 1, "name": "a"}
    assert project(record, ref("Full"), resolve) == {"id": 1, "name": "a",
                                                     "tiles": [{"id": 2, "insight": {"id": 3, "name": "i"}}]}


def test_nullable_branches_free_form_and_maps() -> None:
    assert project({"id": 2, "insight": None}, ref("Tile"), resolve) == {"id": 2, "insight": None}
    assert project({"a": 1, "b": {"c": 2}}, ref("Free"), resolve) == {"a": 1, "b": {"c": 2}}
    assert project({"k": {"id": 1, "name": "n", "x": 0}, "_hidden": {}}, ref("Map"), resolve) == {
        "k": {"id": 1, "name": "n"}}


def test_dataclasses_are_read_by_attribute() -> None:
    @dataclass
    class Thing:
        id: int
        name: str
        extra: str

    assert project([Thing(1, "a", "z")], {"type": "array", "items": ref("Basic")}, resolve) == [{"id": 1, "name": "a"}]
