"""Injected faults: rules keyed by vendor and operationId (``*`` for any), applied before the handler.

A rule has an **action** and a **policy**, both checked when the rule is created (a rule that is accepted
can fire as described):

- actions: ``status`` (with an optional ``body``; ``headers`` go on whatever answer is sent, the vendor's
  own error envelope included), ``latency`` seconds, ``disconnect``, and the response-damaging
  ``truncate`` (send part of the body, then close), ``malformed`` (a syntactically broken body under the
  declared content type) and ``slow_body`` (drip the body over n seconds); ``rate_limit`` (``"vendor"``:
  the vendor's documented limits, or ``{"limit": n, "window": seconds}``) answers the vendor's throttled
  error once a caller goes over the limit, counted on the injected clock;
- policy: ``after`` (let n matching calls through first), ``every`` (then every n-th matching call),
  ``probability`` (drawn from the vendor store's seeded RNG), ``times`` (``1`` is "once", ``None``
  forever), or ``sequence`` (consecutive firing calls get consecutive actions; ``{}`` is a normal answer).

Every rule counts its own matching calls, so a schedule is the same on every run; the journal records
which rule fired on which of its calls (see ``core/fault_actions.py`` for how actions are carried out).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.core.suggest import unknown

MAX_LATENCY = 300.0
#: headers a fault may not set: they frame the message, and a wrong value hangs or breaks the client
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
                             "trailer", "te", "host"})
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class Disconnected(Exception):
    """Raised once a disconnect fault has dropped the connection: the pipeline journals it, sends nothing."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN


def check_headers(headers: Any) -> None:
    """Header names must be tokens and values printable text without CR/LF; framing headers are refused."""
    if headers is None:
        return
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise ConfigError("headers must map header names to string values")
    for name, value in headers.items():
        if not _TOKEN.match(name):
            raise ConfigError(f"header name {name!r} is not a valid HTTP token")
        if name.lower() in FRAMING_HEADERS:
            raise ConfigError(f"header {name!r} cannot be set by a fault: mockbi frames the message itself")
        if any(ch in value for ch in "\r\n\x00") or not value.isprintable():
            raise ConfigError(f"header {name!r}: the value must be printable text without CR, LF or NUL")


