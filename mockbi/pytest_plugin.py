"""pytest plugin (``pytest11`` entry point): installing mockbi is enough.

Fixtures:
- ``mockbi_config`` (session): the :class:`MockbiConfig` of the shared server; override it in a conftest.
- ``mockbi_vendors`` (session): vendor objects to serve instead of the catalog (custom vendors).
- ``mockbi_server`` (session): one real server in a background thread on port 0.
- ``mockbi`` (function): resets the world to the seed, clears journal and faults, yields a
  :class:`MockbiHandle`; in strict mode a contract violation in the mock's own output fails the test.

Marker: ``@pytest.mark.mockbi(seed=7, scenario="empty", strict=True)``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pytest loads this plugin in every run: the server's imports wait for the first fixture
    from mockbi.config import MockbiConfig
    from mockbi.core.vendor import Vendor
    from mockbi.handle import MockbiHandle
    from mockbi.remote import RemoteHandle, RemoteServer
    from mockbi.server import ServerThread

pytest_plugins = ["mockbi.pytest_coverage"]

MARKER_DOC = ("mockbi(seed=None, scenario=None, strict=None, faults=None): world seed and scenario for the `mockbi` "
              "fixture, whether contract violations in mock responses fail the test (default strict), and fault "
              "rules active from the start of the test")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_DOC)


@pytest.fixture(scope="session")
def mockbi_config() -> MockbiConfig:
    """The shared server's configuration (strict, frozen clock). Override to change vendors, limits..."""
    from mockbi.config import MockbiConfig

    return MockbiConfig(strict=True, clock_mode="frozen")


@pytest.fixture(scope="session")
def mockbi_vendors() -> list[Vendor[Any]] | None:
    """Vendor objects to serve instead of the catalog (``None``: the vendors named by the config)."""
    return None


@pytest.fixture(scope="session")
def mockbi_server(request: pytest.FixtureRequest, mockbi_config: MockbiConfig,
                  mockbi_vendors: list[Vendor[Any]] | None) -> Iterator[ServerThread]:
    """One mockbi server for the whole session, on a free loopback port."""
    from mockbi.app import create_app
    from mockbi.server import ServerThread

    collecting = gc.isenabled()
    gc.disable()  # building the app allocates many long-lived objects: no collections meanwhile
    try:
        server = ServerThread(mockbi_config, app_factory=lambda c: create_app(c, mockbi_vendors)).start()
    finally:
        if collecting:
            gc.enable()
    try:
        yield server
    finally:
        from mockbi.pytest_coverage import enabled, record_server

        if enabled(request.config):  # --mockbi-coverage and friends: keep what this server counted
            rt = server.runtime
            record_server(request.config, server.call(lambda: rt.client_coverage.snapshot(rt.vendors)))
        server.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockbi")
    group.addoption("--mockbi-url", default=None, metavar="URL",
                    help="run the mockbi fixture against this external server (a sidecar) instead of starting "
                         "one: each session (each xdist worker) gets a tenant of its own; the admin token is "
                         "read from MOCKBI_ADMIN_TOKEN")


@pytest.fixture(scope="session")
def mockbi_remote(request: pytest.FixtureRequest) -> Iterator[RemoteServer]:
    """This session's tenant on the server named by ``--mockbi-url`` (removed at the end of the session)."""
    from mockbi.remote import RemoteServer, session_tenant

    server = RemoteServer(request.config.getoption("mockbi_url"), session_tenant())
    server.ensure_tenant()
    try:
        yield server
    finally:
        from mockbi.pytest_coverage import enabled, record_server

        try:
            if enabled(request.config):  # --mockbi-coverage: what the session's tenant counted joins the report
                record_server(request.config, server.client_coverage())
        finally:
            server.drop_tenant()


@pytest.fixture
def mockbi(request: pytest.FixtureRequest) -> Iterator[MockbiHandle | RemoteHandle]:
    """A freshly seeded world for this test; fails the test on contract violations in strict mode. With
    ``--mockbi-url`` the world is this session's tenant on that server (the same handle API over HTTP)."""
    if request.config.getoption("mockbi_url", None):
        yield from _remote_mockbi(request, request.getfixturevalue("mockbi_remote"))
    else:
        yield from _local_mockbi(request, request.getfixturevalue("mockbi_server"))


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("mockbi")
    return dict(marker.kwargs) if marker else {}


def _remote_mockbi(request: pytest.FixtureRequest, server: RemoteServer) -> Iterator[RemoteHandle]:
    from mockbi.remote import RemoteHandle

    options = _marker_options(request)
    reset = {k: options[k] for k in ("seed", "scenario") if k in options}
    server.request("POST", "/reset", reset)
    server.request("DELETE", "/faults")
    for rule in options.get("faults") or ():  # marker fault rules, checked by the server's admin API
        server.request("POST", "/faults", rule)
    handle = RemoteHandle(server, bool(options.get("strict", True)))
    yield handle
    if handle.strict:
        _fail_on_violations(handle.violations())


def _fail_on_violations(found: list[Any]) -> None:
    if found:
        from mockbi.core.journal import violations_message

        pytest.fail(violations_message(found), pytrace=False)


def _local_mockbi(request: pytest.FixtureRequest, mockbi_server: ServerThread) -> Iterator[MockbiHandle]:
    """A freshly seeded world for this test; fails the test on contract violations in strict mode."""
    from mockbi.handle import MockbiHandle, marker_faults

    marker = request.node.get_closest_marker("mockbi")
    options = dict(marker.kwargs) if marker else {}
    unknown = set(options) - {"seed", "scenario", "strict", "faults"}
    if unknown:
        raise pytest.UsageError(f"unknown mockbi marker arguments: {sorted(unknown)}")
    seed = options.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise pytest.UsageError(f"mockbi marker: seed must be an int, not {seed!r}")
    if not isinstance(options.get("scenario", ""), str) or not isinstance(options.get("strict", True), bool):
        raise pytest.UsageError("mockbi marker: scenario must be a str and strict a bool")
    base = mockbi_server.config
    strict = bool(options.get("strict", base.strict))
    rt = mockbi_server.runtime

    faults = marker_faults(rt, options.get("faults"))

    def prepare() -> None:
        rt.reset(options.get("seed", base.seed), options.get("scenario", base.scenario))
        rt.strict = strict
        rt.journal.clear()
        for fault in faults:
            rt.add_fault(fault)
        rt.end_loans()
        rt.snapshots.clear()  # every test starts with none (a test never sees another's snapshots)

    mockbi_server.call(prepare)
    handle = MockbiHandle(mockbi_server.url, rt, strict, on_server=mockbi_server.call)
    yield handle

    def finish() -> None:
        rt.strict = base.strict
        rt.mark_dirty(handle.lent)  # the test may have written through a store it kept across a reset

    mockbi_server.call(finish)  # one hop to the server's thread (each costs a thread wake-up)
    if strict:
        _fail_on_violations(handle.violations())
