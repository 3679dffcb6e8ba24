"""The seeded world: deterministic, coherent, the shipped default scenario, and the empty scenario."""

from __future__ import annotations

from pathlib import Path

from mockbi.core.clock import Clock
from mockbi.core.scenarios import load_scenario
from mockbi.core.store import SeedContext
from mockbi.vendors.lightdash.store import LightdashStore


def _store(seed: int = 0, scenario: str = "default") -> LightdashStore:
    return LightdashStore(SeedContext(seed, scenario, Clock()))


def test_same_seed_same_world() -> None:
    assert _store(3).snapshot() == _store(3).snapshot()
    assert _store(3).credentials() != _store(4).credentials()


def test_credentials_work_and_emails_are_on_example_com() -> None:
    store = _store()
    creds = store.credentials()
    assert store.token_user(creds["personal_access_token"])[0].email == creds["email"]  # type: ignore[index]
    assert creds["project_uuid"] in store.projects
    assert all(u.email.endswith("@example.com") for u in store.users.values())


def test_relations_point_at_existing_records() -> None:
    store = _store()
    for chart in store.saved_charts.values():
        assert chart.spaceUuid in store.spaces and chart.versions
    for dashboard in store.dashboards.values():
        for tile in dashboard.tiles:
            if tile["type"] == "saved_chart":
                assert tile["properties"]["savedChartUuid"] in store.saved_charts
    for sched in store.schedulers.values():
        assert (sched.savedChartUuid in store.saved_charts) or (sched.dashboardUuid in store.dashboards)
    for log in store.scheduler_logs:
        assert log.jobId in store.jobs


def test_empty_scenario_keeps_credentials_and_a_bare_project() -> None:
    store = _store(scenario="empty")
    creds = store.credentials()
    assert creds["personal_access_token"] and creds["project_uuid"] in store.projects
    assert not store.spaces and not store.saved_charts and not store.dashboards


def test_the_shipped_default_scenario_states_the_code_defaults() -> None:
    """``seeds/lightdash/default.yaml`` names the values seed.py uses when a key is left out: the world built
    from it is the world built from no scenario data (generators and warehouse rows included)."""
    data = load_scenario("lightdash", "default", keys=LightdashStore.scenario_keys)
    assert set(data) == {"admin", "members", "charts_per_space", "warehouse_type", "warehouse"}
    bare, stated = _store(5), LightdashStore(SeedContext(5, "default", Clock(), data))
    assert stated.snapshot() == bare.snapshot()
    assert stated.rng.getstate() == bare.rng.getstate()
    assert stated.faker.random.getstate() == bare.faker.random.getstate()
    project = bare.default_project_uuid
    assert stated.data_plane(project).warehouse.tables == bare.data_plane(project).warehouse.tables


def test_a_scenario_extending_default_overrides_only_its_keys(tmp_path: Path) -> None:
    (tmp_path / "lightdash").mkdir()
    (tmp_path / "lightdash" / "larger.yaml").write_text("extends: default\nmembers: 9\n", encoding="utf-8")
    data = load_scenario("lightdash", "larger", (str(tmp_path),), LightdashStore.scenario_keys)
    assert data["members"] == 9 and data["warehouse_type"] == "postgres"
    store = LightdashStore(SeedContext(0, "larger", Clock(), data))
    assert len(store.org_members()) == 1 + 9 + 2  # the admin, nine members, the invite and the deactivated one
