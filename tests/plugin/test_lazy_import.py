"""pytest loads the mockbi plugin in every run of a user's environment: loading it must not import the
server's dependencies. They are imported by the first test that uses a mockbi fixture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("aiohttp", "faker", "jsonschema", "jsonschema_rs", "graphql", "yaml", "orjson", "multidict",
         "mockbi.app", "mockbi.core.runtime", "mockbi.vendors")

REPORT = f"""
import json, sys
from pathlib import Path
HEAVY = {HEAVY!r}

def record(name):
    Path(name + ".json").write_text(json.dumps(sorted(m for m in HEAVY if m in sys.modules)))

def test_without_the_fixture():
    record("without")

def test_with_the_fixture(mockbi):
    record("with")
"""


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    code = ("import sys, json, pytest\nbefore = set(sys.modules)\nimport mockbi.pytest_plugin\n"
            "new = sorted(set(sys.modules) - before)\nprint(json.dumps(new))")
    new = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert new == ["mockbi", "mockbi.pytest_plugin"]


def test_a_run_imports_the_server_only_for_tests_that_use_it(tmp_path: Path) -> None:
    (tmp_path / "test_report.py").write_text(REPORT)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # only our plugin: others import aiohttp, Faker
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "mockbi.pytest_plugin", "-q",
                          "-p", "no:cacheprovider", "test_report.py"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads((tmp_path / "without.json").read_text()) == []
    assert {"aiohttp", "faker", "mockbi.app"} <= set(json.loads((tmp_path / "with.json").read_text()))
