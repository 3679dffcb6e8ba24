"""The hooks' one context and one rule: ``authenticate`` (async) is awaited and may read the body before
validation; a hook of the wrong kind is refused when the vendor is mounted."""

from __future__ import annotations

from typing import Any

import pytest

from mockbi import ApiError, ConfigError, MockbiConfig, RestHookContext, create_app
from mockbi.keys import RUNTIME
from tests.core.toy import Toy


class BodyKeyToy(Toy):
    async def authenticate(self, ctx: RestHookContext[Any]) -> Any:
        request = ctx.request
        if request.method != "POST":
            return None
        data = await request.json() if request.body_exists else {}
        if data.get("key") != "sesame":
            raise ApiError(401, {"error": "no key in body"})
        return "body-user"


async def test_async_authenticate_is_awaited_and_body_still_reaches_the_handler(aiohttp_client: Any) -> None:
    client = await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[BodyKeyToy()]))
    resp = await client.post("/toy/widgets", json={"name": "far too long a name"})
    assert resp.status == 401  # auth ran first, before request validation
    resp = await client.post("/toy/widgets", json={"name": "ok", "key": "sesame"})
    assert resp.status == 201
    assert (await resp.json())["name"] == "ok"
    resp = await client.get("/toy/widgets")
    assert resp.status == 200


class SyncAuthToy(Toy):
    def authenticate(self, ctx: RestHookContext[Any]) -> Any:
        return None


class AsyncDecodeToy(Toy):
    async def decode_body(self, ctx: RestHookContext[Any], raw: Any) -> Any:
        return None


@pytest.mark.parametrize(("toy", "message"), [
    (SyncAuthToy(), "SyncAuthToy.authenticate must be 'async def'"),
    (AsyncDecodeToy(), "AsyncDecodeToy.decode_body must be a plain 'def'"),
])
def test_a_hook_of_the_wrong_kind_is_refused_when_the_vendor_is_mounted(toy: Toy, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        create_app(MockbiConfig(), vendors=[toy])


class ContextToy(Toy):
    """Every request hook sees one typed context; ``scratch`` carries a value from one hook to the next."""

    async def authenticate(self, ctx: RestHookContext[Any]) -> Any:
        ctx.scratch["seen"] = [f"auth:{ctx.op.operation_id}:{type(ctx.store).__name__}"]
        return "user"

    def decode_body(self, ctx: RestHookContext[Any], raw: Any) -> Any:
        ctx.scratch["seen"].append(f"decode:{ctx.request.method}:{ctx.clock.now().year}")
        return super().decode_body(ctx, raw)

    def request_error(self, ctx: RestHookContext[Any], violations: list[Any]) -> ApiError:
        seen = [*ctx.scratch["seen"], f"refused:{ctx.contract.vendor}"]
        return ApiError(400, {"error": " ".join(seen)})


async def test_every_request_hook_gets_one_context_and_its_scratch_lives_for_the_request(aiohttp_client: Any) -> None:
    app = create_app(MockbiConfig(validate_responses=False), vendors=[ContextToy()])
    year = app[RUNTIME].clock.now().year  # the hook reads the injected clock
    client = await aiohttp_client(app)
    resp = await client.post("/toy/widgets", json={"name": "far too long a name"})
    assert resp.status == 400
    assert (await resp.json())["error"] == f"auth:createWidget:ToyStore decode:POST:{year} refused:toy"
    resp = await client.post("/toy/widgets", json={"name": "x" * 20})
    assert (await resp.json())["error"].count("auth:") == 1  # a new request starts with an empty scratch
