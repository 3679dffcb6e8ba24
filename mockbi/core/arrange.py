"""Arranging data at runtime, the supported way: a scenario fragment applied to the live world.

A fragment uses the vocabulary of the vendor's scenario files (``seeds/<vendor>/*.yaml``; what each vendor
accepts is in its ``arrange.py``). ``arrange(rt, vendor, fragment)`` applies it under the runtime lock
through ``Vendor.arrange`` and returns the ids it created, per store collection
(``{"dashboards": [12], "tiles": [40, 41], ...}``). It is all or nothing: when the fragment is refused,
the store, its RNG and its Faker are put back as they were, and the error names the problem.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web
from graphql import GraphQLError

from mockbi.core.admin import PREFIX, json_body, json_response
from mockbi.core.errors import ApiError, ConfigError, MockbiError
from mockbi.core.runtime import Runtime
from mockbi.core.storable import DEPTH, FLOAT, INTEGER, MAX_DEPTH, NUL, SURROGATE, first_unstorable
from mockbi.keys import RUNTIME

#: why a fragment value cannot be kept (``core.storable`` kinds), in mockbi's own words: arrange is mockbi's API
UNSTORABLE = {
    DEPTH: f"nests deeper than {MAX_DEPTH} levels, more than a stored value can be sent back with",
    INTEGER: "is an integer beyond 64 bits, which JSON encoders refuse",
    FLOAT: "is not a finite number",
    SURROGATE: "holds a lone UTF-16 surrogate, which no UTF-8 text can carry",
    NUL: "holds a NUL character, which the vendors' databases refuse",
}


def arrange(rt: Runtime, vendor: str, fragment: Any) -> dict[str, list[Any]]:
    if vendor not in rt.vendors:
        raise ConfigError(f"vendor {vendor!r} is not served; served: {', '.join(rt.vendors)}")
    if not isinstance(fragment, dict):
        raise ConfigError(f"a {vendor} arrange fragment is a mapping (the format of seeds/{vendor}/*.yaml)")
    vr = rt.vendors[vendor]
    fields = vr.vendor.state_spec().fields
    with rt.lock:
        store = vr.store
        saved = {name: copy.deepcopy(getattr(store, name)) for name in fields}
        generators = store.rng.getstate(), store.faker.random.getstate()
        before = {name: set(value) for name in fields if isinstance(value := getattr(store, name), dict)}
        try:
            vr.vendor.arrange(store, fragment)
            _refuse_unstorable(vendor, fragment)  # after the vendor, whose own refusal names the field better
        except Exception as exc:
            store.writes += 1  # nothing remembered (Store.memo) from the half-applied fragment survives
            for name, value in saved.items():
                setattr(store, name, value)
            store.rng.setstate(generators[0])
            store.faker.random.setstate(generators[1])
            raise _refusal(vendor, exc) from exc
        store.writes += 1  # what the store remembered (Store.memo) predates the fragment
        return {name: [key for key in getattr(store, name) if key not in keys]
                for name, keys in before.items() if set(getattr(store, name)) - keys}


def _refuse_unstorable(vendor: str, fragment: dict[str, Any]) -> None:
    """What is stored must serialize on every later read, export and snapshot: a value the vendor let
    through that could not (too deep, NUL, lone surrogate, huge integer, non-finite) undoes the fragment."""
    problem = first_unstorable(fragment)
    if problem is not None:
        where = ".".join(str(part) for part in problem.path) or "the fragment"
        raise ConfigError(f"{vendor} arrange: {where}: {UNSTORABLE[problem.kind]}; nothing was arranged")


def _refusal(vendor: str, exc: Exception) -> Exception:
    """What to tell the caller: the vendor's own words, or which key of the fragment was missing or wrong."""
    if isinstance(exc, ApiError):
        return ConfigError(f"{vendor} arrange: {exc.body}")
    if isinstance(exc, GraphQLError):  # a GraphQL vendor's own refusal
        return ConfigError(f"{vendor} arrange: {exc.message}")
    if isinstance(exc, MockbiError):
        return exc if isinstance(exc, ConfigError) else ConfigError(f"{vendor} arrange: {exc}")
    if isinstance(exc, RecursionError):  # the vendor walked a value nested past Python's stack
        return ConfigError(f"{vendor} arrange: {UNSTORABLE[DEPTH]}; nothing was arranged")
    if isinstance(exc, KeyError):
        return ConfigError(f"{vendor} arrange: a fragment entry lacks {exc}")
    if isinstance(exc, ValueError | TypeError | AttributeError | IndexError | StopIteration):
        return ConfigError(f"{vendor} arrange: {type(exc).__name__}: {exc}")
    return exc


async def arrange_post(request: web.Request) -> web.Response:
    """``POST /__mockbi/{vendor}/arrange`` with a fragment: 201 ``{"created": {collection: [ids]}}``."""
    rt = request.config_dict[RUNTIME]
    created = arrange(rt, request.match_info["vendor"], await json_body(request))
    return json_response({"created": created}, 201)


def arrange_routes() -> list[web.RouteDef]:
    return [web.post(f"{PREFIX}/{{vendor}}/arrange", arrange_post)]
