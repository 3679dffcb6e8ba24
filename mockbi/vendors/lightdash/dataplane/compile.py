"""CompileQuery: the SQL Lightdash would send to the warehouse for a metric query (postgres dialect).

The text matches what ``query.execute`` computes: the same joins (only referenced tables), the same
WHERE tree (relative dates rendered as literal bounds from ``now``), GROUP BY ordinals, a ``metrics``
CTE when metric filters or table calculations need one, ORDER BY and LIMIT. Identifiers are quoted
with the adapter's quote char (``"`` for postgres, backtick for bigquery/databricks).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .fields import Field, ref_to_field_id
from .filters import relative_window
from .query import Plan, get_explore, plan_query, row_limit
from .tablecalc import REF

INDENT = "  "


def _literal(value: Any, kind: str) -> str:
    if kind == "number":
        return str(value)
    if kind == "boolean":
        return "true" if value in (True, "true", "True", 1, "1") else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _date_literal(instant: datetime, kind: str) -> str:
    return f"('{instant.date().isoformat()}')" if kind == "date" else \
        f"('{instant.strftime('%Y-%m-%d %H:%M:%S')}')"


def render_rule(rule: dict[str, Any], sql: str, kind: str, now: datetime) -> str:
    """One FilterRule as SQL over the expression ``sql``."""
    op = rule.get("operator")
    values = rule.get("values") or []
    x = f"({sql})"
    if rule.get("disabled"):
        return "1=1"
    if op == "isNull":
        return f"{x} IS NULL"
    if op == "notNull":
        return f"{x} IS NOT NULL"
    if op in ("inThePast", "notInThePast", "inTheNext", "inTheCurrent", "notInTheCurrent"):
        start, end, inclusive = relative_window(rule, now)
        upper = "<=" if inclusive else "<"
        inside = f"({x} >= {_date_literal(start, kind)} AND {x} {upper} {_date_literal(end, kind)})"
        return f"NOT {inside}" if op.startswith("not") else inside
    if not values:
        return "1=1"
    lits = ", ".join(_literal(v, kind) for v in values)
    if op == "equals":
        return f"{x} IN ({lits})" if kind != "boolean" else f"{x} = {_literal(values[0], kind)}"
    if op == "notEquals":
        return f"({x} NOT IN ({lits}) OR {x} IS NULL)" if kind == "string" else f"{x} NOT IN ({lits})"
    text = [str(v).replace("'", "''") for v in values]
    if op == "startsWith":
        return "(" + " OR ".join(f"{x} LIKE '{v}%'" for v in text) + ")"
    if op == "endsWith":
        return "(" + " OR ".join(f"{x} LIKE '%{v}'" for v in text) + ")"
    if op == "include":
        return "(" + " OR ".join(f"LOWER({sql}) LIKE LOWER('%{v}%')" for v in text) + ")"
    if op == "doesNotInclude":
        return "(" + " AND ".join(f"LOWER({sql}) NOT LIKE LOWER('%{v}%')" for v in text) + ")"
    first = _literal(values[0], kind)
    symbols = {"lessThan": "<", "lessThanOrEqual": "<=", "greaterThan": ">", "greaterThanOrEqual": ">="}
    if op in symbols:
        return f"{x} {symbols[op]} {first}"
    second = _literal(values[1], kind) if len(values) > 1 else first
    if op == "inBetween":
        return f"({x} >= {first} AND {x} <= {second})"
    if op == "notInBetween":
        return f"({x} < {first} OR {x} > {second})"
    return "1=1"


def render_group(group: Any, column: Any, now: datetime) -> str:
    """A FilterGroup tree; ``column(fieldId) -> (sql, type)``."""
    if not isinstance(group, dict):
        return "1=1"
    if "target" in group and "and" not in group and "or" not in group:
        sql, kind = column(str(group["target"]["fieldId"]))
        return render_rule(group, sql, kind, now)
    joiner = f"\n{INDENT}OR " if "or" in group else f"\n{INDENT}AND "
    parts = [render_group(item, column, now) for item in group.get("or", group.get("and")) or []]
    if not parts:
        return "1=1"
    return f"(\n{INDENT}" + joiner.join(parts) + "\n)"


def _q(name: str, quote: str) -> str:
    return f"{quote}{name}{quote}"


def _field_sql(f: Field) -> str:
    return str(f.item.get("compiledSql") or f.item.get("sql") or "NULL")


def compile_plan(plan: Plan, *, now: datetime, limit: int) -> str:
    explore = plan.explore
    quote = "`" if explore.get("targetDatabase") in ("bigquery", "databricks") else '"'
    base = explore["baseTable"]
    tables = explore["tables"]
    selects = [f"{INDENT}{_field_sql(f)} AS {_q(f.field_id, quote)}" for f in plan.dimensions]
    metric_fields = list(plan.metrics) + [f for fid, f in plan.filter_metrics.items()
                                          if fid not in {m.field_id for m in plan.metrics}]
    selects += [f"{INDENT}{_field_sql(f)} AS {_q(f.field_id, quote)}" for f in metric_fields]
    lines = ["SELECT", ",\n".join(selects),
             f"FROM {tables[base].get('sqlTable', _q(base, quote))} AS {_q(base, quote)}"]
    for join in plan.joins:
        kind = "INNER JOIN" if join.get("type") == "inner" else "LEFT OUTER JOIN"
        table = tables.get(join["table"], {})
        lines.append(f"{kind} {table.get('sqlTable', _q(join['table'], quote))} AS {_q(join['table'], quote)}")
        lines.append(f"{INDENT}ON {join.get('compiledSqlOn', join.get('sqlOn'))}")
    filters = plan.metric_query.get("filters") or {}
    if filters.get("dimensions"):
        dims = plan.filter_dimensions
        lines.append("WHERE " + render_group(filters["dimensions"],
                                             lambda fid: (_field_sql(dims[fid]), dims[fid].type), now))
    if plan.dimensions:
        lines.append("GROUP BY " + ",".join(str(i + 1) for i in range(len(plan.dimensions))))
    inner = "\n".join(lines)
    tail = []
    sorts = plan.metric_query.get("sorts") or []
    if sorts:
        tail.append("ORDER BY " + ", ".join(
            _q(str(s.get("fieldId")), quote) + (" DESC" if s.get("descending") else "") for s in sorts))
    tail.append(f"LIMIT {limit}")
    if not filters.get("metrics") and not plan.calcs:
        return inner + "\n" + "\n".join(tail)
    outer = ["WITH metrics AS (", inner, ")"]
    calc_selects = []
    for calc in plan.calcs:
        sql = REF.sub(lambda m: _q(ref_to_field_id(m.group(1).strip()), quote), str(calc.get("sql", "")))
        calc_selects.append(f"{INDENT}({sql}) AS {_q(calc['name'], quote)}")
    body = "SELECT\n" + ",\n".join([f"{INDENT}*", *calc_selects]) + "\nFROM metrics"
    if filters.get("metrics"):
        fm = {**{f.field_id: f for f in plan.metrics}, **plan.filter_metrics}
        body += "\nWHERE " + render_group(filters["metrics"], lambda fid: (_q(fid, quote), (
            fm[fid].type if fm[fid].type in ("date", "timestamp") else "number")), now)
    if filters.get("tableCalculations"):
        types = {c["name"]: str(c.get("type", "number")) for c in plan.calcs}
        outer[-1] = "),"
        outer += ["table_calculations AS (", body, ")"]
        body = "SELECT *\nFROM table_calculations\nWHERE " + render_group(
            filters["tableCalculations"], lambda fid: (_q(fid, quote), types.get(fid, "number")), now)
    return "\n".join(outer) + "\n" + body + "\n" + "\n".join(tail)


def compile_query(explores: Mapping[str, dict[str, Any]], explore_name: str, metric_query: Mapping[str, Any],
                  *, now: datetime) -> str:
    """CompileQuery's ``results`` string for ``metric_query`` on ``explore_name``."""
    limit = row_limit(metric_query)
    plan = plan_query(get_explore(explores, explore_name), metric_query)
    return compile_plan(plan, now=now, limit=limit)
