"""Sharing configuration, passwords and token refresh."""

from __future__ import annotations

from tests.vendors.posthog.conftest import PostHog, hog

SHARING_KEYS = ["created_at", "enabled", "access_token", "settings", "password_required", "share_passwords"]


def test_reading_creates_nothing_and_rotates_the_token(ph: PostHog) -> None:
    first = ph.get(ph.path("1/sharing/")).json()
    second = ph.get(ph.path("1/sharing")).json()
    assert list(first) == SHARING_KEYS
    assert first["created_at"] is None and first["enabled"] is False and first["share_passwords"] == []
    assert len(first["access_token"]) == 30 and first["access_token"] != second["access_token"]
    assert 1 not in ph.store.sharing


def test_patch_enables_sharing_and_filters_settings(ph: PostHog) -> None:
    body = ph.patch(ph.path("1/sharing/"), json={"enabled": True, "settings": {"whitelabel": True, "bogus": True,
                                                                                "legend": None}}).json()
    assert body["enabled"] is True and body["settings"] == {"whitelabel": True}
    assert body["created_at"] == "2025-01-15T09:30:00.000000Z"
    assert ph.get(ph.path("1/sharing/")).json()["access_token"] == body["access_token"]
    assert ph.get(ph.path("1/")).json()["is_shared"] is True
    listed = next(d for d in ph.get(ph.path()).json()["results"] if d["id"] == 1)
    assert listed["is_shared"] is True
    body = ph.call("PUT", ph.path("1/sharing/"), data={"enabled": "false"}).json()
    assert body["enabled"] is False and body["settings"] == {"whitelabel": True}
    hog(ph.patch(ph.path("1/sharing/"), json={"settings": "nope"}), 400, "invalid_input", "Invalid settings format",
        "settings")


def test_refresh_rotates_token_and_created_at(ph: PostHog) -> None:
    saved = ph.patch(ph.path("1/sharing/"), json={"enabled": True, "password_required": True}).json()
    ph.server.runtime.clock.advance(3600)
    body = ph.post(ph.path("1/sharing/refresh/"), json={"enabled": False}).json()
    assert body["access_token"] != saved["access_token"]
    assert body["created_at"] == "2025-01-15T10:30:00.000000Z"
    assert body["enabled"] is True and body["password_required"] is True


def test_passwords_lifecycle(ph: PostHog) -> None:
    resp = ph.post(ph.path("1/sharing/passwords/"), json={"raw_password": "correct horse"})
    assert resp.status_code == 400
    assert resp.json() == {"error": "Password protection must be enabled before creating passwords"}
    ph.patch(ph.path("1/sharing/"), json={"enabled": True, "password_required": True})
    hog(ph.post(ph.path("1/sharing/passwords/"), json={"raw_password": "short"}), 400, "invalid_input",
        "Password must be at least 8 characters long.", "raw_password")
    hog(ph.post(ph.path("1/sharing/passwords/"), json={"note": "n" * 101}), 400, "max_length", attr="note")
    resp = ph.post(ph.path("1/sharing/passwords/"), json={"raw_password": "correct horse", "note": "for Bob"})
    assert resp.status_code == 201
    created = resp.json()
    assert list(created) == ["id", "password", "note", "created_at", "created_by_email"]
    assert created["password"] == "correct horse" and created["created_by_email"] == ph.creds["user_email"]
    generated = ph.post(ph.path("1/sharing/passwords/")).json()
    assert len(generated["password"]) == 22 and generated["note"] == ""
    listed = ph.get(ph.path("1/sharing/")).json()["share_passwords"]
    assert [p["id"] for p in listed] == [created["id"], generated["id"]] and listed[0]["is_active"] is True
    resp = ph.delete(ph.path(f"1/sharing/passwords/{created['id']}/"))
    assert resp.status_code == 204 and resp.content == b""
    assert [p["id"] for p in ph.get(ph.path("1/sharing/")).json()["share_passwords"]] == [generated["id"]]
    hog(ph.delete(ph.path(f"1/sharing/passwords/{created['id']}/")), 404, "not_found", "Password not found")
    hog(ph.delete(ph.path("1/sharing/passwords/abc/")), 404, "not_found", "Password not found")


