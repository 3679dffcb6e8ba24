"""``mockbi serve --state-file``: acknowledged writes survive SIGKILL, the world comes back byte-identical,
foreign or damaged files are refused untouched, a reset clears the file's world, and no flag means no file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
HASURA_CREATE = """mutation($name: String) { createTenant(cloud: "aws", region: "eu-central-1", name: $name,
  plan: "cloud_payg") { id name } }"""
HASURA_LIST = "{ projects(order_by: {name: asc}) { id name } tenant { id } }"


@contextmanager
def serve(*args: str, cwd: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A real ``mockbi serve`` process and its URL; SIGTERM at the end unless the test killed it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert " ready at " in first, (first, proc.stderr.read() if proc.stderr else "")
        yield first.split(" ready at ")[1].split()[0], proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def _kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL: no clean shutdown, no chance to flush anything."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


class World:
    """Writes and reads across the four vendors of one running server."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.creds: dict[str, Any] = requests.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]
        ph = self.creds["posthog"]
        self.ph_url = f"{url}/api/projects/{ph['project_id']}/dashboards/"
        self.ph_auth = {"Authorization": f"Bearer {ph['personal_api_key']}"}
        self.ld_auth = {"Authorization": self.creds["lightdash"]["auth_header"]}
        self.ld_spaces = f"{url}/api/v1/projects/{self.creds['lightdash']['project_uuid']}/spaces"
        self.hc_auth = {"Authorization": f"pat {self.creds['hasura_cloud']['personal_access_token']}"}
        self.hb_project = self.creds["hashboard"]["project_id"]

    def write(self, i: int) -> Any:
        """The i-th acknowledged write; returns what identifies what it made."""
        kind = i % 4
        if kind == 0:
            resp = requests.post(self.ph_url, json={"name": f"durable {i}"}, headers=self.ph_auth, timeout=10)
            assert resp.status_code == 201, resp.text
            return ("posthog", resp.json()["id"])
        if kind == 1:
            resp = requests.post(self.ld_spaces, json={"name": f"durable {i}"}, headers=self.ld_auth, timeout=10)
            assert resp.status_code == 200, resp.text
            return ("lightdash", resp.json()["results"]["uuid"])
        if kind == 2:
            resp = requests.post(f"{self.url}/v1/graphql", json={"query": HASURA_CREATE,
                                                                 "variables": {"name": f"durable-{i}"}},
                                 headers=self.hc_auth, timeout=10)
            assert resp.status_code == 200 and "errors" not in resp.json(), resp.text
            return ("hasura_cloud", resp.json()["data"]["createTenant"]["id"])
        resp = requests.post(f"{self.url}/__mockbi/hashboard/resources", timeout=10,
                             json={"project_id": self.hb_project, "type": "model", "name": f"durable {i}"})
        assert resp.status_code == 201, resp.text
        return ("hashboard", resp.json()["grn"])

    def reads(self) -> dict[str, bytes]:
        """Raw response bodies that hold every written object."""
        return {
            "posthog": requests.get(self.ph_url, params={"limit": 500}, headers=self.ph_auth, timeout=10).content,
            "lightdash": requests.get(self.ld_spaces, headers=self.ld_auth, timeout=10).content,
            "hasura_cloud": requests.post(f"{self.url}/v1/graphql", json={"query": HASURA_LIST}, headers=self.hc_auth,
                                          timeout=10).content,
            "clock": requests.get(f"{self.url}/__mockbi/clock", timeout=10).content,
        }


def test_a_hundred_acknowledged_writes_survive_sigkill_byte_identical(tmp_path: Path) -> None:
    state = tmp_path / "world.sqlite"
    flags = ("--frozen-clock", "--seed", "5", "--state-file", str(state))
    with serve(*flags, cwd=tmp_path) as (url, proc):
        world = World(url)
        requests.post(f"{url}/__mockbi/clock", json={"advance": 90}, timeout=10)
        made = [world.write(i) for i in range(100)]
        before = world.reads()
        _kill(proc)
    with serve(*flags, cwd=tmp_path) as (url, proc):
        after = World(url)
        assert after.reads() == before
        everything = _everything(after)
        missing = [(vendor, ident) for vendor, ident in made if str(ident) not in everything[vendor]]
        assert missing == [], everything
        # ids go on where they stopped: the next object is the one the first server would have made
        assert after.write(100) == ("posthog", made[-4][1] + 1)


def _everything(world: World) -> dict[str, str]:
    reads = {k: v.decode() for k, v in world.reads().items()}
    query = f'{{ project(projectId: "{world.hb_project}") {{ models {{ grn name }} }} }}'
    models = requests.post(f"{world.url}/api/graphql", json={"query": query},
                           headers={"Authorization": world.creds["hashboard"]["api_token"]}, timeout=10)
    reads["hashboard"] = models.text
    return reads


def test_reset_clears_the_files_world_and_a_wall_clock_world_comes_back(tmp_path: Path) -> None:
    state = tmp_path / "world.sqlite"
    with serve("--state-file", str(state), cwd=tmp_path) as (url, proc):
        world = World(url)
        first = world.write(0)
        resp = requests.post(f"{url}/__mockbi/reset", json={"seed": 9}, timeout=10)
        assert resp.status_code == 200
        after_reset = World(url).write(0)
        _kill(proc)
    with serve("--state-file", str(state), cwd=tmp_path) as (url, proc):
        assert requests.get(f"{url}/__mockbi/info", timeout=10).json()["seed"] == 9  # the file's world wins
        listing = World(url).reads()["posthog"].decode()
        assert f'"id":{after_reset[1]}' in listing
        assert "durable 0" in listing and listing.count("durable 0") == 1  # the pre-reset write is gone
        assert first[0] == "posthog"


def test_foreign_and_damaged_files_are_refused_and_left_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_bytes(b"my precious notes\n" * 20)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    for path in (text, other):
        before = path.read_bytes()
        result = subprocess.run([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--state-file", str(path)],
                                capture_output=True, text=True, cwd=tmp_path, timeout=60)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and "untouched" in lines[0], result.stderr
        assert path.read_bytes() == before


def test_without_the_flag_nothing_is_written(tmp_path: Path) -> None:
    with serve(cwd=tmp_path) as (url, _):
        World(url).write(0)
    assert list(tmp_path.iterdir()) == []
