"""The GraphQL engine, tested with a tiny SDL vendor (no real vendor's quirks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    NoUnusedFragmentsRule,
    build_client_schema,
    get_introspection_query,
)
from graphql.validation import ASTValidationRule

from mockbi import ApiError, ContractError, GraphQLHookContext, MockbiConfig, Registry, Store, create_app
from mockbi.core.graphql import GraphQLContext, GraphQLContract, GraphQLVendor, bind

SDL = """
scalar Blob

type Query {
  widget(id: ID!): Widget
  widgets(limit: Int): [Widget!]!
  thing(id: ID!): Thing
  broken: Widget
  nullName: Widget
  badSize: Widget
  forbidden: Widget
  whoami: String
}

type Mutation {
  renameWidget(id: ID!, name: String!): Widget
}

interface Thing { id: ID! }

type Widget implements Thing {
  id: ID!
  name: String!
  size: Int
  meta: Blob
  parts: [Widget!]!
}

type Gadget implements Thing { id: ID! label: String! }
"""

resolvers = Registry("gqltoy")


class ToyError(Exception):
    """A vendor's deliberate error class."""


class GqlToyStore(Store):
    vendor = "gqltoy"

    def build(self) -> None:
        self.widgets: dict[str, dict[str, Any]] = {}
        if self.ctx.scenario != "empty":
            for i in range(1, 4):
                wid = str(i)
                self.widgets[wid] = {"id": wid, "name": self.faker.word(), "size": self.rng.randint(1, 100),
                                     "meta": {"tags": ["a", "b"]}, "parts": []}
        self.gadgets = {"g1": {"id": "g1", "label": "gizmo"}}

    def credentials(self) -> dict[str, Any]:
        return {"token": "toy"}


def _ctx(info: Any) -> GraphQLContext:
    return info.context  # type: ignore[no-any-return]


@resolvers.operation("Query.widget")
def query_widget(obj: Any, info: Any, id: str) -> Any:
    """One widget, or an error naming the id."""
    found = _ctx(info).store.widgets.get(id)
    if found is None:
        raise GraphQLError(f"Widget {id} not found", extensions={"code": "NOT_FOUND"})
    return found


@resolvers.operation("Query.widgets")
def query_widgets(obj: Any, info: Any, limit: int | None = None) -> Any:
    """All widgets."""
    rows = list(_ctx(info).store.widgets.values())
    return rows if limit is None else rows[:limit]


@resolvers.operation("Query.thing")
def query_thing(obj: Any, info: Any, id: str) -> Any:
    """A widget or a gadget."""
    store = _ctx(info).store
    if id == "toy-error":
        raise ToyError("deliberate vendor error")
    return store.widgets.get(id) or store.gadgets.get(id)


@resolvers.operation("Thing.__resolveType")
def resolve_thing(obj: Any, info: Any, abstract: Any) -> str:
    return "Gadget" if "label" in obj else "Widget"


@resolvers.operation("Query.broken")
def query_broken(obj: Any, info: Any) -> Any:
    """A resolver bug."""
    raise KeyError("oops")


@resolvers.operation("Query.nullName")
def query_null_name(obj: Any, info: Any) -> Any:
    """Returns a widget whose non-null name is null and whose size key is missing (two bugs)."""
    return {"id": "9", "name": None, "parts": []}


@resolvers.operation("Query.badSize")
def query_bad_size(obj: Any, info: Any) -> Any:
    """Returns a widget whose Int size is a string (a bug)."""
    return {"id": "9", "name": "x", "size": "big", "parts": []}


@resolvers.operation("Query.forbidden")
def query_forbidden(obj: Any, info: Any) -> Any:
    """Aborts with an HTTP-level error."""
    raise ApiError(403, {"errors": [{"message": "nope"}]})


@resolvers.operation("Query.whoami")
def query_whoami(obj: Any, info: Any) -> Any:
    """The principal."""
    return _ctx(info).principal


@resolvers.operation("Mutation.renameWidget")
def mutation_rename_widget(obj: Any, info: Any, id: str, name: str) -> Any:
    """Rename a widget."""
    found = _ctx(info).store.widgets.get(id)
    if found is not None:
        found["name"] = name
    return found