def test_password_features_need_advanced_permissions(ph: PostHog) -> None:
    ph.patch(ph.path("1/sharing/"), json={"password_required": True})
    with ph.server.runtime.lock:
        for org in ph.store.organizations.values():
            org.features = []
    resp = ph.post(ph.path("1/sharing/passwords/"), json={})
    assert resp.status_code == 403
    assert resp.json() == {"error": "Password management requires the Advanced Permissions feature"}
    resp = ph.patch(ph.path("2/sharing/"), json={"password_required": True})
    assert resp.status_code == 403
    assert resp.json() == {"error": "Sharing with password requires the Advanced Permissions feature"}
    assert 2 not in ph.store.sharing
    assert ph.delete(ph.path("1/sharing/passwords/1/")).status_code == 403


def test_sharing_scopes(ph: PostHog) -> None:
    assert ph.get(ph.path("1/sharing/"), key=ph.keys["sharing_read"]).status_code == 200
    hog(ph.patch(ph.path("1/sharing/"), key=ph.keys["sharing_read"], json={"enabled": True}), 403,
        "permission_denied", "API key missing required scope 'sharing_configuration:write'")
    assert 1 not in ph.store.sharing


def test_settings_must_be_booleans_as_pydantic_reads_them(ph: PostHog) -> None:
    body = ph.patch(ph.path("1/sharing/"), json={"settings": {"legend": "yes", "noHeader": 0, "detailed": "off"}})
    assert body.json()["settings"] == {"legend": True, "noHeader": False, "detailed": False}
    for bad in ({"legend": "maybe"}, {"noHeader": 5}, {"whitelabel": []}, ["legend"]):
        hog(ph.patch(ph.path("1/sharing/"), json={"settings": bad}), 400, "invalid_input", "Invalid settings format",
            "settings")
    assert ph.store.sharing[1].settings == {"legend": True, "noHeader": False, "detailed": False}


def test_password_preconditions_come_before_the_feature_and_the_body(ph: PostHog) -> None:
    # password_required is checked first (400), then the feature (403), and only then the body fields
    with ph.server.runtime.lock:
        for org in ph.store.organizations.values():
            org.features = []
    resp = ph.post(ph.path("1/sharing/passwords/"), json={"note": "n" * 101, "raw_password": "short"})
    assert resp.status_code == 400
    assert resp.json() == {"error": "Password protection must be enabled before creating passwords"}
    with ph.server.runtime.lock:
        for org in ph.store.organizations.values():
            org.features = ["advanced_permissions", "tagging"]
    ph.patch(ph.path("1/sharing/"), json={"password_required": True})
    with ph.server.runtime.lock:
        for org in ph.store.organizations.values():
            org.features = []
    resp = ph.post(ph.path("1/sharing/passwords/"), json={"note": "n" * 101})
    assert resp.status_code == 403
    assert resp.json() == {"error": "Password management requires the Advanced Permissions feature"}
    assert ph.store.share_passwords == {}


def test_sharing_writes_need_edit_rights_on_a_restricted_dashboard(ph: PostHog) -> None:
    finance = ph.dashboard_named("Finance (restricted)")  # level 37, created by an admin: the key owner cannot edit
    assert ph.get(ph.path(f"{finance}/sharing/")).status_code == 200
    denied = "You don't have edit permissions for this dashboard."
    hog(ph.patch(ph.path(f"{finance}/sharing/"), json={"enabled": True}), 403, "permission_denied", denied)
    hog(ph.post(ph.path(f"{finance}/sharing/refresh/")), 403, "permission_denied", denied)
    hog(ph.post(ph.path(f"{finance}/sharing/passwords/")), 403, "permission_denied", denied)
    hog(ph.delete(ph.path(f"{finance}/sharing/passwords/1/")), 403, "permission_denied", denied)
    assert finance not in ph.store.sharing
    hog(ph.patch(ph.path("999999/sharing/"), json={"enabled": True}), 404, "not_found", "Dashboard not found.")
    with ph.server.runtime.lock:  # without the feature the restriction does not take effect
        for org in ph.store.organizations.values():
            org.features = []
    assert ph.patch(ph.path(f"{finance}/sharing/"), json={"enabled": True}).json()["enabled"] is True
