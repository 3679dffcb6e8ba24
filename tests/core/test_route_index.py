"""``core/route_index.py`` resolves every request exactly as aiohttp's own router does with the same routes
(same handler, same match dict, same allowed methods for a 405, same 404), for every vendor's route plan and
paths made from each template: parameters filled in three ways (plain, an encoded slash, empty), a literal
swapped, a segment missing or added, the trailing slash toggled."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from mockbi import MockbiConfig
from mockbi import vendors as vendor_catalog
from mockbi.core.route_index import IndexedResources, RouteBuilder
from mockbi.core.router import route_plan
from mockbi.core.runtime import Runtime
from mockbi.core.vendor import RestVendor

FILLINGS = ("1", "a%2Fb", "")
METHODS = ("GET", "HEAD", "PATCH", "DELETE")  # declared, implied, and undeclared on most paths


def _routers(plan: list[tuple[str, str, Any]]) -> tuple[web.UrlDispatcher, web.UrlDispatcher]:
    plain, indexed, builder = web.UrlDispatcher(), web.UrlDispatcher(), RouteBuilder()
    for method, path, handler in plan:
        plain.add_route(method, path, handler)
        builder.add_route(method, path, handler)
    builder.register(indexed)
    return plain, indexed


def _paths(templates: set[str]) -> set[str]:
    paths: set[str] = set()
    for template in sorted(templates):
        for filling in FILLINGS:
            path = re.sub(r"\{[^}]*\}", filling, template)
            segments = path.split("/")
            paths |= {path, path.rstrip("/") if path.endswith("/") else path + "/", "/".join(segments[:-1]),
                      path + "/extra", path.replace("/api/", "/api/x/", 1)}
            paths |= {"/".join(segments[:i] + ["typo"] + segments[i + 1:]) for i in range(1, len(segments))}
    return {p for p in paths if p.startswith("/")}


async def _answer(router: web.UrlDispatcher, request: web.Request) -> tuple[Any, ...]:
    info = await router.resolve(request)
    if info.http_exception is not None:
        exc = info.http_exception
        return exc.status, sorted(getattr(exc, "allowed_methods", ()))
    return info.handler, dict(info)


@pytest.mark.parametrize("name", ["posthog", "lightdash"])
async def test_indexed_routes_resolve_as_aiohttp_does(name: str) -> None:
    vendor = vendor_catalog.load((name,))[0]
    assert isinstance(vendor, RestVendor)
    contract = vendor.load_contract()
    plan = route_plan(vendor, contract, Runtime(MockbiConfig(vendors=(name,)), [vendor], {name: contract}))
    plain, indexed = _routers(plan)
    assert any(isinstance(r, IndexedResources) for r in indexed.resources())  # there is a group to test
    def routes(router: web.UrlDispatcher) -> Counter[tuple[str, str, int]]:  # grouping changes only the order
        return Counter((r.method, r.resource.canonical if r.resource else "", id(r.handler))
                       for r in itertools.chain.from_iterable(router.resources()))

    assert routes(indexed) == routes(plain)
    paths = _paths({path for _, path, _ in plan})
    assert len(paths) > 500
    for path in sorted(paths):
        for method in METHODS:
            request = make_mocked_request(method, path)
            assert await _answer(indexed, request) == await _answer(plain, request), (method, path)


async def test_a_group_remembers_a_bounded_number_of_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockbi.core import route_index

    monkeypatch.setattr(route_index, "SEEN_PATHS", 3)

    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    router, builder = web.UrlDispatcher(), RouteBuilder()
    for i in range(8):
        builder.add_route("GET", f"/p/{{id}}/r{i}", handler)
    builder.register(router)
    group = next(r for r in router.resources() if isinstance(r, IndexedResources))
    for i in range(5):
        info = await router.resolve(make_mocked_request("GET", f"/p/{i}/r{i}"))
        assert dict(info) == {"id": str(i)}
        assert len(group._seen) == i % 3 + 1  # full at 3: forgotten, then filled again
    long_id = "x" * 300  # longer than SEEN_PATH_LENGTH: resolved, not remembered
    assert dict(await router.resolve(make_mocked_request("GET", f"/p/{long_id}/r1"))) == {"id": long_id}
    assert all(len(path) <= route_index.SEEN_PATH_LENGTH for path in group._seen)
    missing = await router.resolve(make_mocked_request("GET", "/p/1/r9"))
    assert missing.http_exception is not None and missing.http_exception.status == 404
