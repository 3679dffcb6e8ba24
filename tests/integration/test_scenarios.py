"""Scenarios: built-in ``default`` and ``empty``, shipped files, and a user's own folder of scenario files."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from mockbi import ConfigError, MockbiConfig
from mockbi.server import ServerThread


def _dashboards(server: ServerThread) -> list[str]:
    v = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
    resp = requests.get(f"{server.url}/api/projects/{v['project_id']}/dashboards/?limit=500",
                        headers={"Authorization": f"Bearer {v['personal_api_key']}"}, timeout=10)
    return [d["name"] for d in resp.json()["results"]]


def test_a_users_scenario_folder_extends_the_shipped_world(tmp_path: Path) -> None:
    folder = tmp_path / "posthog"
    folder.mkdir()
    (folder / "team.yaml").write_text(
        "extends: default\n"
        "generated_dashboards: 0\n"
        "dashboards:\n"
        "  - name: Checkout funnel\n"
        "    created_by: me\n"
        "    tiles:\n"
        "      - {insight: Checkout conversion, kind: funnel}\n")
    config = MockbiConfig(scenario="team", scenario_dirs=(str(tmp_path),), vendors=("posthog", "lightdash"))
    with ServerThread(config) as server:
        assert _dashboards(server) == ["Checkout funnel"]
        info = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()
        assert info["scenario"] == "team"
        # a vendor without a file for the scenario keeps its default world
        ld = info["vendors"]["lightdash"]
        spaces = requests.get(f"{server.url}/api/v1/projects/{ld['project_uuid']}/spaces", timeout=10,
                              headers={"Authorization": f"ApiKey {ld['personal_access_token']}"}).json()
        assert len(spaces["results"]) >= 2
        back = requests.post(f"{server.url}/__mockbi/reset", json={"scenario": "default"}, timeout=10)
        assert back.status_code == 200
        assert "Checkout funnel" not in _dashboards(server) and len(_dashboards(server)) > 5


def test_empty_scenario_keeps_credentials_and_no_content() -> None:
    with ServerThread(MockbiConfig(scenario="empty", vendors=("posthog",))) as server:
        assert _dashboards(server) == []


def test_an_unknown_scenario_is_refused_up_front() -> None:
    with pytest.raises(ConfigError, match="unknown scenario 'nope'"):
        ServerThread(MockbiConfig(scenario="nope"))


def test_an_unknown_key_in_a_lightdash_scenario_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lightdash"
    folder.mkdir()
    (folder / "team.yaml").write_text("extends: default\nmembrs: 3\n", encoding="utf-8")
    config = MockbiConfig(scenario="team", scenario_dirs=(str(tmp_path),), vendors=("lightdash",))
    with pytest.raises(ConfigError, match=r"team\.yaml: unknown key 'membrs'.*did you mean 'members'\?"):
        ServerThread(config)
