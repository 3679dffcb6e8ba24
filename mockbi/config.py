"""One typed configuration object; only ``cli.py`` reads the environment."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from mockbi.core.clock import DEFAULT_START, ClockMode


@dataclass(frozen=True, slots=True)
class MockbiConfig:
    """How one mockbi app behaves.

    ``vendors`` empty means all vendors. ``strict`` turns a response that breaks its own contract
    into a 500 naming the operation and the violation (the default under pytest).
    """

    seed: int = 0
    scenario: str = "default"
    vendors: tuple[str, ...] = ()
    strict: bool = False
    journal_size: int = 1000
    #: the journal's byte budget (oldest entries dropped beyond it) and the size a stored body is cut to
    journal_bytes: int = 64 * 1024 * 1024
    journal_body_bytes: int = 256 * 1024
    max_body_size: int = 1024 * 1024
    clock_start: datetime = DEFAULT_START
    clock_mode: ClockMode = "frozen"
    validate_responses: bool = True
    scenario_dirs: tuple[str, ...] = field(default_factory=tuple)
    #: fault rules active from the start and restored by every reset (``mockbi serve --faults FILE``)
    faults: tuple[dict[str, Any], ...] = ()
    #: a state document (``GET /__mockbi/state``) the world starts from instead of the seeded one
    initial_state: str | None = None
    #: the address the server binds: off loopback, the admin API wants ``admin_token`` (see core.admin_guard)
    bind_host: str = "127.0.0.1"
    #: with a token, admin and console requests must send ``Authorization: Bearer <token>``
    admin_token: str | None = None
    #: extra ``Host`` names the admin API answers for (a proxy's or a container's name)
    allowed_hosts: tuple[str, ...] = ()
    #: browser origins (or ``*``) allowed to call the vendor routes (CORS) and, when listed, the admin API
    cors_origins: tuple[str, ...] = ()
    #: ``serve --state-file``: every acknowledged write is logged here and replayed at the next start
    state_file: str | None = None
    #: ``serve --watch``: scenario files changed under ``scenario_dirs`` rebuild their world at the next reset
    watch_scenarios: bool = False
    #: at most this many tenants live at once (least recently used unpinned ones are evicted)
    max_tenants: int = 32

    def __post_init__(self) -> None:
        from mockbi.core.errors import ConfigError

        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed must be an integer, not {self.seed!r}")
        if not isinstance(self.max_tenants, int) or self.max_tenants < 1:
            raise ConfigError(f"max_tenants must be a whole number of at least 1, not {self.max_tenants!r}")
        for name in ("journal_size", "max_body_size", "journal_bytes", "journal_body_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
        if self.clock_mode not in ("frozen", "wall"):
            raise ConfigError(f"clock_mode must be 'frozen' or 'wall', not {self.clock_mode!r}")
        if self.clock_start.tzinfo is None:
            raise ConfigError("clock_start must be timezone-aware")
        if self.admin_token is not None and (not self.admin_token or any(c.isspace() for c in self.admin_token)):
            raise ConfigError("admin_token must be a non-empty string without spaces")

    def evolve(self, **changes: object) -> MockbiConfig:
        return replace(self, **changes)  # type: ignore[arg-type]
