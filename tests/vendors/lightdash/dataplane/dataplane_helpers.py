"""Builders shared by the data plane tests (plain functions, no fixtures)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from faker import Faker

from mockbi.vendors.lightdash.dataplane import DataPlane

ANCHOR = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SEED = 7


def make_plane(seed: int = SEED, scenario: dict[str, object] | None = None) -> DataPlane:
    faker = Faker()
    faker.seed_instance(seed)
    return DataPlane(random.Random(seed), faker, anchor=ANCHOR, scenario=scenario)


def query(explore: str, dimensions: list[str], metrics: list[str], *, filters: dict[str, object] | None = None,
          sorts: list[dict[str, object]] | None = None, limit: int = 500,
          table_calculations: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {"exploreName": explore, "dimensions": dimensions, "metrics": metrics, "filters": filters or {},
            "sorts": sorts or [], "limit": limit, "tableCalculations": table_calculations or []}


def rule(field_id: str, operator: str, *values: object, settings: dict[str, object] | None = None,
         rule_id: str = "r") -> dict[str, object]:
    out: dict[str, object] = {"id": rule_id, "target": {"fieldId": field_id}, "operator": operator,
                              "values": list(values)}
    if settings is not None:
        out["settings"] = settings
    return out
