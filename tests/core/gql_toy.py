"""A tiny SDL vendor used to test the GraphQL engine without any real vendor's quirks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from graphql import GraphQLError, GraphQLSchema

from mockbi import ApiError, Registry, Store
from mockbi.core.graphql import GraphQLContext, GraphQLContract, GraphQLVendor

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
    """Returns a widget whose non-null name is missing (a bug)."""
    return {"id": "9", "parts": []}


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


class GqlToy(GraphQLVendor):
    name = "gqltoy"
    title = "GraphQL toy"
    api_version = "1"
    endpoint = "/toy/graphql"
    store_class = GqlToyStore
    resolvers = resolvers
    deliberate_errors = (ToyError,)
    max_depth = 6
    max_fields = 60
    max_aliases = 5
    max_body_bytes = 20_000

    def load_contract(self) -> GraphQLContract:
        contract = GraphQLContract.from_sdl(self.name, SDL, Path("toy.graphql"))
        self.bind(contract)
        return contract

    def authenticate(self, request: web.Request, store: Store) -> Any:
        token = request.headers.get("Authorization")
        if token == "bad":
            raise self.error(401, "bad token", code="auth")
        return token

    def schema_for(self, principal: Any, contract: GraphQLContract) -> GraphQLSchema:
        return contract.schema_without_root_fields() if principal == "anonymous" else contract.schema
