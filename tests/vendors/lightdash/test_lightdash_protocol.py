"""Envelopes, auth classes, request validation and error shapes of the Lightdash mock."""

from __future__ import annotations

import requests

from tests.vendors.lightdash.conftest import LightdashClient


def test_success_envelope_and_version_header(ld: LightdashClient) -> None:
    resp = ld.get("/api/v1/org")
    assert resp.status_code == 200
    assert resp.headers["Lightdash-Version"] == "0.1411.0"
    body = resp.json()
    assert list(body) == ["status", "results"]
    assert body["results"]["organizationUuid"] == ld.creds["organization_uuid"]


def test_no_results_is_exactly_status_ok(ld: LightdashClient) -> None:
    resp = ld.patch(f"/api/v1/projects/{ld.project_uuid}/schedulerSettings", json={"schedulerTimezone": "Europe/Paris"})
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}
    assert ld.store.projects[ld.project_uuid].schedulerTimezone == "Europe/Paris"


def test_missing_authorization_is_plain_text_401(ld: LightdashClient) -> None:
    resp = ld.get("/api/v1/org", token=None)
    assert resp.status_code == 401
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert resp.text == "Unauthorized"
    assert resp.headers["Lightdash-Version"] == "0.1411.0"


def test_wrong_scheme_or_prefix_is_plain_text_401(ld: LightdashClient) -> None:
    for value in (f"Bearer {ld.token}", f"apikey {ld.token}", f"ApiKey{ld.token}", ld.token or ""):
        resp = ld.get("/api/v1/org", headers={"Authorization": value})
        assert resp.status_code == 401, value
        assert resp.text == "Unauthorized"


def test_header_name_is_case_insensitive(ld: LightdashClient) -> None:
    resp = ld.get("/api/v1/org", token=None, headers={"authorization": f"ApiKey {ld.token}"})
    assert resp.status_code == 200


def test_unknown_token_is_json_authorization_error(ld: LightdashClient) -> None:
    err = ld.error("GET", "/api/v1/org", 401, "AuthorizationError", token="0" * 32)
    assert err["message"] == "Personal access token is not recognised"
    assert list(err) == ["statusCode", "name", "message", "data"]
    assert err["data"] == {}


def test_expired_token_is_not_recognised(ld: LightdashClient) -> None:
    admin = ld.store.admin_uuid
    pat = ld.call(lambda: ld.store.issue_token(admin, "old", "2024-01-01T00:00:00.000Z"))
    err = ld.error("GET", "/api/v1/user", 401, "AuthorizationError", token=pat.token)
    assert err["message"] == "Personal access token is not recognised"


