"""FilterGroup / FilterRule evaluation with SQL's three-valued logic.

A group is ``{"id", "and": [...]}`` or ``{"id", "or": [...]}``; items are groups or rules
``{"id", "target": {"fieldId"}, "operator", "values", "settings", "disabled"}``. A rule on a NULL value
is unknown (``None``) unless the operator is about NULLs, so ``notInThePast`` on a NULL date filters the
row out, as the generated SQL would. Relative date operators use the injected ``now``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from .errors import ParameterError

Truth = bool | None
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


def _and(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _not(value: Truth) -> Truth:
    return None if value is None else not value


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


def _coerce(value: Any, kind: str) -> Any:
    if kind == "number":
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"Invalid number value: {value}") from exc
    if kind == "date":
        return parse_instant(value).date()
    if kind == "timestamp":
        return parse_instant(value)
    if kind == "boolean":
        return value in (True, "true", "True", 1, "1")
    return value


def _comparable(value: Any, kind: str) -> Any:
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if kind == "timestamp" and isinstance(value, date):
        return parse_instant(value)
    return value


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


def evaluate_rule(rule: dict[str, Any], value: Any, kind: str, now: datetime) -> Truth:
    """One rule against one value of field type ``kind`` (string/number/date/timestamp/boolean)."""
    op = rule.get("operator")
    raw_values = rule.get("values") or []
    if op == "isNull":
        return value is None
    if op == "notNull":
        return value is not None
    if op in ("inThePast", "notInThePast", "inTheNext", "inTheCurrent", "notInTheCurrent"):
        if value is None:
            return None
        start, end, inclusive = relative_window(rule, now)
        if kind == "date":
            lo: Any = start.date()
            hi: Any = end.date()
            subject: Any = _comparable(value, "date")
        else:
            lo, hi, subject = start, end, _comparable(value, "timestamp")
        inside = lo <= subject <= hi if inclusive else lo <= subject < hi
        return not inside if op.startswith("not") else inside
    values = [_coerce(v, kind) for v in raw_values]
    if op in ("equals", "notEquals"):
        if not values:
            return True
        if value is None:
            return True if (op == "notEquals" and kind == "string") else None
        hit = _comparable(value, kind) in values
        return hit if op == "equals" else not hit
    if value is None:
        return None
    subject = _comparable(value, kind)
    if op in ("startsWith", "endsWith", "include", "doesNotInclude"):
        if not values:
            return True
        text = str(subject)
        if op == "startsWith":
            return any(text.startswith(str(v)) for v in values)
        if op == "endsWith":
            return any(text.endswith(str(v)) for v in values)
        found = any(str(v).lower() in text.lower() for v in values)
        return found if op == "include" else not found
    if not values:
        return True
    comparisons: dict[str, Callable[[], bool]] = {
        "lessThan": lambda: subject < values[0],
        "lessThanOrEqual": lambda: subject <= values[0],
        "greaterThan": lambda: subject > values[0],
        "greaterThanOrEqual": lambda: subject >= values[0],
        "inBetween": lambda: len(values) > 1 and values[0] <= subject <= values[1],
        "notInBetween": lambda: len(values) > 1 and (subject < values[0] or subject > values[1]),
    }
    if op not in comparisons:
        raise ParameterError(f"No function implemented to render sql for filter type {op} on dimension")
    return comparisons[op]()


def evaluate_group(group: Any, lookup: Callable[[str], tuple[Any, str]], now: datetime) -> Truth:
    """Evaluate a FilterGroup; ``lookup(fieldId) -> (value, type)``. A missing/empty group is true."""
    if not isinstance(group, dict):
        return True
    if "target" in group and "and" not in group and "or" not in group:
        if group.get("disabled"):
            return True
        value, kind = lookup(str(group["target"]["fieldId"]))
        return evaluate_rule(group, value, kind, now)
    is_or = "or" in group
    items = group.get("or") if is_or else group.get("and")
    results = [evaluate_group(item, lookup, now) for item in items or []
               if not (isinstance(item, dict) and item.get("disabled"))]
    if not results:
        return True
    return _or(results) if is_or else _and(results)
