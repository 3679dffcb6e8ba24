"""World images (``mockbi/core/world.py``): what a restore copies, what it keeps by reference, and the
rebuild fallback for a state that cannot be pickled."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from mockbi.core.clock import Clock
from mockbi.core.store import SeedContext, Store
from mockbi.core.world import WorldCache, capture, restore


class Warehouse:
    """Stands for a read-only resource built with the world (a database connection)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.lock = threading.Lock()  # unpicklable, like a real connection


class Shop(Store):
    vendor = "shop"
    world_resources: ClassVar[frozenset[str]] = frozenset({"warehouse"})

    def build(self) -> None:
        self.warehouse = Warehouse(self.ctx.seed)
        self.counts = {"a": 1, "b": 2, "c": 3}  # small ints, as the ``writes`` counter holds
        self.names = [self.faker.unique.first_name() for _ in range(3)]
        self.owner = self  # a back reference to the store itself
        self.started = self.now()


def _shop(seed: int = 1) -> Shop:
    return Shop(SeedContext(seed, "default", Clock()))


def test_restore_copies_state_and_keeps_references() -> None:
    shop = _shop()
    shop.writes = 1  # an infrastructure int equal to a state value (counts["a"]) must never stand in for it
    image = capture(shop)
    first_names, warehouse = list(shop.names), shop.warehouse
    shop.counts["a"] = 99
    shop.names.append("Extra")
    shop.writes = 2
    shop.rng.random()
    restore(shop, image)
    assert shop.counts == {"a": 1, "b": 2, "c": 3}
    assert shop.names == first_names
    assert shop.owner is shop and shop.warehouse is warehouse  # references, not copies
    assert shop.writes == 2  # infrastructure stays as it is
    fresh = _shop()
    assert shop.rng.random() == fresh.rng.random()
    assert shop.faker.unique.first_name() == fresh.faker.unique.first_name()  # unique memory restored too


def test_each_world_keeps_its_own_resources() -> None:
    shop = _shop(1)
    one = capture(shop)
    shop.reset(seed=2)
    two = capture(shop)
    assert shop.warehouse.seed == 2
    restore(shop, one)
    assert (shop.ctx.seed, shop.warehouse.seed) == (1, 1)
    restore(shop, two)
    assert (shop.ctx.seed, shop.warehouse.seed) == (2, 2)


class Odd(Store):
    vendor = "odd"

    def build(self) -> None:
        self.rule: Any = lambda x: x + self.ctx.seed  # cannot be pickled
        self.items = [self.rng.random() for _ in range(3)]


def test_a_state_that_cannot_be_pickled_is_rebuilt() -> None:
    odd = Odd(SeedContext(5, "default", Clock()))
    image = capture(odd)
    assert image.state is None
    items = list(odd.items)
    odd.items.clear()
    restore(odd, image)
    assert odd.items == items and odd.rule(1) == 6


def test_the_cache_drops_the_least_recently_used_world() -> None:
    cache = WorldCache(capacity=2)
    shop = _shop(1)
    for seed in (1, 2, 3):
        shop.reset(seed=seed)
        cache.put("shop", capture(shop))
        if seed == 2:
            assert cache.get("shop", 1, "default") is not None  # touch 1: 2 is now the oldest
    assert len(cache) == 2
    assert cache.get("shop", 2, "default") is None
    assert cache.get("shop", 1, "default") is not None and cache.get("shop", 3, "default") is not None
