"""Collaborators on restricted dashboards, with PostHog's rules and messages."""

from __future__ import annotations

from tests.vendors.posthog.conftest import PostHog, hog


def _user(ph: PostHog, membership: str) -> str:
    users = ph.store.users.values()
    if membership == "outsider":
        me = ph.store.users[ph.store.main_user_id]
        return next(u.uuid for u in users if u.organization_id != me.organization_id)
    levels = {"admin": 8, "teammate": 1}
    return next(u.uuid for u in users if u.membership_level == levels[membership] and u.id != ph.store.main_user_id)


def test_add_list_and_remove_a_collaborator(ph: PostHog) -> None:
    board = ph.dashboard_named("Collaboration board")  # restricted, created by the key owner
    assert ph.get(ph.path(f"{board}/collaborators/")).json() == []
    teammate = _user(ph, "teammate")
    resp = ph.post(ph.path(f"{board}/collaborators/"), json={"user_uuid": teammate, "level": 37})
    assert resp.status_code == 201
    body = resp.json()
    assert list(body) == ["id", "dashboard_id", "user", "level", "added_at", "updated_at"]
    assert body["dashboard_id"] == board and body["user"]["uuid"] == teammate and body["level"] == 37
    listed = ph.get(ph.path(f"{board}/collaborators")).json()
    assert [c["id"] for c in listed] == [body["id"]]
    hog(ph.post(ph.path(f"{board}/collaborators/"), data={"user_uuid": teammate, "level": "37"}), 400,
        "invalid_input", "User already is a collaborator.", None)
    resp = ph.delete(ph.path(f"{board}/collaborators/{teammate}/"))
    assert resp.status_code == 204 and resp.content == b""
    hog(ph.delete(ph.path(f"{board}/collaborators/{teammate}/")), 404, "not_found", "Not found.")


def test_collaborator_validation_messages(ph: PostHog) -> None:
    board = ph.dashboard_named("Collaboration board")
    url = ph.path(f"{board}/collaborators/")
    # level is a model field without a default, so the serializer requires it; field errors come in the
    # serializer's field order (level before user_uuid), before validate()'s non-field errors
    hog(ph.post(url, json={}), 400, "required", "This field is required.", "level")
    hog(ph.post(url, json={"user_uuid": _user(ph, "teammate")}), 400, "required", "This field is required.", "level")
    hog(ph.post(url, json={"level": None}), 400, "null", "This field may not be null.", "level")
    hog(ph.post(url, json={"level": 37}), 400, "required", "This field is required.", "user_uuid")
    hog(ph.post(ph.path("1/collaborators/"), json={"user_uuid": "nope"}), 400, "required",
        "This field is required.", "level")
    hog(ph.post(url, json={"user_uuid": "nope", "level": 37}), 400, "invalid_input", "Must be a valid UUID.",
        "user_uuid")
    hog(ph.post(url, json={"user_uuid": _user(ph, "teammate"), "level": 21}), 400, "invalid_input",
        "Only edit access can be explicitly specified currently.", None)
    hog(ph.post(url, json={"user_uuid": "00000000-0000-4000-8000-000000000000", "level": 37}), 400, "invalid_input",
        "User does not exist.")
    hog(ph.post(url, json={"user_uuid": _user(ph, "outsider"), "level": 37}), 400, "invalid_input",
        "Cannot add collaborators that have no access to the project.")
    hog(ph.post(url, json={"user_uuid": _user(ph, "admin"), "level": 37}), 400, "invalid_input",
        "Cannot add collaborators that already have inherent access (the dashboard owner or a project admins).")
    hog(ph.post(url, json={"user_uuid": _user(ph, "teammate"), "level": 99}), 400, "invalid_choice",
        '"99" is not a valid choice.', "level")
    hog(ph.post(ph.path("1/collaborators/"), json={"user_uuid": _user(ph, "teammate"), "level": 37}), 400,
        "invalid_input", "Cannot add collaborators to a dashboard on the lowest restriction level.")
    assert ph.store.collaborators == {}


def test_collaborators_on_a_dashboard_the_user_cannot_edit(ph: PostHog) -> None:
    finance = ph.dashboard_named("Finance (restricted)")
    assert ph.get(ph.path(f"{finance}/collaborators/")).status_code == 200
    hog(ph.post(ph.path(f"{finance}/collaborators/"), json={"user_uuid": _user(ph, "teammate"), "level": 37}), 403,
        "permission_denied", "You don't have edit permissions for this dashboard.")


def test_removing_on_the_lowest_level_is_refused(ph: PostHog) -> None:
    board = ph.dashboard_named("Collaboration board")
    teammate = _user(ph, "teammate")
    assert ph.post(ph.path(f"{board}/collaborators/"), json={"user_uuid": teammate, "level": 37}).status_code == 201
    with ph.server.runtime.lock:
        ph.store.dashboards[board].restriction_level = 21
    hog(ph.delete(ph.path(f"{board}/collaborators/{teammate}/")), 400, "invalid_input",
        "Cannot remove collaborators from a dashboard on the lowest restriction level.", None)
    assert len(ph.store.collaborators) == 1
