"""Five-field cron expressions (minute hour day-of-month month day-of-week), as Lightdash schedulers
store them, and the runs they produce in a time window (getScheduledJobs lists the next 24 hours)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: (low, high) of each field; day-of-week 7 is Sunday like 0
RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
DAY_NAMES = MappingProxyType({name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))})
MONTH_NAMES = MappingProxyType({name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))})


class CronError(ValueError):
    """The expression is not five valid cron fields."""


def _value(text: str, names: Mapping[str, int]) -> int:
    key = text.lower()
    if key in names:
        return names[key]
    if not text.isdigit():
        raise CronError(f"invalid cron value {text!r}")
    return int(text)


def _field(text: str, low: int, high: int, names: Mapping[str, int]) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = _value(step_text, {}) if step_text else 1
        if step < 1:
            raise CronError(f"invalid cron step {part!r}")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            a, b = base.split("-", 1)
            start, end = _value(a, names), _value(b, names)
        else:
            start = _value(base, names)
            end = high if step_text else start
        if not low <= start <= end <= high:
            raise CronError(f"cron value out of range {part!r}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


class Cron:
    """A parsed expression; ``matches(dt)`` follows cron's rule that a restricted day-of-month and a
    restricted day-of-week are alternatives."""

    def __init__(self, expression: str) -> None:
        parts = expression.split()
        if len(parts) != 5:
            raise CronError(f"cron expression must have 5 fields: {expression!r}")
        names: tuple[Mapping[str, int], ...] = ({}, {}, {}, MONTH_NAMES, DAY_NAMES)
        self.minutes, self.hours, self.days, self.months, dows = (
            _field(p, lo, hi, n) for p, (lo, hi), n in zip(parts, RANGES, names, strict=True))
        self.weekdays = frozenset(d % 7 for d in dows)
        self.any_day, self.any_weekday = parts[2] == "*", parts[4] == "*"

    def matches(self, dt: datetime) -> bool:
        if dt.minute not in self.minutes or dt.hour not in self.hours or dt.month not in self.months:
            return False
        dom, dow = dt.day in self.days, (dt.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return dom and dow
        return dom or dow


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def runs(expression: str, start: datetime, hours: int = 24, timezone: str | None = None) -> list[datetime]:
    """Every run strictly after ``start`` and within ``hours``, evaluated in ``timezone`` (UTC results)."""
    cron, tz = Cron(expression), zone(timezone)
    first = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    out = []
    for i in range(hours * 60):
        at = first + timedelta(minutes=i)
        if cron.matches(at.astimezone(tz)):
            out.append(at)
    return out
