"""The type of a loaded contract, for code that holds any vendor's: an OpenAPI ``RestContract`` or an SDL
``GraphQLContract`` (a name only: importing this module loads neither)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from mockbi.core.contracts import RestContract
    from mockbi.core.graphql import GraphQLContract

Contract: TypeAlias = "RestContract | GraphQLContract"
