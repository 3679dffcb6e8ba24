"""The seeded project's semantic layer: dbt-style models compiled into Lightdash-shaped explores.

The model definitions below are immutable specs (tuples of frozen dataclasses). ``build_explores``
turns them into the dicts ``GET /api/v1/projects/{p}/explores/{name}`` returns (Explore with
CompiledTable / CompiledDimension / CompiledMetric), and ``summarize`` into SummaryExplore entries.
Field ids are ``<table>_<field>``; a date/timestamp dimension ``created`` also yields the time-interval
children ``created_day``, ``created_week``, ``created_month``, ``created_quarter``, ``created_year``
(and ``created_raw`` for timestamps), as Lightdash's dbt compiler does.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

DEFAULT_INTERVALS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")
AGGREGATES = MappingProxyType({
    "count": "COUNT({})",
    "count_distinct": "COUNT(DISTINCT {})",
    "sum": "SUM({})",
    "average": "AVG({})",
    "min": "MIN({})",
    "max": "MAX({})",
    "median": "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {})",
})


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    name: str
    type: str  # string | number | date | timestamp | boolean
    column: str
    label: str
    description: str
    hidden: bool = False
    format: str | None = None
    round: int | None = None


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    type: str  # count | count_distinct | sum | average | min | max
    column: str
    label: str
    description: str
    round: int | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    label: str
    description: str
    dimensions: tuple[DimensionSpec, ...]
    metrics: tuple[MetricSpec, ...]
    time_dimension: str | None = None  # the metrics' defaultTimeDimension field


@dataclass(frozen=True, slots=True)
class JoinSpec:
    table: str
    sql_on: str  # in field-reference syntax: ${orders.customer_id} = ${customers.customer_id}
    type: str = "left"


@dataclass(frozen=True, slots=True)
class ExploreSpec:
    name: str
    label: str
    base_table: str
    joins: tuple[JoinSpec, ...] = ()
    tags: tuple[str, ...] = ()
    group_label: str | None = None


D, M = DimensionSpec, MetricSpec

TABLES: tuple[TableSpec, ...] = (
    TableSpec("customers", "Customers", "One row per customer of the shop.", (
        D("customer_id", "number", "customer_id", "Customer id", "Primary key of a customer."),
        D("first_name", "string", "first_name", "First name", "Customer's first name."),
        D("last_name", "string", "last_name", "Last name", "Customer's last name."),
        D("email", "string", "email", "Email", "Customer's email address."),
        D("country", "string", "country", "Country", "Country the customer ships to."),
        D("is_active", "boolean", "is_active", "Is active", "Whether the customer has an active account."),
        D("created", "timestamp", "created_at", "Created", "When the customer signed up."),
        D("first_order", "date", "first_order_date", "First order", "Date of the customer's first order."),
    ), (
        M("customer_count", "count", "customer_id", "Customer count", "Number of customers."),
        M("unique_customer_count", "count_distinct", "customer_id", "Unique customer count",
          "Number of distinct customers."),
    ), time_dimension="created"),
    TableSpec("orders", "Orders", "One row per order placed in the shop.", (
        D("order_id", "number", "order_id", "Order id", "Primary key of an order."),
        D("customer_id", "number", "customer_id", "Customer id", "The customer who placed the order."),
        D("status", "string", "status", "Status", "Order status: placed, shipped, completed, return_pending "
          "or returned."),
        D("promo_code", "string", "promo_code", "Promo code", "Promotion applied to the order, if any."),
        D("amount", "number", "amount", "Amount", "Order total in dollars.", format="usd", round=2),
        D("is_completed", "boolean", "is_completed", "Is completed", "Whether the order has completed."),
        D("order_date", "date", "order_date", "Order date", "Date the order was placed."),
        D("created", "timestamp", "created_at", "Created", "When the order record was created."),
    ), (
        M("order_count", "count", "order_id", "Order count", "Number of orders."),
        M("unique_order_count", "count_distinct", "order_id", "Unique order count", "Distinct orders."),
        M("unique_customer_count", "count_distinct", "customer_id", "Unique customers",
          "Distinct customers who ordered."),
        M("total_order_amount", "sum", "amount", "Total order amount", "Sum of order amounts.",
          round=2, format="usd"),
        M("average_order_amount", "average", "amount", "Average order amount", "Mean order amount.",
          round=2, format="usd"),
        M("min_order_amount", "min", "amount", "Smallest order", "Smallest order amount."),
        M("max_order_amount", "max", "amount", "Largest order", "Largest order amount."),
    ), time_dimension="order_date"),
    TableSpec("payments", "Payments", "One row per payment made against an order.", (
        D("payment_id", "number", "payment_id", "Payment id", "Primary key of a payment."),
        D("order_id", "number", "order_id", "Order id", "The order this payment settles."),
        D("payment_method", "string", "payment_method", "Payment method",
          "credit_card, bank_transfer, coupon or gift_card."),
        D("amount", "number", "amount", "Amount", "Payment amount in dollars.", format="usd", round=2),
        D("created", "timestamp", "created_at", "Created", "When the payment was taken."),
    ), (
        M("payment_count", "count", "payment_id", "Payment count", "Number of payments."),
        M("total_revenue", "sum", "amount", "Total revenue", "Sum of payment amounts.", round=2, format="usd"),
        M("average_payment", "average", "amount", "Average payment", "Mean payment amount.", round=2),
        M("largest_payment", "max", "amount", "Largest payment", "Largest payment amount."),
    ), time_dimension="created"),
)

EXPLORES: tuple[ExploreSpec, ...] = (
    ExploreSpec("customers", "Customers", "customers", tags=("core",)),
    ExploreSpec("orders", "Orders", "orders", (
        JoinSpec("customers", "${orders.customer_id} = ${customers.customer_id}"),
        JoinSpec("payments", "${orders.order_id} = ${payments.order_id}"),
    ), tags=("core", "sales"), group_label="Sales"),
    ExploreSpec("payments", "Payments", "payments", (
        JoinSpec("orders", "${payments.order_id} = ${orders.order_id}"),
    ), tags=("finance",), group_label="Sales"),
)


def table_spec(name: str) -> TableSpec | None:
    return next((t for t in TABLES if t.name == name), None)


def _interval_sql(interval: str, column_sql: str, kind: str, target: str) -> str:
    """DATE_TRUNC in the target's spelling: BigQuery's ``TIMESTAMP_TRUNC(x, DAY)``/``DATE_TRUNC(x, DAY)``,
    everyone else's ``DATE_TRUNC('DAY', x)``."""
    if target == "bigquery":
        function = "TIMESTAMP_TRUNC" if kind == "timestamp" else "DATE_TRUNC"
        return f"{function}({column_sql}, {interval})"
    return f"DATE_TRUNC('{interval}', {column_sql})"


