"""Portable state: the whole world of one app as one versioned JSON document, and back.

``export_world(rt)`` writes every vendor's declared state (see ``Vendor.state_spec``), the store's RNG and
Faker generator positions (so ids generated after an import continue exactly as they would have), the
clock, and the seed and scenario the world came from::

    {"format": "mockbi-state", "version": 1, "seed": 0, "scenario": "default",
     "clock": {"start": "2025-01-15T09:30:00+00:00", "elapsed_us": 0, "mode": "frozen", "initial_mode": "frozen"},
     "vendors": {"posthog": {"rng": [3, [...625 integers], null], "faker": [...], "state": {...}}, ...}}

``import_world(rt, document)`` decodes and checks the whole document first and only then replaces the
world, under the runtime lock: a bad document raises :class:`StateError` (the admin API's 400) naming the
problem and changes nothing. Export → import → export gives the same bytes (``encode_world``).
Derived data (caches, Lightdash's warehouse) is not exported; it is rebuilt from the state on demand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from mockbi.core.clock import isoformat_z
from mockbi.core.errors import ConfigError
from mockbi.core.runtime import Runtime
from mockbi.core.scenarios import check_scenario, load_scenario
from mockbi.core.snapshots import Snapshot
from mockbi.core.state_codec import StateError, StateSpec
from mockbi.core.store import Store

FORMAT = "mockbi-state"
VERSION = 1
RNG_WORDS = 625
CLOCK_MODES = ("frozen", "wall")


def _kept(store: Store) -> frozenset[str]:
    """Attributes that are neither exported nor replaced: infrastructure (generators, clock, context) and
    the read-only resources a store builds from its seed (``world_resources``, e.g. a seeded database)."""
    return type(store)._infrastructure | getattr(type(store), "world_resources", frozenset())


def _stateful_attributes(store: Store, spec: StateSpec, vendor: str) -> None:
    """Check that the store holds exactly the declared state and derived attributes (plus infrastructure),
    so an attribute added to a store without a declaration fails loudly instead of being lost."""
    present = {name for name in vars(store) if name not in _kept(store)}
    declared = set(spec.fields) | set(spec.derived)
    undeclared = sorted(present - declared)
    if undeclared:
        raise StateError(f"{vendor}: store attribute(s) {undeclared} are neither declared state nor derived "
                         f"(declare them in the vendor's state spec)")
    absent = sorted(set(spec.fields) - present)
    if absent:
        raise StateError(f"{vendor}: declared state attribute(s) {absent} are missing from the store")


def _rng_state(rng: random.Random) -> list[Any]:
    version, words, gauss = rng.getstate()
    return [version, list(words), gauss]


def export_world(rt: Runtime) -> dict[str, Any]:
    """The world as plain JSON data (see the module docstring)."""
    with rt.lock:
        vendors = {}
        for name, vr in rt.vendors.items():
            spec = vr.vendor.state_spec()
            store = vr.peek()  # a read: exporting (or a snapshot) does not make the next reset restore this vendor
            _stateful_attributes(store, spec, name)
            codec = spec.codec()
            state = {attr: codec.encode(getattr(store, attr), hint, f"{name}.{attr}")
                     for attr, hint in spec.fields.items()}
            vendors[name] = {"rng": _rng_state(store.rng), "faker": _rng_state(store.faker.random), "state": state}
        return {"format": FORMAT, "version": VERSION, "seed": rt.seed, "scenario": rt.scenario,
                "clock": rt.clock.export_state(), "vendors": vendors}


def encode_world(rt: Runtime) -> bytes:
    """``export_world`` as JSON bytes (deterministic: the same world gives the same bytes)."""
    return orjson.dumps(export_world(rt))


# --- import ------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _VendorPlan:
    state: dict[str, Any]
    rng: tuple[Any, ...]
    faker: tuple[Any, ...]
    scenario_data: dict[str, Any]


def _object(data: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise StateError(f"{path}: expected an object")
    missing = [k for k in keys if k not in data]
    if missing:
        raise StateError(f"{path}: missing {', '.join(missing)}")
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise StateError(f"{path}: unknown key(s) {unknown}")
    return data


def _decode_rng(data: Any, path: str) -> tuple[Any, ...]:
    ok = (isinstance(data, list) and len(data) == 3 and isinstance(data[1], list) and len(data[1]) == RNG_WORDS
          and all(isinstance(w, int) and not isinstance(w, bool) and 0 <= w < 2**32 for w in data[1])
          and (data[2] is None or isinstance(data[2], float)))
    if not ok:
        raise StateError(f"{path}: expected a generator state [version, [{RNG_WORDS} integers], null]")
    state = (data[0], tuple(data[1]), data[2])
    try:
        random.Random().setstate(state)
    except (ValueError, TypeError, OverflowError) as exc:
        raise StateError(f"{path}: not a generator state ({exc})") from None
    return state


def _decode_clock(data: Any) -> tuple[datetime, int, Any, Any]:
    clock = _object(data, "clock", ("start", "elapsed_us", "mode", "initial_mode"))
    try:
        start = datetime.fromisoformat(str(clock["start"]))
    except ValueError:
        raise StateError(f"clock.start: {clock['start']!r} is not an ISO-8601 instant") from None
    if start.tzinfo is None:
        raise StateError("clock.start must carry a timezone")
    elapsed = clock["elapsed_us"]
    if not isinstance(elapsed, int) or isinstance(elapsed, bool) or elapsed < 0:
        raise StateError("clock.elapsed_us must be a non-negative integer")
    for key in ("mode", "initial_mode"):
        if clock[key] not in CLOCK_MODES:
            raise StateError(f"clock.{key} must be 'frozen' or 'wall'")
    return start, elapsed, clock["mode"], clock["initial_mode"]


def _decode_vendor(rt: Runtime, name: str, data: Any, scenario: str) -> _VendorPlan:
    vendor = _object(data, name, ("rng", "faker", "state"))
    spec = rt.vendors[name].vendor.state_spec()
    state = _object(vendor["state"], f"{name}.state", tuple(spec.fields))
    codec = spec.codec()
    decoded = {attr: codec.decode(state[attr], hint, f"{name}.{attr}") for attr, hint in spec.fields.items()}
    rng, faker = _decode_rng(vendor["rng"], f"{name}.rng"), _decode_rng(vendor["faker"], f"{name}.faker")
    ctx = rt.vendors[name].peek().ctx  # the scenario's data is read again only for another scenario
    data = ctx.scenario_data if ctx.scenario == scenario else load_scenario(name, scenario, rt.config.scenario_dirs)
    return _VendorPlan(decoded, rng, faker, data)


def import_world(rt: Runtime, document: Any) -> None:
    """Replace the world with ``document``'s, or raise ``StateError`` and change nothing."""
    doc = _object(document, "document", ("format", "version", "seed", "scenario", "clock", "vendors"))
    if doc["format"] != FORMAT:
        raise StateError(f"format must be {FORMAT!r}, not {doc['format']!r}")
    if doc["version"] != VERSION:
        raise StateError(f"unsupported state version {doc['version']!r} (this mockbi reads version {VERSION})")
    seed, scenario = doc["seed"], doc["scenario"]
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise StateError("seed must be an integer")
    if not isinstance(scenario, str):
        raise StateError("scenario must be a string")
    try:
        check_scenario(scenario, list(rt.vendors), rt.config.scenario_dirs)
    except ConfigError as exc:
        raise StateError(f"scenario: {exc}") from None
    clock = _decode_clock(doc["clock"])
    vendors = doc["vendors"]
    if not isinstance(vendors, dict):
        raise StateError("vendors: expected an object")
    extra, missing = sorted(set(vendors) - set(rt.vendors)), [v for v in rt.vendors if v not in vendors]
    if extra or missing:
        raise StateError("vendors: the document and this server disagree: "
                         + "; ".join(([f"not served here: {', '.join(extra)}"] if extra else [])
                                     + ([f"missing {', '.join(missing)}"] if missing else [])))
    plans = {name: _decode_vendor(rt, name, vendors[name], scenario) for name in rt.vendors}
    with rt.lock:
        rt.generation += 1  # a request that authenticated against the old world does so again (as on reset)
        for name, plan in plans.items():
            _apply(rt.vendors[name].store, rt.vendors[name].vendor.state_spec(), plan, seed, scenario)
        rt.seed, rt.scenario = seed, scenario
        rt.clock.load_state(*clock)


