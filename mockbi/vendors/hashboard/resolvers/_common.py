"""What Hashboard's resolvers share: the store and the caller behind ``info``. Binds no field itself."""

from __future__ import annotations

from mockbi.core.graphql import GraphQLContext, ResolveInfo
from mockbi.vendors.hashboard.store import HashboardStore


def ctx(info: ResolveInfo) -> GraphQLContext:
    return info.context


def store_of(info: ResolveInfo) -> HashboardStore:
    store = info.context.store
    assert isinstance(store, HashboardStore)
    return store
