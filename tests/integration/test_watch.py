"""``serve --watch``: an edited scenario file rebuilds its world at the next reset; a broken one is logged
and the previous world is kept."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread

SCENARIO = "extends: default\ndashboards:\n  - {{name: {name}, created_by: me}}\n"


def _write(path: Path, text: str, bump: int) -> None:
    path.write_text(text)
    stamp = path.stat().st_mtime_ns + bump * 1_000_000_000  # a distinct mtime even on a coarse clock
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[ServerThread, Path]]:
    (tmp_path / "posthog").mkdir()
    scenario = tmp_path / "posthog" / "mine.yaml"
    _write(scenario, SCENARIO.format(name="First edition"), 0)
    config = MockbiConfig(scenario="mine", scenario_dirs=(str(tmp_path),), watch_scenarios=True,
                          clock_mode="frozen")
    server = ServerThread(config).start()
    yield server, scenario
    server.stop()


def _names(server: ServerThread) -> list[str]:
    creds = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
    body = requests.get(f"{server.url}/api/projects/{creds['project_id']}/dashboards/", params={"limit": 200},
                        headers={"Authorization": f"Bearer {creds['personal_api_key']}"}, timeout=10).json()
    return [d["name"] for d in body["results"]]


def _reset(server: ServerThread) -> None:
    assert requests.post(f"{server.url}/__mockbi/reset", json={}, timeout=10).status_code == 200


def test_an_edited_scenario_is_rebuilt_at_the_next_reset(watched: tuple[ServerThread, Path],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    server, scenario = watched
    assert "First edition" in _names(server)
    _write(scenario, SCENARIO.format(name="Second edition"), 5)
    assert "First edition" in _names(server)  # nothing changes before the reset
    with caplog.at_level(logging.INFO, logger="mockbi"):
        _reset(server)
    assert "Second edition" in _names(server) and "First edition" not in _names(server)
    assert any("rebuilding the 'mine' world" in r.getMessage() for r in caplog.records)


def test_a_broken_edit_keeps_the_previous_world(watched: tuple[ServerThread, Path],
                                                caplog: pytest.LogCaptureFixture) -> None:
    server, scenario = watched
    _write(scenario, "extends: default\ndashboards: [unclosed\n", 5)
    with caplog.at_level(logging.ERROR, logger="mockbi"):
        _reset(server)
    assert "First edition" in _names(server)
    assert any("do not load" in r.getMessage() and "keeping the previous world" in r.getMessage()
               for r in caplog.records)
    _write(scenario, SCENARIO.format(name="Fixed edition"), 10)
    _reset(server)
    assert "Fixed edition" in _names(server)


def test_without_watch_edits_wait_for_a_restart(tmp_path: Path) -> None:
    (tmp_path / "posthog").mkdir()
    scenario = tmp_path / "posthog" / "mine.yaml"
    _write(scenario, SCENARIO.format(name="First edition"), 0)
    server = ServerThread(MockbiConfig(scenario="mine", scenario_dirs=(str(tmp_path),))).start()
    try:
        requests.get(f"{server.url}/__mockbi/info", timeout=10)
        _names(server)
        _write(scenario, SCENARIO.format(name="Second edition"), 5)
        _reset(server)
        assert "First edition" in _names(server)
    finally:
        server.stop()
