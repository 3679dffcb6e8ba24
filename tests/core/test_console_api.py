"""The admin routes the console reads (they work without a browser): vendors, the state browser, the
journal's ``after`` cursor and removing one fault rule."""

from __future__ import annotations

import requests

from mockbi.handle import MockbiHandle


def _get(mockbi: MockbiHandle, path: str) -> requests.Response:
    return requests.get(f"{mockbi.url}/__mockbi{path}", timeout=10)


def test_page_and_static_files_are_served_with_a_strict_content_policy(mockbi: MockbiHandle) -> None:
    page = _get(mockbi, "/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert 'src="console/console.js"' in page.text  # relative: a tenant's console loads its own files
    script = _get(mockbi, "/console/console.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert _get(mockbi, "/console/../../pyproject.toml").status_code == 404
    assert _get(mockbi, "/console/nosuch.js").json() == {"error": "no console file 'nosuch.js'"}
    bare = requests.get(f"{mockbi.url}/__mockbi", timeout=10, allow_redirects=False)
    assert bare.status_code == 302 and bare.headers["Location"] == "/__mockbi/"


def test_vendors_lists_base_urls_and_credentials(mockbi: MockbiHandle) -> None:
    vendors = {v["name"]: v for v in _get(mockbi, "/vendors").json()["vendors"]}
    assert set(vendors) == {"posthog", "lightdash", "hashboard", "hasura_cloud"}
    for name, vendor in vendors.items():
        assert vendor["base_url"] == mockbi.base_url(name)
        assert vendor["credentials"] == mockbi.credentials[name]
    assert vendors["posthog"]["kind"] == "rest" and vendors["hasura_cloud"]["kind"] == "graphql"


def test_state_browser_counts_and_entities_follow_writes(mockbi: MockbiHandle) -> None:
    counts = _get(mockbi, "/stores").json()["stores"]
    before = counts["posthog"]["dashboards"]
    creds = mockbi.credentials["posthog"]
    created = requests.post(f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/", json={"name": "Browsed"},
                            headers={"Authorization": f"Bearer {creds['personal_api_key']}"}, timeout=10)
    assert created.status_code == 201
    assert _get(mockbi, "/stores").json()["stores"]["posthog"]["dashboards"] == before + 1
    items = _get(mockbi, "/stores/posthog/dashboards").json()
    assert items["count"] == before + 1 and not items["truncated"]
    assert any(item["value"]["name"] == "Browsed" for item in items["items"])
    assert _get(mockbi, "/stores/posthog/nosuch").status_code == 404
    assert "served" in _get(mockbi, "/stores/nosuch/dashboards").json()["error"]


def test_journal_after_returns_only_newer_calls(mockbi: MockbiHandle) -> None:
    _get(mockbi, "/nowhere-1")  # admin calls are not journaled; send vendor-less traffic instead
    requests.get(f"{mockbi.url}/api/nowhere", timeout=10)
    requests.get(f"{mockbi.url}/api/nowhere-else", timeout=10)
    calls = _get(mockbi, "/journal").json()["calls"]
    first = calls[0]["seq"]
    newer = _get(mockbi, f"/journal?after={first}").json()["calls"]
    assert [c["seq"] for c in newer] == [c["seq"] for c in calls[1:]]
    assert _get(mockbi, "/journal?after=x").status_code == 400


def test_one_fault_rule_can_be_removed_by_position(mockbi: MockbiHandle) -> None:
    mockbi.fault("posthog", "dashboards_list", status=500, times=None)
    mockbi.fault("posthog", "dashboards_retrieve", status=503, times=None)
    assert requests.delete(f"{mockbi.url}/__mockbi/faults/0", timeout=10).status_code == 204
    rules = _get(mockbi, "/faults").json()["faults"]
    assert [r["operation_id"] for r in rules] == ["dashboards_retrieve"]
    assert requests.delete(f"{mockbi.url}/__mockbi/faults/5", timeout=10).status_code == 404
