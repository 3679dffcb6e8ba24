"""Named snapshots of the whole world, kept in memory by one app (respx's snapshot and rollback).

A snapshot is the portable state document of ``core/state.py`` (all vendors, RNG and Faker positions,
clock), so restoring one puts the world exactly where it was: later requests answer, and later ids are
drawn, as they would have been. Snapshots survive ``reset`` (take one of an arranged world once, restore it
in every test) and go away with the app or ``delete``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockbi.core.errors import ConfigError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MAX_SNAPSHOTS = 100


class SnapshotNotFound(ConfigError):
    """No snapshot of that name (the admin API answers 404)."""


@dataclass(slots=True)
class Snapshot:
    name: str
    taken_at: str
    document: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "taken_at": self.taken_at, "seed": self.document["seed"],
                "scenario": self.document["scenario"], "vendors": list(self.document["vendors"])}


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not NAME.match(name):
        raise ConfigError("a snapshot name is 1-100 letters, digits, '_', '.' or '-', starting with a letter "
                          f"or digit, not {name!r}")
    return name


class Snapshots:
    """The snapshots of one app, by name (taking a name again replaces that snapshot)."""

    def __init__(self) -> None:
        self._items: dict[str, Snapshot] = {}

    def check_room(self, name: str) -> None:
        """Refuse a new name once ``MAX_SNAPSHOTS`` are kept (taking a kept name again replaces it)."""
        check_name(name)
        if name not in self._items and len(self._items) >= MAX_SNAPSHOTS:
            raise ConfigError(f"at most {MAX_SNAPSHOTS} snapshots are kept; delete one first")

    def keep(self, name: str, taken_at: str, document: dict[str, Any]) -> Snapshot:
        """Keep a world's document (``core.state.take_snapshot`` makes it) under ``name``."""
        self.check_room(name)
        snap = Snapshot(name, taken_at, document)
        self._items[name] = snap
        return snap

    def get(self, name: str) -> Snapshot:
        found = self._items.get(name)
        if found is None:
            raise SnapshotNotFound(f"no snapshot named {name!r}; taken: {', '.join(self._items) or 'none'}")
        return found

    def delete(self, name: str) -> None:
        self.get(name)
        del self._items[name]

    def clear(self) -> None:
        self._items.clear()

    def list(self) -> list[Snapshot]:
        return list(self._items.values())
