"""Dashboards: list, create, retrieve, update, soft delete, the 405 DELETE."""

from __future__ import annotations

import re
from typing import Any

from tests.vendors.posthog.conftest import PostHog, hog

BASIC_KEYS = ["id", "name", "description", "pinned", "created_at", "created_by", "last_accessed_at", "last_viewed_at",
              "is_shared", "deleted", "creation_mode", "tags", "restriction_level", "effective_restriction_level",
              "effective_privilege_level", "user_access_level", "access_control_version", "last_refresh", "team_id"]


def _names(ph: PostHog, **params: Any) -> list[str]:
    return [d["name"] for d in ph.get(ph.path(), params=params).json()["results"]]


def test_list_shape_order_and_exclusions(ph: PostHog) -> None:
    body = ph.get(ph.path()).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["next"] is None and body["previous"] is None
    results = body["results"]
    assert body["count"] == len(results) == 12
    assert all(list(d) == BASIC_KEYS for d in results)
    pinned = [d["pinned"] for d in results]
    assert pinned == sorted(pinned, reverse=True)
    names = [d["name"] for d in results if not d["pinned"]]
    assert names == sorted(names, key=str.lower)
    assert "Old launch dashboard" not in [d["name"] for d in results]
    assert all(isinstance(d["name"], str) and d["created_at"].endswith("Z") for d in results)


def test_pagination_links_keep_other_params(ph: PostHog) -> None:
    resp = ph.get(ph.path(), params={"limit": 5, "offset": 5, "search": "x"})
    body = resp.json()
    assert len(body["results"]) == 5
    base = ph.path()
    assert body["next"] == f"{base}?limit=5&offset=10&search=x"
    assert body["previous"] == f"{base}?limit=5&search=x"  # offset dropped when it would be <= 0
    body = ph.get(body["next"]).json()
    assert len(body["results"]) == 2 and body["next"] is None
    assert body["previous"] == f"{base}?limit=5&offset=5&search=x"


def test_bad_limit_and_offset_fall_back(ph: PostHog) -> None:
    for limit in ("abc", "0", "-3"):
        body = ph.get(ph.path(), params={"limit": limit}).json()
        assert len(body["results"]) == 12 and body["next"] is None
    assert ph.get(ph.path(), params={"offset": "zz"}).json()["previous"] is None
    assert ph.get(ph.path(), params={"offset": 50}).json()["results"] == []


def test_tags_filter(ph: PostHog) -> None:
    assert sorted(_names(ph, tags="kpi")) == ["Executive summary", "Product KPIs"]
    assert sorted(_names(ph, tags=["marketing", "product"])) == ["Marketing site", "Product KPIs"]
    # the filter compares tag names exactly (tagged_items__tag__name__in): query values are not normalized
    assert _names(ph, tags="KPI") == [] and _names(ph, tags=" kpi") == []


def test_exclude_generated_hides_generated_dashboards(ph: PostHog) -> None:
    created = ph.post(ph.path(), json={"name": "Generated Dashboard: Signups"}).json()
    assert created["name"] in _names(ph)
    assert created["name"] in _names(ph, exclude_generated="false")
    hidden = _names(ph, exclude_generated="true")
    assert created["name"] not in hidden and len(hidden) == len(_names(ph)) - 1


def test_retrieve_shape_tiles_and_last_accessed(ph: PostHog) -> None:
    ph.server.runtime.clock.advance(60)
    body = ph.get(ph.path("1/")).json()
    assert body["last_accessed_at"] == "2025-01-15T09:31:00.000000Z"
    assert body["name"] == "Product KPIs" and body["tiles"]
    orders = [t["order"] for t in body["tiles"]]
    assert orders == list(range(len(orders)))
    positions = [(t["layouts"]["sm"]["y"], t["layouts"]["sm"]["x"]) for t in body["tiles"]]
    assert positions == sorted(positions)
    for tile in body["tiles"]:
        insight = tile["insight"]
        assert tile["text"] is None and isinstance(insight["name"], str) and len(insight["short_id"]) == 8
        assert insight["query"]["kind"] in ("InsightVizNode", "DataVisualizationNode")
        assert set(tile["layouts"]) == {"sm", "xs"}
        # runtime-only keys the service adds to every embedded insight
        assert insight["filters"] == {} and insight["saved"] is True and insight["resolved_date_range"] is None
        assert re.fullmatch(r"cache_[0-9a-f]{32}", insight["filters_hash"])
    again = ph.get(ph.path("1/")).json()["tiles"]
    assert [t["insight"]["filters_hash"] for t in again] == [t["insight"]["filters_hash"] for t in body["tiles"]]


