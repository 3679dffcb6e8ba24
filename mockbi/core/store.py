"""The base class of every vendor store: one seeded world, owned by one app.

Each store owns its own ``random.Random`` and its own ``Faker`` instance, both seeded from the
configured seed (``Faker.seed_instance``, never the class-wide ``Faker.seed``), and reads time from the
injected :class:`~mockbi.core.clock.Clock`. ``reset()`` rebuilds the world by re-running ``build()``
with the same inputs (moto's re-``__init__``); ``snapshot()``/``restore()`` deep-copy the state.
The runtime resets by restoring a pristine image instead (``core/world.py``), which gives the same bytes.
"""

from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from faker import Faker

from mockbi.core.clock import Clock

T = TypeVar("T")
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(slots=True)
class SeedContext:
    """Everything that defines a vendor's initial world."""

    seed: int
    scenario: str
    clock: Clock
    scenario_data: dict[str, Any] = field(default_factory=dict)


class Store:
    """A vendor's in-memory state. Subclasses fill it in ``build()`` from ``self.rng``/``self.faker``."""

    vendor: ClassVar[str] = ""
    #: the top-level keys ``build()`` reads from a scenario file, with the types their values may have; a
    #: scenario file with another key or type is refused with a clear message (``None``: not checked)
    scenario_keys: ClassVar[Mapping[str, type | tuple[type, ...]] | None] = None
    #: attributes that ``snapshot()`` must not copy (infrastructure, not state)
    _infrastructure: ClassVar[frozenset[str]] = frozenset({"ctx", "rng", "faker", "clock", "writes", "_memo"})
    #: attributes ``build()`` makes that are read-only afterwards and too costly or impossible to copy (a
    #: database connection holding the seeded tables): ``snapshot()`` and the runtime's world images keep
    #: a reference and put the very same object back, so nothing may write to them after ``build()``
    world_resources: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.clock = ctx.clock
        #: bumped by the runtime whenever the state may have changed other than by a GET/HEAD request (a
        #: non-GET request, a GraphQL request, an admin route, a store handed to a test, a reset); see ``memo()``
        self.writes = 0
        self._memo: tuple[int, dict[Hashable, Any]] = (0, {})
        self._seed_generators()
        self.build()

    def _seed_generators(self) -> None:
        # A per-vendor seed keeps vendors independent: adding data to one never shifts another's.
        salt = sum(ord(ch) for ch in self.vendor) * 7919
        self.rng = random.Random(self.ctx.seed * 1_000_003 + salt)
        if not hasattr(self, "faker"):  # a Faker costs ~2 ms to make: reseeding one gives the same draws
            self.faker = Faker()
        self.faker.seed_instance(self.ctx.seed * 1_000_003 + salt)
        self.faker.unique.clear()

    # --- world lifecycle -------------------------------------------------------------------------
    def build(self) -> None:
        """Populate the world. Called on construction and on every reset."""
        raise NotImplementedError

    def reset(self, seed: int | None = None, scenario: str | None = None,
              scenario_data: dict[str, Any] | None = None) -> None:
        """Throw the world away and rebuild it (optionally with another seed or scenario)."""
        for name in list(vars(self)):
            if name not in self._infrastructure:
                delattr(self, name)
        if seed is not None:
            self.ctx.seed = seed
        if scenario is not None:
            self.ctx.scenario = scenario
        if scenario_data is not None:
            self.ctx.scenario_data = scenario_data
        self._seed_generators()
        self.build()
        self.writes += 1

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of every state attribute (``world_resources`` by reference), for ``restore()``."""
        shared = {id(v): v for k, v in vars(self).items() if k in self.world_resources}
        return {k: copy.deepcopy(v, dict(shared)) for k, v in vars(self).items() if k not in self._infrastructure}

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name in list(vars(self)):
            if name not in self._infrastructure:
                delattr(self, name)
        shared = {id(v): v for k, v in snapshot.items() if k in self.world_resources}
        for k, v in snapshot.items():
            setattr(self, k, copy.deepcopy(v, dict(shared)))
        self.writes += 1

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered until ``writes`` moves: for derived data that only non-GET operations
        change (list orderings). Whatever a GET handler may write (``last_accessed_at``...) must not feed it."""
        generation, values = self._memo
        if generation != self.writes:
            values = {}
            self._memo = (self.writes, values)
        if key not in values:
            values[key] = compute()
        return values[key]  # type: ignore[no-any-return]

    # --- deterministic helpers ---------------------------------------------------------------------
    def new_uuid(self) -> str:
        """A UUID4 string drawn from the store's RNG (deterministic for a seed)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def token(self, length: int, alphabet: str = BASE62) -> str:
        """``length`` characters of ``alphabet`` drawn from the store's RNG."""
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def now(self) -> datetime:
        return self.clock.now()

    # --- introspection used by the admin API and the pytest handle -----------------------------------
    def credentials(self) -> dict[str, Any]:
        """Ready-to-use credentials and ids, shown by ``GET /__mockbi/info`` and printed by ``serve``."""
        return {}
