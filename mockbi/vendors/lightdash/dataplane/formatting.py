"""Result values as Lightdash sends them: ``{"raw": <json>, "formatted": "<string>"}``.

Rules (Lightdash ``formatItemValue``): NULL -> ``∅``; booleans -> ``True``/``False``; dates by their time
interval (``YYYY``, ``YYYY-Qn``, ``YYYY-MM``, else ``YYYY-MM-DD``); timestamps
``YYYY-MM-DD, HH:mm:ss:SSS (+00:00)``; numbers in en-US style (grouping commas, at most 3 decimals unless
the field sets ``round``; ``format: usd/gbp/eur/percent`` or a table calculation's CustomFormat apply).
Raw dates and timestamps are JSON strings as a JS ``Date`` serialises: ``2024-03-01T00:00:00.000Z``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

NULL = "∅"
CURRENCY_SYMBOLS = MappingProxyType({"usd": "$", "gbp": "£", "eur": "€", "USD": "$", "GBP": "£", "EUR": "€",
                                     "JPY": "¥"})


def to_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def raw_json(value: Any) -> Any:
    """A Python value as the JSON ``raw`` Lightdash sends."""
    if isinstance(value, date):
        instant = to_datetime(value).astimezone(UTC)
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"
    return value


def format_number(value: float | int, round_to: int | None = None, *, grouping: bool = True) -> str:
    """en-US number text: ``1,234.568`` by default, fixed decimals when ``round_to`` is given."""
    if isinstance(value, float) and value != value:  # NaN
        return "NaN"
    digits = 3 if round_to is None or round_to < 0 else int(round_to)
    quantized = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{quantized:,f}" if grouping else f"{quantized:f}"
    if (round_to is None or round_to < 0) and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0." + "0" * digits):
        text = text[1:]
    return text


def format_date(value: date | datetime, interval: str | None) -> str:
    day = value.date() if isinstance(value, datetime) else value
    if interval == "YEAR":
        return f"{day.year:04d}"
    if interval == "QUARTER":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if interval == "MONTH":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def format_timestamp(value: date | datetime, interval: str | None) -> str:
    instant = to_datetime(value).astimezone(UTC)
    if interval in ("YEAR", "QUARTER", "MONTH", "WEEK", "DAY"):
        return format_date(instant, interval)
    head = instant.strftime("%Y-%m-%d")
    if interval == "HOUR":
        clock = instant.strftime("%H")
    elif interval == "MINUTE":
        clock = instant.strftime("%H:%M")
    elif interval == "SECOND":
        clock = instant.strftime("%H:%M:%S")
    else:
        clock = instant.strftime("%H:%M:%S") + f":{instant.microsecond // 1000:03d}"
    return f"{head}, {clock} (+00:00)"


def _apply_field_format(text: str, fmt: str | None, value: float | int) -> str:
    if fmt in ("usd", "gbp", "eur"):
        return f"{'-' if value < 0 else ''}{CURRENCY_SYMBOLS[fmt]}{text.lstrip('-')}"
    if fmt == "km":
        return f"{text} km"
    if fmt == "mi":
        return f"{text} mi"
    if fmt == "percent":
        return f"{text}%"
    return text


def format_custom(value: Any, custom: dict[str, Any]) -> str:
    """A table calculation's CustomFormat (``{type, round, currency, prefix, suffix, separator}``)."""
    kind = custom.get("type", "default")
    round_to = custom.get("round")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return format_plain(value)
    if kind == "percent":
        text = format_number(value * 100, round_to if round_to is not None else 0) + "%"
    elif kind == "currency":
        text = format_number(value, round_to if round_to is not None else 2)
        symbol = CURRENCY_SYMBOLS.get(str(custom.get("currency", "USD")), str(custom.get("currency", "")))
        text = f"{'-' if value < 0 else ''}{symbol}{text.lstrip('-')}"
    elif kind == "id":
        text = format_number(value, 0, grouping=False)
    else:
        text = format_number(value, round_to)
    return f"{custom.get('prefix', '')}{text}{custom.get('suffix', '')}"


def format_plain(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        return format_timestamp(value, None)
    if isinstance(value, date):
        return format_date(value, None)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def format_value(item: dict[str, Any], value: Any) -> str:
    """The ``formatted`` text of ``value`` for a dimension, metric or table calculation ``item``."""
    if value is None:
        return NULL
    if "displayName" in item and "fieldType" not in item:  # a table calculation
        if isinstance(item.get("format"), dict):
            return format_custom(value, item["format"])
        return format_plain(value)
    field_type = item.get("type")
    if isinstance(value, bool) or field_type == "boolean":
        return "True" if value in (True, "true", "t", 1, "1", "yes") else "False"
    if isinstance(value, date):
        if field_type == "timestamp" or (isinstance(value, datetime) and field_type not in ("date",)):
            return format_timestamp(value, item.get("timeInterval"))
        return format_date(value, item.get("timeInterval"))
    if isinstance(value, (int, float)):
        if isinstance(item.get("formatOptions"), dict):
            return format_custom(value, item["formatOptions"])
        round_to = item.get("round")
        fmt = item.get("format")
        if round_to is None and fmt in ("usd", "gbp", "eur"):
            round_to = 2
        return _apply_field_format(format_number(value, round_to), fmt, value)
    return str(value)


def result_value(item: dict[str, Any], value: Any) -> dict[str, Any]:
    """``{"raw": ..., "formatted": ...}`` for one cell."""
    return {"raw": raw_json(value), "formatted": format_value(item, value)}
