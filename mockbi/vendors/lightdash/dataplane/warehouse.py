"""A seeded, in-memory warehouse behind the semantic layer: plain lists of row dicts per table.

Rows are generated from the caller's ``random.Random`` and seeded ``Faker`` only, relative to an
``anchor`` instant (the store's clock at build time), so the same seed and anchor give the same rows.
The data is referentially consistent: every order's ``customer_id`` is a customer, every payment's
``order_id`` an order, a customer's ``first_order_date`` is the date of their earliest order.
Column values use Python types: ``int``/``float`` numbers, ``str``, ``bool``, ``datetime.date`` for
dates, timezone-aware UTC ``datetime`` for timestamps, ``None`` for SQL NULL.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from faker import Faker

DEFAULT_SIZES = MappingProxyType({"customers": 200, "orders": 1000, "payments": 1200})
HISTORY_DAYS = 730
STATUSES = (("completed", 60), ("shipped", 15), ("placed", 10), ("return_pending", 5), ("returned", 10))
COUNTRIES = ("US", "GB", "DE", "FR", "NL", "ES", "BR", "JP")
PAYMENT_METHODS = (("credit_card", 55), ("bank_transfer", 20), ("coupon", 15), ("gift_card", 10))
PROMO_CODES = ("WELCOME10", "SPRING", "VIP", "FREESHIP")

Row = dict[str, Any]


@dataclass(slots=True)
class Warehouse:
    """Table name -> rows. ``tables`` may be extended (SetExplores) with empty tables."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    anchor: datetime = datetime(2025, 1, 1, tzinfo=UTC)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    names = [c[0] for c in choices]
    weights = [c[1] for c in choices]
    return rng.choices(names, weights=weights, k=1)[0]


def _instant(rng: random.Random, anchor: datetime, days: int = HISTORY_DAYS) -> datetime:
    seconds = rng.randrange(days * 86400)
    return (anchor - timedelta(seconds=seconds + 1)).replace(microsecond=0)


def sizes_from(scenario: Mapping[str, Any] | None) -> dict[str, int]:
    """Table sizes: ``scenario["warehouse"]`` (or the scenario itself) overrides the defaults."""
    sizes = dict(DEFAULT_SIZES)
    source: Mapping[str, Any] = {}
    if scenario:
        nested = scenario.get("warehouse")
        source = nested if isinstance(nested, Mapping) else scenario
    for name in sizes:
        value = source.get(name)
        if isinstance(value, int) and value >= 0:
            sizes[name] = value
    return sizes


def timeout_from(scenario: Mapping[str, Any] | None) -> float | None:
    """``scenario["warehouse"]["query_timeout_seconds"]``: how long a query may run (None: the engine's)."""
    nested = scenario.get("warehouse") if scenario else None
    value = nested.get("query_timeout_seconds") if isinstance(nested, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def build_warehouse(rng: random.Random, faker: Faker, anchor: datetime,
                    scenario: Mapping[str, Any] | None = None) -> Warehouse:
    """Generate customers, orders and payments ending just before ``anchor``."""
    if anchor.tzinfo is None:
        anchor = anchor.replace(tzinfo=UTC)
    sizes = sizes_from(scenario)
    customers: list[Row] = []
    for i in range(1, sizes["customers"] + 1):
        first, last = faker.first_name(), faker.last_name()
        customers.append({
            "customer_id": i,
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}{i}@{faker.free_email_domain()}".lower(),
            "country": rng.choice(COUNTRIES),
            "is_active": rng.random() < 0.8,
            "created_at": _instant(rng, anchor),
            "first_order_date": None,
        })
    orders: list[Row] = []
    for i in range(1, sizes["orders"] + 1):
        created = _instant(rng, anchor)
        status = _weighted(rng, STATUSES)
        orders.append({
            "order_id": i,
            "customer_id": rng.randint(1, len(customers)) if customers else None,
            "status": status,
            "promo_code": rng.choice(PROMO_CODES) if rng.random() < 0.3 else None,
            "amount": round(rng.uniform(5, 500), 2),
            "is_completed": status == "completed",
            "order_date": created.date(),
            "created_at": created,
        })
    first_order: dict[int, date] = {}
    for order in orders:
        cid = order["customer_id"]
        if cid is not None and (cid not in first_order or order["order_date"] < first_order[cid]):
            first_order[cid] = order["order_date"]
    for customer in customers:
        customer["first_order_date"] = first_order.get(customer["customer_id"])
    payments: list[Row] = []
    for i in range(1, sizes["payments"] + 1):
        if not orders:
            break
        order = orders[i - 1] if i <= len(orders) else rng.choice(orders)
        taken = min(order["created_at"] + timedelta(seconds=rng.randrange(1, 3 * 86400)), anchor)
        amount = order["amount"] if i <= len(orders) else round(rng.uniform(1, order["amount"]), 2)
        payments.append({
            "payment_id": i,
            "order_id": order["order_id"],
            "payment_method": _weighted(rng, PAYMENT_METHODS),
            "amount": amount,
            "created_at": taken.replace(microsecond=0),
        })
    return Warehouse(tables={"customers": customers, "orders": orders, "payments": payments}, anchor=anchor)