def _apply(store: Store, spec: StateSpec, plan: _VendorPlan, seed: int, scenario: str) -> None:
    """Swap the decoded state in (new values first, then stray attributes dropped, so a reader outside the
    lock never finds an attribute missing)."""
    for attr, value in plan.state.items():
        setattr(store, attr, value)
    for attr, factory in spec.derived.items():
        setattr(store, attr, factory())
    keep = _kept(store) | set(plan.state) | set(spec.derived)
    for attr in [a for a in vars(store) if a not in keep]:
        delattr(store, attr)
    store.rng.setstate(plan.rng)
    store.faker.random.setstate(plan.faker)
    store.ctx.seed, store.ctx.scenario, store.ctx.scenario_data = seed, scenario, plan.scenario_data
    store.writes += 1  # whatever a store remembered (Store.memo) belonged to the world replaced


def load_state_file(rt: Runtime, path: str) -> None:
    """``mockbi serve --state FILE``: import a document written by ``GET /__mockbi/state``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"--state {path}: {exc.strerror or exc}") from None
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"--state {path}: not JSON ({exc})") from None
    try:
        import_world(rt, document)
    except StateError as exc:
        raise ConfigError(f"--state {path}: {exc}") from None


def take_snapshot(rt: Runtime, name: str) -> Snapshot:
    """Keep the world as it is now under ``name`` (``core/snapshots.py``)."""
    rt.snapshots.check_room(name)
    with rt.lock:
        document, taken_at = export_world(rt), isoformat_z(rt.clock.now())
    return rt.snapshots.keep(name, taken_at, document)


def restore_snapshot(rt: Runtime, name: str) -> Snapshot:
    """Put the world back where it was when ``name`` was taken."""
    snap = rt.snapshots.get(name)
    import_world(rt, snap.document)
    return snap
