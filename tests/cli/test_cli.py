"""The ``mockbi`` command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from mockbi import __version__
from mockbi.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _mockbi(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mockbi", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, **kw)  # type: ignore[call-overload]


def test_version() -> None:
    result = _mockbi("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"mockbi {__version__}"


def test_serve_prints_ready_line_and_credentials_then_exits_cleanly_on_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--seed", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("mockbi ") and " ready at http://127.0.0.1:" in first
        assert "seed=3" in first
        url = first.split(" ready at ")[1].split()[0]
        deadline = time.monotonic() + 10
        while True:
            try:
                health = requests.get(f"{url}/__mockbi/health", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert health.json() == {"status": "ok"}
        info = requests.get(f"{url}/__mockbi/info", timeout=5).json()
        assert info["seed"] == 3 and info["scenario"] == "default"
        proc.send_signal(signal.SIGTERM)
        out = first + proc.stdout.read()  # the same buffered reader as readline(), so nothing is lost
        assert proc.stderr is not None
        err = proc.stderr.read()
        assert proc.wait(timeout=20) == 0
        proc.stdout.close()
        proc.stderr.close()
        assert "Traceback" not in err
        assert "mockbi listening on http://127.0.0.1:" in err
        assert "shutting down" in err
        for vendor in info["vendors"]:
            assert f"({vendor})" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_serve_sigint_also_exits_cleanly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        assert "ready at" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0 and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_unknown_scenario_is_a_clear_error() -> None:
    result = _mockbi("seed", "dump", "--scenario", "does-not-exist")
    assert result.returncode == 2
    assert "unknown scenario 'does-not-exist'" in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_dump_is_deterministic() -> None:
    first = _mockbi("seed", "dump", "--seed", "11")
    second = _mockbi("seed", "dump", "--seed", "11")
    assert first.returncode == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["seed"] == 11


def test_coverage_check_detects_a_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "COVERAGE.md"
    assert main(["coverage", "--output", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# mockbi implementation coverage")
    assert main(["coverage", "--output", str(out), "--check"]) == 0
    out.write_text(text + "stale\n")
    assert main(["coverage", "--output", str(out), "--check"]) == 1


def test_committed_coverage_doc_is_current() -> None:
    assert main(["coverage", "--output", str(ROOT / "docs" / "COVERAGE.md"), "--check"]) == 0


def test_contracts_check_passes() -> None:
    result = _mockbi("contracts", "check")
    assert result.returncode == 0, result.stderr
    assert "all contracts valid" in result.stdout


def test_contracts_check_without_the_dev_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """openapi-spec-validator is the ``dev`` extra (it pulls pydantic into every install otherwise)."""
    monkeypatch.setitem(sys.modules, "openapi_spec_validator", None)  # as if not installed
    assert main(["contracts", "check"]) == 2
    assert capsys.readouterr().err == ("mockbi: error: mockbi contracts check needs openapi-spec-validator: "
                                       "pip install 'mockbi[dev]'\n")


def test_sidecar_mode_binds_every_interface_and_reads_settings_from_the_environment() -> None:
    """What the Dockerfile runs: ``mockbi serve --host 0.0.0.0`` with MOCKBI_* settings."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MOCKBI_SEED": "21", "MOCKBI_SCENARIO": "empty",
           "MOCKBI_ADMIN_TOKEN": "sidecar-token"}
    with subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--host", "0.0.0.0", "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) as proc:
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert "seed=21, scenario=empty" in first
            url = first.split(" ready at ")[1].split()[0]
            assert url.startswith(f"http://{socket.gethostname()}:")  # a name neighbour containers resolve
            port = url.rsplit(":", 1)[1]
            assert requests.get(f"http://localhost:{port}/__mockbi/health", timeout=5).json() == {"status": "ok"}
            info = f"http://localhost:{port}/__mockbi/info"  # off loopback, the admin API wants the token
            assert requests.get(info, timeout=5).status_code == 401
            assert requests.get(info, headers={"Authorization": "Bearer sidecar-token"}, timeout=5).json()["seed"] == 21
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=20)
        assert proc.returncode == 0


def test_dockerfile_runs_the_sidecar_command() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["mockbi", "serve", "--host", "0.0.0.0"]' in text
    assert "/__mockbi/health" in text and "MOCKBI_PORT" in text
    assert "\nCMD " not in text  # a CMD --port flag would win over MOCKBI_PORT
    for folder in ("mockbi", "contracts", "seeds"):
        assert f"COPY {folder} ./{folder}" in text


def test_configuration_errors_are_one_line_not_tracebacks(tmp_path: Path) -> None:
    cases = [
        ({"MOCKBI_SEED": "abc"}, ["serve"], "MOCKBI_SEED='abc': the seed must be a whole number"),
        ({"MOCKBI_LOG_LEVEL": "verbose"}, ["serve", "--port", "0"], "unknown log level 'verbose'"),
        ({}, ["serve", "--journal-size", "-1"], "must be a whole number of at least 1, not -1"),
        ({}, ["serve", "--port", "0", "--scenario-dir", str(tmp_path / "nope")], "is not a folder"),
    ]
    for env, args, message in cases:
        result = subprocess.run([sys.executable, "-m", "mockbi", *args], capture_output=True, text=True,
                                timeout=30, cwd=ROOT, env={**os.environ, **env})
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert _mockbi("--version", env={**os.environ, "MOCKBI_SEED": "abc"}).returncode == 0


def test_a_taken_port_is_a_clean_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _mockbi("serve", "--port", str(port))
    assert result.returncode == 2
    assert f"mockbi: error: cannot serve on 127.0.0.1:{port}:" in result.stderr and "Traceback" not in result.stderr


def test_public_url_is_what_the_banner_prints() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MOCKBI_PUBLIC_URL": "http://mockbi:8080/"}
    with subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        lines = [proc.stdout.readline() for _ in range(6)]
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert " ready at http://mockbi:8080 " in first
    assert any("base URL: http://mockbi:8080/api/projects/" in line for line in lines)