def test_text_tiles_only_on_the_notes_dashboard(ph: PostHog) -> None:
    for dashboard in ph.get(ph.path()).json()["results"]:
        tiles = ph.get(ph.path(f"{dashboard['id']}/")).json()["tiles"]
        texts = [t for t in tiles if t["text"] is not None]
        assert bool(texts) == (dashboard["name"] == "Team notes")
        assert all(t["insight"] is None for t in texts)


def test_create_empty_body_defaults(ph: PostHog) -> None:
    resp = ph.post(ph.path())
    assert resp.status_code == 201
    body = resp.json()
    assert body["name"] is None and body["description"] == "" and body["pinned"] is False
    assert body["restriction_level"] == 21 and body["filters"] == {} and body["breakdown_colors"] == []
    assert body["tiles"] == [] and body["creation_mode"] == "default"
    assert body["created_at"] == "2025-01-15T09:30:00.000000Z" and body["team_id"] == ph.pid
    assert body["created_by"]["email"] == ph.creds["user_email"]


def test_create_from_form_and_multipart_bodies(ph: PostHog) -> None:
    body = ph.post(ph.path(), data={"name": "Form", "pinned": "true", "tags": ["A ", "b", "a"]}).json()
    assert body["name"] == "Form" and body["pinned"] is True and body["tags"] == ["a", "b"]
    body = ph.post(ph.path(), files={"name": (None, "Multi"), "restriction_level": (None, "37")}).json()
    assert body["name"] == "Multi" and body["restriction_level"] == 37


def test_create_with_template_and_duplicate(ph: PostHog) -> None:
    body = ph.post(ph.path(), json={"use_template": "DEFAULT_APP"}).json()
    assert body["creation_mode"] == "template" and body["name"] == "My App Dashboard" and len(body["tiles"]) == 6
    assert all(t["insight"]["is_sample"] for t in body["tiles"])
    body = ph.post(ph.path(), json={"use_template": "Product analytics", "name": "Mine"}).json()
    assert body["name"] == "Mine"
    source = ph.get(ph.path("1/")).json()
    copy = ph.post(ph.path(), json={"use_dashboard": 1, "name": "Copy"}).json()
    assert copy["creation_mode"] == "duplicate"
    assert sorted(t["insight"]["id"] for t in copy["tiles"]) == sorted(t["insight"]["id"] for t in source["tiles"])
    assert {t["id"] for t in copy["tiles"]}.isdisjoint({t["id"] for t in source["tiles"]})
    deep = ph.post(ph.path(), json={"use_dashboard": 1, "duplicate_tiles": True}).json()
    assert all(t["insight"]["name"].endswith(" (Copy)") for t in deep["tiles"])
    assert {t["insight"]["id"] for t in deep["tiles"]}.isdisjoint({t["insight"]["id"] for t in source["tiles"]})


def test_create_errors_change_nothing(ph: PostHog) -> None:
    before = ph.get(ph.path()).content
    hog(ph.post(ph.path(), json={"use_template": "NOPE"}), 400, "invalid_input", "Invalid template provided: NOPE",
        "use_template")
    hog(ph.post(ph.path(), json={"use_dashboard": 99999}), 400, "invalid_input", "Invalid value provided",
        "use_dashboard")
    hog(ph.post(ph.path(), json={"use_dashboard": 1, "use_template": "DEFAULT_APP"}), 400, "invalid_input",
        "`use_dashboard` and `use_template` cannot be used together", None)
    hog(ph.post(ph.path(), json={"filters": [1]}), 400, "invalid_input", "Filters must be a dictionary", None)
    hog(ph.post(ph.path(), json={"name": "x" * 401}), 400, "max_length",
        "Ensure this field has no more than 400 characters.", "name")
    hog(ph.post(ph.path(), json={"restriction_level": 5}), 400, "invalid_choice", '"5" is not a valid choice.',
        "restriction_level")
    hog(ph.post(ph.path(), json={"pinned": "maybe"}), 400, "invalid_input", "Must be a valid boolean.", "pinned")
    hog(ph.post(ph.path(), json={"tags": "x"}), 400, "not_a_list", 'Expected a list of items but got type "str".',
        "tags")
    hog(ph.post(ph.path(), json={"description": None}), 400, "null", "This field may not be null.", "description")
    hog(ph.post(ph.path(), json={"last_refresh": "yesterday"}), 400, "invalid_input", attr="last_refresh")
    hog(ph.post(ph.path(), json=[1, 2]), 400, "invalid_input", "Invalid data. Expected a dictionary, but got list.",
        None)
    body = hog(ph.post(ph.path(), data="{nope", headers={"Content-Type": "application/json"}), 400, "parse_error",
               attr=None)
    assert body["type"] == "invalid_request" and body["detail"].startswith("JSON parse error - Expecting property")
    body = hog(ph.post(ph.path(), data="hello", headers={"Content-Type": "text/plain"}), 415,
               "unsupported_media_type", 'Unsupported media type "text/plain" in request.', None)
    resp = ph.post(ph.path(), json={"name": "x" * 1_100_000})  # over the server's 1 MiB --max-body-size
    assert resp.status_code == 413 and resp.json()["type"] == "invalid_request"
    assert ph.get(ph.path()).content == before
    assert max(ph.store.dashboards) == 13


