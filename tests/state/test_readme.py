"""The README's "Arrange, stub, snapshot" example runs as written, as a user's test through the plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- readme-example: arrange-stub-snapshot -->"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    after = text.split(MARKER, 1)[1]
    block = after.split("```python\n", 1)[1]
    return block.split("```", 1)[0]


def test_the_readme_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_example=_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=1)
