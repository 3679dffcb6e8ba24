"""Injected faults: rules keyed by vendor and operationId (``*`` for any), applied before the handler.

A rule has an action (``status`` with an optional ``body``, ``latency`` seconds, ``disconnect``) and a
policy (``times`` — ``1`` is "once", ``None`` forever — and ``probability`` drawn from the vendor
store's RNG, so a seeded run injects the same faults).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass
from typing import Any

from mockbi.core.errors import ConfigError

MAX_LATENCY = 300.0


class Disconnected(Exception):
    """Raised once a disconnect fault has dropped the connection: the pipeline journals it, sends nothing."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN


@dataclass(slots=True)
class Fault:
    vendor: str
    operation_id: str = "*"
    status: int | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    latency: float = 0.0
    disconnect: bool = False
    times: int | None = 1
    probability: float = 1.0

    def __post_init__(self) -> None:
        """Every field is checked here, so a fault that is accepted can fire as described."""
        if not isinstance(self.vendor, str) or not isinstance(self.operation_id, str):
            raise ConfigError("vendor and operation_id must be strings")
        if self.status is not None and (not _is_int(self.status) or not 400 <= self.status <= 599):
            raise ConfigError(f"invalid fault status {self.status!r}: an integer from 400 to 599")
        if not _is_number(self.latency) or not 0 <= self.latency <= MAX_LATENCY:
            raise ConfigError(f"latency must be a number of seconds from 0 to {MAX_LATENCY}")
        if not isinstance(self.disconnect, bool):
            raise ConfigError("disconnect must be true or false")
        if not _is_number(self.probability) or not 0.0 <= self.probability <= 1.0:
            raise ConfigError("probability must be a number between 0 and 1")
        if self.times is not None and (not _is_int(self.times) or self.times < 1):
            raise ConfigError("times must be a whole number of at least 1 (or null for every call)")
        if self.headers is not None and not (isinstance(self.headers, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items())):
            raise ConfigError("headers must map header names to string values")
        if self.status is None and not self.disconnect and not self.latency:
            raise ConfigError("a fault needs a status, a latency or disconnect")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def preferred_fault(vendor: str, operation_id: str, prefer: str | None) -> Fault | None:
    """A one-off fault asked for by the request itself (prism's ``Prefer`` header):
    ``Prefer: code=503`` answers with that status in the vendor's error envelope. Codes below 400 are
    ignored (the mock already answers with the operation's success status)."""
    if not prefer:
        return None
    for part in prefer.replace(";", ",").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "code" and value.strip().isdigit():
            status = int(value.strip())
            if 400 <= status <= 599:
                return Fault(vendor=vendor, operation_id=operation_id, status=status)
    return None


class Faults:
    """The active fault rules of one app."""

    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.RLock()  # the server's loop takes rules while a test thread adds them

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def remove(self, index: int) -> bool:
        """Drop the rule at ``index`` (its position in ``rules``); False if there is none."""
        with self._lock:
            if not 0 <= index < len(self._rules):
                return False
            del self._rules[index]
            return True

    @property
    def rules(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def take(self, vendor: str, operation_id: str, rng: random.Random) -> Fault | None:
        """The first matching rule that fires for this call (consuming one of its ``times``)."""
        with self._lock:
            return self._take(vendor, operation_id, rng)

    def _take(self, vendor: str, operation_id: str, rng: random.Random) -> Fault | None:
        for rule in self._rules:
            if rule.vendor != vendor or rule.operation_id not in ("*", operation_id):
                continue
            if rule.probability < 1.0 and rng.random() >= rule.probability:
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times == 0:
                    self._rules.remove(rule)
            return rule
        return None
