"""CSV rendering of query results, with DownloadCsvFromExplore's options.

(Named ``csv_export`` rather than ``csv`` so it never shadows the standard library module.)

Cells follow Lightdash's ``CsvService.convertRowToCsv``: NULL is an empty cell; a date field's value is
``YYYY-MM-DD`` and a timestamp field's ``YYYY-MM-DD HH:mm:ss`` whatever the option (a month dimension is
``2024-04-01`` in the file although the API formats it ``2024-04``); anything else is the formatted text
unless ``onlyRaw``. Options as the request body names them: ``onlyRaw`` (raw values instead of formatted
text), ``showTableNames`` (header is
``<Table label> <Field label>``), ``customLabels`` (field id -> header), ``columnOrder`` (ids sorted by
their index in it, unknown ids first, as Lightdash's ``indexOf`` sort does), ``hiddenFields`` (left out).
``csvLimit`` is applied by the query itself (see ``query.row_limit``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from .formatting import format_value, to_datetime
from .plan import QueryResult


def header(item: Mapping[str, Any], fid: str, *, show_table_names: bool,
           custom_labels: Mapping[str, str] | None) -> str:
    if custom_labels and fid in custom_labels:
        return str(custom_labels[fid])
    if "displayName" in item and "fieldType" not in item:
        return str(item["displayName"])
    label = str(item.get("label") or item.get("name") or fid)
    if show_table_names and item.get("tableLabel"):
        return f"{item['tableLabel']} {label}"
    return label


def cell(item: Mapping[str, Any], value: Any, *, only_raw: bool) -> str:
    if value is None:
        return ""
    kind = item.get("type")
    if "fieldType" in item and isinstance(value, date):
        if kind == "timestamp":
            return to_datetime(value).strftime("%Y-%m-%d %H:%M:%S")
        if kind == "date":
            return (value.date() if isinstance(value, datetime) else value).isoformat()
    if only_raw:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return format_value(dict(item), value)


def ordered_columns(columns: Sequence[str], column_order: Sequence[str] | None,
                    hidden_fields: Sequence[str] | None) -> list[str]:
    order = list(column_order or [])
    hidden = set(hidden_fields or [])
    visible = [c for c in columns if c not in hidden]
    return sorted(visible, key=lambda c: order.index(c) if c in order else -1)


def render_csv(result: QueryResult, *, only_raw: bool = False, show_table_names: bool = False,
               column_order: Sequence[str] | None = None, custom_labels: Mapping[str, str] | None = None,
               hidden_fields: Sequence[str] | None = None) -> str:
    """The CSV text (``\\n`` line endings, minimal quoting) for a query result."""
    columns = ordered_columns(result.columns, column_order, hidden_fields)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header(result.items[c], c, show_table_names=show_table_names,
                            custom_labels=custom_labels) for c in columns])
    for row in result.rows:
        writer.writerow([cell(result.items[c], row.get(c), only_raw=only_raw) for c in columns])
    return buffer.getvalue()


def csv_file_name(name: str, now: datetime, truncated: bool = False) -> str:
    """Lightdash's file id: ``csv-[incomplete_results-]<name>-<YYYY-MM-DD-HH-mm-ss-SSSS>.csv``, the name
    lower-cased with every other character than ``a-z0-9`` turned into ``_`` (runs collapsed)."""
    safe = re.sub(r"_{2,}", "_", re.sub(r"[^a-z0-9]", "_", name.lower()))
    stamp = now.strftime("%Y-%m-%d-%H-%M-%S-") + f"{now.microsecond // 1000 * 10:04d}"  # moment's SSSS
    return f"csv-{'incomplete_results-' if truncated else ''}{safe}-{stamp}.csv"


def could_be_truncated(row_count: int, column_count: int, cells_limit: int) -> bool:
    """Lightdash ``couldBeTruncated``: the rows fill the CSV cell budget (a smaller ``csvLimit`` does not count)."""
    return row_count > 0 and row_count * column_count >= cells_limit - column_count


def csv_options(body: Mapping[str, Any]) -> dict[str, Any]:
    """render_csv keyword arguments from a DownloadCsv request body."""
    return {
        "only_raw": bool(body.get("onlyRaw", False)),
        "show_table_names": bool(body.get("showTableNames", False)),
        "column_order": list(body.get("columnOrder") or []),
        "custom_labels": dict(body.get("customLabels") or {}),
        "hidden_fields": list(body.get("hiddenFields") or []),
    }
