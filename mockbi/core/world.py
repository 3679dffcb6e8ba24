"""Reset by restore, not by rebuild: a pristine image of each seeded world, kept and copied back cheaply.

A :class:`StoreImage` is taken once, right after a store has built the world of one (seed, scenario):
the store's state pickled in one piece (shared references and insertion order survive), the state of
its ``random.Random`` and of its ``Faker`` (each generator's ``Random`` and the ``unique`` proxy's
memory), and the seed context. :func:`restore` puts all of it back into the same store object, so a
restored store answers byte for byte like a rebuilt one (``tests/core/test_world_restore.py``), at the
cost of one ``pickle.loads`` instead of a build (a fraction of a millisecond for the default worlds).

Objects the state may point at but that are not world state are pickled by reference, never copied:
the store itself, its clock, RNG, Faker and seed context, and the store's
:attr:`~mockbi.core.store.Store.world_resources` (read-only objects built with the world, such as a
database connection holding seeded tables; each restore puts the very same object back).

A store whose state cannot be pickled (a custom vendor keeping a lambda, say) is restored by
rebuilding it instead: slower, never wrong.
"""

from __future__ import annotations

import io
import pickle
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from mockbi.core.store import Store

#: stands for a ``Faker.unique`` proxy's own sentinel inside an image
_SENTINEL = object()
#: worlds kept per app; a world is ~15-80 KB pickled, so this bounds memory, not speed
DEFAULT_CAPACITY = 64


@dataclass(frozen=True, slots=True)
class StoreImage:
    """One vendor's pristine world for one (seed, scenario)."""

    seed: int
    scenario: str
    scenario_data: Any
    #: the pickled state attributes, or ``None`` when they could not be pickled (restore rebuilds)
    state: bytes | None
    #: ``world_resources`` attributes, put back by reference
    resources: dict[str, Any]
    rng_state: Any
    faker_states: tuple[Any, ...]
    faker_seen: dict[Any, set[Any]]


class _RefPickler(pickle.Pickler):
    """Pickles the objects in ``refs`` as references (``persistent_id``) instead of copying them."""

    def __init__(self, file: io.BytesIO, refs: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs

    def persistent_id(self, obj: Any) -> str | None:
        return self._refs.get(id(obj))


#: values pickled by value even when an infrastructure attribute holds them: the interpreter shares such
#: objects (small ints, interned strings, None), so a reference by identity would catch unrelated values
_BY_VALUE = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset)


def _references(store: Store) -> dict[str, Any]:
    """The objects a state may point at that stay what they are across a restore."""
    refs: dict[str, Any] = {"store": store}
    for name in store._infrastructure | store.world_resources:
        value = vars(store).get(name)
        if value is not None and not isinstance(value, _BY_VALUE):
            refs[f"attr:{name}"] = value
    return refs


def _state_names(store: Store) -> list[str]:
    skip = store._infrastructure | store.world_resources
    return [name for name in vars(store) if name not in skip]


def capture(store: Store) -> StoreImage:
    """The image of ``store`` as it is now (call it right after the world was built)."""
    refs = _references(store)
    state = {name: vars(store)[name] for name in _state_names(store)}
    buffer = io.BytesIO()
    try:
        _RefPickler(buffer, {id(obj): key for key, obj in refs.items()}).dump(state)
        blob: bytes | None = buffer.getvalue()
    except (pickle.PicklingError, TypeError, AttributeError):
        blob = None
    faker = store.faker
    return StoreImage(
        seed=store.ctx.seed, scenario=store.ctx.scenario, scenario_data=store.ctx.scenario_data, state=blob,
        resources={name: vars(store)[name] for name in store.world_resources if name in vars(store)},
        rng_state=store.rng.getstate(),
        faker_states=tuple(factory.random.getstate() for factory in faker._factories),
        faker_seen=_seen_copy(faker.unique._seen, faker.unique._sentinel, _SENTINEL),
    )


def restore(store: Store, image: StoreImage) -> None:
    """Make ``store`` the world of ``image`` again (same object; its state attributes are replaced)."""
    ctx = store.ctx
    if image.state is None:  # not picklable: rebuild (same result, full price)
        store.reset(image.seed, image.scenario, image.scenario_data)
        return
    ctx.seed, ctx.scenario, ctx.scenario_data = image.seed, image.scenario, image.scenario_data
    refs = _references(store)
    refs.update({f"attr:{name}": value for name, value in image.resources.items()})
    unpickler = pickle.Unpickler(io.BytesIO(image.state))
    unpickler.persistent_load = refs.__getitem__  # type: ignore[method-assign]
    state: dict[str, Any] = unpickler.load()
    attributes = vars(store)
    for name in _state_names(store):
        del attributes[name]
    attributes.update(image.resources)
    attributes.update(state)
    store.rng.setstate(image.rng_state)
    faker = store.faker
    for factory, random_state in zip(faker._factories, image.faker_states, strict=True):
        factory.random.setstate(random_state)
    faker.unique._seen = _seen_copy(image.faker_seen, _SENTINEL, faker.unique._sentinel)


def _seen_copy(seen: dict[Any, set[Any]], sentinel: object, replacement: object) -> dict[Any, set[Any]]:
    """A copy of ``Faker.unique``'s memory with its private sentinel swapped (each proxy has its own)."""
    return {key: {replacement if value is sentinel else value for value in values} for key, values in seen.items()}


class WorldCache:
    """Pristine images by (vendor, seed, scenario), least recently used dropped beyond ``capacity``."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._images: OrderedDict[tuple[str, int, str], StoreImage] = OrderedDict()

    def get(self, vendor: str, seed: int, scenario: str) -> StoreImage | None:
        key = (vendor, seed, scenario)
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, vendor: str, image: StoreImage) -> None:
        key = (vendor, image.seed, image.scenario)
        self._images[key] = image
        self._images.move_to_end(key)
        while len(self._images) > self.capacity:
            self._images.popitem(last=False)

    def clear(self) -> None:
        """Forget every image (scenario files changed: worlds are built again on their next use)."""
        self._images.clear()

    def __len__(self) -> int:
        return len(self._images)
