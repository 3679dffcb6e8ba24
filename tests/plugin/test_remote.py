"""``pytest --mockbi-url URL``: the ``mockbi`` fixture against an external sidecar, one tenant per session,
with the same handle API (journal, verify, faults, clock, reset, arrange, stubs, state, client coverage) over
the admin API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread

INNER = '''
import pytest
import requests

from mockbi.remote import RemoteError


def _dashboards(mockbi):
    creds = mockbi.credentials["posthog"]
    return (f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/",
            {"Authorization": f"Bearer {creds['personal_api_key']}"})


def test_writes_stay_in_this_sessions_tenant(mockbi):
    assert "/tenants/pytest-" in mockbi.url
    url, auth = _dashboards(mockbi)
    made = requests.post(url, json={"name": "from the remote session"}, headers=auth, timeout=10)
    assert made.status_code == 201
    assert [c.operation_id for c in mockbi.journal] == ["dashboards_create"]
    assert mockbi.calls("posthog", "dashboards_create").last.status == 201
    assert mockbi.base_url("lightdash").endswith("/api/v1/") and "/tenants/pytest-" in mockbi.base_url("lightdash")


def test_each_test_starts_from_the_seeded_world(mockbi):
    url, auth = _dashboards(mockbi)
    names = [d["name"] for d in requests.get(url, headers=auth, timeout=10).json()["results"]]
    assert "from the remote session" not in names
    assert mockbi.journal.call_count == 1


def test_faults_clock_and_arrange_over_http(mockbi):
    url, auth = _dashboards(mockbi)
    mockbi.fault("posthog", "dashboards_list", status=503, times=1)
    assert requests.get(url, headers=auth, timeout=10).status_code == 503
    assert requests.get(url, headers=auth, timeout=10).status_code == 200
    before = mockbi.clock.now()
    mockbi.advance(60)
    assert (mockbi.clock.now() - before).total_seconds() == 60
    created = mockbi.arrange("posthog", {"dashboards": [{"name": "Arranged remotely"}]})
    assert created["dashboards"]
    names = [d["name"] for d in requests.get(url, headers=auth, timeout=10).json()["results"]]
    assert "Arranged remotely" in names


def test_verify_stubs_and_state_over_http(mockbi):
    url, auth = _dashboards(mockbi)
    before = mockbi.export_state()
    assert requests.post(url, json={"name": "Q3"}, headers=auth, timeout=10).status_code == 201
    assert len(mockbi.verify("dashboards_create", times=1, json={"name": "Q3"})) == 1
    with pytest.raises(AssertionError, match=r'(?s)found 0.*closest: #\\d+ POST .*dashboards_create'):
        mockbi.verify("dashboards_create", json={"name": "Q4"})
    with pytest.raises(AssertionError, match="did you mean 'dashboards_create'"):
        mockbi.verify("dashboards_creat")
    listed = requests.get(url, headers=auth, timeout=10).json()
    mockbi.stub("posthog", "dashboards_list", json={**listed, "count": 1}, times=1)
    assert [s["times"] for s in mockbi.stubs] == [1]
    assert requests.get(url, headers=auth, timeout=10).json()["count"] == 1
    with pytest.raises(RemoteError, match="breaks the contract of posthog dashboards_list"):
        mockbi.stub("posthog", "dashboards_list", json={"count": "many"})
    mockbi.clear_stubs()
    assert mockbi.stubs == []
    mockbi.import_state(before)
    assert mockbi.export_state() == before
    assert "Q3" not in [d["name"] for d in requests.get(url, headers=auth, timeout=10).json()["results"]]
'''


@pytest.fixture(scope="module")
def sidecar() -> Iterator[ServerThread]:
    server = ServerThread(MockbiConfig(admin_token="remote-token", clock_mode="frozen")).start()
    yield server
    server.stop()


def _run(folder: Path, url: str, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOCKBI_ADMIN_TOKEN": "remote-token"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--mockbi-url", url,
                           *options, str(folder)], capture_output=True, text=True, env=env, cwd=folder, timeout=300)


def test_a_session_runs_against_the_sidecar_in_a_tenant_of_its_own(sidecar: ServerThread, tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER)
    result = _run(tmp_path, sidecar.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
    # the server's own world never saw the session's writes, and the session's tenant is gone afterwards
    admin = {"Authorization": "Bearer remote-token"}
    assert requests.get(f"{sidecar.url}/__mockbi/tenants", headers=admin, timeout=10).json()["tenants"] == []
    journal = requests.get(f"{sidecar.url}/__mockbi/journal", headers=admin, timeout=10).json()
    assert journal["calls"] == []


def test_client_coverage_of_a_remote_session_joins_the_report(sidecar: ServerThread, tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER)
    out = tmp_path / "coverage.json"
    result = _run(tmp_path, sidecar.url, "--mockbi-coverage", f"--mockbi-coverage-json={out}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mockbi client coverage" in result.stdout
    rows = {r["operation_id"]: r for r in json.loads(out.read_text())["vendors"]["posthog"]["operations"]}
    assert rows["dashboards_create"]["statuses"] == {"201": 2}
    assert rows["dashboards_list"]["injected"] == {"503": 1}
    assert rows["dashboards_destroy"]["calls"] == 0


def test_two_sessions_at_once_do_not_see_each_other(sidecar: ServerThread, tmp_path: Path) -> None:
    folders = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "test_inner.py").write_text(INNER)
        folders.append(folder)
    env = {**os.environ, "MOCKBI_ADMIN_TOKEN": "remote-token"}
    procs = [subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--mockbi-url",
                               sidecar.url, str(f)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=env, cwd=f) for f in folders]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs


def test_an_unreachable_sidecar_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER)
    result = _run(tmp_path, "http://127.0.0.1:9")
    assert result.returncode != 0
    assert "cannot reach mockbi at http://127.0.0.1:9" in result.stdout + result.stderr
