"""My Account operations and the personal-access-token / login / health extensions."""

from __future__ import annotations

from typing import Any

import requests

from tests.vendors.lightdash.conftest import LightdashClient


def test_get_authenticated_user_with_ability_rules(ld: LightdashClient) -> None:
    user = ld.ok("GET", "/api/v1/user")
    assert user["userUuid"] == ld.store.admin_uuid
    assert user["email"].endswith("@example.com")
    assert user["role"] == "admin"
    assert user["abilityRules"] == [{"action": "manage", "subject": "all",
                                     "conditions": {"organizationUuid": ld.creds["organization_uuid"]}}]


def test_register_user_then_create_organization(ld: LightdashClient) -> None:
    resp = requests.post(ld.url + "/api/v1/user", json={"email": "new.person@example.com", "password": "pw12345678",
                                                        "firstName": "New", "lastName": "Person"})
    assert resp.status_code == 200
    user = resp.json()["results"]
    assert user["firstName"] == "New" and "organizationUuid" not in user
    session = requests.Session()
    session.cookies.update(resp.cookies)
    assert session.put(ld.url + "/api/v1/org", json={"name": "Fresh Org"}).json() == {"status": "ok"}
    me = session.get(ld.url + "/api/v1/user").json()["results"]
    assert me["organizationName"] == "Fresh Org" and me["role"] == "admin"


def test_register_with_existing_email_is_rejected(ld: LightdashClient) -> None:
    ld.error("POST", "/api/v1/user", 409, "AlreadyExistsError", token=None,
             json={"email": ld.creds["email"], "password": "x" * 10, "firstName": "a", "lastName": "b"})


def test_activate_invited_user_with_invite_code(ld: LightdashClient) -> None:
    invited = next(u for u in ld.store.users.values() if u.isPending)
    user = ld.ok("POST", "/api/v1/user", token=None, json={"inviteCode": invited.inviteCode, "password": "pw" * 5,
                                                           "firstName": "In", "lastName": "Vited"})
    assert user["userUuid"] == invited.userUuid and user["isPending"] is False


def test_email_one_time_passcode_flow(ld: LightdashClient) -> None:
    session = ld.login()
    ld.store.users[ld.store.admin_uuid].isEmailVerified = False
    status = session.put(ld.url + "/api/v1/user/me/email/otp").json()["results"]
    assert status["isVerified"] is False and status["otp"]["numberOfAttempts"] == 0
    wrong = session.get(ld.url + "/api/v1/user/me/email/status", params={"passcode": "x"}).json()["results"]
    assert wrong["otp"]["numberOfAttempts"] == 1
    code = ld.store.email_otps[ld.store.admin_uuid].passcode
    ok = session.get(ld.url + "/api/v1/user/me/email/status", params={"passcode": code}).json()["results"]
    assert ok == {"email": ld.creds["email"], "isVerified": True}


def test_allowed_organizations_and_join(ld: LightdashClient) -> None:
    orgs = ld.ok("GET", "/api/v1/user/me/allowedOrganizations")
    assert len(orgs) == 1 and orgs[0]["membersCount"] == 1
    err = ld.error("POST", f"/api/v1/user/me/joinOrganization/{orgs[0]['organizationUuid']}", 403, "ForbiddenError")
    assert "already" in err["message"]
    resp = requests.post(ld.url + "/api/v1/user", json={"email": "joiner@example.com", "password": "pw12345678",
                                                        "firstName": "Jo", "lastName": "Iner"})
    session = requests.Session()
    session.cookies.update(resp.cookies)
    resp = session.post(ld.url + f"/api/v1/user/me/joinOrganization/{orgs[0]['organizationUuid']}")
    assert resp.json() == {"status": "ok"}
    assert session.get(ld.url + "/api/v1/user").json()["results"]["organizationUuid"] == orgs[0]["organizationUuid"]


def test_delete_me_with_session(ld: LightdashClient) -> None:
    viewer = ld.user("viewer")
    viewer.password = "viewer-pass"
    session = ld.login(viewer.email, "viewer-pass")
    assert session.delete(ld.url + "/api/v1/user/me").json() == {"status": "ok"}
    assert viewer.userUuid not in ld.store.users
    assert all(viewer.userUuid not in g.memberUuids for g in ld.store.groups.values())


def test_warehouse_credentials_crud(ld: LightdashClient) -> None:
    session = ld.login()
    base = ld.url + "/api/v1/user/warehouseCredentials"
    created = session.post(base, json={"name": "mine", "credentials": {"type": "snowflake", "user": "me",
                                                                       "password": "secret"}}).json()["results"]
    assert created["credentials"] == {"type": "snowflake", "user": "me"}
    listed = session.get(base).json()["results"]
    assert [c["uuid"] for c in listed] == [created["uuid"]]
    updated = session.patch(f"{base}/{created['uuid']}", json={"name": "renamed", "credentials": {
        "type": "bigquery", "keyfileContents": {}}}).json()["results"]
    assert updated["name"] == "renamed" and updated["credentials"] == {"type": "bigquery"}
    assert session.delete(f"{base}/{created['uuid']}").json() == {"status": "ok"}
    assert session.get(base).json()["results"] == []


def test_login_options(ld: LightdashClient) -> None:
    assert ld.ok("GET", "/api/v1/user/login-options?email=a@example.com", token=None) == {
        "showOptions": ["email"], "forceRedirect": False}


