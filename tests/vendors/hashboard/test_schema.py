"""The contract against the published schema, and the schema a client introspects."""

from __future__ import annotations

import requests
from graphql import (
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from mockbi import MockbiHandle
from mockbi.core.graphql import GraphQLContract
from mockbi.core.resources import contract_path

from .conftest import HashboardClient

#: the schema as published on Hashboard's "GraphQL API" docs page (November 2024)
PUBLISHED_SDL = """
scalar JSON
scalar GRN

type Query {
  project(projectId: ID!): Project
}

type Project {
    id: ID!
    name: String!
    models: [Model!]!
    metrics: [Metric!]!
    dashboards: [Dashboard!]!
    users: [User!]!
    roles: [Role!]!
}

interface Resource {
    grn: GRN!
    name: String!
    spec: JSON!
}

type Model implements Resource {
    grn: GRN!
    name: String!
    spec: JSON!

    viewsLastTwoWeeks: Int
    savedExplorations: [SavedExploration]
}

type SavedExploration implements Resource {
    grn: GRN!
    name: String!
    spec: JSON!

    viewsLastTwoWeeks: Int
}

type Metric implements Resource {
    grn: GRN!
    name: String!
    spec: JSON!
}

type Dashboard implements Resource {
    grn: GRN!
    name: String!
    spec: JSON!

    viewsLastTwoWeeks: Int
}

type User {
    id: String!
    fullName: String
    displayName: String
    email: String
    roles: [String]
}

type Role {
    id: String!
    name: String!
    description: String!
    permissionRules: [PermissionRule]
}

type PermissionRule {
    name: String!
    resources: [String]!
    permissions: [String]!
    datasourceCredentials: [DataSourceCredentialsPermissions]
}

type DataSourceCredentialsPermissions {
    datasourceName: String!
    datasourceId: String!
    credentialName: String!
    credentialId: String!
}
"""


def contract_sdl() -> str:
    return contract_path("hashboard", "schema.graphql").read_text(encoding="utf-8")


def test_contract_has_no_breaking_or_dangerous_change_against_the_published_schema() -> None:
    published, ours = build_schema(PUBLISHED_SDL), build_schema(contract_sdl())
    assert find_breaking_changes(published, ours) == []
    assert find_dangerous_changes(published, ours) == []
    assert find_breaking_changes(ours, published) == []  # and nothing was added either


def test_introspection_returns_the_contract(client: HashboardClient) -> None:
    served = lexicographic_sort_schema(client.schema)
    assert print_schema(served) == print_schema(lexicographic_sort_schema(build_schema(contract_sdl())))
    query = served.query_type
    assert query is not None and list(query.fields) == ["project"]
    assert "savedExplorations" not in served.type_map["Project"].fields  # type: ignore[union-attr]
    assert "viewsLastTwoWeeks" not in served.type_map["Metric"].fields  # type: ignore[union-attr]


def test_introspection_needs_a_token(hb: MockbiHandle, creds: dict[str, str]) -> None:
    url = HashboardClient(hb.url, None).url
    resp = requests.post(url, json={"query": get_introspection_query()})
    assert resp.status_code == 401


def test_coverage_lists_the_single_root_field_as_implemented(hb: MockbiHandle) -> None:
    report = requests.get(hb.url + "/__mockbi/coverage").json()["hashboard"]
    assert report["documented"] == {"implemented": 1, "total": 1}
    assert report["operations"][0]["operation_id"] == "Query.project"
    assert report["operations"][0]["route"] == "query project(projectId: ID!): Project"


def test_contract_builds_once_and_binds_every_resolver() -> None:
    from mockbi.vendors.hashboard import VENDOR

    contract = VENDOR.load_contract()
    assert isinstance(contract, GraphQLContract)
    model = contract.schema.type_map["Model"]
    assert model.fields["savedExplorations"].resolve is not None  # type: ignore[union-attr]
