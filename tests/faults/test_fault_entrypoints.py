"""The same fault rules from the marker, the handle and ``mockbi serve --faults FILE.yaml``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def test_marker_and_handle_install_the_same_schedules(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import pytest
        import requests

        RULES = [{"vendor": "toy", "operation_id": "listWidgets",
                  "sequence": [{"status": 429, "headers": {"Retry-After": "2"}}, {"status": 503}, {}]}]

        def statuses(mockbi, n):
            return [requests.get(mockbi.url + "/toy/widgets").status_code for _ in range(n)]

        @pytest.mark.mockbi(faults=RULES)
        def test_marker(mockbi):
            assert statuses(mockbi, 4) == [429, 503, 200, 200]
            assert [c.fault["call"] if c.fault else None for c in mockbi.journal] == [1, 2, None, None]

        def test_handle(mockbi):
            mockbi.fault(**RULES[0])
            assert statuses(mockbi, 4) == [429, 503, 200, 200]

        def test_the_next_test_starts_without_rules(mockbi):
            assert statuses(mockbi, 2) == [200, 200]

        @pytest.mark.mockbi(faults=[{"vendor": "toy", "status": 500, "evrey": 2}])
        def test_typo(mockbi):
            pass

        def test_handle_typo(mockbi):
            with pytest.raises(Exception, match="unknown fault option 'evrey'"):
                mockbi.fault("toy", "listWidgets", status=500, evrey=2)
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*mockbi marker: fault 1: unknown fault option 'evrey'*(did you mean 'every'?)*"])


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--vendors", "posthog", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_serve_faults_file_is_active_from_the_start_and_after_every_reset(tmp_path: Path) -> None:
    rules = tmp_path / "faults.yaml"
    rules.write_text("faults:\n"
                     "  - vendor: posthog\n"
                     "    operation_id: dashboards_list\n"
                     "    after: 1\n"
                     "    sequence:\n"
                     "      - {status: 429, headers: {Retry-After: '2'}}\n"
                     "      - {status: 503}\n", encoding="utf-8")
    with _serve("--faults", str(rules)) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split(" ready at ")[1].split()[0]
            info = requests.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
            target = f"{url}/api/projects/{info['project_id']}/dashboards/"
            auth = {"Authorization": f"Bearer {info['personal_api_key']}"}
            for _ in range(2):
                got = [requests.get(target, headers=auth, timeout=10) for _ in range(4)]
                assert [r.status_code for r in got] == [200, 429, 503, 200]
                assert got[1].headers["Retry-After"] == "2"
                requests.post(f"{url}/__mockbi/reset", json={}, timeout=10)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.mark.parametrize(("text", "problem"), [
    ("faults: [\n  - {vendor: posthog", "not valid YAML at line"),
    ("- vendor: posthog\n  status: 503\n  evrey: 2\n", "fault 1: unknown fault option 'evrey'"),
    ("- vendor: posthog\n  status: 503\n  headers: {X-A: \"a\\r\\nb\"}\n", "without CR, LF or NUL"),
    ("- vendor: posthog\n  operation_id: nosuch\n  status: 503\n", "posthog has no operation 'nosuch'"),
    ("vendor: posthog\n", "expected a list of fault rules"),
])
def test_a_bad_faults_file_is_one_clear_line(tmp_path: Path, text: str, problem: str) -> None:
    rules = tmp_path / "faults.yaml"
    rules.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--faults", str(rules)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mockbi: error: ") and problem in lines[0], result.stderr
