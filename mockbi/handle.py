"""The object the ``mockbi`` pytest fixture yields: URLs, credentials, stores, journal, clock, faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from mockbi.core.clock import Clock
from mockbi.core.errors import ConfigError
from mockbi.core.faults import Fault
from mockbi.core.journal import CallList
from mockbi.core.runtime import Runtime
from mockbi.core.store import Store
from mockbi.core.suggest import unknown
from mockbi.core.validation import Violation

T = TypeVar("T")
#: runs a function on the server's event loop thread and returns its result (``ServerThread.call``)
OnServer = Callable[[Callable[[], Any]], Any]


class MockbiHandle:
    """A running mockbi server, as seen from a test.

    ``url`` is the server root (every vendor at its native path below it); ``credentials[vendor]`` the
    seeded credentials; ``store(vendor)`` the live store for arranging and asserting; ``journal`` the
    calls since the test started.

    Thread safety: the test runs in another thread than the server. Given ``on_server`` (the plugin passes
    ``ServerThread.call``), every change of the world (``reset``, ``fault``, ``advance``) and every read of
    it (``credentials``, ``info``, ``base_url``) runs on the server's loop thread, between requests, so it
    never meets a handler half-way; the journal has its own lock. For arranging the live stores directly,
    hold :meth:`locked`.
    """

    def __init__(self, url: str, runtime: Runtime, strict: bool, on_server: OnServer | None = None) -> None:
        self.url = url
        self.runtime = runtime
        self.strict = strict
        self._on_server = on_server
        self._holding = 0
        self._first_seq = runtime.journal.next_seq()

    def _run(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the server's loop thread (directly while this thread holds the handler lock)."""
        if self._on_server is None or self._holding:
            return fn()
        result: T = self._on_server(fn)
        return result

    @property
    def seed(self) -> int:
        return self.runtime.seed

    @property
    def scenario(self) -> str:
        return self.runtime.scenario

    @property
    def credentials(self) -> dict[str, dict[str, Any]]:
        return self._run(self.runtime.info)["vendors"]  # type: ignore[no-any-return]

    @property
    def info(self) -> dict[str, Any]:
        return self._run(self.runtime.info)

    def base_url(self, vendor: str) -> str:
        """The base URL to configure a client with: ``mockbi.base_url("lightdash")`` → ``http://127.0.0.1:PORT/api/v1/``."""
        if vendor not in self.runtime.vendors:
            raise ConfigError(unknown("vendor", vendor, self.runtime.vendors))
        vr = self.runtime.vendors[vendor]
        return self._run(lambda: vr.vendor.base_url(self.url, vr.store.credentials()))

    def store(self, vendor: str) -> Store:
        return self.runtime.store(vendor)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the server's handler lock while arranging data the server may be reading."""
        with self.runtime.lock:
            self._holding += 1
            try:
                yield
            finally:
                self._holding -= 1

    @property
    def journal(self) -> CallList:
        return self.runtime.journal.since(self._first_seq)

    def calls(self, vendor: str | None = None, operation_id: str | None = None) -> CallList:
        return self.journal.filter(vendor=vendor, operation_id=operation_id)

    def verify(self, operation_id: str | None = None, *, times: int | None = None, json: Any = None,
               vendor: str | None = None, method: str | None = None, status: int | None = None,
               path: str | None = None, body: dict[str, Any] | None = None) -> CallList:
        """Assert the client made ``times`` calls (default: at least one) matching the question since the test
        started, e.g. ``mockbi.verify("dashboards_create", times=1, json={"name": "Q3"})``; returns them.
        ``json`` is a partial request body; ``path`` a glob; ``body`` dotted fields. On failure the
        ``AssertionError`` shows the closest calls and how each differs."""
        from mockbi.core.journal_query import JournalQuery, verification_message

        if operation_id is not None:
            self._check_operation(operation_id, vendor)
        query = JournalQuery(vendor=vendor, operation_id=operation_id, method=method, status=status, path=path,
                             fields=dict(body or {}), json=json)
        calls = self.journal
        found = CallList(query.apply(calls))
        if (times is None and not found) or (times is not None and len(found) != times):
            raise AssertionError(verification_message(query, times, len(found), list(calls)))
        return found

    def _check_operation(self, operation_id: str, vendor: str | None) -> None:
        import difflib

        known = [op for name, vr in self.runtime.vendors.items() if vendor in (None, name)
                 for op, _, _ in vr.contract.coverage_items()]
        if operation_id not in known:
            close = difflib.get_close_matches(operation_id, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise AssertionError(f"no served contract declares operation {operation_id!r}{hint}")

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    def advance(self, seconds: float) -> None:
        """Move the injected clock forward (async jobs progress)."""
        def advance() -> None:
            with self.runtime.lock:
                self.runtime.clock.advance(seconds)

        self._run(advance)

    def fault(self, vendor: str, operation_id: str = "*", **rule: Any) -> Fault:
        """Inject a fault, e.g. ``mockbi.fault("posthog", "dashboards_list", status=429, times=1)`` or a
        schedule: ``mockbi.fault("posthog", "*", sequence=[{"status": 429}, {"status": 503}])``; an unknown
        keyword is one line naming the closest allowed one."""
        fault = Fault.from_mapping({"vendor": vendor, "operation_id": operation_id, **rule})
        return self._run(lambda: self.runtime.add_fault(fault))

    def reset(self, seed: int | None = None, scenario: str | None = None) -> None:
        self._run(lambda: self.runtime.reset(seed, scenario))

    def violations(self) -> list[tuple[str, Violation]]:
        """Contract violations in the mock's own responses since the test started."""
        return [(f"{c.vendor}.{c.operation_id} {c.method} {c.path}", v) for c in self.journal for v in c.violations]

    def assert_no_violations(self) -> None:
        found = self.violations()
        if found:
            lines = "\n".join(f"  {where}: {v}" for where, v in found)
            raise AssertionError(f"mockbi responses violated their contracts:\n{lines}")


def marker_faults(runtime: Runtime, rules: Any) -> list[Fault]:
    """The rules of ``@pytest.mark.mockbi(faults=[{...}])``, each checked against the served vendors."""
    import pytest

    if rules is None:
        return []
    if not isinstance(rules, list | tuple):
        raise pytest.UsageError("mockbi marker: faults must be a list of rules such as [{\"vendor\": ..., ...}]")
    try:
        return [runtime.check_fault(Fault.from_mapping(rule, f"fault {i}")) for i, rule in enumerate(rules, 1)]
    except ConfigError as exc:
        raise pytest.UsageError(f"mockbi marker: {exc}") from None