def test_patch_fields_tags_filters(ph: PostHog) -> None:
    body = ph.patch(ph.path("1/"), json={"name": "Renamed", "pinned": False, "tags": ["New"],
                                         "filters": {"date_from": "-7d"}, "creation_mode": "template"}).json()
    assert body["name"] == "Renamed" and body["pinned"] is False and body["tags"] == ["new"]
    assert body["filters"] == {"date_from": "-7d"} and body["persisted_filters"] == {"date_from": "-7d"}
    assert body["creation_mode"] == "default"
    body = ph.patch(ph.path("1/"), json={"filters": {}}).json()
    assert body["filters"] == {"date_from": "-7d"}  # an empty dict does not clear
    body = ph.get(ph.path("1/"), params={"filters_override": '{"date_from": "-1d"}'}).json()
    assert body["filters"] == {"date_from": "-1d"} and body["persisted_filters"] == {"date_from": "-7d"}
    assert ph.call("PUT", ph.path("1/"), json={"description": "Full"}).json()["description"] == "Full"


def test_patch_tiles_move_add_text_delete(ph: PostHog) -> None:
    tiles = ph.get(ph.path("1/")).json()["tiles"]
    last = tiles[-1]
    layouts = {"sm": {"x": 0, "y": -1, "w": 12, "h": 4}, "xs": {"x": 0, "y": -1, "w": 1, "h": 4}}
    body = ph.patch(ph.path("1/"), json={"tiles": [{"id": last["id"], "layouts": layouts}]}).json()
    assert body["tiles"][0]["id"] == last["id"]
    body = ph.patch(ph.path("1/"), json={"tiles": [{"text": {"body": "hello"}}]}).json()
    texts = [t for t in body["tiles"] if t["text"]]
    assert len(texts) == 1 and texts[0]["text"]["body"] == "hello" and texts[0]["insight"] is None
    body = ph.patch(ph.path("1/"), json={"tiles": [{"id": texts[0]["id"], "deleted": True}]}).json()
    assert texts[0]["id"] not in [t["id"] for t in body["tiles"]]
    hog(ph.patch(ph.path("1/"), json={"tiles": [{"text": {"body": "x" * 4001}}]}), 400, "max_length",
        "Text body cannot exceed 4000 characters", "text__body")


