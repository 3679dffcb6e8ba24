"""Schemathesis against our own REST contracts, every PostHog and Lightdash operation, positive and negative
(JSON, form and multipart bodies where the contract declares them), fixed seed, a few examples each."""

from __future__ import annotations

from typing import Any

from mockbi.server import ServerThread

from ._fuzz import call_and_check, load
from ._world import World

EXAMPLES = 5
POSTHOG = load("posthog", EXAMPLES)
LIGHTDASH = load("lightdash", EXAMPLES)


@POSTHOG.parametrize()
def test_posthog_operation(case: Any, robust_server: ServerThread, world: World) -> None:
    call_and_check(case, robust_server.url, world.auth("posthog"))


@LIGHTDASH.parametrize()
def test_lightdash_operation(case: Any, robust_server: ServerThread, world: World) -> None:
    call_and_check(case, robust_server.url, world.auth("lightdash"))


def test_the_world_survives_the_fuzzing(world: World) -> None:
    world.check_all()
