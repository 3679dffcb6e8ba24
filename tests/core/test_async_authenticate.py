"""An ``async`` authenticate hook is awaited and may read the body before validation."""

from __future__ import annotations

from typing import Any

from mockbi import ApiError, MockbiConfig, create_app
from tests.core.toy import Toy


class BodyKeyToy(Toy):
    async def authenticate(self, request: Any, store: Any, op: Any) -> Any:
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
