"""The base class of every vendor store: one seeded world, owned by one app.

Each store owns its own ``random.Random`` and its own ``Faker`` instance, both seeded from the
configured seed (``Faker.seed_instance``, never the class-wide ``Faker.seed``), and reads time from the
injected :class:`~mockbi.core.clock.Clock`. ``reset()`` rebuilds the world by re-running ``build()``
with the same inputs (moto's re-``__init__``); ``snapshot()``/``restore()`` deep-copy the state.
"""

from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from faker import Faker

from mockbi.core.clock import Clock

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
    _infrastructure: ClassVar[frozenset[str]] = frozenset({"ctx", "rng", "faker", "clock", "_lock"})

    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.clock = ctx.clock
        self._seed_generators()
        self.build()

    def _seed_generators(self) -> None:
        # A per-vendor seed keeps vendors independent: adding data to one never shifts another's.
        salt = sum(ord(ch) for ch in self.vendor) * 7919
        self.rng = random.Random(self.ctx.seed * 1_000_003 + salt)
        self.faker = Faker()
        self.faker.seed_instance(self.ctx.seed * 1_000_003 + salt)

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

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of every state attribute, for ``restore()``."""
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k not in self._infrastructure}

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name in list(vars(self)):
            if name not in self._infrastructure:
                delattr(self, name)
        for k, v in snapshot.items():
            setattr(self, k, copy.deepcopy(v))

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
