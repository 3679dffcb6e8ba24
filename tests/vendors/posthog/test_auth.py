"""Authentication, scopes, project access and PostHog's order of checks."""

from __future__ import annotations

import pytest

from tests.vendors.posthog.conftest import PostHog, hog

NO_CREDENTIALS = "Authentication credentials were not provided."


def test_no_credentials_is_401_without_www_authenticate(ph: PostHog) -> None:
    resp = ph.get(ph.path(), key=None)
    body = hog(resp, 401, "not_authenticated", NO_CREDENTIALS, None)
    assert body["type"] == "authentication_error"
    assert "WWW-Authenticate" not in resp.headers


@pytest.mark.parametrize("where, words", [("header", "Authorization header"), ("query", "query string"),
                                          ("body", "body")])
def test_unknown_key_names_where_it_was_found(ph: PostHog, where: str, words: str) -> None:
    bad = "phx_" + "x" * 47
    if where == "header":
        resp = ph.get(ph.path(), key=bad)
    elif where == "query":
        resp = ph.get(ph.path(), key=None, params={"personal_api_key": bad})
    else:
        resp = ph.post(ph.path(), key=None, json={"personal_api_key": bad, "name": "x"})
    hog(resp, 401, "authentication_failed", f"Personal API key found in request {words} is invalid.", None)


def test_key_in_query_json_body_and_form_body(ph: PostHog) -> None:
    assert ph.get(ph.path(), key=None, params={"personal_api_key": ph.key}).status_code == 200
    resp = ph.post(ph.path(), key=None, json={"personal_api_key": ph.key, "name": "From body"})
    assert resp.status_code == 201 and resp.json()["name"] == "From body"
    resp = ph.post(ph.path(), key=None, data={"personal_api_key": ph.key, "name": "From form"})
    assert resp.status_code == 201 and resp.json()["name"] == "From form"


def test_missing_scope_is_403_before_any_lookup(ph: PostHog) -> None:
    read_only = ph.keys["read_only"]
    assert ph.get(ph.path(), key=read_only).status_code == 200
    resp = ph.patch(ph.path("999999/"), key=read_only, json={"name": 5})
    hog(resp, 403, "permission_denied", "API key missing required scope 'dashboard:write'", None)
    resp = ph.get(ph.path("999999/"), key=ph.keys["sharing_read"])
    hog(resp, 403, "permission_denied", "API key missing required scope 'dashboard:read'")
    resp = ph.get(ph.path("999999/sharing/"), key=read_only)
    hog(resp, 403, "permission_denied", "API key missing required scope 'sharing_configuration:read'")
    resp = ph.delete(ph.path("1/"), key=read_only)
    hog(resp, 403, "permission_denied", "API key missing required scope 'dashboard:write'")


def test_write_scope_implies_read(ph: PostHog) -> None:
    assert ph.get(ph.path("1/"), key=ph.keys["dashboard_write"]).status_code == 200
    assert ph.get(ph.path("1/sharing/"), key=ph.keys["dashboard_write"]).status_code == 403


def test_key_scoped_to_another_project(ph: PostHog) -> None:
    resp = ph.get(ph.path(), key=ph.keys["other_project"])
    hog(resp, 403, "permission_denied", f"API key does not have access to the requested project: ID {ph.pid}.")


def test_project_of_another_organization_and_unknown_projects(ph: PostHog) -> None:
    other = next(p.id for p in ph.store.projects.values() if p.id != ph.pid)
    hog(ph.get(ph.path(project=other)), 403, "permission_denied", "You don't have access to the project.")
    hog(ph.get(ph.path(project="abc")), 404, "not_found", "Project not found.")
    hog(ph.get(ph.path(project=1)), 404, "not_found", "Project not found.")


