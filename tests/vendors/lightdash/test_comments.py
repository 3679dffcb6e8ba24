"""Comments on dashboard tiles: threads, replies, mentions, resolve and delete."""

from __future__ import annotations

from typing import Any

from tests.vendors.lightdash.conftest import LightdashClient


def _overview(ld: LightdashClient) -> Any:
    return next(d for d in ld.store.dashboards.values() if d.name == "Company overview")


def _comment(text: str, **extra: Any) -> dict[str, Any]:
    return {"text": text, "textHtml": f"<p>{text}</p>", "mentions": [], **extra}


def test_seeded_thread_is_keyed_by_tile(ld: LightdashClient) -> None:
    dash = _overview(ld)
    threads = ld.ok("GET", f"/api/v1/comments/dashboards/{dash.uuid}")
    tile = dash.tiles[0]["uuid"]
    assert list(threads) == [tile]
    first = threads[tile][0]
    assert first["resolved"] is False and first["replies"] == [] and first["canRemove"] is True
    assert first["mentions"] == [ld.store.admin_uuid] and first["textHtml"].startswith("<p>")
    author = ld.store.users[next(iter(ld.store.comments.values())).userUuid]
    assert first["user"] == {"name": f"{author.firstName} {author.lastName}"}


def test_create_reply_and_mention_notifies(ld: LightdashClient) -> None:
    dash, editor = _overview(ld), ld.user("editor")
    tile = dash.tiles[1]["uuid"]
    base = f"/api/v1/comments/dashboards/{dash.uuid}"
    top = ld.ok("POST", f"{base}/{tile}", json=_comment("Why the dip?", mentions=[editor.userUuid]))
    assert isinstance(top, str)
    reply = ld.ok("POST", f"{base}/{tile}", json=_comment("Holiday week", replyTo=top))
    threads = ld.ok("GET", base)[tile]
    assert [t["commentId"] for t in threads] == [top]
    assert [r["commentId"] for r in threads[0]["replies"]] == [reply]
    assert threads[0]["replies"][0]["replyTo"] == top
    notes = ld.ok("GET", "/api/v1/notifications?type=dashboardComments", token=ld.token_for("editor"))
    assert any(n["metadata"]["dashboardTileUuid"] == tile for n in notes)


def test_create_comment_errors(ld: LightdashClient) -> None:
    dash = _overview(ld)
    base = f"/api/v1/comments/dashboards/{dash.uuid}"
    tile = dash.tiles[0]["uuid"]
    ld.error("POST", f"{base}/not-a-tile", 404, "NotFoundError", json=_comment("x"))
    ld.error("POST", f"/api/v1/comments/dashboards/nope/{tile}", 404, "NotFoundError", json=_comment("x"))
    ld.error("POST", f"{base}/{tile}", 404, "NotFoundError", json=_comment("x", replyTo="nope"))
    err = ld.error("POST", f"{base}/{tile}", 422, "ValidateError", json={"text": "x"})
    assert "body.mentions" in err["data"] and "body.textHtml" in err["data"]
    ld.error("POST", f"{base}/{tile}", 403, "ForbiddenError", token=ld.token_for("viewer"), json=_comment("x"))


def test_resolve_hides_the_thread(ld: LightdashClient) -> None:
    dash = _overview(ld)
    base = f"/api/v1/comments/dashboards/{dash.uuid}"
    comment_id = next(iter(ld.store.comments))
    ld.error("PATCH", f"{base}/{comment_id}", 403, "ForbiddenError", token=ld.token_for("viewer"))
    resp = ld.patch(f"{base}/{comment_id}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert ld.ok("GET", base) == {}
    ld.error("PATCH", f"{base}/nope", 404, "NotFoundError")


def test_delete_removes_comment_and_replies(ld: LightdashClient) -> None:
    dash = _overview(ld)
    base = f"/api/v1/comments/dashboards/{dash.uuid}"
    tile = dash.tiles[0]["uuid"]
    top = next(iter(ld.store.comments))
    ld.ok("POST", f"{base}/{tile}", json=_comment("me too", replyTo=top))
    resp = ld.delete(f"{base}/{top}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert ld.ok("GET", base) == {} and not ld.store.comments
    ld.error("DELETE", f"{base}/{top}", 404, "NotFoundError")
