"""FilterGroup / FilterRule helpers: walking a group's rules and the windows of relative date operators.

A group is ``{"id", "and": [...]}`` or ``{"id", "or": [...]}``; items are groups or rules
``{"id", "target": {"fieldId"}, "operator", "values", "settings", "disabled"}``. ``compile`` renders them
as SQL (the warehouse applies SQL's three-valued logic); relative date operators use the injected ``now``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from .errors import ParameterError

UNITS = MappingProxyType({"milliseconds": "ms", "seconds": "s", "minutes": "m", "hours": "h", "days": "d", "weeks": "w",
         "months": "M", "quarters": "Q", "years": "y"})


def iter_rules(group: Any) -> Iterator[dict[str, Any]]:
    """Every FilterRule in a (possibly nested) group, disabled ones included."""
    if not isinstance(group, dict):
        return
    items = group.get("and", group.get("or"))
    if items is None:
        if "target" in group:
            yield group
        return
    for item in items:
        yield from iter_rules(item)


def add_units(instant: datetime, amount: int, unit: str) -> datetime:
    code = UNITS.get(unit, unit)
    if code in ("M", "Q", "y"):
        months = amount * {"M": 1, "Q": 3, "y": 12}[code]
        index = instant.year * 12 + instant.month - 1 + months
        year, month = divmod(index, 12)
        day = min(instant.day, calendar.monthrange(year, month + 1)[1])
        return instant.replace(year=year, month=month + 1, day=day)
    seconds = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}.get(code)
    if seconds is None:
        raise ParameterError(f"Unknown unit of time: {unit}")
    return instant + timedelta(seconds=amount * seconds)


def start_of(instant: datetime, unit: str) -> datetime:
    code = UNITS.get(unit, unit)
    if code == "y":
        return instant.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if code == "Q":
        return instant.replace(month=(instant.month - 1) // 3 * 3 + 1, day=1, hour=0, minute=0, second=0,
                               microsecond=0)
    if code == "M":
        return instant.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if code == "w":
        midnight = instant.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=midnight.weekday())
    if code == "d":
        return instant.replace(hour=0, minute=0, second=0, microsecond=0)
    if code == "h":
        return instant.replace(minute=0, second=0, microsecond=0)
    if code == "m":
        return instant.replace(second=0, microsecond=0)
    return instant.replace(microsecond=0)


def parse_instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = str(value).strip().replace("Z", "+00:00")
    if " " in text and "T" not in text:
        text = text.replace(" ", "T", 1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParameterError(f"Invalid date value: {value}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def relative_window(rule: dict[str, Any], now: datetime) -> tuple[datetime, datetime, bool]:
    """[start, end) for the relative date operators; the bool says whether ``end`` is inclusive."""
    settings = rule.get("settings") or {}
    unit = str(settings.get("unitOfTime", "days"))
    completed = bool(settings.get("completed", False))
    op = rule["operator"]
    if op in ("inTheCurrent", "notInTheCurrent"):
        start = start_of(now, unit)
        return start, add_units(start, 1, unit), False
    values = rule.get("values") or [1]
    try:
        amount = int(float(values[0]))
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"Invalid number value: {values[0]}") from exc
    if op in ("inThePast", "notInThePast"):
        if completed:
            end = start_of(now, unit)
            return add_units(end, -amount, unit), end, False
        return add_units(now, -amount, unit), now, True
    if completed:
        begin = add_units(start_of(now, unit), 1, unit)
        return begin, add_units(begin, amount, unit), False
    return now, add_units(now, amount, unit), True
