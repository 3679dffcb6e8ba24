"""The object the ``mockbi`` pytest fixture yields: URLs, credentials, stores, journal, clock, faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from mockbi.core.clock import Clock
from mockbi.core.errors import ConfigError
from mockbi.core.faults import Fault
from mockbi.core.journal import CallList, violations_message
from mockbi.core.runtime import Runtime
from mockbi.core.store import Store
from mockbi.core.stubs import Stub
from mockbi.core.suggest import unknown
from mockbi.core.validation import Violation

S = TypeVar("S", bound=Store)
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
        #: vendors whose live store this handle gave out: a test may keep writing through it after a reset
        self.lent: set[str] = set()

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
        return self._run(lambda: vr.vendor.base_url(self.url, vr.peek().credentials()))

    @overload
    def store(self, vendor: str) -> Store: ...

    @overload
    def store(self, vendor: type[S]) -> S: ...

    def store(self, vendor: str | type[S]) -> Store | S:
        """The live store, by vendor slug or typed by its class: ``mockbi.store(PostHogStore).dashboards``.
        Read it for assertions; change the world with ``arrange`` (or hold ``locked()``)."""
        if isinstance(vendor, str):
            return self._lend(vendor)
        for name, vr in self.runtime.vendors.items():
            if vr.vendor.store_class is vendor:
                found = self._lend(name)
                assert isinstance(found, vendor)
                return found
        raise ConfigError(f"no served vendor keeps a {vendor.__name__}")

    def _lend(self, vendor: str) -> Store:
        """The live store, lent to the test: the vendor is restored at the next reset whatever the test does."""
        store = self.runtime.lend(vendor)
        self.lent.add(vendor)
        return store

    def arrange(self, vendor: str, fragment: dict[str, Any]) -> dict[str, list[Any]]:
        """Add data to the live world with a scenario fragment (the format of ``seeds/<vendor>/*.yaml``),
        e.g. ``mockbi.arrange("posthog", {"dashboards": [{"name": "Q3", "tiles": [{"insight": "DAU"}]}]})``;
        returns the ids created per collection (``{"dashboards": [12], "tiles": [40], ...}``). All or
        nothing: a refused fragment raises ``ConfigError`` and changes nothing."""
        from mockbi.core.arrange import arrange

        return self._run(lambda: arrange(self.runtime, vendor, fragment))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the server's handler lock while arranging data the server may be reading."""
        self.runtime.mark_dirty()  # whatever is arranged under the lock is restored at the next reset
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
        from mockbi.core.journal_query import verify

        operations = lambda: {name: [op for op, _, _ in vr.contract.coverage_items()]  # noqa: E731
                              for name, vr in self.runtime.vendors.items()}
        return CallList(verify(list(self.journal), operations, operation_id, times=times, json=json, vendor=vendor,
                               method=method, status=status, path=path, body=body))

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
        return self.journal.violations()

    def assert_no_violations(self) -> None:
        found = self.violations()
        if found:
            raise AssertionError(violations_message(found))

    # --- snapshots and portable state (core/snapshots.py, core/state.py) ---------------------------------
    def snapshot(self, name: str) -> None:
        """Remember the whole world (all vendors, clock, id generators) as ``name``; kept across resets."""
        from mockbi.core.state import take_snapshot

        self._run(lambda: take_snapshot(self.runtime, name))

    def restore(self, name: str) -> None:
        """Put the world back exactly as ``snapshot(name)`` found it."""
        from mockbi.core.state import restore_snapshot

        self._run(lambda: restore_snapshot(self.runtime, name))

    def export_state(self) -> dict[str, Any]:
        """The world as the JSON document ``GET /__mockbi/state`` returns."""
        from mockbi.core.state import export_world

        return self._run(lambda: export_world(self.runtime))

    def import_state(self, document: dict[str, Any]) -> None:
        """Replace the world with an exported document (``StateError`` naming the problem if it is bad)."""
        from mockbi.core.state import import_world

        self._run(lambda: import_world(self.runtime, document))

    # --- contract-checked stubs (core/stubs.py) -------------------------------------------------------
    def stub(self, vendor: str, operation: str | None = None, *, method: str | None = None,
             path: str | None = None, query: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             body: Any = None, status: int = 200, json: Any = None, text: str | None = None,
             response_headers: dict[str, str] | None = None, content_type: str | None = None,
             times: int | None = None) -> Stub:
        """Answer matching calls with a canned response checked against the operation's contract, e.g.
        ``mockbi.stub("posthog", "dashboards_retrieve", path=..., status=404, json={...}, times=1)``.
        ``query``/``headers`` match exact values, ``body`` a JSON subset of the request body; ``json`` (or
        ``text``) is the answer's body. Raises ``StubRejected`` listing the contract violations."""
        from mockbi.core.stubs import stub_spec

        spec = stub_spec(vendor, operation, method=method, path=path, query=query, headers=headers, body=body,
                         status=status, json=json, text=text, response_headers=response_headers,
                         content_type=content_type, times=times)
        return self._run(lambda: self.runtime.stubs.add(self.runtime, spec))

    @property
    def stubs(self) -> list[Stub]:
        """The registered stubs, newest first (``hits`` counts the calls each answered)."""
        return self.runtime.stubs.stubs

    def clear_stubs(self) -> None:
        self._run(self.runtime.stubs.clear)


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
