"""``GET``/``PUT /__mockbi/state``: the whole world as one versioned document, over HTTP through the plugin."""

from __future__ import annotations

import orjson
import pytest

from mockbi.handle import MockbiHandle
from mockbi.vendors.posthog.store import PostHogStore

from .conftest import HASURA_QUERY as HASURA_PROJECTS
from .conftest import World


def test_requests_after_an_import_answer_byte_for_byte_as_after_the_export(world: World) -> None:
    world.round("first")
    exported = world.state()
    before = world.round("second")
    moved_on = world.state()
    assert moved_on != exported

    resp = world.admin("PUT", "/state", data=exported, headers={"Content-Type": "application/json"})
    assert resp.status_code == 200, resp.text
    after = world.round("second")

    assert after == before  # same ids, names, timestamps and bodies on all four vendors
    assert world.state() == moved_on


def test_export_import_export_is_byte_identical(world: World) -> None:
    world.round("only")
    exported = world.state()
    assert world.admin("PUT", "/state", data=exported).status_code == 200
    assert world.state() == exported
    document = orjson.loads(exported)
    assert document["format"] == "mockbi-state" and document["version"] == 1
    assert list(document["vendors"]) == ["posthog", "lightdash", "hashboard", "hasura_cloud"]
    assert document["clock"]["elapsed_us"] == 90_000_000
    dashboards = document["vendors"]["posthog"]["state"]["dashboards"]
    assert any(d["name"] == "Dashboard only" for d in dashboards.values())


def test_import_carries_a_world_into_a_fresh_one(world: World, mockbi: MockbiHandle) -> None:
    world.round("carried")
    exported = world.state()
    world.admin("POST", "/reset")
    assert world.state() != exported
    assert world.admin("PUT", "/state", data=exported).status_code == 200
    names = [d["name"] for d in world.posthog_call("GET", "/dashboards/").json()["results"]]
    assert "Dashboard carried" in names
    store = mockbi.store("posthog")
    assert isinstance(store, PostHogStore)
    assert any(d.name == "Dashboard carried" for d in store.dashboards.values())


def _broken(document: dict, change: str) -> dict:  # type: ignore[type-arg]
    posthog = document["vendors"]["posthog"]
    first_dashboard = next(iter(posthog["state"]["dashboards"].values()))
    if change == "version":
        document["version"] = 99
    elif change == "vendor missing":
        del document["vendors"]["hasura_cloud"]
    elif change == "vendor extra":
        document["vendors"]["metabase"] = {}
    elif change == "datetime":
        first_dashboard["created_at"] = "yesterday"
    elif change == "unknown field":
        first_dashboard["colour"] = "red"
    elif change == "wrong type":
        posthog["state"]["main_user_id"] = "one"
    elif change == "rng":
        posthog["rng"] = [3, [1, 2], None]
    elif change == "clock":
        document["clock"]["mode"] = "sideways"
    return document


@pytest.mark.parametrize(("change", "named"), [
    ("version", "unsupported state version 99"),
    ("vendor missing", "vendors: the document and this server disagree: missing hasura_cloud"),
    ("vendor extra", "vendors: the document and this server disagree: not served here: metabase"),
    ("datetime", "posthog.dashboards.1.created_at: 'yesterday' is not an ISO-8601 datetime"),
    ("unknown field", "posthog.dashboards.1: Dashboard has no field(s) ['colour']"),
    ("wrong type", "posthog.main_user_id: expected an integer, not a string"),
    ("rng", "posthog.rng: expected a generator state"),
    ("clock", "clock.mode must be 'frozen' or 'wall'"),
])
def test_a_bad_document_is_a_400_naming_the_problem_and_changes_nothing(world: World, change: str,
                                                                         named: str) -> None:
    world.round("kept")
    current = world.state()
    broken = _broken(orjson.loads(current), change)
    broken["vendors"]["lightdash"]["state"]["admin_uuid"] = "replaced"  # applied only if all were valid
    resp = world.admin("PUT", "/state", data=orjson.dumps(broken))
    assert resp.status_code == 400
    assert named in resp.json()["error"]
    assert world.state() == current


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"format": "mockbi-state"}'])
def test_a_document_that_is_not_one_is_a_400(world: World, body: bytes) -> None:
    current = world.state()
    resp = world.admin("PUT", "/state", data=body)
    assert resp.status_code == 400 and resp.json()["error"]
    assert world.state() == current


def test_pretty_export_is_the_same_document(world: World) -> None:
    pretty = world.admin("GET", "/state", params={"pretty": "1"})
    assert pretty.content.startswith(b"{\n  ")
    assert orjson.loads(pretty.content) == orjson.loads(world.state())


def test_handle_export_and_import(mockbi: MockbiHandle, world: World) -> None:
    document = mockbi.export_state()
    before = world.round("handle")
    mockbi.import_state(document)
    assert world.round("handle") == before


def test_clock_driven_jobs_continue_identically_after_an_import(world: World) -> None:
    """A Hasura preview app half-way through its job (the project is created by a pending effect that holds
    the deployment job: a record inside untyped data) goes on exactly as it would have."""
    from tests.vendors.hasura_cloud.test_story import JOB, PREVIEW, preview_vars

    queued = world.http.post(f"{world.url}/v1/graphql", json={"query": PREVIEW, "variables": preview_vars("mid-job")},
                             headers={"Authorization": f"pat {world.hasura['personal_access_token']}"}, timeout=10)
    job_id = queued.json()["data"]["createGitHubPreviewApp"]["githubPreviewAppJobID"]
    world.admin("POST", "/clock", json={"advance": 5})
    exported = world.state()
    assert b'"$dataclass":"Job"' in exported

    def later() -> list[bytes]:
        answers = []
        for _ in range(4):
            world.admin("POST", "/clock", json={"advance": 9})
            answers.append(world.hasura_query(JOB, {"id": job_id}).content)
            answers.append(world.hasura_query(HASURA_PROJECTS).content)
        return answers

    before = later()
    statuses = [orjson.loads(a)["data"]["jobs_by_pk"]["status"] for a in before[::2]]
    assert statuses[0] != statuses[-1] == "success"  # the job moved on and finished...
    assert b"mid-job" in before[-1]  # ...and created the project
    assert world.admin("PUT", "/state", data=exported).status_code == 200
    assert later() == before
