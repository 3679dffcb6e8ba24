"""The hostile-input matrix (issue 12): every case gets the vendor's status and error shape, no traceback in
the answer or the log, and afterwards the server is healthy, every stored object of every vendor is still
readable (list + get) and the journal still renders."""

from __future__ import annotations

import pytest

from ._cases import CASES, Case
from ._send import check_answer, placeholders, send
from ._world import TracebackWatch, World


def run_case(world: World, watch: TracebackWatch, case: Case) -> None:
    try:
        answer = send(world, case, placeholders(world))
        check_answer(case, answer)
        world.check_all(focus=case.vendor if case.vendor != "admin" else None)
        assert watch.take() == [], f"{case.id}: the server logged a traceback or an error"
    except BaseException:
        world.reset()  # a failed case must not poison the cases after it
        raise
    finally:  # each case renders only its own calls: the check stays as cheap for case 100 as for case 1
        world.http.delete(f"{world.url}/__mockbi/journal", timeout=30)


def test_the_matrix_has_at_least_100_cases_across_every_vendor_and_the_admin_api() -> None:
    assert len(CASES) >= 100 and len({c.id for c in CASES}) == len(CASES)
    assert {c.vendor for c in CASES} == {"posthog", "lightdash", "hashboard", "hasura_cloud", "admin"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_case(world: World, watch: TracebackWatch, case: Case) -> None:
    run_case(world, watch, case)
