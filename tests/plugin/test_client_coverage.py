"""Client-suite coverage (issue 11 §1) through pytester runs: terminal summary, JSON, thresholds, xdist merge;
and the sidecar route plus ``mockbi coverage client``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread
from tests.plugin.test_plugin import CONFTEST

ROOT = Path(__file__).resolve().parents[2]
INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"

POSTHOG_CONFTEST = """
import pytest
from mockbi import MockbiConfig

@pytest.fixture(scope="session")
def mockbi_config():
    return MockbiConfig(strict=True, vendors=("posthog",))
"""

POSTHOG_TESTS = """
import requests

def _list(mockbi, **kw):
    creds = mockbi.credentials["posthog"]
    return requests.get(mockbi.base_url("posthog"), timeout=10, **kw)

def test_lists(mockbi):
    key = mockbi.credentials["posthog"]["personal_api_key"]
    assert _list(mockbi, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert _list(mockbi).status_code == 401

def test_injected_errors_count_as_exercised(mockbi):
    key = mockbi.credentials["posthog"]["personal_api_key"]
    mockbi.fault("posthog", "dashboards_list", status=429)
    assert _list(mockbi, headers={"Authorization": f"Bearer {key}"}).status_code == 429
    prefer = {"Authorization": f"Bearer {key}", "Prefer": "code=503"}
    assert _list(mockbi, headers=prefer).status_code == 503
"""


@pytest.fixture
def posthog_pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(POSTHOG_CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(test_posthog=POSTHOG_TESTS)
    return pytester


def test_summary_lists_statuses_injected_errors_and_gaps(posthog_pytester: pytest.Pytester) -> None:
    out = posthog_pytester.path / "cov.json"
    result = posthog_pytester.runpytest("-p", "no:cacheprovider", "--mockbi-coverage",
                                        f"--mockbi-coverage-json={out}")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "*mockbi client coverage*",
        "posthog (PostHog Dashboards API): 1/20 operations exercised (5.0%)",
        "  dashboards_list  GET /api/projects/{project_id}/dashboards/: "
        "200×1, 401×1, 429×1 (1 injected), 503×1 (1 injected)",
        "      declared errors never seen: 400, 403, 404, 406, 413, 415",
        "  never called: dashboards_create, *(+7 more)",
        f"mockbi client coverage written to {out}",
    ])
    document = json.loads(out.read_text())
    row = next(r for r in document["vendors"]["posthog"]["operations"] if r["operation_id"] == "dashboards_list")
    assert row["statuses"] == {"200": 1, "401": 1, "429": 1, "503": 1}
    assert row["injected"] == {"429": 1, "503": 1}
    assert document["operations_exercised"] == 1 and document["operations_declared"] == 20


def test_fail_under_fails_the_session_overall_and_per_vendor(posthog_pytester: pytest.Pytester) -> None:
    result = posthog_pytester.runpytest("-p", "no:cacheprovider", "--mockbi-cov-fail-under=posthog:50")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["FAIL mockbi coverage: posthog: 5.0% of operations exercised, below the "
                                 "required 50%"])
    assert posthog_pytester.runpytest("-p", "no:cacheprovider", "--mockbi-cov-fail-under=5").ret == 0
    bad = posthog_pytester.runpytest("-p", "no:cacheprovider", "--mockbi-cov-fail-under=posthog:lots")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*'posthog:lots' is not PCT or VENDOR:PCT*"])


def test_xdist_workers_data_are_merged(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    worker_file = pytester.path / "workers.txt"
    body = """
        import os
        import requests

        def test_{name}(mockbi):
            with open({workers!r}, "a") as f:
                f.write(os.environ.get("PYTEST_XDIST_WORKER", "main") + "\\n")
            for _ in range({n}):
                assert requests.get(mockbi.url + "{path}").status_code == 200
    """
    pytester.makepyfile(test_a=body.format(name="a", workers=str(worker_file), n=3, path="/toy/widgets"),
                        test_b=body.format(name="b", workers=str(worker_file), n=2, path="/toy/widgets/1"))
    out = pytester.path / "cov.json"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile",
                                           f"--mockbi-coverage-json={out}", "--mockbi-coverage")
    result.assert_outcomes(passed=2)
    assert sorted(worker_file.read_text().split()) == ["gw0", "gw1"]  # each file ran on its own worker
    rows = {r["operation_id"]: r for r in json.loads(out.read_text())["vendors"]["toy"]["operations"]}
    assert rows["listWidgets"]["statuses"] == {"200": 3} and rows["getWidget"]["statuses"] == {"200": 2}
    result.stdout.fnmatch_lines(["toy (Toy API): 2/7 operations exercised (28.6%)"])


@pytest.fixture(scope="module")
def sidecar() -> Iterator[ServerThread]:
    with ServerThread(MockbiConfig(vendors=("posthog",))) as server:
        yield server


def test_sidecar_route_and_cli_report_the_same_document(sidecar: ServerThread, tmp_path: Path) -> None:
    url = sidecar.url
    assert requests.delete(f"{url}/__mockbi/coverage/client", timeout=10).status_code == 204
    creds = requests.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
    target = f"{url}/api/projects/{creds['project_id']}/dashboards/"
    requests.get(target, headers={"Authorization": f"Bearer {creds['personal_api_key']}"}, timeout=10)
    requests.post(f"{url}/__mockbi/reset", json={}, timeout=10)  # counts survive a reset
    requests.get(target, timeout=10)
    requests.get(f"{url}/api/projects/1/dashbords/", timeout=10)  # matches no operation
    document = requests.get(f"{url}/__mockbi/coverage/client", timeout=10).json()
    posthog = document["vendors"]["posthog"]
    assert posthog["operations_exercised"] == 1 and posthog["unmatched_calls"] == 1
    assert posthog["operations"][0]["statuses"] == {"200": 1, "401": 1}
    raw = requests.get(f"{url}/__mockbi/coverage/client", params={"format": "snapshot"}, timeout=10).json()
    assert raw["counts"]["posthog"]["dashboards_list"] == {"200": [1, 0], "401": [1, 0]}  # what merge() adds up
    bad = requests.get(f"{url}/__mockbi/coverage/client", params={"format": "xml"}, timeout=10)
    assert bad.status_code == 400 and "format must be 'report' or 'snapshot'" in bad.json()["error"]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mockbi", "coverage", "client", "--url", url, *args],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)

    as_json = cli("--format", "json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == document
    text = cli()
    assert "posthog (PostHog Dashboards API): 1/20 operations exercised (5.0%)" in text.stdout
    junit = cli("--format", "junit", "--output", "coverage.xml")
    assert junit.returncode == 0 and list(tmp_path.iterdir()) == [tmp_path / "coverage.xml"]
    xml = (tmp_path / "coverage.xml").read_text()
    assert '<testsuite name="posthog" tests="20" failures="19"' in xml and "was never exercised" in xml
    assert requests.delete(f"{url}/__mockbi/coverage/client", timeout=10).status_code == 204
    assert requests.get(f"{url}/__mockbi/coverage/client", timeout=10).json()["operations_exercised"] == 0
    down = subprocess.run([sys.executable, "-m", "mockbi", "coverage", "client", "--url", "http://127.0.0.1:9"],
                          capture_output=True, text=True, timeout=60)
    assert down.returncode == 2 and down.stderr.startswith("mockbi: error: cannot reach")


def test_implementation_coverage_writes_only_when_asked(tmp_path: Path) -> None:
    """``mockbi coverage`` prints docs/COVERAGE.md's text; it writes a file only with ``--output``."""
    printed = subprocess.run([sys.executable, "-m", "mockbi", "coverage"], capture_output=True, text=True,
                             timeout=60, cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.startswith("# mockbi implementation coverage")
    assert list(tmp_path.iterdir()) == []
    assert printed.stdout == (ROOT / "docs" / "COVERAGE.md").read_text(encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "mockbi", "coverage", "--check"], capture_output=True,
                             text=True, timeout=60, cwd=ROOT)
    assert checked.returncode == 0 and "docs/COVERAGE.md is current" in checked.stdout