def test_current_alias_and_environments_prefix_and_optional_slash(ph: PostHog) -> None:
    expected = ph.get(ph.path()).json()
    for url in (f"{ph.url}/api/projects/@current/dashboards/", f"{ph.url}/api/environments/{ph.pid}/dashboards",
                f"{ph.url}/api/environments/@current/dashboards/", f"{ph.url}/api/projects/{ph.pid}/dashboards"):
        resp = ph.get(url)
        assert resp.status_code == 200
        assert resp.json()["results"] == expected["results"]
    assert ph.get(f"{ph.url}/api/projects/{ph.pid}/dashboards/1").json()["id"] == 1
    assert ph.get(f"{ph.url}/api/environments/{ph.pid}/dashboards/1/sharing").status_code == 200


@pytest.mark.parametrize("method, rest, body", [("PATCH", "1/move_tile/", {"tile": {"id": 1}, "toDashboard": 2}),
                                                ("GET", "1/stream_tiles/", None),
                                                ("POST", "create_from_template_json/", {"template": {}})])
def test_session_only_actions_refuse_personal_keys_even_with_star(ph: PostHog, method: str, rest: str,
                                                                   body: object) -> None:
    resp = ph.call(method, ph.path(rest), json=body)
    hog(resp, 403, "permission_denied", "This action does not support personal API key access", None)
    resp = ph.call(method, ph.path(rest), key=None, json=body)
    hog(resp, 401, "not_authenticated")


def test_session_cookie_works_everywhere(ph: PostHog) -> None:
    assert ph.get(ph.path(), key=None, session=True).status_code == 200
    assert ph.get(ph.path("1/stream_tiles/"), key=None, session=True).status_code == 200


def test_unknown_dashboard_after_auth_is_404(ph: PostHog) -> None:
    hog(ph.get(ph.path("999999/")), 404, "not_found", "Not found.", None)
    hog(ph.get(ph.path("abc/")), 404, "not_found", "Not found.")
    hog(ph.get(ph.path("999999/sharing/")), 404, "not_found", "Dashboard not found.")
    hog(ph.get(ph.path("999999/collaborators/")), 404, "not_found", "Dashboard not found.")
    # lookup before validation: an invalid body on a missing dashboard is still a 404
    hog(ph.patch(ph.path("999999/"), json={"name": "x" * 500}), 404, "not_found")


def test_other_project_dashboard_is_not_visible_through_this_project(ph: PostHog) -> None:
    other = next(p.id for p in ph.store.projects.values() if p.id != ph.pid)
    with ph.server.runtime.lock:
        ph.store.dashboards[1].team_id = other
    hog(ph.get(ph.path("1/")), 404, "not_found")


def test_discovery_endpoints(ph: PostHog) -> None:
    me = ph.get(f"{ph.url}/api/users/@me/")
    assert me.status_code == 200
    assert me.json()["team"]["id"] == ph.pid and me.json()["email"].endswith("@example.com")
    assert ph.get(f"{ph.url}/api/users/@me").status_code == 200
    hog(ph.get(f"{ph.url}/api/users/@me/", key=ph.keys["read_only"]), 403, "permission_denied",
        "API key missing required scope 'user:read'")
    current = ph.get(f"{ph.url}/api/personal_api_keys/@current", key=ph.keys["other_project"]).json()
    other = next(p.id for p in ph.store.projects.values() if p.id != ph.pid)
    assert current["scoped_teams"] == [other] and current["scopes"] == ["*"]
    assert current["scoped_organizations"] is None
    assert ph.get(f"{ph.url}/api/personal_api_keys/@current/", key=ph.keys["read_only"]).json()["scopes"] == [
        "dashboard:read"]



def test_undeclared_method_is_drf_405_after_authentication(ph: PostHog) -> None:
    anonymous = ph.post(ph.path("1/"), key=None, json={})
    hog(anonymous, 401, "not_authenticated", NO_CREDENTIALS, None)
    resp = ph.call("PUT", ph.path(), json={})
    body = hog(resp, 405, "method_not_allowed", 'Method "PUT" not allowed.', None)
    assert body["type"] == "invalid_request"
    assert {"GET", "POST"} <= set(resp.headers["Allow"].split(", "))
    assert ph.call("HEAD", ph.path()).status_code == 200