class GqlToy(GraphQLVendor[GqlToyStore]):
    name = "gqltoy"
    title = "GraphQL toy"
    api_version = "1"
    endpoint = "/toy/graphql"
    store_class = GqlToyStore
    registry = resolvers
    deliberate_errors = (ToyError,)
    max_depth = 6
    max_fields = 80  # the standard introspection query has 67 fields, and they count
    max_aliases = 5
    max_body_bytes = 20_000

    def load_contract(self) -> GraphQLContract:
        contract = GraphQLContract.from_sdl(self.name, SDL, Path("toy.graphql"))
        self.bind(contract)
        return contract

    async def authenticate(self, ctx: GraphQLHookContext[Store]) -> Any:
        token = ctx.request.headers.get("Authorization")
        if token == "bad":
            raise self.error(401, "bad token", code="auth")
        return token

    def schema_for(self, principal: Any, contract: GraphQLContract) -> GraphQLSchema:
        return _without_root_fields(contract.schema) if principal == "anonymous" else contract.schema


def _without_root_fields(schema: GraphQLSchema) -> GraphQLSchema:
    """The root types keep their names but have no fields: every field a caller asks for fails validation."""
    return GraphQLSchema(query=GraphQLObjectType(schema.query_type.name, {}) if schema.query_type else None,
                         mutation=GraphQLObjectType(schema.mutation_type.name, {}) if schema.mutation_type else None,
                         assume_valid=True)


URL = "/toy/graphql"


@pytest.fixture
def make_client(aiohttp_client: Any) -> Any:
    async def make(**config: Any) -> Any:
        app = create_app(MockbiConfig(**config), vendors=[GqlToy()])
        return await aiohttp_client(app)

    return make


