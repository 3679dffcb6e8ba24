"""Every Lightdash operation of the contract is exercised over HTTP with a success status by this suite.

The ``ld`` and ``api`` fixtures record what each test's calls got back; this module checks the record, after
every other test of the session (``conftest.pytest_collection_modifyitems`` moves it last, whatever the
order of collection). It only judges a run of the whole folder: with ``-k``/``-m`` or a subset of files it
skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mockbi.core.contracts import RestContract
from mockbi.core.resources import contract_path

HERE = Path(__file__).resolve().parent


def test_every_operation_has_a_success_path_test(request: pytest.FixtureRequest,
                                                 exercised: dict[str, set[int]]) -> None:
    option = request.config.option
    if getattr(option, "keyword", "") or getattr(option, "markexpr", ""):
        pytest.skip("a filtered run cannot judge coverage")
    files = {p.name for p in HERE.glob("test_*.py")}
    ran = {Path(str(item.path)).name for item in request.session.items if Path(str(item.path)).parent == HERE}
    if files - ran:
        pytest.skip(f"only part of the folder ran (missing {sorted(files - ran)[:3]}...)")
    contract = RestContract.load("lightdash", contract_path("lightdash", "openapi.json"))
    assert set(exercised) <= set(contract.operations), sorted(set(exercised) - set(contract.operations))
    missing = sorted(op for op in contract.operations if not any(200 <= s < 400 for s in exercised.get(op, ())))
    assert not missing, f"{len(missing)} operations have no success-path test over HTTP: {missing}"
