"""Journal questions (issue 11 §5): filters by path glob and body field, ``GET /__mockbi/journal/count``, and
``mockbi.verify(op, times=n, json={...})`` with the closest calls on failure."""

from __future__ import annotations

from typing import Any

import pytest

from mockbi import MockbiConfig, create_app
from tests.core.toy import Toy
from tests.plugin.test_plugin import CONFTEST


@pytest.fixture
async def client(aiohttp_client: Any) -> Any:
    client = await aiohttp_client(create_app(MockbiConfig(), vendors=[Toy()]))
    for name, size in (("alpha", 1), ("beta", 2), ("gamma", 2)):
        assert (await client.post("/toy/widgets", json={"name": name, "size": size})).status == 201
    await client.get("/toy/widgets/1")
    await client.get("/toy/widgets/special")
    return client


async def _journal(client: Any, **params: str) -> dict[str, Any]:
    resp = await client.get("/__mockbi/journal", params=params)
    assert resp.status == 200, await resp.text()
    return await resp.json()  # type: ignore[no-any-return]


async def test_journal_filters_by_path_glob(client: Any) -> None:
    found = await _journal(client, path="/toy/widgets/*")
    assert [c["path"] for c in found["calls"]] == ["/toy/widgets/1", "/toy/widgets/special"]
    assert (await _journal(client, path="/toy/widgets/[0-9]*"))["count"] == 1


async def test_journal_filters_by_body_fields(client: Any) -> None:
    assert [c["request_body"]["name"] for c in (await _journal(client, **{"body.size": "2"}))["calls"]] == \
        ["beta", "gamma"]
    assert (await _journal(client, **{"body.name": "beta", "body.size": "2"}))["count"] == 1
    assert (await _journal(client, **{"body.name": "delta"}))["count"] == 0
    assert (await _journal(client, **{"body.missing": "x"}))["count"] == 0


async def test_count_answers_how_many_and_checks_times(client: Any) -> None:
    resp = await client.get("/__mockbi/journal/count", params={"operation": "createWidget", "body.size": "2"})
    assert resp.status == 200 and await resp.json() == {"count": 2}
    ok = await client.get("/__mockbi/journal/count", params={"operation": "createWidget", "times": "3"})
    assert ok.status == 200 and await ok.json() == {"count": 3, "expected": 3}
    wrong = await client.get("/__mockbi/journal/count", params={"method": "DELETE", "times": "1"})
    assert wrong.status == 409 and await wrong.json() == {"count": 0, "expected": 1}


@pytest.mark.parametrize(("params", "problem"), [
    ({"paht": "/x"}, "unknown journal filter 'paht' (did you mean 'path'?)"),
    ({"status": "ok"}, "status must be an integer"),
    ({"times": "many"}, "times must be a whole number"),
])
async def test_bad_questions_are_400s(client: Any, params: dict[str, str], problem: str) -> None:
    resp = await client.get("/__mockbi/journal/count", params=params)
    assert resp.status == 400 and problem in (await resp.json())["error"]


async def test_handle_filter_takes_path_and_body(aiohttp_client: Any) -> None:
    app = create_app(MockbiConfig(), vendors=[Toy()])
    client = await aiohttp_client(app)
    await client.post("/toy/widgets", json={"name": "alpha", "size": 1})
    await client.get("/toy/widgets/1")
    from mockbi.keys import RUNTIME

    calls = app[RUNTIME].journal.calls
    assert calls.filter(path="/toy/widgets/*").call_count == 1
    assert calls.filter(body={"name": "alpha"}).call_count == 1
    assert calls.filter(json={"size": 1}).last.operation_id == "createWidget"


def test_verify_passes_and_fails_with_the_closest_calls(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile("""
        import pytest
        import requests

        def _create(mockbi, **body):
            assert requests.post(mockbi.url + "/toy/widgets", json=body).status_code == 201

        def test_verify_ok(mockbi):
            _create(mockbi, name="Q3", size=3)
            _create(mockbi, name="Q4", size=4)
            found = mockbi.verify("createWidget", times=1, json={"name": "Q3"})
            assert found.last.request_body == {"name": "Q3", "size": 3}
            mockbi.verify("createWidget", times=2)
            mockbi.verify(path="/toy/widgets", method="POST", body={"size": 4})

        def test_verify_fails_readably(mockbi):
            _create(mockbi, name="Q3", size=3)
            _create(mockbi, name="Q4", size=5)
            requests.get(mockbi.url + "/toy/widgets")
            mockbi.verify("createWidget", times=1, json={"name": "Q4", "size": 4})

        def test_verify_names_a_typo(mockbi):
            mockbi.verify("createWidgets")
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*AssertionError: expected 1 call(s) to createWidget with json {\"name\":\"Q4\",\"size\":4}, found 0",
        "*closest: #* POST /toy/widgets -> 201 (createWidget)",
        "*    - size: expected 4, got 5",
        "*closest: #* POST /toy/widgets -> 201 (createWidget)",
        "*    - name: expected \"Q4\", got \"Q3\"",
        "*    - size: expected 4, got 3",
        "*closest: #* GET /toy/widgets -> 200 (listWidgets)",
        "*    - operation: expected createWidget, got listWidgets",
    ])
    result.stdout.fnmatch_lines(["*no served contract declares operation 'createWidgets'; "
                                 "did you mean 'createWidget'?"])