async def gql(client: Any, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    body.update(extra)
    resp = await client.post(URL, json=body, headers={"Authorization": "t"})
    return resp, await resp.json()


async def test_introspection_builds_a_client_schema(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp, body = await gql(client, get_introspection_query())
    assert resp.status == 200 and "errors" not in body
    schema = build_client_schema(body["data"])
    assert set(schema.query_type.fields) >= {"widget", "widgets", "thing"}  # type: ignore[union-attr]
    assert resp.headers["X-Mockbi-Operation"] == "Query.__schema"


async def test_query_reads_the_store_and_is_journaled(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp, body = await gql(client, "query Q($id: ID!) { widget(id: $id) { id name size meta } }", {"id": "2"})
    assert resp.status == 200
    assert body["data"]["widget"]["id"] == "2"
    assert body["data"]["widget"]["meta"] == {"tags": ["a", "b"]}
    assert resp.headers["X-Mockbi-Operation"] == "Query.widget"
    journal = await (await client.get("/__mockbi/journal", params={"operation": "Query.widget"})).json()
    assert journal["count"] == 1
    assert journal["calls"][0]["request_body"]["variables"] == {"id": "2"}


async def test_mutation_changes_state_and_abstract_types_resolve(make_client: Any) -> None:
    client = await make_client(strict=True)
    _, body = await gql(client, 'mutation { renameWidget(id: "1", name: "renamed") { name } }')
    assert body == {"data": {"renameWidget": {"name": "renamed"}}}
    _, body = await gql(client, '{ a: thing(id: "1") { __typename ... on Widget { name } } '
                                'b: thing(id: "g1") { __typename ... on Gadget { label } } }')
    assert body["data"] == {"a": {"__typename": "Widget", "name": "renamed"},
                            "b": {"__typename": "Gadget", "label": "gizmo"}}


async def test_deliberate_errors_are_normal_graphql_errors(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp, body = await gql(client, '{ widget(id: "404") { id } }')
    assert resp.status == 200
    assert body["data"] == {"widget": None}
    assert body["errors"] == [{"message": "Widget 404 not found", "locations": [{"line": 1, "column": 3}],
                               "path": ["widget"], "extensions": {"code": "NOT_FOUND"}}]
    assert "X-Mockbi-Violations" not in resp.headers
    resp, body = await gql(client, '{ thing(id: "toy-error") { id } }')
    assert resp.status == 200 and body["errors"][0]["message"] == "deliberate vendor error"


@pytest.mark.parametrize(("field", "needle"), [
    ("broken", "resolver Query.broken raised KeyError"),
    ("nullName", "Cannot return null for non-nullable field Widget.name"),
    ("badSize", "Int cannot represent non-integer value"),
    ("nullName", "no resolver for Widget.size and the object has no key 'size'"),  # nullable: no silent null
])
async def test_resolver_defects_are_reported_and_500_in_strict_mode(make_client: Any, field: str,
                                                                    needle: str) -> None:
    selection = "id size" if "Widget.size" in needle else "id name size"
    query = f"{{ {field} {{ {selection} }} }}"
    lenient = await make_client(strict=False)
    resp, body = await gql(lenient, query)
    assert resp.status == 200 and body["errors"]
    assert needle in resp.headers["X-Mockbi-Violations"]
    strict = await make_client(strict=True)
    resp, body = await gql(strict, query)
    assert resp.status == 500
    assert body["operation"] == f"Query.{field}"
    assert any(needle in v and v.startswith(f"response.{field}") for v in body["violations"])
    journal = await (await strict.get("/__mockbi/journal", params={"violations": "1"})).json()
    assert journal["calls"][0]["violations"][0]["field"].startswith(field)


async def test_api_error_from_a_resolver_is_the_http_answer(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp, body = await gql(client, "{ forbidden { id } }")
    assert resp.status == 403 and body == {"errors": [{"message": "nope"}]}


async def test_parse_validate_and_variable_errors_are_request_errors(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp, body = await gql(client, "{ widget(id: ")
    assert resp.status == 200 and "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")
    resp, body = await gql(client, "{ nope }")
    assert body == {"errors": [{"message": "Cannot query field 'nope' on type 'Query'.",
                                "locations": [{"line": 1, "column": 3}]}]}
    resp, body = await gql(client, "query Q($id: ID!) { widget(id: $id) { id } }", {})
    assert resp.status == 200 and "data" not in body
    assert "$id" in body["errors"][0]["message"]
    assert "X-Mockbi-Violations" not in resp.headers


async def test_limits(make_client: Any) -> None:
    client = await make_client(strict=True)
    deep = "{ widgets { parts { parts { parts { parts { parts { parts { id } } } } } } } }"
    _, body = await gql(client, deep)
    assert body["errors"][0]["message"] == "Query depth 8 exceeds the maximum allowed depth of 6."
    aliases = "{ " + " ".join(f"a{i}: widgets {{ id }}" for i in range(6)) + " }"
    _, body = await gql(client, aliases)
    assert body["errors"][0]["message"] == "Query has 6 aliases, more than the maximum of 5."
    many = "{ widgets { " + " ".join(["id"] * 90) + " } }"
    _, body = await gql(client, many)
    assert "fields, more than the maximum of 80" in body["errors"][0]["message"]
    cyclic = "fragment A on Widget { parts { ...B } } fragment B on Widget { parts { ...A } } { widgets { ...A } }"
    _, body = await gql(client, cyclic)
    assert "Cannot spread fragment" in body["errors"][0]["message"]
    resp = await client.post(URL, data=b'{"query": "' + b" " * 30_000 + b'{ whoami }"}',
                             headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert "20000 bytes" in (await resp.json())["errors"][0]["message"]


async def test_http_level_errors(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.get(URL)
    assert resp.status == 405 and resp.headers["Allow"] == "POST"
    resp = await client.post(URL, data=b"{not json", headers={"Content-Type": "application/json"})
    assert resp.status == 400
    resp = await client.post(URL, json={"variables": {}})
    assert resp.status == 400 and (await resp.json())["errors"][0]["message"] == "Must provide query string."
    resp = await client.post(URL, json={"query": "{ whoami }"}, headers={"Authorization": "bad"})
    assert resp.status == 401 and (await resp.json()) == {"errors": [{"message": "bad token"}]}


async def test_schema_for_can_hide_every_root_field(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.post(URL, json={"query": "{ widgets { id } }"}, headers={"Authorization": "anonymous"})
    body = await resp.json()
    assert body["errors"][0]["message"] == "Cannot query field 'widgets' on type 'Query'."
    resp = await client.post(URL, json={"query": "{ __schema { queryType { name fields { name } } } }"},
                             headers={"Authorization": "anonymous"})
    assert (await resp.json())["data"]["__schema"]["queryType"] == {"name": "Query", "fields": []}


class NoUnusedFragments(GqlToy):
    """A vendor whose server tolerates unused fragments: it swaps that one specified rule for a no-op."""

    def replace_rule(self, rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
        return ASTValidationRule if rule is NoUnusedFragmentsRule else rule


async def test_a_vendor_can_replace_one_specified_validation_rule(aiohttp_client: Any) -> None:
    query = "query { whoami } fragment F on Widget { id }"
    strict_client = await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[GqlToy()]))
    resp, body = await gql(strict_client, query)
    assert body["errors"][0]["message"] == "Fragment 'F' is never used."
    lenient = await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[NoUnusedFragments()]))
    resp, body = await gql(lenient, query)
    assert resp.status == 200 and body == {"data": {"whoami": "t"}}
    resp, body = await gql(lenient, "{ nope }")  # every other rule still runs
    assert body["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'."


async def test_faults_are_keyed_by_root_field(make_client: Any) -> None:
    client = await make_client(strict=True)
    await client.post("/__mockbi/faults", json={"vendor": "gqltoy", "operation_id": "Query.widgets", "status": 503})
    resp, body = await gql(client, "{ whoami }")
    assert resp.status == 200 and body == {"data": {"whoami": "t"}}
    resp, body = await gql(client, "{ widgets { id } }")
    assert resp.status == 503 and body == {"errors": [{"message": "Injected fault"}]}


async def test_coverage_lists_root_fields(make_client: Any) -> None:
    client = await make_client()
    report = (await (await client.get("/__mockbi/coverage")).json())["gqltoy"]
    ids = [r["operation_id"] for r in report["operations"]]
    assert "Query.widget" in ids and "Mutation.renameWidget" in ids
    assert report["documented"] == {"implemented": 9, "total": 9}


def test_binding_an_unknown_field_fails_the_build() -> None:
    registry = Registry("x")

    @registry.operation("Query.nothing")
    def query_nothing(obj: Any, info: Any) -> None:
        """Nothing."""

    contract = GraphQLContract.from_sdl("x", SDL)
    with pytest.raises(ContractError, match="Query.nothing"):
        bind(contract.schema, registry, {})
    with pytest.raises(ContractError, match="not a scalar"):
        bind(contract.schema, Registry("y"), {"Widget": {"coerce_output_value": str}})


def test_document_cache_is_bounded_and_per_contract() -> None:
    from mockbi.core.graphql_cache import CACHE_SIZE

    contract, other = GraphQLContract.from_sdl("x", SDL), GraphQLContract.from_sdl("y", SDL)
    calls: list[int] = []
    for i in range(CACHE_SIZE + 10):
        contract.cached(("parse", i), lambda i=i: calls.append(i) or i)  # type: ignore[misc]
    assert contract.cached(("parse", CACHE_SIZE + 9), lambda: -1) == CACHE_SIZE + 9  # recent: cached
    assert contract.cached(("parse", 0), lambda: -1) == -1  # oldest: evicted
    assert len(contract.cache) == CACHE_SIZE and not other.cache


def test_an_invalid_sdl_fails_the_build() -> None:
    with pytest.raises(ContractError, match="does not build"):
        GraphQLContract.from_sdl("x", "type Query { a: Nope }")
    with pytest.raises(ContractError, match="Interface field Thing.id expected"):
        GraphQLContract.from_sdl("x", "interface Thing { id: ID! } type T implements Thing { x: Int } "
                                      "type Query { t: T }")


async def test_journal_names_only_real_operations(make_client: Any) -> None:
    client = await make_client()
    unknown, _ = await gql(client, "{ nope }")
    assert unknown.headers["X-Mockbi-Operation"] == "graphql"
    await gql(client, "query A { widgets { id } }", operationName="Z")
    journal = await (await client.get("/__mockbi/journal")).json()
    assert [c["operation_id"] for c in journal["calls"]] == [None, None]
