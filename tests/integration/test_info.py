"""``GET /__mockbi/info`` is what sidecar users script against: its shape is a promise."""

from __future__ import annotations

import re

import requests

from mockbi import MockbiConfig, __version__
from mockbi.server import ServerThread


def test_info_names_every_vendor_with_ready_credentials() -> None:
    with ServerThread(MockbiConfig(seed=4)) as server:
        info = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()
    assert info["version"] == __version__ and info["seed"] == 4 and info["scenario"] == "default"
    vendors = info["vendors"]
    assert set(vendors) == {"posthog", "lightdash", "hashboard", "hasura_cloud"}
    assert re.fullmatch(r"phx_[0-9A-Za-z]{43,}", vendors["posthog"]["personal_api_key"])
    assert isinstance(vendors["posthog"]["project_id"], int)
    assert vendors["lightdash"]["personal_access_token"] and vendors["lightdash"]["project_uuid"]
    assert vendors["hashboard"]["api_token"] and vendors["hashboard"]["project_id"]
    assert vendors["hasura_cloud"]["personal_access_token"]


def test_every_vendor_answers_its_printed_credentials_at_its_native_path() -> None:
    with ServerThread(MockbiConfig(strict=True)) as server:
        v = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]
        url = server.url
        posthog = requests.get(f"{url}/api/projects/{v['posthog']['project_id']}/dashboards/",
                               headers={"Authorization": f"Bearer {v['posthog']['personal_api_key']}"}, timeout=10)
        assert posthog.status_code == 200 and posthog.json()["count"] > 0
        lightdash = requests.get(f"{url}/api/v1/projects/{v['lightdash']['project_uuid']}",
                                 headers={"Authorization": f"ApiKey {v['lightdash']['personal_access_token']}"},
                                 timeout=10)
        assert lightdash.status_code == 200 and lightdash.json()["status"] == "ok"
        assert lightdash.headers["Lightdash-Version"] == "0.1411.0"
        hashboard = requests.post(f"{url}/api/graphql", headers={"Authorization": v["hashboard"]["api_token"]},
                                  json={"query": "query($id: ID!) { project(projectId: $id) { name } }",
                                        "variables": {"id": v["hashboard"]["project_id"]}}, timeout=10)
        assert hashboard.status_code == 200 and hashboard.json()["data"]["project"]["name"]
        hasura = requests.post(f"{url}/v1/graphql",
                               headers={"Authorization": f"pat {v['hasura_cloud']['personal_access_token']}"},
                               json={"query": "{ projects { id name } }"}, timeout=10)
        assert hasura.status_code == 200 and hasura.json()["data"]["projects"]
        assert not server.runtime.journal.calls.with_violations()


def test_handle_and_banner_give_each_vendors_base_url() -> None:
    from mockbi.handle import MockbiHandle
    from mockbi.serve import banner

    with ServerThread(MockbiConfig()) as server:
        handle = MockbiHandle(server.url, server.runtime, strict=True)
        creds = handle.credentials
        assert handle.base_url("posthog") == f"{server.url}/api/projects/{creds['posthog']['project_id']}/dashboards/"
        assert handle.base_url("lightdash") == f"{server.url}/api/v1/"
        assert handle.base_url("hashboard") == f"{server.url}/api/graphql"
        assert handle.base_url("hasura_cloud") == f"{server.url}/v1/graphql"
        text = banner(server.runtime, server.url)
        for vendor in creds:
            assert f"base URL: {handle.base_url(vendor)}" in text
        assert f"personal_api_key: {creds['posthog']['personal_api_key']}" in text
