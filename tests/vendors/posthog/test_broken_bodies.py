"""Broken request bodies are the client's error, answered in DRF's words, never a mock defect."""

from __future__ import annotations

from tests.vendors.posthog.conftest import PostHog, hog


def test_broken_multipart_body_is_a_parse_error(ph: PostHog) -> None:
    resp = ph.post(ph.path(), data=b"garbage", headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    body = hog(resp, 400, "parse_error")
    assert body["detail"].startswith("Multipart form parse error - ")
    assert body["type"] == "invalid_request"
    assert len(ph.store.dashboards) == len({d.id for d in ph.store.dashboards.values()})


def test_multipart_with_a_file_field_creates_the_dashboard_and_keeps_the_journal_readable(ph: PostHog) -> None:
    resp = ph.post(ph.path(), data={"name": "From a form"}, files={"file": ("x.txt", b"hello", "text/plain")})
    assert resp.status_code == 201 and resp.json()["name"] == "From a form"
    journal = ph.http.get(f"{ph.url}/__mockbi/journal", params={"operation": "dashboards_create"}, timeout=10)
    assert journal.status_code == 200 and journal.json()["count"] == 1
