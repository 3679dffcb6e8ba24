"""Client-suite coverage in pytest (loaded by ``mockbi.pytest_plugin``):

- ``--mockbi-coverage``: a terminal summary per vendor (operations exercised / declared, statuses seen per
  operation, declared error statuses never seen);
- ``--mockbi-coverage-json=PATH``: the same report as JSON;
- ``--mockbi-cov-fail-under=PCT`` or ``VENDOR:PCT`` (repeatable): fail the session below a threshold.

Under pytest-xdist every worker serves its own mockbi; each sends its counts to the controller through
``workeroutput`` and the controller merges them before reporting. Nothing here imports the server: it stays
cheap for sessions that never use mockbi.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SNAPSHOT = pytest.StashKey[dict[str, Any]]()
FAILURES = pytest.StashKey[list[str]]()
WORKER_KEY = "mockbi_client_coverage"


def _threshold(text: str) -> tuple[str | None, float]:
    vendor, _, pct = text.rpartition(":")
    try:
        value = float(pct)
    except ValueError:
        raise pytest.UsageError(f"--mockbi-cov-fail-under: {text!r} is not PCT or VENDOR:PCT "
                                "(e.g. posthog:80)") from None
    if not 0 <= value <= 100:
        raise pytest.UsageError(f"--mockbi-cov-fail-under: {value} is not a percentage from 0 to 100")
    return (vendor or None), value


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockbi", "mockbi client coverage")
    group.addoption("--mockbi-coverage", action="store_true", default=False,
                    help="report which contract operations and statuses the tests drove through mockbi")
    group.addoption("--mockbi-coverage-json", metavar="PATH", default=None,
                    help="write the mockbi client-coverage report as JSON to PATH")
    group.addoption("--mockbi-cov-fail-under", metavar="[VENDOR:]PCT", action="append", default=[],
                    help="fail if fewer than PCT%% of the operations (of VENDOR, or of all) were exercised")


def enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("mockbi_coverage", False) or config.getoption("mockbi_coverage_json", None)
                or config.getoption("mockbi_cov_fail_under", None))


def pytest_configure(config: pytest.Config) -> None:
    for text in config.getoption("mockbi_cov_fail_under", None) or []:
        _threshold(text)  # a bad threshold is a usage error before any test runs
    config.stash[SNAPSHOT] = {}


def record_server(config: pytest.Config, snapshot: dict[str, Any]) -> None:
    """Called by the ``mockbi_server`` fixture before it stops: keep what the server counted."""
    if not enabled(config):
        return
    from mockbi.core.client_coverage import merge

    merge(config.stash[SNAPSHOT], snapshot)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller merges
        workeroutput[WORKER_KEY] = json.dumps(config.stash[SNAPSHOT])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker finished; merge its counts."""
    data = getattr(node, "workeroutput", {}).get(WORKER_KEY)
    if data and enabled(node.config):
        from mockbi.core.client_coverage import merge

        merge(node.config.stash[SNAPSHOT], json.loads(data))


def _report(config: pytest.Config) -> dict[str, Any] | None:
    snapshot = config.stash.get(SNAPSHOT, {})
    if not snapshot.get("declared"):
        return None
    from mockbi.core.client_coverage import report

    return report(snapshot)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Any:
    result = yield
    config = session.config
    if not enabled(config) or hasattr(config, "workerinput"):
        return result
    document = _report(config)
    failures = []
    for text in config.getoption("mockbi_cov_fail_under") or []:
        vendor, pct = _threshold(text)
        if document is None:
            failures.append(f"no mockbi server ran, so nothing was exercised (required {pct:g}%)")
            continue
        part = document if vendor is None else document["vendors"].get(vendor)
        if part is None:
            failures.append(f"{vendor}: not served in this session (required {pct:g}%)")
        elif part["percent"] < pct:
            failures.append(f"{vendor or 'all vendors'}: {part['percent']:.1f}% of operations exercised, "
                            f"below the required {pct:g}%")
    config.stash[FAILURES] = failures
    if failures:
        session.testsfailed += 1
    path = config.getoption("mockbi_coverage_json")
    if path and document is not None:
        Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return result


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not enabled(config) or hasattr(config, "workerinput"):
        return
    document = _report(config)
    if config.getoption("mockbi_coverage"):
        terminalreporter.write_sep("-", "mockbi client coverage")
        if document is None:
            terminalreporter.write_line("no mockbi server ran in this session")
        else:
            from mockbi.core.client_coverage_render import as_text

            terminalreporter.write(as_text(document))
    path = config.getoption("mockbi_coverage_json")
    if path and document is not None:
        terminalreporter.write_line(f"mockbi client coverage written to {path}")
    for line in config.stash.get(FAILURES, []):
        terminalreporter.write_line(f"FAIL mockbi coverage: {line}", red=True)
