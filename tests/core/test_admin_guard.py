"""The admin API's locks (Host, Origin, JSON-only writes, token), journal masking and CORS on vendor routes,
over HTTP against real servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.cli import main
from mockbi.server import ServerThread

TOKEN = "s3cret-admin-token"
EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def open_server() -> Iterator[ServerThread]:
    server = ServerThread(MockbiConfig(cors_origins=("http://app.example",))).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def locked_server() -> Iterator[ServerThread]:
    server = ServerThread(MockbiConfig(admin_token=TOKEN)).start()
    yield server
    server.stop()


def _posthog_list(server: ServerThread) -> tuple[str, dict[str, str]]:
    creds = requests.get(f"{server.url}/__mockbi/info", headers={"Authorization": f"Bearer {TOKEN}"},
                         timeout=10).json()["vendors"]["posthog"]
    return (f"{server.url}/api/projects/{creds['project_id']}/dashboards/",
            {"Authorization": f"Bearer {creds['personal_api_key']}"})


def test_cross_site_text_plain_fault_is_refused(open_server: ServerThread) -> None:
    """The issue's case: a page on another site posting text/plain to /faults (no CORS preflight needed)."""
    url = f"{open_server.url}/__mockbi/faults"
    body = '{"vendor": "posthog", "status": 503}'
    resp = requests.post(url, data=body, headers={"Content-Type": "text/plain", "Origin": EVIL}, timeout=10)
    assert resp.status_code == 403 and "cross-site" in resp.json()["error"]
    resp = requests.post(url, data=body, headers={"Content-Type": "text/plain"}, timeout=10)
    assert resp.status_code == 415 and "application/json" in resp.json()["error"]
    assert requests.get(url, timeout=10).json() == {"faults": []}
    same_origin = {"Origin": open_server.url}
    resp = requests.post(url, json={"vendor": "posthog", "status": 503}, headers=same_origin, timeout=10)
    assert resp.status_code == 201
    requests.delete(url, headers=same_origin, timeout=10)


def test_dns_rebinding_host_is_refused_on_a_loopback_bind(open_server: ServerThread) -> None:
    resp = requests.get(f"{open_server.url}/__mockbi/info", headers={"Host": "rebind.evil.example"}, timeout=10)
    assert resp.status_code == 421 and "rebind.evil.example" in resp.json()["error"]
    assert requests.get(f"{open_server.url}/__mockbi/info", headers={"Host": f"localhost:{open_server.port}"},
                        timeout=10).status_code == 200


def test_a_token_locks_admin_and_console_api_but_not_vendor_routes(locked_server: ServerThread) -> None:
    url = f"{locked_server.url}/__mockbi"
    for path in ("/info", "/journal", "/stores", "/vendors"):
        resp = requests.get(url + path, timeout=10)
        assert resp.status_code == 401 and resp.headers["WWW-Authenticate"].startswith("Bearer")
        assert requests.get(url + path, headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
        assert requests.get(url + path, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).status_code == 200
    assert requests.post(f"{url}/reset", json={}, timeout=10).status_code == 401
    for open_path in ("/health", "/", "/console/console.js"):  # the page asks for the token itself
        assert requests.get(url + open_path, timeout=10).status_code == 200
    list_url, auth = _posthog_list(locked_server)
    assert requests.get(list_url, headers=auth, timeout=10).status_code == 200


def test_journal_masks_credentials_unless_revealed(locked_server: ServerThread) -> None:
    list_url, auth = _posthog_list(locked_server)
    requests.get(list_url, headers={**auth, "Cookie": "sessionid=abc", "X-Hasura-Admin-Secret": "s"}, timeout=10)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    journal = requests.get(f"{locked_server.url}/__mockbi/journal", params={"operation": "dashboards_list"},
                           headers=admin, timeout=10).json()
    headers = journal["calls"][-1]["request_headers"]
    assert headers["Authorization"] == "Bearer ****" and headers["Cookie"] == "****"
    assert headers["X-Hasura-Admin-Secret"] == "****"
    revealed = requests.get(f"{locked_server.url}/__mockbi/journal",
                            params={"operation": "dashboards_list", "reveal": "1"}, headers=admin, timeout=10).json()
    assert revealed["calls"][-1]["request_headers"]["Authorization"] == auth["Authorization"]


def test_cors_preflight_and_headers_on_vendor_routes_only(open_server: ServerThread) -> None:
    list_url, auth = _posthog_list(open_server)
    preflight = requests.options(list_url, headers={"Origin": "http://app.example",
                                                    "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "authorization,content-type"},
                                 timeout=10)
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://app.example"
    assert preflight.headers["Access-Control-Allow-Headers"] == "authorization,content-type"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    resp = requests.get(list_url, headers={**auth, "Origin": "http://app.example"}, timeout=10)
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "http://app.example"
    foreign = requests.get(list_url, headers={**auth, "Origin": EVIL}, timeout=10)
    assert foreign.status_code == 200 and "Access-Control-Allow-Origin" not in foreign.headers
    no_cors = requests.options(list_url, headers={"Origin": EVIL, "Access-Control-Request-Method": "GET"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in no_cors.headers


def test_serve_refuses_an_open_admin_api_off_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--admin-token" in err and "--insecure-admin" in err
