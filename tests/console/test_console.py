"""The web console in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

The page is served by mockbi itself through the shipped ``mockbi`` fixture; the test acts as a developer
would: reads the vendors, watches a call appear in the live journal, adds a fault and sees it fire, browses
the state and resets the world from the page.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from mockbi.handle import MockbiHandle

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (the test extra)")

#: flags that keep Chromium from reaching for the network this machine does not have
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def console(browser: Any, mockbi: MockbiHandle) -> Iterator[tuple[Any, list[str]]]:
    """The console page, loaded and ready, and the browser console errors seen so far."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{mockbi.url}/__mockbi/")
    page.wait_for_selector("body[data-ready=true]")
    try:
        yield page, errors
    finally:
        context.close()


def _posthog(mockbi: MockbiHandle) -> tuple[str, dict[str, str]]:
    creds = mockbi.credentials["posthog"]
    url = f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/"
    return url, {"Authorization": f"Bearer {creds['personal_api_key']}"}


def test_page_loads_without_errors_and_shows_every_vendor(console: tuple[Any, list[str]],
                                                           mockbi: MockbiHandle) -> None:
    page, errors = console
    for vendor in ("posthog", "lightdash", "hashboard", "hasura_cloud"):
        card = page.locator(f".card[data-vendor={vendor}]")
        assert card.is_visible()
        assert page.get_by_test_id(f"base-url-{vendor}").inner_text() == mockbi.base_url(vendor)
    assert mockbi.credentials["posthog"]["personal_api_key"] in page.locator(".card[data-vendor=posthog]").inner_text()
    assert f"seed {mockbi.seed}" in page.locator("#world").inner_text()
    assert errors == []


def test_a_call_made_by_the_test_appears_in_the_live_journal(console: tuple[Any, list[str]],
                                                             mockbi: MockbiHandle) -> None:
    page, errors = console
    url, headers = _posthog(mockbi)
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    row = page.locator("#journal-rows tr", has_text="dashboards_list")
    row.first.wait_for()
    row.first.click()
    detail = page.locator("#call-detail")
    assert "status 200" in detail.inner_text()
    assert '"results"' in page.get_by_test_id("response-body").inner_text()
    page.fill("#filter-status", "404")
    assert page.locator("#journal-rows tr").count() == 0
    assert errors == []


def test_a_fault_added_in_the_page_fires_on_the_next_call(console: tuple[Any, list[str]],
                                                          mockbi: MockbiHandle) -> None:
    page, errors = console
    page.click("#tabs button[data-tab=faults]")
    page.select_option("#fault-vendor", "posthog")
    page.fill("#fault-operation", "dashboards_list")
    page.fill("#fault-status", "503")
    page.fill("#fault-times", "1")
    page.click("#fault-form button[type=submit]")
    page.locator("#fault-rows tr[data-fault='0']").wait_for()
    assert "status=503" in page.locator("#fault-rows").inner_text()
    url, headers = _posthog(mockbi)
    assert requests.get(url, headers=headers, timeout=10).status_code == 503
    assert requests.get(url, headers=headers, timeout=10).status_code == 200  # times=1: once only
    page.click("#tabs button[data-tab=journal]")
    fired = page.locator("#journal-rows tr", has_text="503").first
    fired.wait_for()
    assert "fault" in (fired.get_attribute("class") or "")  # the fired rule is highlighted
    fired.click()
    assert "Fired fault" in page.locator("#call-detail").inner_text()
    assert errors == []


def test_a_fault_removed_in_the_page_no_longer_fires(console: tuple[Any, list[str]], mockbi: MockbiHandle) -> None:
    page, errors = console
    mockbi.fault("posthog", "dashboards_list", status=500, times=None)
    page.click("#tabs button[data-tab=faults]")
    page.locator("#fault-rows tr[data-fault='0'] button").click()
    page.locator("#fault-rows tr").first.wait_for(state="detached")
    url, headers = _posthog(mockbi)
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    assert errors == []


def test_state_browser_and_reset_from_the_page(console: tuple[Any, list[str]], mockbi: MockbiHandle) -> None:
    page, errors = console
    url, headers = _posthog(mockbi)
    created = requests.post(url, json={"name": "Made by the console test"}, headers=headers, timeout=10)
    assert created.status_code == 201
    page.click("#tabs button[data-tab=state]")
    page.locator("[data-collection='posthog/dashboards']").click()
    page.locator("#state-detail summary", has_text="Made by the console test").wait_for()

    page.click("#tabs button[data-tab=clock]")
    page.click("#reset-form button[type=submit]")
    page.locator("#reset-result", has_text="reset to seed").wait_for()
    assert requests.get(f"{url}{created.json()['id']}/", headers=headers, timeout=10).status_code == 404
    page.click("#tabs button[data-tab=state]")
    page.locator("[data-collection='posthog/dashboards']").click()
    # the heading of the earlier render is still there until the new one replaces it: wait for the entry to go
    page.locator("#state-detail summary", has_text="Made by the console test").wait_for(state="detached")
    page.locator("#state-detail h3", has_text="posthog.dashboards").wait_for()
    assert "Made by the console test" not in page.locator("#state-detail").inner_text()
    assert errors == []


def test_clock_advances_from_the_page(console: tuple[Any, list[str]], mockbi: MockbiHandle) -> None:
    page, errors = console
    before = mockbi.clock.now()
    page.click("#tabs button[data-tab=clock]")
    page.fill("#clock-advance", "3600")
    page.click("#clock-form button[type=submit]")
    page.locator("#clock-now", has_text=(before + timedelta(hours=1)).isoformat()).wait_for()  # no eval: CSP
    assert (mockbi.clock.now() - before).total_seconds() == 3600
    assert errors == []


def test_a_locked_server_asks_for_the_admin_token_once(browser: Any) -> None:
    from mockbi import MockbiConfig
    from mockbi.server import ServerThread

    server = ServerThread(MockbiConfig(admin_token="console-token")).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server.url}/__mockbi/")
        page.wait_for_selector("body[data-ready=error]")
        assert page.locator("#token-dialog").is_visible()
        page.fill("#token-input", "console-token")
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator(".card[data-vendor=posthog]").is_visible()
        page.reload()  # kept for the tab
        page.wait_for_selector("body[data-ready=true]")
    finally:
        context.close()
        server.stop()