@dataclass(slots=True)
class FaultAction:
    """What happens to one call: fail it, delay it, drop it, or damage the response body."""

    status: int | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    latency: float = 0.0
    disconnect: bool = False
    truncate: bool | int = False
    malformed: bool = False
    slow_body: float = 0.0

    def __post_init__(self) -> None:
        if self.status is not None and (not _is_int(self.status) or not 400 <= self.status <= 599):
            raise ConfigError(f"invalid fault status {self.status!r}: an integer from 400 to 599")
        for name in ("latency", "slow_body"):
            value = getattr(self, name)
            if not _is_number(value) or not 0 <= value <= MAX_LATENCY:
                raise ConfigError(f"{name} must be a number of seconds from 0 to {MAX_LATENCY}")
        for name in ("disconnect", "malformed"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false")
        if not isinstance(self.truncate, bool) and not (_is_int(self.truncate) and self.truncate >= 0):
            raise ConfigError("truncate must be true (half the body) or the number of bytes to send")
        check_headers(self.headers)
        if self.body is not None and self.status is None:
            raise ConfigError("a fault body needs a status")

    @property
    def damages_body(self) -> bool:
        return self.truncate is not False or self.malformed or bool(self.slow_body)

    @property
    def is_pass(self) -> bool:
        """A sequence step that answers normally."""
        return (self.status is None and not self.disconnect and not self.latency and not self.damages_body
                and not self.headers)

    @classmethod
    def from_mapping(cls, data: Any, where: str = "sequence step") -> FaultAction:
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError(f"{where} must be an object such as {{\"status\": 503}}, not {data!r}")
        allowed = [f.name for f in fields(cls)]
        for key in data:
            if key not in allowed:
                raise ConfigError(f"{where}: {unknown('fault option', key, allowed)}")
        return cls(**dict(data))


ACTION_FIELDS = tuple(f.name for f in fields(FaultAction))


@dataclass(slots=True, kw_only=True)
class Fault(FaultAction):
    """A rule: which calls it matches (``vendor``, ``operation_id``), its own action (the inherited fields)
    or a ``sequence`` of actions, and its policy."""

    vendor: str
    operation_id: str = "*"
    rate_limit: str | dict[str, Any] | None = None
    times: int | None = 1
    probability: float = 1.0
    after: int = 0
    every: int = 1
    sequence: list[Any] | None = None
    #: assigned when the rule is added; counters of this rule's matching calls and of the calls it fired on
    id: int = 0
    calls: int = 0
    fired: int = 0
    _steps: list[FaultAction] = field(default_factory=list, repr=False)
    #: rate_limit rules: per caller key, the injected-clock instants of the calls let through
    _hits: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Every field is checked here, so a fault that is accepted can fire as described."""
        if not isinstance(self.vendor, str) or not isinstance(self.operation_id, str):
            raise ConfigError("vendor and operation_id must be strings")
        FaultAction.__post_init__(self)  # the action fields
        own = self.own_action()
        if not _is_number(self.probability) or not 0.0 <= self.probability <= 1.0:
            raise ConfigError("probability must be a number between 0 and 1")
        if self.times is not None and (not _is_int(self.times) or self.times < 1):
            raise ConfigError("times must be a whole number of at least 1 (or null for every call)")
        if not _is_int(self.after) or self.after < 0:
            raise ConfigError("after must be a whole number of calls to let through (0 or more)")
        if not _is_int(self.every) or self.every < 1:
            raise ConfigError("every must be a whole number of at least 1 (every n-th matching call)")
        self._check_rate_limit()
        if self.sequence is not None:
            self._steps = self._sequence_steps(own)
        elif self.rate_limit is None and own.status is None and not own.disconnect and not own.latency \
                and not own.damages_body:
            raise ConfigError("a fault needs an action: status, latency, disconnect, truncate, malformed, "
                              "slow_body, rate_limit or sequence")

    def _sequence_steps(self, own: FaultAction) -> list[FaultAction]:
        if not isinstance(self.sequence, list) or not self.sequence:
            raise ConfigError("sequence must be a non-empty list of actions, e.g. [{\"status\": 429}, {}]")
        if self.rate_limit is not None or not own.is_pass:
            raise ConfigError("a fault with a sequence takes its actions from the sequence only")
        if self.times not in (1, None):
            raise ConfigError("times does not apply to a sequence: the rule ends after its last step")
        self.times = None
        return [FaultAction.from_mapping(step, f"sequence[{i}]") for i, step in enumerate(self.sequence)]

    def _check_rate_limit(self) -> None:
        limit = self.rate_limit
        if limit is None:
            return
        if isinstance(limit, dict):
            if set(limit) - {"limit", "window"} or not _is_int(limit.get("limit")) or limit["limit"] < 1 \
                    or not _is_number(limit.get("window")) or not limit["window"] > 0:
                raise ConfigError("rate_limit must be \"vendor\" or {\"limit\": n >= 1, \"window\": seconds > 0}")
        elif limit != "vendor":
            raise ConfigError("rate_limit must be \"vendor\" or {\"limit\": n, \"window\": seconds}")
        if self.status is not None or self.sequence is not None:
            raise ConfigError("rate_limit answers the vendor's throttled error: do not combine it with "
                              "status or sequence")
        self.times = None  # a limit holds until the rules are cleared

    def own_action(self) -> FaultAction:
        return FaultAction(**{name: getattr(self, name) for name in ACTION_FIELDS})

    @classmethod
    def from_mapping(cls, data: Any, where: str | None = None) -> Fault:
        """A rule from JSON/YAML data (admin API, marker, ``--faults`` file, handle keywords): an unknown key is
        refused by name with the closest allowed one; ``where`` ("fault 2") prefixes every message."""
        prefix = f"{where}: " if where else ""
        if not isinstance(data, Mapping):
            raise ConfigError(f"{prefix}a fault must be an object with at least \"vendor\", not {data!r}")
        allowed = [f.name for f in fields(cls) if f.name not in COUNTERS]
        for key in data:
            if key not in allowed:
                raise ConfigError(prefix + unknown("fault option", key, allowed))
        if "vendor" not in data:
            raise ConfigError(f"{prefix}\"vendor\" is required")
        try:
            return cls(**dict(data))
        except ConfigError as exc:
            raise ConfigError(f"{prefix}{exc}") from None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_steps", None)
        data.pop("_hits", None)
        return {"vendor": data.pop("vendor"), "operation_id": data.pop("operation_id"), **data}

    def next_action(self) -> FaultAction:
        """The action for the coming firing (the rule's own, or its next sequence step)."""
        if self._steps:
            return self._steps[min(self.fired, len(self._steps) - 1)]
        return self.own_action()

    @property
    def exhausted(self) -> bool:
        if self._steps:
            return self.fired >= len(self._steps)
        return self.times is not None and self.fired >= self.times


COUNTERS = ("id", "calls", "fired", "_steps", "_hits")

#: decides whether a rate_limit rule throttles this call: the action to answer with, or None to let it through
Throttle = Callable[[Fault], "FaultAction | None"]


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule firing on one call: what the journal records and what the pipeline carries out."""

    rule: Fault
    call: int
    action: FaultAction

    def as_dict(self) -> dict[str, Any]:
        action = {k: v for k, v in asdict(self.action).items() if v not in (None, False, 0, 0.0)}
        return {"rule": self.rule.id, "operation_id": self.rule.operation_id, "call": self.call,
                "action": action}


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
    """The active fault rules of one app (thread-safe: the test thread adds while the server takes).

    ``baseline`` rules (``mockbi serve --faults FILE``) come back, with fresh counters, on ``reset()``.
    """

    def __init__(self, baseline: list[Fault] | None = None) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.RLock()  # the server's loop takes rules while a test thread adds them
        self._next_id = 1
        self._baseline = [f.as_dict() for f in baseline or []]
        self.reset()

    @property
    def active(self) -> bool:
        """Whether any rule is armed (read without the lock: a rule added meanwhile counts from the next call)."""
        return bool(self._rules)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            fault.id, self._next_id = self._next_id, self._next_id + 1
            fault.calls = fault.fired = 0
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def reset(self) -> None:
        """Back to the baseline rules (none unless the server was started with a faults file)."""
        self.clear()
        for data in self._baseline:
            self.add(Fault.from_mapping({k: v for k, v in data.items() if k not in COUNTERS}))

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

    def take(self, vendor: str, operation_id: str, rng: random.Random,
             throttle: Throttle | None = None) -> Firing | None:
        """The first matching rule that fires for this call. Every matching rule counts the call; a rule
        fires after ``after`` calls, on every ``every``-th call, when the seeded draw allows it; a
        ``rate_limit`` rule fires when ``throttle`` says the caller is over the limit."""
        with self._lock:
            for rule in list(self._rules):
                if rule.vendor != vendor or rule.operation_id not in ("*", operation_id):
                    continue
                rule.calls += 1
                since = rule.calls - rule.after
                if since <= 0 or since % rule.every:
                    continue
                if rule.probability < 1.0 and rng.random() >= rule.probability:
                    continue
                action = rule.next_action() if rule.rate_limit is None else (throttle(rule) if throttle else None)
                if action is None:
                    continue
                rule.fired += 1
                if rule.exhausted:
                    self._rules.remove(rule)
                if action.is_pass:  # a sequence's normal step: consumed, nothing injected, nothing journaled
                    continue
                return Firing(rule, rule.calls, action)
        return None
