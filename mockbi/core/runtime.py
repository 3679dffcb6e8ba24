"""The state of one running mockbi app: config, clock, journal, faults, and one store per vendor.

Everything mutable lives here and hangs off the app under ``keys.RUNTIME``; two apps in one process
share nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from mockbi.config import MockbiConfig
from mockbi.core.client_coverage import ClientCoverage
from mockbi.core.clock import Clock
from mockbi.core.errors import ConfigError
from mockbi.core.faults import Fault, Faults
from mockbi.core.journal import Journal
from mockbi.core.scenarios import check_scenario, load_scenario
from mockbi.core.store import SeedContext, Store
from mockbi.core.suggest import closest, unknown
from mockbi.core.vendor import Vendor


@dataclass(slots=True)
class VendorRuntime:
    vendor: Vendor
    contract: Any  # RestContract | GraphQLContract
    store: Store


class Runtime:
    """All per-app mutable state."""

    def __init__(self, config: MockbiConfig, vendors: list[Vendor], contracts: dict[str, Any]) -> None:
        self.config = config
        self.seed = config.seed
        self.scenario = config.scenario
        self.clock = Clock(config.clock_start, config.clock_mode)
        self.journal = Journal(config.journal_size, config.journal_bytes, config.journal_body_bytes)
        self.faults = Faults()
        self.client_coverage = ClientCoverage()  # what the client under test exercised; survives reset
        self.strict = config.strict
        #: serialises handler execution against arranging/asserting from other threads (pytest handle)
        self.lock = threading.RLock()
        self.vendors: dict[str, VendorRuntime] = {}
        #: bumped (under ``lock``) whenever the world is replaced: a request that resolved its caller in an
        #: older world resolves it again before its handler runs (a reset while a body was uploading)
        self.generation = 0
        check_scenario(config.scenario, [v.name for v in vendors], config.scenario_dirs)
        with self.clock.rebuilding():  # seeded timestamps must not depend on how long the build takes
            for vendor in vendors:
                ctx = SeedContext(config.seed, config.scenario, self.clock,
                                  load_scenario(vendor.name, config.scenario, config.scenario_dirs,
                                                vendor.store_class.scenario_keys))
                self.vendors[vendor.name] = VendorRuntime(vendor, contracts[vendor.name], vendor.create_store(ctx))
        if config.faults:  # ``serve --faults FILE``: the baseline rules, back after every reset
            self.faults = Faults([self.check_fault(Fault.from_mapping(data, f"fault {i}"))
                                  for i, data in enumerate(config.faults, 1)])

    def store(self, vendor: str) -> Store:
        try:
            return self.vendors[vendor].store
        except KeyError:
            raise ConfigError(unknown("vendor", vendor, self.vendors) + " (served by this app)") from None

    def reset(self, seed: int | None = None, scenario: str | None = None) -> None:
        """Rebuild every vendor's world (same seed and scenario unless given); the clock goes back to its
        start instant and configured mode, and faults are cleared. Arguments are checked before anything
        changes."""
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ConfigError(f"seed must be an integer, not {seed!r}")
        if scenario is not None:
            if not isinstance(scenario, str):
                raise ConfigError(f"scenario must be a string, not {scenario!r}")
            check_scenario(scenario, list(self.vendors), self.config.scenario_dirs)
        with self.lock:
            self.generation += 1
            self.seed = self.seed if seed is None else seed
            self.scenario = self.scenario if scenario is None else scenario
            data = {name: load_scenario(name, self.scenario, self.config.scenario_dirs,
                                        vr.vendor.store_class.scenario_keys) for name, vr in self.vendors.items()}
            self.faults.reset()
            with self.clock.rebuilding():
                for name, vr in self.vendors.items():
                    vr.store.reset(self.seed, self.scenario, data[name])

    def add_fault(self, fault: Fault) -> Fault:
        """Activate ``fault`` if it names a served vendor and one of its contract operations (or ``*``)."""
        return self.faults.add(self.check_fault(fault))

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
            "vendors": {name: vr.store.credentials() for name, vr in self.vendors.items()},
        }