def _session_pat(ld: LightdashClient) -> dict[str, Any]:
    """A new token, made the only way 0.1411 allows: from a logged-in session (userRouter has no
    allowApiKeyAuthentication on /me/personal-access-tokens)."""
    resp = ld.login().post(ld.url + "/api/v1/user/me/personal-access-tokens",
                           json={"description": "ci", "expiresAt": "2025-06-01T00:00:00.000Z"})
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]  # type: ignore[no-any-return]


def test_personal_access_tokens_create_list_rotate(ld: LightdashClient) -> None:
    pat = _session_pat(ld)
    assert len(pat["token"]) == 32 and pat["rotatedAt"] is None
    listed = ld.login().get(ld.url + "/api/v1/user/me/personal-access-tokens").json()["results"]
    assert {t["uuid"] for t in listed} >= {pat["uuid"]} and all("token" not in t for t in listed)
    for method in ("GET", "POST"):  # a token cannot list or mint tokens
        err = ld.error(method, "/api/v1/user/me/personal-access-tokens", 401, "AuthorizationError",
                       json={"description": "x", "expiresAt": None})
        assert err["message"] == "Failed to authorize user"
    assert ld.ok("GET", "/api/v1/user", token=pat["token"])["userUuid"] == ld.store.admin_uuid
    rotated = ld.ok("PATCH", f"/api/v1/user/me/personal-access-tokens/{pat['uuid']}/rotate",
                    json={"expiresAt": "2025-09-01T00:00:00.000Z"})
    assert rotated["uuid"] == pat["uuid"] and rotated["token"] != pat["token"]
    assert rotated["rotatedAt"] is not None and rotated["expiresAt"].startswith("2025-09-01")
    ld.error("GET", "/api/v1/user", 401, "AuthorizationError", token=pat["token"])
    assert ld.ok("GET", "/api/v1/user", token=rotated["token"])["userUuid"] == ld.store.admin_uuid
    err = ld.error("PATCH", f"/api/v1/user/me/personal-access-tokens/{pat['uuid']}/rotate", 400, "ParameterError",
                   token=rotated["token"], json={"expiresAt": "2025-10-01T00:00:00.000Z"})
    assert "rotated" in err["message"]


def test_rotating_a_token_without_expiry_is_refused(ld: LightdashClient) -> None:
    seeded = next(t for t in ld.store.tokens.values() if t.token == ld.token)
    err = ld.error("PATCH", f"/api/v1/user/me/personal-access-tokens/{seeded.uuid}/rotate", 400, "ParameterError",
                   json={"expiresAt": "2025-09-01T00:00:00.000Z"})
    assert err["message"] == "Token with no expiration date cannot be rotated"


def test_health(ld: LightdashClient) -> None:
    health = ld.ok("GET", "/api/v1/health")
    assert health["version"] == "0.1411.0" and health["isAuthenticated"] is True


def test_warehouse_credentials_accept_every_user_password_warehouse(ld: LightdashClient) -> None:
    session = ld.login()
    base = ld.url + "/api/v1/user/warehouseCredentials"
    for kind in ("postgres", "redshift", "trino", "snowflake"):
        resp = session.post(base, json={"name": kind, "credentials": {"type": kind, "user": "me", "password": "pw"}})
        assert resp.status_code == 200, resp.text
        assert resp.json()["results"]["credentials"] == {"type": kind, "user": "me"}


def test_rotate_validates_expires_at_as_tsoa_before_looking_up_the_token(ld: LightdashClient) -> None:
    """``expiresAt: Date`` is checked by tsoa (422) before the controller looks for the token (404)."""
    err = ld.error("PATCH", "/api/v1/user/me/personal-access-tokens/unknown/rotate", 422, "ValidateError",
                   json={"expiresAt": "next tuesday"})
    assert err["data"] == {"body.expiresAt": {
        "message": "invalid ISO 8601 datetime format, i.e. YYYY-MM-DDTHH:mm:ss", "value": "next tuesday"}}
    ld.error("PATCH", "/api/v1/user/me/personal-access-tokens/unknown/rotate", 404, "NotFoundError",
             json={"expiresAt": "2025-09-01T00:00:00.000Z"})


def test_rotate_accepts_a_date_time_without_offset(ld: LightdashClient) -> None:
    pat = _session_pat(ld)
    rotated = ld.ok("PATCH", f"/api/v1/user/me/personal-access-tokens/{pat['uuid']}/rotate",
                    json={"expiresAt": "2025-09-01T12:00:00"})
    assert rotated["expiresAt"] == "2025-09-01T12:00:00.000Z"


def test_login_without_credentials_is_passport_plain_text_400(ld: LightdashClient) -> None:
    """POST /api/v1/login is passport-local, not tsoa: a missing email or password is 400 ``Bad Request``."""
    for payload in ({}, {"email": ld.creds["email"]}, {"email": "", "password": "x"}):
        resp = requests.post(ld.url + "/api/v1/login", json=payload)
        assert resp.status_code == 400, payload
        assert resp.headers["Content-Type"].startswith("text/plain")
        assert resp.text == "Bad Request"
        assert "Set-Cookie" not in resp.headers
    assert requests.post(ld.url + "/api/v1/login", data={"email": ld.creds["email"],
                                                        "password": ld.creds["password"]}).status_code == 200
