"""Same seed, same world; the empty scenario; credentials."""

from __future__ import annotations

from tests.vendors.hasura_cloud.conftest import Server

SNAPSHOT = """{ projects(order_by: {name: asc}) { id name created_at tenant { id config { hash } } }
  region(order_by: {name: asc}) { name nat_ip } }"""


def test_same_seed_same_world_other_seed_other_world(server: Server) -> None:
    first = server.reset(seed=11)
    a = server.client(first["personal_access_token"]).raw(SNAPSHOT)
    again = server.reset(seed=11)
    assert again == first
    assert server.client(again["personal_access_token"]).raw(SNAPSHOT) == a
    other = server.reset(seed=12)
    assert other["personal_access_token"] != first["personal_access_token"]
    assert server.client(other["personal_access_token"]).raw(SNAPSHOT) != a
    # the documented tenant keeps its documented id and hash whatever the seed
    assert other["tenant_id"] == first["tenant_id"] == "7a79cf94-0e53-4520-a560-1b02bf522f08"


def test_same_seed_same_created_ids(server: Server) -> None:
    created = []
    for _ in range(2):
        creds = server.reset(seed=3)
        cloud = server.client(creds["personal_access_token"])
        created.append(cloud.data('mutation { createTenant(cloud: "aws", region: "us-east-2") { id name } }'))
    assert created[0] == created[1]


def test_empty_scenario(server: Server) -> None:
    creds = server.reset(seed=0, scenario="empty")
    assert set(creds) == {"personal_access_token", "user_email"}
    cloud = server.client(creds["personal_access_token"])
    assert cloud.data("{ projects { id } tenant { id } }") == {"projects": [], "tenant": []}
    assert cloud.data('{ region(where: {name: {_eq: "us-east-2"}}) { name } }') == {"region": [{"name": "us-east-2"}]}
    server.reset(seed=0, scenario="default")
