"""Hasura-generated list arguments (where, order_by, limit, offset), relationships and the region catalogue."""

from __future__ import annotations

import re
from typing import Any

from tests.vendors.hasura_cloud.conftest import CloudClient, Server


def names(cloud: CloudClient, args: str, variables: dict[str, Any] | None = None, header: str = "") -> list[str]:
    query = f"{header}{{ projects{args} {{ name }} }}"
    return [p["name"] for p in cloud.data(query, variables)["projects"]]


def test_order_by_limit_offset(cloud: CloudClient) -> None:
    everything = names(cloud, "(order_by: {name: asc})")
    assert everything == sorted(everything) and len(everything) == 7
    assert names(cloud, "(order_by: {name: desc})") == everything[::-1]
    assert names(cloud, "(order_by: [{name: asc}], limit: 2, offset: 1)") == everything[1:3]
    assert names(cloud, "(order_by: {name: asc}, offset: 100)") == []
    newest_first = names(cloud, "(order_by: {created_at: desc})")
    assert newest_first[0] in ("feature-billing", "feature-login")  # created by seeded preview jobs today


def test_order_by_a_relationship(cloud: CloudClient) -> None:
    rows = cloud.data("{ projects(order_by: [{tenant: {cloud: desc}}, {name: asc}]) { name tenant { cloud } } }")
    clouds = [p["tenant"]["cloud"] for p in rows["projects"]]
    assert clouds == sorted(clouds, reverse=True) and clouds[0] == "gcp"


def test_where_operators(cloud: CloudClient) -> None:
    assert names(cloud, "(where: {name: {_eq: $n}})", {"n": "my-project"}, "query($n: String!) ") == ["my-project"]
    assert names(cloud, '(where: {name: {_like: "feature-%"}}, order_by: {name: asc})') == \
        ["feature-billing", "feature-login"]
    assert names(cloud, '(where: {name: {_ilike: "MY-%"}})') == ["my-project"]
    assert names(cloud, '(where: {name: {_in: ["my-project", "nope", "analytics-staging"]}}, order_by: {name: asc})') \
        == ["analytics-staging", "my-project"]
    total = len(names(cloud, ""))
    assert len(names(cloud, '(where: {name: {_nin: ["my-project"]}})')) == total - 1
    assert len(names(cloud, '(where: {name: {_neq: "my-project"}})')) == total - 1
    assert names(cloud, '(where: {_or: [{name: {_eq: "my-project"}}, {tenant: {cloud: {_eq: "gcp"}}}]},'
                        ' order_by: {name: asc})') == ["analytics-staging", "my-project"]
    assert names(cloud, '(where: {_and: [{name: {_like: "feature-%"}}, {_not: {name: {_eq: "feature-login"}}}]})') \
        == ["feature-billing"]
    assert names(cloud, '(where: {tenant: {region: {_eq: "us-central1"}}})') == ["analytics-staging"]
    assert len(names(cloud, "(where: {_and: []})")) == total
    assert names(cloud, "(where: {_or: []})") == []
    assert names(cloud, '(where: {created_at: {_gt: "2030-01-01T00:00:00Z"}})') == []


def test_tenant_where_by_slug_and_by_project_name(cloud: CloudClient, creds: dict[str, Any]) -> None:
    by_slug = cloud.data('{ tenant(where: {slug: {_eq: "my-project"}}) { id slug } }')
    by_project = cloud.data('{ tenant(where: {project: {name: {_eq: "my-project"}}}, limit: 1) { id } }')
    assert by_slug == {"tenant": [{"id": creds["tenant_id"], "slug": "my-project"}]}
    assert by_project == {"tenant": [{"id": creds["tenant_id"]}]}


def test_tenant_details_and_custom_domains(cloud: CloudClient, creds: dict[str, Any]) -> None:
    tenant = cloud.data("""query($id: uuid!) { tenant_by_pk(id: $id) { id slug cloud region active
        active_status_reason config { hash } custom_domains { fqdn dns_validation }
        tenant_public_status { endpoint is_active message } status { is_active has_inconsistent_metadata } } }""",
                        {"id": creds["tenant_id"]})["tenant_by_pk"]
    assert tenant["cloud"] == "aws" and tenant["region"] == "us-east-2" and tenant["active"] is True
    assert tenant["custom_domains"][0]["fqdn"] == "api.my-project.example.com"
    assert tenant["tenant_public_status"] == {"endpoint": "https://my-project.hasura.app/v1/graphql",
                                              "is_active": True, "message": None}
    added = cloud.data("""mutation($t: uuid!) {
        insert_custom_domain_one(object: {fqdn: "gql.example.org", tenant_id: $t}) {
        id fqdn tenant_id dns_validation cert } }""", {"t": creds["tenant_id"]})["insert_custom_domain_one"]
    assert added["dns_validation"] is None and added["cert"] is None  # provisioning fills them in later
    assert cloud.data("query($id: uuid!) { custom_domain_by_pk(id: $id) { fqdn } }", {"id": added["id"]}) == \
        {"custom_domain_by_pk": {"fqdn": "gql.example.org"}}


def test_region_nat_ips(cloud: CloudClient) -> None:
    rows = cloud.data("{ region(where: {is_active: {_eq: true}, nat_ip: {_is_null: false}}) { name nat_ip } }")
    regions = {r["name"]: r["nat_ip"] for r in rows["region"]}
    assert "us-east-2" in regions and all(ip.count(".") == 3 for ip in regions.values())
    assert "sa-east-1" not in regions and "asia-south1" not in regions
    gcp = cloud.data('{ region(where: {cloud: {_eq: "gcp"}}, order_by: {name: asc}) { name is_active } }')
    assert [r["name"] for r in gcp["region"]] == ["asia-south1", "europe-west1", "us-central1"]


def test_update_tenant_name_moves_the_endpoint(cloud: CloudClient, creds: dict[str, Any]) -> None:
    renamed = cloud.data("""mutation($t: uuid!) { updateTenantName(tenantId: $t, name: "my-renamed") {
        tenant { id slug project { name endpoint } } } }""", {"t": creds["tenant_id"]})
    assert renamed["updateTenantName"]["tenant"] == {
        "id": creds["tenant_id"], "slug": "my-renamed",
        "project": {"name": "my-renamed", "endpoint": "https://my-renamed.hasura.app/v1/graphql"}}


def test_timestamptz_is_rendered_like_postgres_json(cloud: CloudClient, server: Server) -> None:
    """Postgres prints fractional seconds only as far as they are non-zero (no ``.000000``)."""
    created = cloud.data('{ projects(where: {name: {_eq: "my-project"}}) { created_at } }')["projects"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", created["created_at"]), created
    server.advance(0.25)
    tenant = cloud.data('mutation { createTenant(cloud: "aws", region: "us-east-2") { tenant { created_at } } }')
    assert tenant["createTenant"]["tenant"]["created_at"].endswith(".25+00:00")
