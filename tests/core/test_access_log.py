"""One access line per request (text or JSON), and proxy-forwarded URLs on vendor routes."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import requests

from mockbi.core.access_log import JsonFormatter
from mockbi.handle import MockbiHandle

ROOT = Path(__file__).resolve().parents[2]


def _posthog(mockbi: MockbiHandle) -> tuple[str, dict[str, str]]:
    creds = mockbi.credentials["posthog"]
    return (f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/",
            {"Authorization": f"Bearer {creds['personal_api_key']}"})


def test_each_request_logs_one_access_line_with_vendor_operation_status(
        mockbi: MockbiHandle, caplog: pytest.LogCaptureFixture) -> None:
    url, auth = _posthog(mockbi)
    with caplog.at_level(logging.INFO, logger="mockbi.access"):
        requests.get(url, headers=auth, timeout=10)
        requests.get(f"{url}424242/", headers=auth, timeout=10)
        requests.get(f"{mockbi.url}/__mockbi/info", timeout=10)  # an admin read: DEBUG only
    lines = [r for r in caplog.records if r.name == "mockbi.access"]
    assert [(r.mockbi["vendor"], r.mockbi["operation"], r.mockbi["status"]) for r in lines] == [  # type: ignore[attr-defined]
        ("posthog", "dashboards_list", 200), ("posthog", "dashboards_retrieve", 404)]
    assert lines[0].getMessage().startswith("posthog dashboards_list GET /api/projects/")
    assert lines[0].getMessage().endswith("ms") and lines[0].levelno == logging.INFO


def test_json_lines_hold_the_access_fields() -> None:
    record = logging.LogRecord("mockbi.access", logging.INFO, __file__, 1, "posthog x 200", None, None)
    record.mockbi = {"vendor": "posthog", "operation": "dashboards_list", "status": 200, "duration_ms": 1.5}
    entry = orjson.loads(JsonFormatter().format(record))
    assert entry["vendor"] == "posthog" and entry["status"] == 200 and entry["level"] == "INFO"
    assert entry["message"] == "posthog x 200" and entry["logger"] == "mockbi.access"


def test_pagination_links_follow_x_forwarded_proto_and_host(mockbi: MockbiHandle) -> None:
    url, auth = _posthog(mockbi)
    headers = {**auth, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "mock.example.com"}
    body = requests.get(url, params={"limit": 2}, headers=headers, timeout=10).json()
    assert body["next"].startswith("https://mock.example.com/api/projects/")
    direct = requests.get(url, params={"limit": 2}, headers=auth, timeout=10).json()
    assert direct["next"].startswith(mockbi.url)


def test_serve_writes_json_access_lines_and_silences_faker() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MOCKBI_LOG_FORMAT": "json"}
    with subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--log-level", "DEBUG"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) as proc:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" ready at ")[1].split()[0]
        creds = requests.get(f"{url}/__mockbi/info", timeout=10).json()["vendors"]["lightdash"]
        requests.get(f"{url}/api/v1/org", headers={"Authorization": creds["auth_header"]}, timeout=10)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    entries = [orjson.loads(line) for line in err.splitlines() if line.strip()]
    access = [e for e in entries if e["logger"] == "mockbi.access" and e.get("vendor") == "lightdash"]
    assert access and access[0]["operation"] == "GetMyOrganization" and access[0]["status"] == 200
    assert not [e for e in entries if e["logger"].startswith("faker")]
    assert not [e for e in entries if e["message"].startswith("mockbi: ")]  # the logger already names itself