def _field(field_type: str, spec: DimensionSpec | MetricSpec, table: TableSpec, index: int, *, hidden: bool,
           compiled_sql: str, **extra: Any) -> dict[str, Any]:
    """The keys dimensions and metrics share, in the order Lightdash sends them (``extra`` before the SQL)."""
    return {"fieldType": field_type, "type": spec.type, "name": spec.name, "label": spec.label,
            "table": table.name, "tableLabel": table.label, "sql": f"${{TABLE}}.{spec.column}",
            "description": spec.description, "hidden": hidden, "index": index, "groups": [], **extra,
            "compiledSql": compiled_sql, "tablesReferences": [table.name]}


def _dimension(spec: DimensionSpec, table: TableSpec, index: int, quote: str) -> dict[str, Any]:
    column_sql = f"{quote}{table.name}{quote}.{spec.column}"
    dim = _field("dimension", spec, table, index, hidden=spec.hidden, compiled_sql=column_sql)
    if spec.format is not None:
        dim["format"] = spec.format
    if spec.round is not None:
        dim["round"] = spec.round
    return dim


def _interval_children(base: dict[str, Any], target: str) -> list[dict[str, Any]]:
    children = []
    intervals = (("RAW",) if base["type"] == "timestamp" else ()) + DEFAULT_INTERVALS
    for interval in intervals:
        child = dict(base)
        child.update(
            name=f"{base['name']}_{interval.lower()}",
            label=f"{base['label']} {interval.lower()}",
            type=base["type"] if interval == "RAW" else "date",
            timeInterval=interval,
            timeIntervalBaseDimensionName=base["name"],
            groups=[base["name"]],
            compiledSql=base["compiledSql"] if interval == "RAW" else
            _interval_sql(interval, base["compiledSql"], base["type"], target),
        )
        child.pop("isIntervalBase", None)
        children.append(child)
    return children


