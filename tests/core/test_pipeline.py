from __future__ import annotations

from typing import Any

import pytest

from mockbi import MockbiConfig, create_app
from mockbi.core.contracts import VerdictMemo
from tests.core.toy import Toy


@pytest.fixture
def make_client(aiohttp_client: Any) -> Any:
    async def make(**config: Any) -> Any:
        app = create_app(MockbiConfig(**config), vendors=[Toy()])
        return await aiohttp_client(app)

    return make


async def test_list_is_served_from_the_seeded_store(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.get("/toy/widgets", params={"limit": "2"})
    assert resp.status == 200
    body = await resp.json()
    assert [w["id"] for w in body] == [1, 2]
    assert resp.headers["X-Mockbi-Operation"] == "listWidgets"
    assert "X-Mockbi-Violations" not in resp.headers


async def test_query_parameter_of_wrong_type_is_rejected(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.get("/toy/widgets", params={"limit": "many"})
    assert resp.status == 400
    assert "limit" in (await resp.json())["error"]
    resp = await client.get("/toy/widgets", params={"limit": "0"})
    assert resp.status == 400


async def test_literal_segment_wins_over_template(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.get("/toy/widgets/special")
    assert (await resp.json())["name"] == "special"
    resp = await client.get("/toy/widgets/2")
    assert (await resp.json())["id"] == 2


async def test_body_validation_changes_nothing(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.post("/toy/widgets", json={"name": "far too long a name"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("body.name")
    resp = await client.get("/toy/widgets")
    assert len(await resp.json()) == 3
    resp = await client.post("/toy/widgets", json={"name": "ok", "size": 3})
    assert resp.status == 201
    assert (await resp.json()) == {"id": 4, "name": "ok", "size": 3}


async def test_unknown_path_is_json_404_naming_method_and_path(make_client: Any) -> None:
    client = await make_client()
    resp = await client.get("/nope/here")
    assert resp.status == 404
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert body["method"] == "GET" and body["path"] == "/nope/here"
    resp = await client.patch("/toy/widgets")
    assert resp.status == 405
    assert "GET" in resp.headers["Allow"]


async def test_operation_without_handler_is_501_naming_it(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.put("/toy/widgets/1")
    assert resp.status == 501
    assert (await resp.json())["operation"] == "replaceWidget"


async def test_response_violation_is_reported_and_500_in_strict_mode(make_client: Any) -> None:
    lenient = await make_client(strict=False)
    resp = await lenient.get("/toy/broken")
    assert resp.status == 200
    assert "response.name" in resp.headers["X-Mockbi-Violations"]
    strict = await make_client(strict=True)
    resp = await strict.get("/toy/broken")
    assert resp.status == 500
    body = await resp.json()
    assert body["operation"] == "getBroken"
    assert any("name" in v for v in body["violations"])
    journal = await (await strict.get("/__mockbi/journal", params={"operation": "getBroken"})).json()
    assert journal["count"] == 1
    assert journal["calls"][0]["violations"][0]["field"] == "name"


async def test_the_same_broken_bytes_are_reported_every_time_they_are_sent(make_client: Any) -> None:
    """Verdicts are kept by the bytes sent: a repeated defect is still a defect, every time."""
    client = await make_client(strict=False)
    headers = [(await client.get("/toy/broken")).headers.get("X-Mockbi-Violations") for _ in range(3)]
    assert all(h is not None and "response.name" in h for h in headers)
    assert len(set(headers)) == 1


def test_the_verdict_memo_is_bounded_by_the_bytes_it_keeps() -> None:
    memo = VerdictMemo(budget=100, max_payload=60)
    memo.put(("a",), (), 70)  # over max_payload: never kept
    assert memo.get(("a",)) is None
    memo.put(("b",), (), 60)
    memo.put(("c",), (), 30)
    assert memo.get(("b",)) == () and memo.get(("c",)) == ()
    memo.put(("d",), (), 20)  # 110 > 100: emptied, then kept
    assert memo.get(("b",)) is None and memo.get(("d",)) == ()


async def test_empty_204_and_undeclared_error_status_reported(make_client: Any) -> None:
    client = await make_client(strict=False)
    resp = await client.delete("/toy/widgets/1")
    assert resp.status == 204
    assert await resp.read() == b""
    assert "X-Mockbi-Violations" not in resp.headers


async def test_faults_inject_vendor_shaped_errors_once(make_client: Any) -> None:
    client = await make_client(strict=False)
    resp = await client.post("/__mockbi/faults", json={"vendor": "toy", "operation_id": "listWidgets", "status": 503})
    assert resp.status == 201
    resp = await client.get("/toy/widgets")
    assert resp.status == 503
    assert (await resp.json()) == {"error": "Injected fault"}
    resp = await client.get("/toy/widgets")
    assert resp.status == 200


async def test_body_over_the_limit_is_413(make_client: Any) -> None:
    client = await make_client(max_body_size=1024)
    resp = await client.post("/toy/widgets", data=b'{"name": "' + b"x" * 4000 + b'"}',
                             headers={"Content-Type": "application/json"})
    assert resp.status == 413


async def test_admin_health_info_reset_clock(make_client: Any) -> None:
    client = await make_client(seed=3)
    assert await (await client.get("/__mockbi/health")).json() == {"status": "ok"}
    info = await (await client.get("/__mockbi/info")).json()
    assert info["seed"] == 3 and info["scenario"] == "default"
    assert info["vendors"] == {"toy": {"token": "toy-token"}}
    before = await (await client.get("/toy/widgets")).json()
    await client.post("/toy/widgets", json={"name": "new"})
    info = await (await client.post("/__mockbi/reset", json={})).json()
    assert await (await client.get("/toy/widgets")).json() == before
    await client.post("/__mockbi/reset", json={"scenario": "empty"})
    assert await (await client.get("/toy/widgets")).json() == []
    resp = await client.post("/__mockbi/reset", json={"scenario": "nope"})
    assert resp.status == 400
    clock = await (await client.post("/__mockbi/clock", json={"advance": 60})).json()
    assert clock["now"].startswith("2025-01-15T09:31:00")


async def test_prefer_header_asks_for_an_error_status(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.get("/toy/widgets", headers={"Prefer": "code=503"})
    assert resp.status == 503
    assert await resp.json() == {"error": "Injected fault"}
    resp = await client.get("/toy/widgets", headers={"Prefer": "code=200, dynamic=true"})
    assert resp.status == 200
    assert (await client.get("/toy/widgets")).status == 200


async def test_undeclared_method_gets_the_vendors_405_and_head_follows_get(make_client: Any) -> None:
    client = await make_client(strict=True)
    resp = await client.patch("/toy/widgets/1")
    assert resp.status == 405
    assert resp.headers["Allow"] == "DELETE, GET, HEAD, PUT"
    assert await resp.json() == {"error": "Method PATCH is not allowed for /toy/widgets/1"}
    journal = await (await client.get("/__mockbi/journal", params={"method": "PATCH"})).json()
    assert journal["calls"][0]["status"] == 405 and journal["calls"][0]["vendor"] == "toy"
    head = await client.head("/toy/widgets")
    assert head.status == 200 and await head.read() == b""


async def test_journal_keeps_request_headers_for_assertions(make_client: Any) -> None:
    client = await make_client(strict=True)
    await client.get("/toy/widgets", headers={"Authorization": "Bearer abc", "X-Client": "sdk/1.2"})
    journal = await (await client.get("/__mockbi/journal", params={"operation": "listWidgets"})).json()
    headers = journal["calls"][0]["request_headers"]
    assert headers["Authorization"] == "Bearer ****" and headers["X-Client"] == "sdk/1.2"  # masked by default
    params = {"operation": "listWidgets", "reveal": "1"}
    journal = await (await client.get("/__mockbi/journal", params=params)).json()
    assert journal["calls"][0]["request_headers"]["Authorization"] == "Bearer abc"


async def test_latency_fault_delays_and_disconnect_fault_drops_the_connection(make_client: Any) -> None:
    import asyncio
    import time

    import aiohttp

    client = await make_client()
    await client.post("/__mockbi/faults", json={"vendor": "toy", "operation_id": "listWidgets", "latency": 0.2})
    started = time.perf_counter()
    resp = await client.get("/toy/widgets")
    assert resp.status == 200 and time.perf_counter() - started >= 0.2
    await client.post("/__mockbi/faults", json={"vendor": "toy", "operation_id": "getWidget", "disconnect": True})
    try:
        await client.get("/toy/widgets/1")
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
        pass
    else:
        raise AssertionError("the connection should have been dropped")
    await asyncio.sleep(0)
    assert (await client.get("/toy/widgets/1")).status == 200  # times=1 by default


async def test_fault_probability_is_drawn_from_the_seeded_store_rng(make_client: Any) -> None:
    async def run() -> list[int]:
        client = await make_client(seed=11)
        await client.post("/__mockbi/faults", json={"vendor": "toy", "status": 503, "probability": 0.5,
                                                    "times": None})
        return [(await client.get("/toy/widgets")).status for _ in range(12)]

    first, second = await run(), await run()
    assert first == second  # the same seed injects the same faults
    assert set(first) == {200, 503}


async def test_fault_with_an_unknown_vendor_or_bad_values_is_a_clear_400(make_client: Any) -> None:
    client = await make_client()
    assert (await client.post("/__mockbi/faults", json={"vendor": "nope", "status": 500})).status == 400
    resp = await client.post("/__mockbi/faults", json={"vendor": "toy", "status": 99})
    assert resp.status == 400 and "invalid fault status" in (await resp.json())["error"]


async def test_kept_parameter_verdicts_answer_each_target_as_checked_afresh(make_client: Any) -> None:
    """Parameters are checked once per raw target (``validation.checked_parameters``): a target refused once
    is refused again, and another target of the same operation gets its own verdict."""
    client = await make_client(strict=True)
    for _ in range(2):
        resp = await client.get("/toy/widgets?limit=many")
        assert resp.status == 400 and "limit" in (await resp.json())["error"]
    for limit in ("2", "3", "2"):
        resp = await client.get(f"/toy/widgets?limit={limit}")
        assert resp.status == 200 and len(await resp.json()) == int(limit)
    resp = await client.get("/toy/widgets?limit=0")
    assert resp.status == 400


def test_kept_parameters_are_handed_out_as_copies() -> None:
    """A handler that changes its coerced parameters (an array parameter's list included) leaves the kept
    verdict as it was."""
    from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy

    from mockbi.core.validation import checked_parameters

    toy = Toy()
    contract = toy.load_contract()
    op = contract.operations["listWidgets"]
    query = MultiDictProxy(MultiDict([("limit", "2"), ("tag", "a"), ("tag", "b")]))
    headers = CIMultiDictProxy(CIMultiDict())
    first = checked_parameters(contract, op, "/toy/widgets?limit=2&tag=a&tag=b", {}, query, headers)
    assert first[1] == {"limit": 2, "tag": ["a", "b"]} and first[2] == []
    first[1]["tag"].append("changed")
    first[1]["limit"] = 99
    again = checked_parameters(contract, op, "/toy/widgets?limit=2&tag=a&tag=b", {}, query, headers)
    assert again[1] == {"limit": 2, "tag": ["a", "b"]}
    assert contract.parameter_verdicts  # it was kept, not checked again


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "text/plain;charset=UTF-8", " text/csv ; charset=utf-8 ",
                                          "text/event-stream; foo=bar"])
def test_content_type_is_written_as_aiohttps_own_setters_write_it(content_type: str) -> None:
    """``to_response`` writes Content-Type itself (the setters parse it again): the same header either way."""
    from aiohttp import web

    from mockbi.core.exchange import to_response
    from mockbi.core.rendered import Rendered

    media, _, params = content_type.partition(";")
    expected = web.Response(body=b"{}", headers={"X-A": "1"})
    expected.content_type = media.strip()
    if "charset=" in params:
        expected.charset = params.split("charset=", 1)[1].strip()
    sent = to_response(Rendered(200, content_type, b"{}", None, {}), {"X-A": "1"})
    assert sent.headers["Content-Type"] == expected.headers["Content-Type"]
    assert sorted(sent.headers.items()) == sorted(expected.headers.items())
