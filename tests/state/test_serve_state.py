"""``mockbi serve --state FILE`` starts from an exported world (run as a user runs it, in a subprocess)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--log-level", "WARNING",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_serve_starts_from_a_state_file_and_answers_as_the_exporting_server(world: World, tmp_path: Path) -> None:
    world.round("exported")
    path = tmp_path / "world.json"
    path.write_bytes(world.state())
    expected = world.round("next")

    proc = _serve("--state", str(path), "--seed", "5")
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.split(" ready at ")[1].split()[0]
        served = World(url)
        assert requests.get(f"{url}/__mockbi/state", timeout=30).content == path.read_bytes()
        assert served.round("next") == expected
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_serve_refuses_a_bad_state_file_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "mockbi-state", "version": 2}')
    proc = _serve("--state", str(path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().splitlines() == [f"mockbi: error: --state {path}: document: missing seed, scenario, "
                                        "clock, vendors"]
    assert out == ""


def test_an_imported_world_is_durable_under_state_file(world: World, tmp_path: Path) -> None:
    """``PUT /__mockbi/state`` on a ``--state-file`` sandbox is logged like any admin write, so a restart
    comes back to the imported world."""
    world.round("durable")
    document = world.state()
    log = tmp_path / "sandbox.sqlite"
    for attempt in ("import", "restart"):
        proc = _serve("--state-file", str(log), "--frozen-clock")
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split(" ready at ")[1].split()[0]
            if attempt == "import":
                put = requests.put(f"{url}/__mockbi/state", data=document, timeout=30,
                                   headers={"Content-Type": "application/json"})
                assert put.status_code == 200, put.text
            assert requests.get(f"{url}/__mockbi/state", timeout=30).content == document
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30)
