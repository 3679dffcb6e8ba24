"""The state of one running mockbi app: config, clock, journal, faults, and one store per vendor.

Everything mutable lives here and hangs off the app under ``keys.RUNTIME``; two apps in one process
share nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from mockbi.config import MockbiConfig
from mockbi.core.client_coverage import ClientCoverage
from mockbi.core.clock import Clock
from mockbi.core.contract_types import Contract
from mockbi.core.errors import ConfigError
from mockbi.core.faults import Fault, Faults
from mockbi.core.journal import Journal
from mockbi.core.scenarios import check_scenario, load_scenario
from mockbi.core.snapshots import Snapshots
from mockbi.core.store import SeedContext, Store
from mockbi.core.stubs import Stubs
from mockbi.core.suggest import closest, unknown
from mockbi.core.vendor import Vendor
from mockbi.core.watch import ScenarioWatch
from mockbi.core.world import WorldCache, capture, restore

#: methods whose requests count as reads for ``Store.memo``
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


log = logging.getLogger("mockbi")


class VendorRuntime:
    """One served vendor: its contract and its store. Reading ``store`` marks the vendor *dirty* (the
    next reset restores its world): the request pipelines, admin routes and the pytest handle all reach a
    store through it, so a write anywhere is never missed, a GET that stamps ``last_used_at`` included.
    ``peek()`` is for read-only introspection (credentials) and leaves the vendor clean."""

    __slots__ = ("vendor", "contract", "_store", "dirty", "lent", "_before_first_touch")

    def __init__(self, vendor: Vendor[Any], contract: Contract, store: Store,
                 before_first_touch: Callable[[], None] | None = None) -> None:
        self.vendor = vendor
        self.contract = contract  # RestContract | GraphQLContract
        self._store = store
        self.dirty = False
        #: a test holds the store (``mockbi.store()``) and may write through it at any time
        self.lent = False
        self._before_first_touch = before_first_touch

    def _touch(self) -> Store:
        if self._before_first_touch is not None:
            self.settle()
        self.dirty = True
        return self._store

    @property
    def store(self) -> Store:
        """The live store, for any use: it counts as a write (see ``Store.writes``)."""
        store = self._touch()
        store.writes += 1
        return store

    def store_for(self, method: str) -> Store:
        """The live store for a REST request: GET/HEAD count as reads for ``Store.memo`` (their handlers may
        still stamp fields, so the vendor is restored at the next reset all the same)."""
        store = self._touch()
        if method not in SAFE_METHODS or self.lent:
            store.writes += 1
        return store

    def peek(self) -> Store:
        return self._store

    def settle(self) -> None:
        """Take the pristine image now if it is still owed (before the store is restored to another world)."""
        if self._before_first_touch is not None:
            hook, self._before_first_touch = self._before_first_touch, None
            hook()


class Runtime:
    """All per-app mutable state."""

    def __init__(self, config: MockbiConfig, vendors: list[Vendor[Any]], contracts: dict[str, Contract]) -> None:
        self.config = config
        self.seed = config.seed
        self.scenario = config.scenario
        self.clock = Clock(config.clock_start, config.clock_mode)
        self.journal = Journal(config.journal_size, config.journal_bytes, config.journal_body_bytes)
        self.faults = Faults()
        self.client_coverage = ClientCoverage()  # what the client under test exercised; survives reset
        self.snapshots = Snapshots()  # core/snapshots.py: named worlds, kept across resets
        self.stubs = Stubs()  # core/stubs.py: contract-checked canned answers, cleared by reset
        self.strict = config.strict
        #: serialises handler execution against arranging/asserting from other threads (pytest handle)
        self.lock = threading.RLock()
        self.vendors: dict[str, VendorRuntime] = {}
        #: pristine worlds by (vendor, seed, scenario): a reset restores from here instead of rebuilding
        self.worlds = WorldCache()
        #: bumped (under ``lock``) whenever the world is replaced: a request that resolved its caller in an
        #: older world resolves it again before its handler runs (a reset while a body was uploading)
        self.generation = 0
        self.watch = ScenarioWatch(config.scenario_dirs) if config.watch_scenarios and config.scenario_dirs else None
        check_scenario(config.scenario, [v.name for v in vendors], config.scenario_dirs)
        self._scenarios_checked = {config.scenario}
        with self.clock.rebuilding():  # seeded timestamps must not depend on how long the build takes
            for vendor in vendors:
                ctx = SeedContext(config.seed, config.scenario, self.clock,
                                  load_scenario(vendor.name, config.scenario, config.scenario_dirs,
                                                vendor.store_class.scenario_keys))
                store = vendor.create_store(ctx)
                # the pristine image is taken just before the first use, not here: it costs 1-25 ms a vendor
                self.vendors[vendor.name] = VendorRuntime(vendor, contracts[vendor.name], store,
                                                          self._capturer(store))
        if config.faults:  # ``serve --faults FILE``: the baseline rules, back after every reset
            self.faults = Faults([self.check_fault(Fault.from_mapping(data, f"fault {i}"))
                                  for i, data in enumerate(config.faults, 1)])

    def _capturer(self, store: Store) -> Callable[[], None]:
        def capture_pristine() -> None:
            with self.lock:
                self.worlds.put(store.vendor, capture(store))

        return capture_pristine

    def store(self, vendor: str) -> Store:
        """The live store of ``vendor`` (for arranging and asserting; marks it for restore at the next reset)."""
        try:
            return self.vendors[vendor].store
        except KeyError:
            raise ConfigError(unknown("vendor", vendor, self.vendors) + " (served by this app)") from None

    def mark_dirty(self, vendors: Iterable[str] | None = None) -> None:
        """Restore ``vendors`` (default: all) at the next reset, whatever happened to them meanwhile."""
        for name in self.vendors if vendors is None else vendors:
            if name in self.vendors:
                self.vendors[name].store  # noqa: B018 (a touch: dirty, and a write for Store.memo)

    def reset(self, seed: int | None = None, scenario: str | None = None) -> None:
        """Back to the pristine world of (seed, scenario) (the current ones unless given): every vendor
        touched since the last reset, or all of them for another world, is restored from its cached image
        (built on first use); the clock goes back to its start instant and configured mode, and faults are
        cleared. Arguments are checked before anything changes."""
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ConfigError(f"seed must be an integer, not {seed!r}")
        if scenario is not None:
            if not isinstance(scenario, str):
                raise ConfigError(f"scenario must be a string, not {scenario!r}")
            if scenario not in self._scenarios_checked:
                check_scenario(scenario, list(self.vendors), self.config.scenario_dirs)
                self._scenarios_checked.add(scenario)
        with self.lock:
            self.generation += 1
            new_seed = self.seed if seed is None else seed
            new_scenario = self.scenario if scenario is None else scenario
            if self.watch is not None and self.watch.changed():
                self._reload_scenarios(new_scenario)
            other_world = (new_seed, new_scenario) != (self.seed, self.scenario)
            self.seed, self.scenario = new_seed, new_scenario
            self.faults.reset()
            self.stubs.clear()
            with self.clock.rebuilding():
                for name, vr in self.vendors.items():
                    if vr.dirty or other_world:
                        vr.settle()
                        self._restore(name, vr.peek())
                        vr.dirty = False
                        vr.peek().writes += 1

    def _reload_scenarios(self, scenario: str) -> None:
        """Scenario files changed (``--watch``): rebuild from them if they load, else keep the world we have."""
        try:
            check_scenario(scenario, list(self.vendors), self.config.scenario_dirs)
            for name, vr in self.vendors.items():
                load_scenario(name, scenario, self.config.scenario_dirs, vr.vendor.store_class.scenario_keys)
        except ConfigError as exc:
            log.error("scenario files changed but do not load (%s); keeping the previous world", exc)
            return
        log.info("scenario files changed; rebuilding the %r world", scenario)
        self._scenarios_checked = {scenario}
        self.worlds.clear()
        for vr in self.vendors.values():
            vr.settle()
            vr.dirty = True

    def lend(self, vendor: str) -> Store:
        """The store of ``vendor`` for a test to keep: every request counts as a write until ``end_loans()``."""
        store = self.store(vendor)
        self.vendors[vendor].lent = True
        return store

    def end_loans(self) -> None:
        """A new test starts: stores handed out before are no longer held (called after its reset)."""
        for vr in self.vendors.values():
            vr.lent = False

    def _restore(self, name: str, store: Store) -> None:
        image = self.worlds.get(name, self.seed, self.scenario)
        if image is None:  # a world not seen yet: build it in place, keep its image
            keys = self.vendors[name].vendor.store_class.scenario_keys
            store.reset(self.seed, self.scenario, load_scenario(name, self.scenario, self.config.scenario_dirs, keys))
            self.worlds.put(name, capture(store))
        else:
            restore(store, image)

    def add_fault(self, fault: Fault) -> Fault:
        """Activate ``fault`` if it names a served vendor and one of its contract operations (or ``*``)."""
        self.check_fault(fault)
        self.mark_dirty([fault.vendor])  # a fault may draw on the vendor's RNG
        return self.faults.add(fault)

    def check_fault(self, fault: Fault) -> Fault:
        """``fault`` if it names a served vendor and one of its contract operations (or ``*``)."""
        from mockbi.core.fault_actions import check_rate_limit

        if fault.vendor not in self.vendors:
            hint = closest(fault.vendor, self.vendors)
            raise ConfigError(f"fault vendor {fault.vendor!r} is not served; served: {', '.join(self.vendors)}"
                              + (f" (did you mean {hint!r}?)" if hint else ""))
        if fault.operation_id != "*":
            known = {op for op, _, _ in self.vendors[fault.vendor].contract.coverage_items()}
            if fault.operation_id not in known:
                hint = closest(fault.operation_id, known)
                raise ConfigError(f"{fault.vendor} has no operation {fault.operation_id!r} ("
                                  + (f"did you mean {hint!r}? " if hint else "") + "use '*' for any)")
        check_rate_limit(self.vendors[fault.vendor].vendor, fault)
        return fault

    def info(self) -> dict[str, Any]:
        from mockbi import __version__

        return {
            "version": __version__,
            "seed": self.seed,
            "scenario": self.scenario,
            "strict": self.strict,
            "clock": {"mode": self.clock.mode, "now": self.clock.now().isoformat()},
            "vendors": {name: vr.peek().credentials() for name, vr in self.vendors.items()},
        }