def _metric(spec: MetricSpec, table: TableSpec, index: int, quote: str) -> dict[str, Any]:
    column_sql = f"{quote}{table.name}{quote}.{spec.column}"
    metric = _field("metric", spec, table, index, hidden=False, compiled_sql=AGGREGATES[spec.type].format(column_sql),
                    filters=[], isAutoGenerated=False)
    if spec.round is not None:
        metric["round"] = spec.round
    if spec.format is not None:
        metric["format"] = spec.format
    if table.time_dimension:
        metric["defaultTimeDimension"] = {"field": table.time_dimension, "interval": "DAY"}
    return metric


def compile_table(table: TableSpec, database: str, schema: str, quote: str = '"',
                  target: str = "postgres") -> dict[str, Any]:
    """One CompiledTable: dimensions (with interval children) and metrics keyed by field name."""
    dimensions: dict[str, Any] = {}
    index = 0
    for spec in table.dimensions:
        dim = _dimension(spec, table, index, quote)
        index += 1
        if spec.type in ("date", "timestamp"):
            dim["isIntervalBase"] = True
            dimensions[dim["name"]] = dim
            for child in _interval_children(dim, target):
                child["index"] = index
                index += 1
                dimensions[child["name"]] = child
        else:
            dimensions[dim["name"]] = dim
    metrics = {m.name: _metric(m, table, i, quote) for i, m in enumerate(table.metrics)}
    compiled: dict[str, Any] = {
        "name": table.name,
        "label": table.label,
        "description": table.description,
        "database": database,
        "schema": schema,
        "sqlTable": f"{quote}{database}{quote}.{quote}{schema}{quote}.{quote}{table.name}{quote}",
        "orderFieldsBy": "LABEL",
        "dimensions": dimensions,
        "metrics": metrics,
        "lineageGraph": {table.name: []},
    }
    if table.time_dimension:
        compiled["defaultTimeDimension"] = {"field": table.time_dimension, "interval": "DAY"}
    return compiled


def compile_sql_on(sql_on: str, quote: str = '"') -> str:
    """``${orders.customer_id} = ${customers.customer_id}`` -> ``("orders".customer_id) = (...)``."""

    def column(match: re.Match[str]) -> str:
        table, field = match.group(1), match.group(2)
        spec = table_spec(table)
        col = field
        if spec is not None:
            col = next((d.column for d in spec.dimensions if d.name == field), field)
        return f"({quote}{table}{quote}.{col})"

    return re.sub(r"\$\{(\w+)\.(\w+)\}", column, sql_on)


def build_explores(database: str, schema: str, target: str = "postgres") -> dict[str, dict[str, Any]]:
    """Every explore of the project, keyed by name, in the GetExplore (Explore) shape."""
    quote = "`" if target in ("bigquery", "databricks") else '"'
    compiled = {t.name: compile_table(t, database, schema, quote, target) for t in TABLES}
    explores: dict[str, dict[str, Any]] = {}
    for spec in EXPLORES:
        tables = {spec.base_table: copy.deepcopy(compiled[spec.base_table])}
        joined = []
        for join in spec.joins:
            tables[join.table] = copy.deepcopy(compiled[join.table])
            joined.append({
                "table": join.table,
                "sqlOn": join.sql_on,
                "compiledSqlOn": compile_sql_on(join.sql_on, quote),
                "type": join.type,
                "hidden": False,
                "always": False,
            })
        explore: dict[str, Any] = {
            "name": spec.name,
            "label": spec.label,
            "tags": list(spec.tags),
            "baseTable": spec.base_table,
            "joinedTables": joined,
            "tables": tables,
            "targetDatabase": target,
            "type": "default",
            "ymlPath": f"models/{spec.base_table}.yml",
            "sqlPath": f"models/{spec.base_table}.sql",
        }
        if spec.group_label:
            explore["groupLabel"] = spec.group_label
        explores[spec.name] = explore
    return explores


def summarize(explore: dict[str, Any]) -> dict[str, Any]:
    """The SummaryExplore entry GetExplores lists for ``explore``."""
    base = explore["tables"].get(explore["baseTable"], {})
    summary: dict[str, Any] = {
        "name": explore["name"],
        "label": explore.get("label", explore["name"]),
        "tags": list(explore.get("tags", [])),
        "databaseName": base.get("database", ""),
        "schemaName": base.get("schema", ""),
        "description": base.get("description", ""),
        "type": explore.get("type", "default"),
    }
    if explore.get("groupLabel"):
        summary["groupLabel"] = explore["groupLabel"]
    return summary
