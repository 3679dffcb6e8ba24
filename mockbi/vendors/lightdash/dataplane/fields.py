"""Field lookup in an explore: field ids, and how each field reads a warehouse row.

Works on any Lightdash-shaped explore dict (the seeded ones or those a client PUT with SetExplores):
a dimension's value comes from its ``sql`` when that is ``${TABLE}.<column>`` (or a reference to another
dimension), truncated by its ``timeInterval``; a metric aggregates such a column by its ``type``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import CompileError, FieldReferenceError
from .semantic import AGGREGATES

TABLE_COLUMN = re.compile(r"^\s*\$\{TABLE\}\.(\w+)\s*$")
FIELD_REF = re.compile(r"^\s*\$\{(?:(\w+)\.)?(\w+)\}\s*$")
ANY_REF = re.compile(r"\$\{([^}]+)\}")


def item_id(item: dict[str, Any]) -> str:
    """Lightdash ``getItemId``: ``<table>_<name>`` with dots turned into double underscores."""
    return f"{item['table']}_{item['name']}".replace(".", "__")


def ref_to_field_id(ref: str) -> str:
    """A ``${table.field}`` reference body (``table.field``) as a field id; ids pass through."""
    return ref.replace(".", "_", 1) if "." in ref else ref


@dataclass(frozen=True, slots=True)
class Field:
    """A resolved query field: ``item`` is what goes in the response's ``fields`` map."""

    field_id: str
    item: dict[str, Any]
    kind: str  # dimension | metric | custom_dimension
    table: str | None = None
    column: str | None = None
    interval: str | None = None
    aggregate: str | None = None
    bin: dict[str, Any] | None = None
    base: Field | None = None  # for a bin custom dimension: the dimension it bins

    @property
    def type(self) -> str:
        return str(self.item.get("type", "string"))


def _column(table: dict[str, Any], sql: str, seen: frozenset[str] = frozenset()) -> str | None:
    match = TABLE_COLUMN.match(sql or "")
    if match:
        return match.group(1)
    ref = FIELD_REF.match(sql or "")
    if ref and (ref.group(1) in (None, table.get("name"))) and ref.group(2) not in seen:
        target = table.get("dimensions", {}).get(ref.group(2))
        if target is not None:
            return _column(table, target.get("sql", ""), seen | {ref.group(2)})
    return None


def _items(explore: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {item_id(item): item for table in explore.get("tables", {}).values()
            for item in table.get(kind, {}).values()}


def dimensions(explore: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every dimension of the explore's tables by field id (``table_name``)."""
    return _items(explore, "dimensions")


def metrics(explore: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every metric of the explore's tables by field id (``table_name``)."""
    return _items(explore, "metrics")


def _dimension_field(explore: dict[str, Any], fid: str, dim: dict[str, Any]) -> Field:
    table = explore["tables"].get(dim["table"], {})
    return Field(fid, dim, "dimension", dim["table"], _column(table, dim.get("sql", "")),
                 dim.get("timeInterval") if dim.get("timeInterval") != "RAW" else None)


def resolve_dimension(explore: dict[str, Any], fid: str, custom: dict[str, Field] | None = None, *,
                      index: Mapping[str, dict[str, Any]] | None = None) -> Field:
    """The dimension ``fid`` (``index``: the explore's ``dimensions()``, when the caller resolves many)."""
    if custom and fid in custom:
        return custom[fid]
    dim = (dimensions(explore) if index is None else index).get(fid)
    if dim is None:
        raise FieldReferenceError(f"Tried to reference dimension with unknown field id: {fid}")
    return _dimension_field(explore, fid, dim)


def compile_field_sql(explore: dict[str, Any], table: str, sql: str, quote: str = '"',
                      seen: frozenset[str] = frozenset()) -> str:
    """Custom SQL as the warehouse gets it: ``${TABLE}`` is the quoted table, ``${field}``/``${table.field}``
    the referenced dimension's compiled SQL (in parentheses); CompileError for a reference to nothing."""

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref == "TABLE":
            return f"{quote}{table}{quote}"
        owner, _, name = ref.rpartition(".")
        owner = owner or table
        dim = explore.get("tables", {}).get(owner, {}).get("dimensions", {}).get(name)
        if dim is None or ref in seen:
            raise CompileError(f'Model "{table}" has a dimension reference: ${{{ref}}} which matches no dimension')
        inner = dim.get("compiledSql") or compile_field_sql(explore, owner, str(dim.get("sql", "")), quote,
                                                             seen | {ref})
        return f"({inner})"

    return ANY_REF.sub(replace, sql or "")


def quote_of(explore: dict[str, Any]) -> str:
    return "`" if explore.get("targetDatabase") in ("bigquery", "databricks") else '"'


def compile_additional_metric(explore: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """An AdditionalMetric (custom metric) as a CompiledMetric-like item."""
    table = explore.get("tables", {}).get(extra.get("table", ""), {})
    column_sql = compile_field_sql(explore, str(extra.get("table", "")), str(extra.get("sql", "")),
                                   quote_of(explore))
    template = AGGREGATES.get(str(extra.get("type")), "{}")
    item = {
        "fieldType": "metric",
        "label": extra.get("label", extra.get("name")),
        "tableLabel": table.get("label", extra.get("table")),
        "hidden": bool(extra.get("hidden", False)),
        "isAutoGenerated": False,
        "description": extra.get("description", ""),
        "compiledSql": template.format(column_sql),
        "tablesReferences": [extra.get("table")],
        **extra,
    }
    return item


def resolve_metric(explore: dict[str, Any], fid: str, additional: list[dict[str, Any]] | None = None, *,
                   index: Mapping[str, dict[str, Any]] | None = None) -> Field:
    """The metric ``fid`` (``index``: the explore's ``metrics()``, when the caller resolves many)."""
    metric = (metrics(explore) if index is None else index).get(fid)
    if metric is None:
        for extra in additional or []:
            if item_id(extra) == fid:
                metric = compile_additional_metric(explore, extra)
                break
    if metric is None:
        raise FieldReferenceError(f"Tried to reference metric with unknown field id: {fid}")
    table = explore.get("tables", {}).get(metric["table"], {})
    return Field(fid, metric, "metric", metric["table"], _column(table, metric.get("sql", "")),
                 aggregate=str(metric.get("type")))


def resolve_custom_dimensions(explore: dict[str, Any], customs: list[dict[str, Any]] | None) -> dict[str, Field]:
    """Custom dimensions of a metric query: BIN dimensions over a dimension, SQL ones on a plain column."""
    out: dict[str, Field] = {}
    for custom in customs or []:
        cid = str(custom.get("id"))
        if custom.get("type") == "bin":
            base = resolve_dimension(explore, str(custom.get("dimensionId")))
            item = {**custom, "fieldType": "dimension", "label": custom.get("name", cid), "type": "string"}
            out[cid] = Field(cid, item, "custom_dimension", base.table, base.column, bin=dict(custom), base=base)
        else:
            table = explore.get("tables", {}).get(custom.get("table", ""), {})
            sql = str(custom.get("sql", ""))
            column = _column(table, sql)
            ref = FIELD_REF.match(sql)
            target_table = custom.get("table")
            if column is None and ref and ref.group(1):
                target = explore.get("tables", {}).get(ref.group(1), {})
                column = _column(target, "${" + ref.group(2) + "}")
                target_table = ref.group(1)
            item = {**custom, "fieldType": "dimension", "label": custom.get("name", cid),
                    "type": custom.get("dimensionType", "string")}
            out[cid] = Field(cid, item, "custom_dimension", target_table, column)
    return out
