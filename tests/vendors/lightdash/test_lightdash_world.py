"""The seeded world: deterministic, coherent, and the empty scenario."""

from __future__ import annotations

from mockbi.core.clock import Clock
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
