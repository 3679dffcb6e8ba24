"""What a caller without a valid PAT sees: Hasura's schema for a role that may do nothing.

Hasura never serves an object type without fields (GraphQL requires one or more). A role that can query
nothing gets a query root holding a single placeholder, ``no_queries_available: String!``, which answers its
own description; a role that can mutate nothing gets no mutation root at all, so the introspected
``mutationType`` is null and any mutation is refused with ``no mutations exist`` (``validation-failed`` at
``$``) before its fields are looked at. A client that builds a schema from introspection (gql, graphql-js
``buildClientSchema``) can build this one; the contract's roots stripped of their fields it could not.

Hasura answers with exactly one error: the first it meets. Operation type comes before fields, and a
variable's type is only checked where the variable is used, so "Unknown type" (a Cloud scalar such as
``uuid`` that this schema does not have) never wins over the missing field that used it.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
)

from mockbi.core.graphql import GraphQLContract
from mockbi.vendors.hasura_cloud.errors import VALIDATION_FAILED, CloudError

PLACEHOLDER = ("There are no queries available to the current role. Either there are no sources or remote schemas "
               "configured, or the current role doesn't have the required permissions.")
NO_MUTATIONS = "no mutations exist"


def _build() -> GraphQLSchema:
    placeholder = GraphQLField(GraphQLNonNull(GraphQLString), description=PLACEHOLDER,
                               resolve=lambda *_args, **_kw: PLACEHOLDER)
    return GraphQLSchema(query=GraphQLObjectType("query_root", {"no_queries_available": placeholder}))


def anonymous_schema(contract: GraphQLContract) -> GraphQLSchema:
    """The schema of a caller without a valid PAT (built once per contract cache)."""
    schema: GraphQLSchema = contract.cached(("hasura_cloud", "anonymous schema"), _build)
    return schema


class NoMutationsRule(ValidationRule):
    """A mutation from a role without a mutation root: ``no mutations exist``."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        if node.operation == OperationType.MUTATION:
            self.report_error(CloudError(NO_MUTATIONS, code=VALIDATION_FAILED, path="$"))


def first_error(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The one error Hasura would report among those graphql-core found."""
    def rank(error: dict[str, Any]) -> int:
        message = str(error.get("message", ""))
        return 0 if message == NO_MUTATIONS else 2 if message.startswith("Unknown type '") else 1
    return sorted(errors, key=rank)[:1]
