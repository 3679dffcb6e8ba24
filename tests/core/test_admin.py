"""The admin API refuses bad input with a JSON 400 and changes nothing when it does."""

from __future__ import annotations

from typing import Any

import pytest

from mockbi import MockbiConfig, create_app
from tests.core.toy import Toy


@pytest.fixture
async def client(aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(MockbiConfig(), vendors=[Toy()]))


async def clock(client: Any) -> dict[str, Any]:
    return await (await client.get("/__mockbi/clock")).json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("body", [{"advance": 1e12}, {"advance": 1e300},
                                  {"set": "9999-12-31T23:59:59Z", "advance": 86400}, {"advance": -5},
                                  {"advance": "x", "mode": "wall"}, {"mode": "sideways"},
                                  {"set": "2025-03-01T00:00:00"}, {"set": "2000-01-01T00:00:00Z"}, {"speed": 2}])
async def test_a_rejected_clock_change_changes_nothing(client: Any, body: dict[str, Any]) -> None:
    before = await clock(client)
    resp = await client.post("/__mockbi/clock", json=body)
    assert resp.status == 400
    assert "error" in await resp.json()
    assert await clock(client) == before
    assert (await client.get("/toy/widgets")).status == 200  # the server still serves


async def test_clock_moves_set_and_mode_together(client: Any) -> None:
    moved = await (await client.post("/__mockbi/clock", json={"set": "2025-02-01T00:00:00Z", "advance": 60,
                                                              "mode": "frozen"})).json()
    assert moved == {"now": "2025-02-01T00:01:00+00:00", "mode": "frozen"}


async def test_reset_restores_the_configured_clock_mode(client: Any) -> None:
    await client.post("/__mockbi/clock", json={"mode": "wall", "advance": 10})
    await client.post("/__mockbi/reset", json={})
    assert await clock(client) == {"now": "2025-01-15T09:30:00+00:00", "mode": "frozen"}


@pytest.mark.parametrize("body", [
    {"vendor": "toy", "operation_id": "nope", "status": 503},
    {"vendor": "toy", "status": 250.5}, {"vendor": "toy", "status": 200}, {"vendor": "toy", "status": 302},
    {"vendor": "toy", "latency": "abc"}, {"vendor": "toy", "latency": -1},
    {"vendor": "toy", "status": 503, "headers": "x"},
    {"vendor": "toy", "status": 503, "times": 0}, {"vendor": "toy", "status": 503, "probability": 2},
    {"vendor": "toy", "disconnect": "yes"}, {"vendor": "toy"}, {"vendor": "toy", "status": 503, "colour": "red"},
])
async def test_faults_that_could_not_fire_as_described_are_refused(client: Any, body: dict[str, Any]) -> None:
    resp = await client.post("/__mockbi/faults", json=body)
    assert resp.status == 400, await resp.text()
    assert (await (await client.get("/__mockbi/faults")).json()) == {"faults": []}


async def test_journal_filters_are_checked(client: Any) -> None:
    await client.get("/toy/widgets")
    assert (await client.get("/__mockbi/journal", params={"status": "abc"})).status == 400
    assert (await client.get("/__mockbi/journal", params={"operaton": "x"})).status == 400
    ok = await (await client.get("/__mockbi/journal", params={"status": "200", "vendor": "toy"})).json()
    assert ok["count"] == 1


async def test_admin_body_over_the_limit_is_json(aiohttp_client: Any) -> None:
    small = await aiohttp_client(create_app(MockbiConfig(max_body_size=1024), vendors=[Toy()]))
    resp = await small.post("/__mockbi/reset", data=b"{" + b" " * 4096 + b"}",
                            headers={"Content-Type": "application/json"})
    assert resp.status == 413 and resp.content_type == "application/json"


async def test_bad_reset_arguments_change_nothing(client: Any) -> None:
    info = await (await client.get("/__mockbi/info")).json()
    for body in ({"seed": "abc"}, {"seed": True}, {"scenario": 3}, {"scenario": "nope"}):
        assert (await client.post("/__mockbi/reset", json=body)).status == 400
    assert await (await client.get("/__mockbi/info")).json() == info


async def test_journal_survives_uploaded_files(client: Any) -> None:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("name", "x")
    form.add_field("file", b"hello", filename="x.txt", content_type="text/plain")
    await client.post("/toy/widgets", data=form)
    resp = await client.get("/__mockbi/journal")
    assert resp.status == 200


async def test_a_broken_multipart_body_is_the_clients_error_not_a_mock_defect(client: Any) -> None:
    resp = await client.post("/toy/widgets", data=b"garbage",
                             headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    assert resp.status == 400
    assert "X-Mockbi-Violations" not in resp.headers
    assert "multipart/form-data" in (await resp.json())["error"]