def test_deactivated_users_token_is_not_recognised(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    ld.user("editor").isActive = False
    ld.error("GET", "/api/v1/user", 401, "AuthorizationError", token=token)


def test_session_only_operation_refuses_a_token(ld: LightdashClient) -> None:
    err = ld.error("GET", "/api/v1/org/allowedEmailDomains", 401, "AuthorizationError")
    assert err["message"] == "Failed to authorize user"
    err = ld.error("GET", "/api/v1/org/allowedEmailDomains", 401, "AuthorizationError", token=None)
    assert err["message"] == "Failed to authorize user"


def test_login_cookie_opens_session_only_and_pat_operations(ld: LightdashClient) -> None:
    resp = requests.post(ld.url + "/api/v1/login", json={"email": ld.creds["email"], "password": ld.creds["password"]})
    assert resp.status_code == 200
    assert "connect.sid=" in resp.headers["Set-Cookie"]
    assert resp.json()["results"]["email"] == ld.creds["email"]
    session = requests.Session()
    session.cookies.update(resp.cookies)
    assert session.get(ld.url + "/api/v1/org/allowedEmailDomains").status_code == 200
    assert session.get(ld.url + "/api/v1/user").json()["results"]["userUuid"] == ld.store.admin_uuid


def test_login_with_wrong_password(ld: LightdashClient) -> None:
    err = ld.error("POST", "/api/v1/login", 401, "AuthorizationError", token=None,
                   json={"email": ld.creds["email"], "password": "nope"})
    assert err["message"] == "Email and password not recognized"


def test_none_auth_operations_need_no_credentials(ld: LightdashClient) -> None:
    assert ld.ok("GET", "/api/v1/user/login-options", token=None)["showOptions"] == ["email"]
    assert ld.ok("GET", "/api/v1/health", token=None)["healthy"] is True


def test_validation_error_names_body_fields(ld: LightdashClient) -> None:
    err = ld.error("POST", "/api/v1/org/groups", 422, "ValidateError", json={"members": []})
    assert err["message"] == ""
    assert err["data"] == {"body.name": {"message": "'name' is required"}}
    assert len(ld.store.groups) == 2  # nothing created


def test_validation_error_names_query_and_path_parameters(ld: LightdashClient) -> None:
    err = ld.error("GET", "/api/v1/org/users/not-a-uuid", 422, "ValidateError")
    assert list(err["data"]) == ["userUuid"]
    assert err["data"]["userUuid"]["message"].startswith("Not match in '")
    assert err["data"]["userUuid"]["value"] == "not-a-uuid"
    err = ld.error("GET", "/api/v1/notifications", 422, "ValidateError")
    assert err["data"] == {"type": {"message": "'type' is required"}}
    err = ld.error("GET", "/api/v1/org/users?page=abc&pageSize=2", 422, "ValidateError")
    assert err["data"] == {"page": {"message": "invalid float number", "value": "abc"}}
    err = ld.error("GET", "/api/v1/notifications?type=other", 422, "ValidateError")
    assert err["data"] == {"type": {"message": "should be one of the following; ['dashboardComments']",
                                    "value": "other"}}


def test_validation_errors_use_tsoa_messages_values_and_array_keys(ld: LightdashClient) -> None:
    """tsoa's FieldErrors: its own wording, the offending value, array items keyed ``$<index>``."""
    err = ld.error("POST", "/api/v1/org/groups", 422, "ValidateError",
                   json={"name": 5, "members": [{}, {"userUuid": 3}]})
    assert err["data"] == {
        "body.name": {"message": "invalid string value", "value": 5},
        "body.members.$0.userUuid": {"message": "'userUuid' is required"},
        "body.members.$1.userUuid": {"message": "invalid string value", "value": 3},
    }
    err = ld.error("PATCH", f"/api/v1/org/users/{ld.store.admin_uuid}", 422, "ValidateError", json={"role": "boss"})
    assert err["data"] == {"body.role": {
        "message": "should be one of the following; ['member','viewer','interactive_viewer','editor','developer',"
                   "'admin']", "value": "boss"}}
    err = ld.error("PUT", f"/api/v1/projects/{ld.project_uuid}/explores", 422, "ValidateError", json={})
    assert err["data"] == {"body": {"message": "invalid array", "value": {}}}
    assert len(ld.store.groups) == 2


def test_missing_or_non_json_body_is_validated_as_an_empty_object(ld: LightdashClient) -> None:
    """express.json() leaves ``req.body = {}`` when nothing (or no application/json body) was sent, so tsoa
    names the missing properties rather than the body."""
    for kwargs in ({}, {"data": b"name=x", "headers": {"Content-Type": "text/plain"}}):
        err = ld.error("PUT", "/api/v1/org", 422, "ValidateError", **kwargs)
        assert err["data"] == {"body.name": {"message": "'name' is required"}}


def test_malformed_json_is_500_unexpected_server_error(ld: LightdashClient) -> None:
    """body-parser's SyntaxError is not a LightdashError: errors.ts answers the generic 500 (with a Sentry id)."""
    resp = ld.post("/api/v1/org/groups", data=b'{"name": ', headers={"Content-Type": "application/json"})
    assert resp.status_code == 500
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    err = resp.json()["error"]
    assert list(err) == ["statusCode", "name", "message", "data", "id"]
    assert (err["statusCode"], err["name"], err["data"]) == (500, "UnexpectedServerError", {})
    # the service's words first, then what was wrong (the issue asks for a clear message)
    assert err["message"].startswith("Something went wrong. The request body is not valid JSON (")
    assert len(err["id"]) == 32 and int(err["id"], 16) >= 0
    assert len(ld.store.groups) == 2


def test_error_envelopes_are_json_utf8_like_successes(ld: LightdashClient) -> None:
    """Express's res.send(object) sets ``application/json; charset=utf-8`` on errors as on successes."""
    for resp in (ld.get("/api/v1/projects/00000000-0000-4000-8000-000000000000"),
                 ld.get("/api/v1/org", token="0" * 32),
                 ld.get("/api/v1/org/allowedEmailDomains"),
                 ld.get("/api/v1/notifications")):
        assert resp.status_code in (401, 404, 422)
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
        assert list(resp.json()["error"]) == ["statusCode", "name", "message", "data"]


def test_data_plane_errors_are_json_utf8_too(ld: LightdashClient) -> None:
    """Errors the data plane raises (an unknown CSV job, a field reference the explore lacks) go through the
    same errors.ts handler, so they carry ``application/json; charset=utf-8`` like every other error."""
    catalog = f"/api/v1/projects/{ld.project_uuid}/dataCatalog/metrics/orders/nope"
    for resp, status, name in ((ld.get("/api/v1/csv/nope"), 404, "NotFoundError"),
                               (ld.get(catalog), 400, "FieldReferenceError")):
        assert (resp.status_code, resp.json()["error"]["name"]) == (status, name)
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"


def test_forbidden_for_a_user_without_project_access(ld: LightdashClient) -> None:
    outsider = ld.user("member")
    ld.store.projects[ld.project_uuid].members.pop(outsider.userUuid, None)
    token = ld.token_for("member")
    for group in ld.store.groups.values():
        if outsider.userUuid in group.memberUuids:
            group.memberUuids.remove(outsider.userUuid)
    err = ld.error("GET", f"/api/v1/projects/{ld.project_uuid}", 403, "ForbiddenError", token=token)
    assert err["message"] == "You don't have access to this resource or action"


def test_unknown_project_is_not_found_error(ld: LightdashClient) -> None:
    err = ld.error("GET", "/api/v1/projects/00000000-0000-4000-8000-000000000000", 404, "NotFoundError")
    assert "project" in err["message"].lower()


def test_unknown_path_is_json_404(ld: LightdashClient) -> None:
    resp = ld.get("/api/v1/nothing/here")
    assert resp.status_code == 404
    assert resp.headers["Content-Type"].startswith("application/json")


def test_injected_fault_uses_the_error_envelope(ld: LightdashClient) -> None:
    resp = requests.post(ld.url + "/__mockbi/faults", json={"vendor": "lightdash", "operation_id": "GetMyOrganization",
                                                           "status": 500})
    assert resp.status_code == 201
    err = ld.error("GET", "/api/v1/org", 500, "UnexpectedServerError")
    assert list(err) == ["statusCode", "name", "message", "data", "id"]  # a 500 carries the Sentry event id
    ld.ok("GET", "/api/v1/org")


def test_unknown_path_under_the_api_is_a_json_404_in_the_lightdash_envelope(ld: LightdashClient) -> None:
    """The real server falls through to the SPA's index.html; a mock must answer JSON instead (the notes)."""
    resp = ld.get("/api/v1/no/such/route")
    assert resp.status_code == 404
    assert resp.headers["Lightdash-Version"] == "0.1411.0"
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    err = resp.json()["error"]
    assert err["name"] == "NotFoundError" and err["statusCode"] == 404
    assert "GET /api/v1/no/such/route" in err["message"]


def test_malformed_json_is_500_before_authentication(ld: LightdashClient) -> None:
    """express.json() parses (and fails) before passport looks at credentials."""
    resp = ld.post("/api/v1/org/groups", token=None, data=b'{"name": ', headers={"Content-Type": "application/json"})
    assert resp.status_code == 500
    assert resp.json()["error"]["name"] == "UnexpectedServerError"
    anonymous = ld.post("/api/v1/org/groups", token=None, json={"name": "x"})
    assert anonymous.status_code == 401 and anonymous.text == "Unauthorized"


def test_form_and_multipart_bodies_are_empty_where_the_operation_takes_only_json(ld: LightdashClient) -> None:
    """Only express.json() parses a JSON-only route's body: a form or multipart body leaves ``req.body = {}``,
    so tsoa reports the missing ``name`` and nothing is created."""
    path = f"/api/v1/projects/{ld.project_uuid}/spaces"
    before = len(ld.store.spaces)
    for kwargs in ({"files": {"name": (None, "multi")}}, {"data": {"name": "form"}}):
        err = ld.error("POST", path, 422, "ValidateError", **kwargs)
        assert err["data"] == {"body.name": {"message": "'name' is required"}}
    assert len(ld.store.spaces) == before


def test_login_takes_urlencoded_but_not_multipart_credentials(ld: LightdashClient) -> None:
    """loginExt declares application/x-www-form-urlencoded besides JSON; a multipart body is not parsed, so
    passport-local finds no credentials (400 ``Bad Request``)."""
    creds = {"email": ld.creds["email"], "password": ld.creds["password"]}
    assert requests.post(ld.url + "/api/v1/login", data=creds).status_code == 200
    resp = requests.post(ld.url + "/api/v1/login", files={k: (None, v) for k, v in creds.items()})
    assert (resp.status_code, resp.text) == (400, "Bad Request")
