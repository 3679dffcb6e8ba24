"""Arranging data the supported way: a scenario fragment applied to the live world, from the handle and over
``POST /__mockbi/{vendor}/arrange``, checked over HTTP through each vendor's own API."""

from __future__ import annotations

import pytest

from mockbi.core.errors import ConfigError
from mockbi.handle import MockbiHandle
from mockbi.vendors.hashboard.store import HashboardStore
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.posthog.store import PostHogStore

from .conftest import HASHBOARD_QUERY, World

POSTHOG_FRAGMENT = {"dashboards": [{"name": "Quarterly review", "created_by": "admin", "tags": ["q3"], "tiles": [
    {"insight": "Weekly signups", "kind": "trends"}, {"text": "Numbers are provisional"}]}]}


def test_posthog_arrange_from_the_handle_returns_the_ids_and_the_api_serves_them(mockbi: MockbiHandle,
                                                                                 world: World) -> None:
    listed_before = world.posthog_call("GET", "/dashboards/").json()  # lists may be remembered (Store.memo)
    created = mockbi.arrange("posthog", POSTHOG_FRAGMENT)
    listed = world.posthog_call("GET", "/dashboards/").json()
    assert listed["count"] == listed_before["count"] + 1
    assert "Quarterly review" in [d["name"] for d in listed["results"]]
    assert set(created) == {"dashboards", "insights", "texts", "tiles"}
    [dashboard_id] = created["dashboards"]
    assert len(created["tiles"]) == 2
    served = world.posthog_call("GET", f"/dashboards/{dashboard_id}/").json()
    assert served["name"] == "Quarterly review" and served["tags"] == ["q3"]
    assert sorted(t["insight"]["name"] if t["insight"] else t["text"]["body"] for t in served["tiles"]) == [
        "Numbers are provisional", "Weekly signups"]
    store = mockbi.store(PostHogStore)  # typed: no cast, no vendor internals
    admin = next(u for u in store.users.values() if u.id == store.dashboards[dashboard_id].created_by)
    assert served["created_by"]["email"] == admin.email and admin.id != store.main_user_id


def test_arrange_is_deterministic(mockbi: MockbiHandle) -> None:
    first = mockbi.arrange("posthog", POSTHOG_FRAGMENT)
    names = {i: mockbi.store(PostHogStore).insights[i].short_id for i in first["insights"]}
    mockbi.reset()
    assert mockbi.arrange("posthog", POSTHOG_FRAGMENT) == first
    assert {i: mockbi.store(PostHogStore).insights[i].short_id for i in first["insights"]} == names


