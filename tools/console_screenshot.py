"""Regenerate ``docs/console.png``: start mockbi, send a little traffic, photograph the console in Chromium.

Usage: ``.venv/bin/python tools/console_screenshot.py`` (needs Debian's chromium and the test extra).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from mockbi import MockbiConfig
from mockbi.server import ServerThread

OUT = Path(__file__).resolve().parents[1] / "docs" / "console.png"


def main() -> None:
    server = ServerThread(MockbiConfig(clock_mode="frozen")).start()
    try:
        creds = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]
        ph = f"{server.url}/api/projects/{creds['posthog']['project_id']}/dashboards/"
        auth = {"Authorization": f"Bearer {creds['posthog']['personal_api_key']}"}
        requests.get(ph, headers=auth, timeout=10)
        requests.post(ph, json={"name": "Revenue"}, headers=auth, timeout=10)
        requests.get(f"{server.url}/api/v1/org/projects",
                     headers={"Authorization": creds["lightdash"]["auth_header"]}, timeout=10)
        requests.get(f"{ph}99999/", headers=auth, timeout=10)
        requests.post(f"{server.url}/__mockbi/faults", json={"vendor": "posthog", "operation_id": "dashboards_list",
                                                             "status": 503, "times": 1}, timeout=10)
        requests.get(ph, headers=auth, timeout=10)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=["--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{server.url}/__mockbi/")
            page.wait_for_selector("body[data-ready=true]")
            page.locator("#journal-rows tr", has_text="dashboards_create").first.click()
            page.screenshot(path=str(OUT), full_page=False)
            browser.close()
    finally:
        server.stop()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
