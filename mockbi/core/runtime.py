"""The state of one running mockbi app: config, clock, journal, faults, and one store per vendor.

Everything mutable lives here and hangs off the app under ``keys.RUNTIME``; two apps in one process
share nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from mockbi.config import MockbiConfig
from mockbi.core.clock import Clock
from mockbi.core.errors import ConfigError
from mockbi.core.faults import Faults
from mockbi.core.journal import Journal
from mockbi.core.scenarios import check_scenario, load_scenario
from mockbi.core.store import SeedContext, Store
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
        self.journal = Journal(config.journal_size)
        self.faults = Faults()
        self.strict = config.strict
        #: serialises handler execution against arranging/asserting from other threads (pytest handle)
        self.lock = threading.RLock()
        self.vendors: dict[str, VendorRuntime] = {}
        check_scenario(config.scenario, [v.name for v in vendors], config.scenario_dirs)
        for vendor in vendors:
            ctx = SeedContext(config.seed, config.scenario, self.clock,
                              load_scenario(vendor.name, config.scenario, config.scenario_dirs))
            self.vendors[vendor.name] = VendorRuntime(vendor, contracts[vendor.name], vendor.create_store(ctx))

    def store(self, vendor: str) -> Store:
        try:
            return self.vendors[vendor].store
        except KeyError:
            raise ConfigError(f"vendor {vendor!r} is not served by this app") from None

    def reset(self, seed: int | None = None, scenario: str | None = None) -> None:
        """Rebuild every vendor's world (same seed and scenario unless given), reset clock and faults."""
        with self.lock:
            if seed is not None:
                self.seed = seed
            if scenario is not None:
                check_scenario(scenario, list(self.vendors), self.config.scenario_dirs)
                self.scenario = scenario
            data = {name: load_scenario(name, self.scenario, self.config.scenario_dirs) for name in self.vendors}
            self.clock.reset()
            self.faults.clear()
            for name, vr in self.vendors.items():
                vr.store.reset(self.seed, self.scenario, data[name])

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