def test_patch_text_tiles_authorship_and_text_ids(ph: PostHog) -> None:
    me = ph.store.users[ph.store.main_user_id]
    body = ph.patch(ph.path("1/"), json={"tiles": [{"text": {"body": "new note"}}]}).json()
    tile = next(t for t in body["tiles"] if t["text"])
    # a text added without created_by: the caller is its author and last_modified_by stays null
    assert tile["text"]["created_by"]["id"] == me.id and tile["text"]["last_modified_by"] is None
    text = tile["text"]
    # the frontend sends the whole text back (with id and created_by): edited in place, caller = modifier
    edit = {"id": tile["id"], "text": {"id": text["id"], "body": "edited", "created_by": text["created_by"]}}
    body = ph.patch(ph.path("1/"), json={"tiles": [edit]}).json()
    edited = next(t for t in body["tiles"] if t["id"] == tile["id"])["text"]
    assert edited["id"] == text["id"] and edited["body"] == "edited"
    assert edited["last_modified_by"]["id"] == me.id
    # without text.id the service creates a new Text for the tile
    body = ph.patch(ph.path("1/"), json={"tiles": [{"id": tile["id"], "text": {"body": "fresh"}}]}).json()
    fresh = next(t for t in body["tiles"] if t["id"] == tile["id"])["text"]
    assert fresh["id"] != text["id"] and fresh["body"] == "fresh"
    notes_text = next(t["text"]["id"] for t in ph.get(ph.path(f"{ph.dashboard_named('Team notes')}/")).json()["tiles"]
                      if t["text"])
    hog(ph.patch(ph.path("1/"), json={"tiles": [{"text": {"id": notes_text, "body": "x"}}]}), 400, "invalid_input",
        "Text tile not found.", "text")
    hog(ph.patch(ph.path("1/"), json={"tiles": [{"text": {"id": 999999, "body": "x"}}]}), 400, "invalid_input",
        "Text tile not found in this team.", "text")
    outsider = next(u for u in ph.store.users.values() if u.organization_id != me.organization_id)
    hog(ph.patch(ph.path("1/"), json={"tiles": [{"text": {"body": "x", "created_by": {"id": outsider.id}}}]}), 400,
        "invalid_input", "User not found in this organization.", None)
    assert ph.store.texts[notes_text].body != "x"


def test_restriction_level_rules(ph: PostHog) -> None:
    marketing = ph.dashboard_named("Marketing site")  # created by a teammate
    hog(ph.patch(ph.path(f"{marketing}/"), json={"restriction_level": 37}), 403, "permission_denied",
        "Only the dashboard owner and project admins have the restriction rights required to change the "
        "dashboard's restriction level.")
    body = ph.get(ph.path(f"{marketing}/")).json()
    assert body["restriction_level"] == 21 and body["user_access_level"] == "editor"
    finance = ph.dashboard_named("Finance (restricted)")  # restricted, created by an admin
    body = ph.get(ph.path(f"{finance}/")).json()
    assert body["effective_restriction_level"] == 37 and body["effective_privilege_level"] == 21
    # user_access_level comes from the newer access control, which ignores the legacy restriction: a
    # member who is not the creator is the project default "editor" even where they cannot edit
    assert body["user_access_level"] == "editor" and body["access_control_version"] == "v1"
    hog(ph.patch(ph.path(f"{finance}/"), json={"name": "mine"}), 403, "permission_denied",
        "You don't have edit permissions for this dashboard.")
    assert ph.patch(ph.path("1/"), json={"restriction_level": 37}).json()["effective_restriction_level"] == 37


def test_soft_delete_lifecycle(ph: PostHog) -> None:
    insight_ids = [t["insight"]["id"] for t in ph.get(ph.path("1/")).json()["tiles"]]
    body = ph.patch(ph.path("1/"), json={"deleted": True, "delete_insights": True}).json()
    assert body["deleted"] is True and body["tiles"] == []
    assert all(ph.store.insights[i].deleted for i in insight_ids)
    assert 1 not in [d["id"] for d in ph.get(ph.path()).json()["results"]]
    hog(ph.get(ph.path("1/")), 404, "not_found", "Not found.")
    hog(ph.patch(ph.path("1/"), json={"name": "ghost"}), 404, "not_found")
    body = ph.patch(ph.path("1/"), json={"deleted": False}).json()
    assert body["deleted"] is False and len(body["tiles"]) == len(insight_ids)
    assert not any(ph.store.insights[i].deleted for i in insight_ids)
    assert ph.get(ph.path("1/")).status_code == 200


def test_delete_is_405_with_an_empty_body(ph: PostHog) -> None:
    for rest in ("1/", "999999/", "1"):
        resp = ph.delete(ph.path(rest))
        assert resp.status_code == 405 and resp.content == b""
        assert "Content-Type" not in resp.headers
    hog(ph.delete(ph.path("1/"), key=None), 401, "not_authenticated")
    assert ph.get(ph.path("1/")).status_code == 200


