"""Shared fixtures for the Lightdash data plane tests: one seeded project per module."""

from __future__ import annotations

import pytest

from mockbi.vendors.lightdash.dataplane import DataPlane
from tests.vendors.lightdash.dataplane.dataplane_helpers import make_plane


@pytest.fixture(scope="module")
def plane() -> DataPlane:
    return make_plane()
