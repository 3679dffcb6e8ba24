"""The store and its helpers as plain Python (no server): filters, the env hash, the job plans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mockbi.core.clock import Clock
from mockbi.core.scenarios import load_scenario
from mockbi.core.store import SeedContext
from mockbi.vendors.hasura_cloud import envs, jobs
from mockbi.vendors.hasura_cloud.errors import CloudError
from mockbi.vendors.hasura_cloud.filters import Schema, Table, compare, like_regex
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore


def make_store(seed: int = 0, scenario: str = "default") -> HasuraCloudStore:
    return HasuraCloudStore(SeedContext(seed, scenario, Clock(), load_scenario("hasura_cloud", scenario)))


def test_compare_follows_sql_null_semantics() -> None:
    assert compare(None, {"_is_null": True}) and not compare("x", {"_is_null": True})
    assert not compare(None, {"_neq": "x"}) and not compare(None, {"_nin": ["x"]})
    assert compare("b", {"_gt": "a", "_lte": "b"}) and not compare("b", {"_gt": "a", "_lt": "b"})
    assert like_regex("a\\_%").fullmatch("a_bc") and not like_regex("a\\_%").fullmatch("abc")


def test_sort_puts_nulls_last_ascending_and_first_descending() -> None:
    schema = Schema([Table("t", {"v": lambda r: r["v"]})])
    rows = [{"v": 2}, {"v": None}, {"v": 1}]
    assert [r["v"] for r in schema.sort("t", rows, {"v": "asc"})] == [1, 2, None]
    assert [r["v"] for r in schema.sort("t", rows, {"v": "desc"})] == [None, 2, 1]
    assert [r["v"] for r in schema.sort("t", rows, {"v": "asc_nulls_first"})] == [None, 1, 2]


def test_hash_chain_is_content_derived_forty_hex() -> None:
    h = envs.initial_hash("t", {"A": "1"})
    assert envs.HASH_RE.match(h)
    assert envs.initial_hash("t", {"A": "1"}) == h != envs.initial_hash("u", {"A": "1"})
    assert envs.next_hash(h, {"A": "2"}) != envs.next_hash(envs.next_hash(h, {"A": "2"}), {"A": "1"})


def test_stale_hash_changes_nothing() -> None:
    store = make_store()
    user = next(iter(store.users.values()))
    tenant = store.tenants["7a79cf94-0e53-4520-a560-1b02bf522f08"]
    before = (tenant.hash, dict(tenant.environment))
    with pytest.raises(CloudError):
        store.update_env(user, tenant.id, "0" * 40, [{"key": "A", "value": "1"}])
    with pytest.raises(CloudError):
        store.delete_env(user, tenant.id, tenant.hash, ["NOT_THERE", "ACTIONS_ENDPOINT"])
    assert (tenant.hash, tenant.environment) == before


def test_preview_job_is_revealed_by_the_clock() -> None:
    store = make_store(scenario="empty")
    user = next(iter(store.users.values()))
    payload = {"githubPersonalAccessToken": "t",
               "githubRepoDetails": {"owner": "o", "repo": "r", "branch": "b", "directory": ""},
               "projectOptions": {"name": "app", "cloud": "aws", "region": "us-east-2", "plan": "cloud_free"}}
    job = store.create_preview_app(user, payload)
    start = store.now()
    timing = store.timing
    assert job.status_at(start) == "created"
    assert job.status_at(start + timedelta(seconds=timing.queue_seconds)) == "running"
    done = start + timedelta(seconds=timing.queue_seconds + timing.create_seconds)
    assert job.status_at(done) == "success"
    store.tick(done - timedelta(seconds=1))
    assert store.projects == {}
    store.tick(done)
    assert [p.name for p in store.projects.values()] == ["app"]
    deployment = store.jobs[job.tasks[0].events[-1].public_event_data["githubDeploymentJobID"]]
    assert [t.name for t in deployment.tasks] == list(jobs.DEPLOYMENT_TASKS)


def test_builds_are_identical_for_a_seed() -> None:
    a, b = make_store(5), make_store(5)
    assert a.snapshot().keys() == b.snapshot().keys()
    assert repr(sorted(a.projects.items())) == repr(sorted(b.projects.items()))
    assert a.credentials() == b.credentials() != make_store(6).credentials()


def test_scenario_sets_durations_and_outcomes() -> None:
    data = {"users": [{"email": "a@example.com", "token": "tok"}],
            "preview_apps": {"queue_seconds": 1, "create_seconds": 5, "outcomes": {"doomed": "failed"}}}
    store = HasuraCloudStore(SeedContext(0, "custom", Clock(), data))
    user = store.user_for_token("tok")
    assert user is not None and store.credentials()["personal_access_token"] == "tok"
    options = {"cloud": "aws", "region": "us-east-2", "plan": "cloud_free"}
    repo = {"owner": "o", "repo": "r", "branch": "b", "directory": ""}
    ok = store.create_preview_app(user, {"githubPersonalAccessToken": "t", "githubRepoDetails": repo,
                                         "projectOptions": {"name": "fine", **options}})
    doomed = store.create_preview_app(user, {"githubPersonalAccessToken": "t", "githubRepoDetails": repo,
                                             "projectOptions": {"name": "doomed", **options}})
    at = store.now() + timedelta(seconds=6)
    assert (ok.status_at(at), doomed.status_at(at)) == ("success", "failed")
