"""The README's toolkit examples run as written (pytester, every vendor served)."""

from __future__ import annotations

from pathlib import Path

import duckdb  # noqa: F401  (a native module: an in-process pytester run must not import it afresh, which aborts)
import pytest
import requests  # noqa: F401  (imported here so pytester's in-process runs share one copy)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"


def _example(section: str) -> str:
    return README.split(f"### {section}", 1)[1].split("```python", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(("section", "tests"), [("Fault schedules", 2), ("Journal questions", 1)])
def test_readme_example_runs(pytester: pytest.Pytester, section: str, tests: int) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_readme=_example(section))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=tests)
