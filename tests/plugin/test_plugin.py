"""The pytest plugin, tested the way users meet it: through pytester runs of small test files."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests  # noqa: F401  (imported here so pytester's in-process runs share one copy)

import mockbi.handle  # noqa: F401  (the plugin imports the server lazily: pytester's in-process runs would
import mockbi.server  # noqa: F401  import a second copy of mockbi, whose ApiError the toy vendor's would not be)

pytest_plugins = ["pytester"]

CONFTEST = """
from pathlib import Path

import pytest
from tests.core.toy import Toy

@pytest.fixture(scope="session")
def mockbi_vendors():
    return [Toy()]
"""


@pytest.fixture
def toy_pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_sync_client_sees_a_fresh_seeded_world_each_test(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import requests

        def test_create(mockbi):
            r = requests.post(mockbi.url + "/toy/widgets", json={"name": "new"})
            assert r.status_code == 201
            assert len(requests.get(mockbi.url + "/toy/widgets").json()) == 4
            assert mockbi.journal.filter(operation_id="createWidget").call_count == 1

        def test_reset_between_tests(mockbi):
            assert len(requests.get(mockbi.url + "/toy/widgets").json()) == 3
            assert mockbi.credentials == {"toy": {"token": "toy-token"}}
            assert mockbi.store("toy").widgets[1]["id"] == 1
            assert not mockbi.journal.filter(operation_id="createWidget").called
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_async_client_and_marker(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import aiohttp
        import pytest

        @pytest.mark.mockbi(scenario="empty")
        async def test_empty(mockbi):
            async with aiohttp.ClientSession() as session:
                async with session.get(mockbi.url + "/toy/widgets") as resp:
                    assert resp.status == 200
                    assert await resp.json() == []
            assert mockbi.scenario == "empty"

        @pytest.mark.mockbi(seed=5)
        def test_seed(mockbi):
            assert mockbi.seed == 5
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_strict_mode_fails_the_test_on_a_contract_violation(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import pytest
        import requests

        def test_strict(mockbi):
            r = requests.get(mockbi.url + "/toy/broken")
            assert r.status_code == 500

        @pytest.mark.mockbi(strict=False)
        def test_lenient(mockbi):
            r = requests.get(mockbi.url + "/toy/broken")
            assert r.status_code == 200
            assert "response.name" in r.headers["X-Mockbi-Violations"]
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*mockbi responses violated their contracts*", "*toy.getBroken*response.name*"])


def test_faults_and_clock_through_the_handle(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import requests

        def test_fault(mockbi):
            mockbi.fault("toy", "listWidgets", status=503)
            assert requests.get(mockbi.url + "/toy/widgets").status_code == 503
            assert requests.get(mockbi.url + "/toy/widgets").status_code == 200
            start = mockbi.clock.now()
            mockbi.advance(90)
            assert (mockbi.clock.now() - start).total_seconds() == 90
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_unknown_marker_argument_is_a_usage_error(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import pytest

        @pytest.mark.mockbi(sede=1)
        def test_typo(mockbi):
            pass
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*unknown mockbi marker arguments*sede*"])


def test_the_readme_example_runs_against_the_real_vendors(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme.split("### 3. pytest plugin", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_readme=example)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_bad_marker_values_are_usage_errors(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import pytest

        @pytest.mark.mockbi(seed="abc")
        def test_bad_seed(mockbi):
            pass
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*mockbi marker: seed must be an int*"])


def test_disconnect_fault_is_usable_in_a_strict_test(toy_pytester: pytest.Pytester) -> None:
    toy_pytester.makepyfile("""
        import pytest
        import requests

        def test_dropped(mockbi):
            mockbi.fault("toy", "listWidgets", disconnect=True)
            with pytest.raises(requests.ConnectionError):
                requests.get(mockbi.url + "/toy/widgets")
            assert mockbi.journal.filter(operation_id="listWidgets").last.status == 0
            assert requests.get(mockbi.url + "/toy/widgets").status_code == 200

        def test_typo_in_a_fault_is_refused(mockbi):
            from mockbi import ConfigError
            with pytest.raises(ConfigError, match="no operation 'listWidget'"):
                mockbi.fault("toy", "listWidget", status=503)
            with pytest.raises(ConfigError, match="not served"):
                mockbi.fault("toi", "listWidgets", status=503)
    """)
    result = toy_pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