def test_posthog_arrange_over_http_users_and_keys(world: World) -> None:
    resp = world.admin("POST", "/posthog/arrange", json={
        "users": [{"ref": "analyst", "first_name": "Ada", "last_name": "Byron", "membership": "admin"}],
        "api_keys": [{"ref": "analyst_key", "user": "analyst", "scopes": ["dashboard:read"]}]})
    assert resp.status_code == 201
    created = resp.json()["created"]
    assert list(created) == ["users", "api_keys", "key_refs"] and created["key_refs"] == ["analyst_key"]
    [key] = created["api_keys"]
    listed = world.http.get(f"{world.url}/api/projects/{world.posthog['project_id']}/dashboards/",
                            headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert listed.status_code == 200 and listed.json()["count"] > 0
    denied = world.http.post(f"{world.url}/api/projects/{world.posthog['project_id']}/dashboards/",
                             headers={"Authorization": f"Bearer {key}"}, json={"name": "x"}, timeout=10)
    assert denied.status_code == 403  # the scopes arranged are the scopes enforced


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(("vendor", "fragment", "message"), [
    ("posthog", {"dashbords": []}, "posthog arrange: unknown key(s) ['dashbords']"),
    ("posthog", {"dashboards": [{"name": "ok"}, {"name": "bad", "created_by": "nobody"}]}, "no user 'nobody'"),
    ("posthog", {"dashboards": [{"name": "ok"}, {"tiles": []}]}, "a fragment entry lacks 'name'"),
    ("lightdash", {"spaces": [{"name": "ok"}], "charts": [{"name": "c", "space": "nowhere"}]}, "no space 'nowhere'"),
    ("hashboard", {"resources": [{"type": "model", "name": "m"}, {"type": "metric", "name": "x"}]},
     "a metric needs the model"),
    ("hasura_cloud", {"projects": [{"name": "fine-name"}, {"name": "Bad Name!"}]}, "Bad Name!"),
    ("nope", {}, "vendor 'nope' is not served"),
    # what could be stored but never sent back (an export, a snapshot, a read) is refused, nothing kept;
    # what a vendor's arrange lets through (PostHog's filters, Lightdash's names), the core still refuses
    ("posthog", {"dashboards": [{"name": "deep", "filters": {"a": _nested(300)}}]},
     "posthog arrange: dashboards.0.filters.a.0."),
    ("lightdash", {"spaces": [{"name": "a\x00b"}]}, "spaces.0.name: holds a NUL character"),
    ("hashboard", {"resources": [{"type": "model", "name": "m", "spec": {"k": "a\x00"}}]},
     "hashboard arrange: spec.k holds a NUL character: Hashboard could not store it"),  # the vendor's words first
])
def test_a_refused_fragment_is_a_400_and_changes_nothing(world: World, vendor: str, fragment: dict[str, object],
                                                         message: str) -> None:
    before = world.state()
    resp = world.admin("POST", f"/{vendor}/arrange", json=fragment)
    assert resp.status_code == 400 and message in resp.json()["error"]
    assert world.state() == before  # records, id counters and generators alike


def test_a_fragment_must_be_a_mapping(mockbi: MockbiHandle, world: World) -> None:
    assert world.admin("POST", "/posthog/arrange", json=[1]).status_code == 400
    with pytest.raises(ConfigError, match="fragment is a mapping"):
        mockbi.arrange("posthog", [])  # type: ignore[arg-type]


def test_lightdash_arrange(mockbi: MockbiHandle, world: World) -> None:
    created = mockbi.arrange("lightdash", {
        "users": [{"first_name": "Grace", "last_name": "Hopper", "role": "editor", "token": True}],
        "spaces": [{"name": "Arranged space"}],
        "charts": [{"name": "Arranged chart", "space": "Arranged space", "kind": "table"}],
        "dashboards": [{"name": "Arranged dashboard", "space": "Arranged space", "charts": ["Arranged chart"]}]})
    [user] = created["users"]
    [space] = created["spaces"]
    [chart] = created["saved_charts"]
    [dashboard] = created["dashboards"]
    project = world.lightdash["project_uuid"]
    served = world.lightdash_call("GET", f"/projects/{project}/spaces/{space}").json()["results"]
    assert served["name"] == "Arranged space" and [q["uuid"] for q in served["queries"]] == [chart]
    tiles = world.lightdash_call("GET", f"/dashboards/{dashboard}").json()["results"]["tiles"]
    assert [t["properties"].get("savedChartUuid") for t in tiles if t["type"] == "saved_chart"] == [chart]
    store = mockbi.store(LightdashStore)
    [token] = [t.token for t in store.tokens.values() if t.userUuid == user]
    me = world.http.get(f"{world.url}/api/v1/user", headers={"Authorization": f"ApiKey {token}"}, timeout=10)
    assert me.json()["results"]["email"] == store.users[user].email


def test_hashboard_arrange_in_the_scenario_format(mockbi: MockbiHandle, world: World) -> None:
    created = mockbi.arrange("hashboard", {
        "models": [{"name": "Refunds", "alias": "refunds", "attributes": ["reason"],
                    "saved_explorations": [{"name": "Refunds by reason", "alias": "refunds_by_reason"}]}],
        "metrics": [{"name": "Refund rate", "model": "refunds"}],
        "dashboards": [{"name": "Refunds board", "saved_explorations": ["refunds_by_reason"]}],
        "resources": [{"type": "model", "name": "Bare model"}],
        "access_keys": [{"age_days": 1}]})
    assert len(created["resources"]) == 5 and len(created["access_keys"]) == 1
    project = world.hashboard_query(HASHBOARD_QUERY, {"id": world.hashboard["project_id"]}).json()["data"]["project"]
    assert {"Refunds", "Bare model"} <= {m["name"] for m in project["models"]}
    assert "Refunds board" in {d["name"] for d in project["dashboards"]}
    key = mockbi.store(HashboardStore).access_keys[created["access_keys"][0]]
    answer = world.http.post(f"{world.url}/api/graphql", json={"query": "{ __typename }"},
                             headers={"Authorization": key.api_token}, timeout=10)
    assert answer.status_code == 200


def test_hasura_arrange_users_and_projects(mockbi: MockbiHandle, world: World) -> None:
    created = mockbi.arrange("hasura_cloud", {
        "users": [{"email": "new@example.com"}],
        "projects": [{"name": "arranged-app", "owner": "new@example.com", "region": "us-west-2"}]})
    assert len(created["projects"]) == 1 and len(created["tenants"]) == 1
    user = mockbi.store(HasuraCloudStore).users[created["users"][0]]
    answer = world.http.post(f"{world.url}/v1/graphql", json={"query": "{ projects { name tenant { region } } }"},
                             headers={"Authorization": f"pat {user.tokens[0]}"}, timeout=10).json()
    assert answer == {"data": {"projects": [{"name": "arranged-app", "tenant": {"region": "us-west-2"}}]}}


def test_typed_store_of_a_class_nobody_serves(mockbi: MockbiHandle) -> None:
    class Stray(PostHogStore):
        pass

    with pytest.raises(ConfigError, match="no served vendor keeps a Stray"):
        mockbi.store(Stray)


def test_an_integer_no_encoder_takes_is_refused_from_the_handle(mockbi: MockbiHandle) -> None:
    with pytest.raises(ConfigError, match=r"dashboards\.0\.filters\.n: is an integer beyond 64 bits"):
        mockbi.arrange("posthog", {"dashboards": [{"name": "big", "filters": {"n": 2**70}}]})
