"""Hasura-shaped errors: HTTP 200, no ``data``, ``extensions.{path,code}``, exactly one error; auth failures
hide the root fields."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from graphql import build_client_schema, get_introspection_query, validate_schema

from tests.vendors.hasura_cloud.conftest import CloudClient, Server

NO_QUERIES = ("There are no queries available to the current role. Either there are no sources or remote schemas "
              "configured, or the current role doesn't have the required permissions.")


@pytest.mark.parametrize("header", [None, "pat not-a-token", "Bearer {pat}", "{pat}"])
def test_without_a_valid_pat_no_root_field_exists(server: Server, creds: dict[str, Any], header: str | None) -> None:
    client = server.client(None)
    if header is not None:
        client.session.headers["Authorization"] = header.format(pat=creds["personal_access_token"])
    schema = client.raw("{ __schema { queryType { name fields { name } } mutationType { name } } }")["data"]["__schema"]
    assert schema == {"queryType": {"name": "query_root", "fields": [{"name": "no_queries_available"}]},
                      "mutationType": None}
    assert client.error("{ projects { id name tenant { id } } }") == {
        "extensions": {"path": "$.selectionSet.projects", "code": "validation-failed"},
        "message": "field 'projects' not found in type: 'query_root'"}
    assert client.error('mutation { deleteTenant(tenantId: "7a79cf94-0e53-4520-a560-1b02bf522f08") { status } }') == {
        "extensions": {"path": "$", "code": "validation-failed"}, "message": "no mutations exist"}


def test_anonymous_schema_is_a_valid_schema_with_hasuras_placeholder(server: Server, creds: dict[str, Any]) -> None:
    """graphql-engine never serves a field-less root (gql and graphql-js could not build one from introspection):
    a role with no queries gets ``no_queries_available: String!``, which answers its own description."""
    anonymous = server.client(None)
    introspected = anonymous.raw(get_introspection_query())["data"]
    schema = build_client_schema(introspected)
    assert validate_schema(schema) == []
    placeholder = schema.query_type.fields["no_queries_available"]  # type: ignore[union-attr]
    assert str(placeholder.type) == "String!" and placeholder.description == NO_QUERIES
    assert schema.mutation_type is None and "uuid" not in schema.type_map
    assert anonymous.data("{ no_queries_available }") == {"no_queries_available": NO_QUERIES}
    owner = server.client(creds["personal_access_token"])
    assert owner.error("{ no_queries_available }") == {
        "extensions": {"path": "$.selectionSet.no_queries_available", "code": "validation-failed"},
        "message": "field 'no_queries_available' not found in type: 'query_root'"}


def test_anonymous_gets_one_error_the_missing_field_not_the_unknown_scalar(server: Server) -> None:
    """A document written for the real schema declares Cloud scalars; Hasura reports the field first."""
    anonymous = server.client(None)
    tenant = "7a79cf94-0e53-4520-a560-1b02bf522f08"
    assert anonymous.error("query($id: uuid!) { tenant_by_pk(id: $id) { id } }", {"id": tenant}) == {
        "extensions": {"path": "$.selectionSet.tenant_by_pk", "code": "validation-failed"},
        "message": "field 'tenant_by_pk' not found in type: 'query_root'"}
    assert anonymous.error("mutation($t: uuid!) { deleteTenant(tenantId: $t) { status } }", {"t": tenant}) == {
        "extensions": {"path": "$", "code": "validation-failed"}, "message": "no mutations exist"}


def test_another_accounts_rows_do_not_exist(server: Server, creds: dict[str, Any]) -> None:
    other = server.client(creds["other_personal_access_token"])
    names = [p["name"] for p in other.data("{ projects { name } }")["projects"]]
    assert names == ["teammate-sandbox"]
    tenant_id = creds["tenant_id"]
    assert other.data("query($id: uuid!) { tenant_by_pk(id: $id) { id } }", {"id": tenant_id}) == \
        {"tenant_by_pk": None}
    err = other.error("mutation($id: uuid!) { deleteTenant(tenantId: $id) { status } }", {"id": tenant_id})
    assert err["extensions"] == {"path": "$", "code": "unexpected"}
    owner = server.client(creds["personal_access_token"])
    assert owner.data("query($id: uuid!) { tenant_by_pk(id: $id) { id } }", {"id": tenant_id}) == \
        {"tenant_by_pk": {"id": tenant_id}}


def test_unparsable_query(cloud: CloudClient) -> None:
    assert cloud.error("{ projects { id ") == {
        "extensions": {"path": "$.query", "code": "validation-failed"}, "message": "not a valid graphql query"}


def test_bad_uuid_literal_and_variable(cloud: CloudClient) -> None:
    expected = {"extensions": {"path": "$.selectionSet.tenant_by_pk.args.id", "code": "data-exception"},
                "message": 'invalid input syntax for type uuid: "not-a-uuid"'}
    assert cloud.error('{ tenant_by_pk(id: "not-a-uuid") { id } }') == expected
    assert cloud.error("query($id: uuid!) { tenant_by_pk(id: $id) { id } }", {"id": "not-a-uuid"}) == expected


def test_variable_type_mismatch(cloud: CloudClient) -> None:
    assert cloud.error("query($id: String!) { tenant_by_pk(id: $id) { id } }", {"id": "x"}) == {
        "extensions": {"path": "$.selectionSet.tenant_by_pk.args.id", "code": "validation-failed"},
        "message": "variable 'id' is declared as 'String!', but used where 'uuid!' is expected"}


def test_missing_variable_unknown_field_and_argument(cloud: CloudClient) -> None:
    assert cloud.error("query($id: uuid!) { tenant_by_pk(id: $id) { id } }") == {
        "extensions": {"path": "$", "code": "validation-failed"},
        "message": 'expecting a value for non-nullable variable: "id"'}
    assert cloud.error("{ projects { id owner } }") == {
        "extensions": {"path": "$.selectionSet.projects.selectionSet.owner", "code": "validation-failed"},
        "message": "field 'owner' not found in type: 'projects'"}
    assert cloud.error("{ projects(first: 2) { id } }") == {
        "extensions": {"path": "$.selectionSet.projects.args.first", "code": "validation-failed"},
        "message": "'projects' has no argument named 'first'"}
    assert cloud.error("{ projects_by_pk { id } }")["message"] == "missing required field 'id'"


def test_action_errors_change_nothing(cloud: CloudClient) -> None:
    before = cloud.data("{ projects(order_by: {name: asc}) { id name } }")
    for mutation in ('mutation { createTenant(cloud: "azure", region: "us-east-2") { id } }',
                     'mutation { createTenant(cloud: "aws", region: "mars-1") { id } }',
                     'mutation { createTenant(cloud: "aws", region: "us-east-2", name: "my-project") { id } }',
                     'mutation { createTenant(cloud: "aws", region: "us-east-2", name: "Bad_Name") { id } }',
                     'mutation { createTenant(cloud: "aws", region: "us-east-2", plan: "gold") { id } }'):
        err = cloud.error(mutation)
        assert err["extensions"] == {"path": "$", "code": "unexpected"}, mutation
    assert cloud.data("{ projects(order_by: {name: asc}) { id name } }") == before


def test_update_projects_by_pk_unique_name(cloud: CloudClient, creds: dict[str, Any]) -> None:
    rename = "mutation($id: uuid!, $n: String) { update_projects_by_pk(pk_columns: {id: $id}, _set: {name: $n}) " \
             "{ id name endpoint } }"
    err = cloud.error(rename, {"id": creds["project_id"], "n": "analytics-staging"})
    assert err["extensions"] == {"path": "$.selectionSet.update_projects_by_pk.args._set",
                                 "code": "constraint-violation"}
    assert cloud.data(rename, {"id": creds["project_id"], "n": "renamed"})["update_projects_by_pk"] == {
        "id": creds["project_id"], "name": "renamed", "endpoint": "https://renamed.hasura.app/v1/graphql"}
    assert cloud.data(rename, {"id": "00000000-0000-4000-8000-000000000000", "n": "x"}) == \
        {"update_projects_by_pk": None}


def test_http_level_errors_use_hasuras_plain_shape(server: Server, creds: dict[str, Any]) -> None:
    headers = {"Authorization": f"pat {creds['personal_access_token']}"}
    resp = requests.post(f"{server.url}/v1/graphql", data=b"{", headers=headers, timeout=10)
    assert resp.status_code == 400
    assert resp.json() == {"path": "$", "error": "Error in $: Failed reading: not a valid json value",
                           "code": "invalid-json"}
    resp = requests.post(f"{server.url}/v1/graphql", json={"variables": {}}, headers=headers, timeout=10)
    assert resp.status_code == 400 and resp.json()["code"] == "parse-failed"


def test_injected_fault_keyed_by_root_field(server: Server, cloud: CloudClient) -> None:
    server.admin("faults", {"vendor": "hasura_cloud", "operation_id": "query_root.projects", "status": 500})
    resp = cloud.session.post(cloud.url, json={"query": "{ projects { id } }"}, timeout=10)
    assert resp.status_code == 500
    assert resp.json()["code"] == "unexpected"
    assert cloud.data("{ projects(limit: 1) { id } }")["projects"]


def test_unknown_input_field_is_worded_like_an_unknown_field(cloud: CloudClient) -> None:
    assert cloud.error('{ projects(where: {nme: {_eq: "x"}}) { id } }') == {
        "extensions": {"path": "$.selectionSet.projects.args.where.nme", "code": "validation-failed"},
        "message": "field 'nme' not found in type: 'projects_bool_exp'"}
    err = cloud.error("query($w: projects_bool_exp) { projects(where: $w) { id } }", {"w": {"nme": {"_eq": "x"}}})
    assert err["message"] == "field 'nme' not found in type: 'projects_bool_exp'"
    assert err["extensions"]["code"] == "validation-failed"


def test_limits_are_hasura_validation_errors(cloud: CloudClient) -> None:
    deep = "{ projects " + "{ tenant { project " * 5 + "{ id }" + " } }" * 5 + " }"
    assert cloud.error(deep) == {"extensions": {"path": "$", "code": "validation-failed"},
                                 "message": "the query depth 12 exceeds the depth limit of 10"}
    aliases = "{ " + " ".join(f"r{i}: region {{ name }}" for i in range(51)) + " }"
    assert cloud.error(aliases)["message"] == "the query uses 51 aliases, more than the limit of 50"
    wide = "{ region { " + " ".join(["name"] * 1000) + " } }"
    assert cloud.error(wide)["message"] == "the query selects 1001 fields, more than the limit of 1000"
    assert len(cloud.data("{ " + " ".join(f"r{i}: region(limit: 1) {{ name }}" for i in range(50)) + " }")) == 50


def test_body_size_limit_and_bad_body_keys(server: Server, creds: dict[str, Any]) -> None:
    url, headers = f"{server.url}/v1/graphql", {"Authorization": f"pat {creds['personal_access_token']}"}
    resp = requests.post(url, json={"query": "{ projects { id } }" + " " * 1_048_576}, headers=headers, timeout=10)
    assert resp.status_code == 413
    assert resp.json() == {"path": "$", "error": "Request body exceeds the limit of 1048576 bytes",
                           "code": "payload-too-large"}
    resp = requests.post(url, json={"query": "{ projects { id } }", "variables": []}, headers=headers, timeout=10)
    assert resp.status_code == 400
    assert resp.json()["path"] == "$.variables" and resp.json()["code"] == "parse-failed"
    resp = requests.post(url, json={"query": "{ projects { id } }", "operationName": 7}, headers=headers, timeout=10)
    assert resp.status_code == 400 and resp.json()["path"] == "$.operationName"


def test_multi_mutation_keeps_the_actions_before_the_failure_and_stops_there(cloud: CloudClient) -> None:
    """Hasura runs mutation fields in order and stops at the first failure, whose error replaces ``data``.
    Cloud's API calls are actions, which cannot be rolled back: the tenant ``a`` created stays, ``c`` never
    runs."""
    err = cloud.error('mutation { a: createTenant(cloud: "aws", region: "us-east-2", name: "kept-first") { id } '
                      'b: createTenant(cloud: "aws", region: "nowhere") { id } '
                      'c: createTenant(cloud: "aws", region: "us-east-2", name: "never-third") { id } }')
    assert err["extensions"] == {"path": "$", "code": "unexpected"}
    found = cloud.data('{ projects(where: {name: {_in: ["kept-first", "never-third"]}}) { name tenant { id } } }')
    assert [p["name"] for p in found["projects"]] == ["kept-first"]


def test_multi_mutation_of_postgres_mutations_only_is_one_transaction(cloud: CloudClient,
                                                                      creds: dict[str, Any]) -> None:
    """Without an action, graphql-engine runs the mutation fields in one Postgres transaction: a failing
    field rolls back the ones before it."""
    before = cloud.data("{ projects(order_by: {name: asc}) { id name } }")
    rename = ('mutation($id: uuid!) { a: update_projects_by_pk(pk_columns: {id: $id}, _set: {name: "renamed"}) '
              '{ name } b: update_projects_by_pk(pk_columns: {id: $id}, _set: {name: "analytics-staging"}) { name } }')
    err = cloud.error(rename, {"id": creds["project_id"]})
    assert err["extensions"]["code"] == "constraint-violation"
    assert cloud.data("{ projects(order_by: {name: asc}) { id name } }") == before
    # with an action in the request nothing is rolled back: the rename before the failing action stays
    cloud.error('mutation($id: uuid!) { a: update_projects_by_pk(pk_columns: {id: $id}, _set: {name: "renamed"}) '
                '{ name } b: createTenant(cloud: "aws", region: "nowhere") { id } }', {"id": creds["project_id"]})
    assert cloud.data("query($id: uuid!) { projects_by_pk(id: $id) { name } }",
                      {"id": creds["project_id"]}) == {"projects_by_pk": {"name": "renamed"}}
