"""GitHub App: install (302 with state), OAuth callback (state checked against the session), session-only
uninstall and repository list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import requests

from tests.vendors.lightdash.conftest import LightdashClient


def _checked(resp: requests.Response) -> requests.Response:
    assert "X-Mockbi-Violations" not in resp.headers, resp.headers["X-Mockbi-Violations"]
    return resp


def _install(ld: LightdashClient, session: requests.Session) -> None:
    resp = _checked(session.get(ld.url + "/api/v1/github/install", allow_redirects=False))
    assert resp.status_code == 302 and resp.content == b""
    location = resp.headers["Location"]
    assert location.startswith("https://github.com/apps/")
    state = parse_qs(urlparse(location).query)["state"][0]
    back = _checked(session.get(ld.url + "/api/v1/github/oauth/callback", allow_redirects=False,
                                params={"state": state, "installation_id": "4242", "code": "abc",
                                        "setup_action": "install"}))
    assert back.status_code == 302, back.text
    assert back.headers["Location"].endswith("/generalSettings/integrations")


def test_install_callback_then_repositories(ld: LightdashClient) -> None:
    session = ld.login()
    _install(ld, session)
    assert ld.store.github_installation is not None
    assert ld.store.github_installation["installationId"] == "4242"
    repos = _checked(session.get(ld.url + "/api/v1/github/repos/list")).json()["results"]
    assert {"ownerLogin": "example", "fullName": "example/jaffle-shop-dbt", "name": "jaffle-shop-dbt"} in repos
    resp = _checked(session.delete(ld.url + "/api/v1/github/uninstall"))
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    resp = _checked(session.get(ld.url + "/api/v1/github/repos/list"))
    assert resp.status_code == 404 and resp.json()["error"]["name"] == "NotFoundError"


def test_callback_with_wrong_state_is_500(ld: LightdashClient) -> None:
    session = ld.login()
    _checked(session.get(ld.url + "/api/v1/github/install", allow_redirects=False))
    resp = _checked(session.get(ld.url + "/api/v1/github/oauth/callback", params={"state": "forged",
                                                                                   "installation_id": "1"}))
    assert resp.status_code == 500
    error = resp.json()["error"]
    error.pop("id", None)  # a 500 may carry the (Sentry) event id, per the error envelope facts
    assert error == {"statusCode": 500, "name": "UnexpectedServerError", "message": "State does not match", "data": {}}
    anonymous = _checked(requests.get(ld.url + "/api/v1/github/oauth/callback", allow_redirects=False))
    assert anonymous.status_code == 500 and ld.store.github_installation is None


def test_github_app_routes_are_session_only(ld: LightdashClient) -> None:
    for method, path in (("GET", "/api/v1/github/install"), ("DELETE", "/api/v1/github/uninstall"),
                         ("GET", "/api/v1/github/repos/list")):
        err = ld.error(method, path, 401, "AuthorizationError", allow_redirects=False)
        assert err["message"] == "Failed to authorize user"


def test_install_and_uninstall_need_an_org_admin(ld: LightdashClient) -> None:
    editor = ld.user("editor")
    session = ld.login(editor.email, editor.password)
    resp = _checked(session.get(ld.url + "/api/v1/github/install", allow_redirects=False))
    assert resp.status_code == 403 and resp.json()["error"]["name"] == "ForbiddenError"
    resp = _checked(session.delete(ld.url + "/api/v1/github/uninstall"))
    assert resp.status_code == 403