def test_format_txt_accept_header_and_unknown_format(ph: PostHog) -> None:
    resp = ph.get(ph.path(), params={"format": "txt"})
    assert resp.status_code == 200 and resp.text == "countnextpreviousresults"
    assert resp.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    resp = ph.get(ph.path("1/"), headers={"Accept": "text/event-stream"})
    assert resp.text.startswith("idnamedescription") and resp.text.endswith("team_idtiles")
    resp = ph.get(ph.path(), key=None, params={"format": "txt"})
    assert resp.status_code == 401 and resp.text == "typecodedetailattr"
    assert ph.get(ph.path(), params={"format": "json"}).json()["count"] == 12
    hog(ph.get(ph.path(), params={"format": "xml"}), 404, "not_found", "Not found.")
    hog(ph.get(ph.path("1/sharing/"), params={"format": "txt"}), 404, "not_found")
    assert ph.delete(ph.path("1/"), params={"format": "txt"}).content == b""


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_unsatisfiable_accept_is_406_before_authentication(ph: PostHog) -> None:
    """DRF negotiates the renderer before anything else: no renderer for ``Accept`` is NotAcceptable (406,
    rendered as JSON), even for an anonymous caller and on the JSON-only sharing and collaborators views."""
    detail = "Could not satisfy the request Accept header."
    for url, accept, key in ((ph.path(), "application/xml", True), (ph.path("1/"), "text/html", None),
                             (ph.path("1/sharing/"), "text/event-stream", True),
                             (ph.path("1/collaborators/"), "image/*", True)):
        body = hog(ph.get(url, key=key, headers={"Accept": accept}), 406, "not_acceptable", detail, attr=None)
        assert body["type"] == "invalid_request"
    # ?format= first keeps only its renderer, so txt with a JSON-only Accept cannot be satisfied either
    hog(ph.get(ph.path(), params={"format": "txt"}, headers={"Accept": "application/json"}), 406, "not_acceptable")
    hog(ph.post(ph.path(), headers={"Accept": "application/xml"}, json={"name": "never"}), 406, "not_acceptable")
    assert not any(d.name == "never" for d in ph.store.dashboards.values())


def test_satisfiable_accept_headers_keep_working(ph: PostHog) -> None:
    """``*/*``, JSON, a browser's mixed header and no header at all get JSON; ``text/*`` and an explicit
    ``text/event-stream`` pick the txt renderer only where the view has it, and the more specific token or,
    at equal specificity, the view's first renderer (JSON) wins; q values play no part."""
    for accept in ("*/*", "application/json", BROWSER_ACCEPT, None, "application/json; indent=4",
                   "text/event-stream, application/json", "application/*"):
        resp = ph.get(ph.path(), headers={"Accept": accept})
        assert resp.status_code == 200 and resp.json()["count"] == 12, accept
    assert ph.get(ph.path("1/sharing/"), headers={"Accept": BROWSER_ACCEPT}).status_code == 200
    for accept in ("text/*", "text/event-stream", "text/event-stream; charset=utf-8, application/json",
                   "text/event-stream;q=0.1, */*"):
        resp = ph.get(ph.path(), headers={"Accept": accept})
        assert resp.text == "countnextpreviousresults", accept
    stream = ph.get(ph.path("1/stream_tiles/"), key=None, session=True, headers={"Accept": "text/event-stream"})
    assert stream.status_code == 200 and stream.text.startswith("data: ")

def test_rejected_updates_change_nothing(ph: PostHog) -> None:
    before = ph.get(ph.path("1/")).content
    hog(ph.patch(ph.path("1/"), json={"name": "Changed", "tiles": [{"id": 999999, "deleted": True}]}), 404,
        "not_found")
    hog(ph.patch(ph.path("1/"), json={"name": "Changed", "last_accessed_at": "soon"}), 400, "invalid_input",
        attr="last_accessed_at")
    hog(ph.patch(ph.path("1/"), json={"name": "Changed", "pinned": []}), 400, "invalid_input", attr="pinned")
    hog(ph.patch(ph.path("1/"), key=ph.keys["read_only"], json={"name": "Changed"}), 403, "permission_denied")
    assert ph.get(ph.path("1/")).content == before


def test_format_txt_renders_body_errors_too(ph: PostHog) -> None:
    """DRF negotiates the renderer first, so validation, parse and media-type errors come out as txt as well."""
    invalid = ph.post(ph.path(), params={"format": "txt"}, json={"name": "x" * 401})
    assert invalid.status_code == 400 and invalid.text == "typecodedetailattr"
    assert invalid.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    broken = ph.post(ph.path(), params={"format": "txt"}, data=b'{"name": ',
                     headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.text == "typecodedetailattr"
    unsupported = ph.post(ph.path(), params={"format": "txt"}, data=b"x", headers={"Content-Type": "text/csv"})
    assert unsupported.status_code == 415 and unsupported.text == "typecodedetailattr"
    assert ph.post(ph.path(), json={"name": "x" * 401}).json()["attr"] == "name"  # JSON without the override
