"""CompileQuery: the SQL Lightdash sends to the warehouse for a metric query, in the project's dialect.

This is the SQL the engine runs (``query`` transpiles it to DuckDB through ``dialects``): the joins the
query references, the WHERE tree (relative dates rendered as literal bounds from ``now``), GROUP BY
ordinals, a ``metrics`` CTE when metric filters or table calculations need one, ORDER BY and LIMIT.
Identifiers are quoted with the adapter's quote char (``"``; backtick for BigQuery and Databricks).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .errors import ParameterError
from .fields import Field, compile_field_sql, quote_of
from .filters import parse_instant, relative_window
from .plan import Plan, get_explore, plan_query, row_limit
from .tablecalc import compile_calculation

INDENT = "  "


def _quote_text(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _literal(value: Any, kind: str) -> str:
    """A filter value as a SQL literal of the field's type (numbers are checked: never raw text)."""
    if kind == "number":
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"Invalid number value: {value}") from exc
        if number != number or number in (float("inf"), float("-inf")):
            raise ParameterError(f"Invalid number value: {value}")
        return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    if kind == "boolean":
        return "true" if value in (True, "true", "True", 1, "1") else "false"
    if kind in ("date", "timestamp"):
        instant = parse_instant(value)
        return _date_literal(instant, kind)
    return _quote_text(value)


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


def _number_text(value: Any) -> str:
    return _literal(value, "number")


def _bin_sql(f: Field, plan: Plan, quote: str) -> str:
    """A BIN custom dimension's label, computed by the warehouse (Lightdash's bin SQL, simplified)."""
    assert f.base is not None and f.bin is not None
    x = f"({field_sql(f.base, plan, quote)})"
    text = "STRING" if quote == "`" else "VARCHAR"
    kind = f.bin.get("binType")
    if kind == "fixed_width":
        width = _number_text(f.bin.get("binWidth") or 1)
        start = f"CAST(FLOOR({x} / {width}) * {width} AS INTEGER)"
        return f"CONCAT(CAST({start} AS {text}), '-', CAST({start} + {width} - 1 AS {text}))"
    if kind == "custom_range":
        whens = []
        for bound in f.bin.get("customRange") or []:
            lo, hi = bound.get("from"), bound.get("to")
            if lo is None and hi is not None:
                whens.append(f"WHEN {x} < {_number_text(hi)} THEN {_quote_text(f'<{hi}')}")
            elif hi is None and lo is not None:
                whens.append(f"WHEN {x} >= {_number_text(lo)} THEN {_quote_text(f'≥{lo}')}")
            elif lo is not None:
                whens.append(f"WHEN {x} >= {_number_text(lo)} AND {x} < {_number_text(hi)} "
                             f"THEN {_quote_text(f'{lo}-{hi}')}")
        return "CASE " + " ".join(whens) + " ELSE NULL END" if whens else "NULL"
    bins = max(int(float(f.bin.get("binNumber") or 1)), 1)
    table = plan.explore["tables"].get(f.base.table or "", {})
    source = f"FROM {table.get('sqlTable', _q(str(f.base.table), quote))} AS {_q(str(f.base.table), quote)}"
    lo, hi = f"FLOOR((SELECT MIN({x}) {source}))", f"CEIL((SELECT MAX({x}) {source}))"
    width = f"GREATEST(FLOOR(({hi} - {lo}) / {bins}), 1)"
    start = f"CAST({lo} + LEAST(FLOOR(({x} - {lo}) / {width}), {bins - 1}) * {width} AS INTEGER)"
    return f"CONCAT(CAST({start} AS {text}), '-', CAST(CAST({start} + {width} AS INTEGER) AS {text}))"


def field_sql(f: Field, plan: Plan, quote: str) -> str:
    """The SQL expression of a resolved field: its compiled SQL, custom SQL or bin expression."""
    if f.bin is not None:
        return _bin_sql(f, plan, quote)
    if f.kind == "custom_dimension":
        return compile_field_sql(plan.explore, str(f.item.get("table", f.table or "")), str(f.item.get("sql", "")),
                                 quote)
    compiled = f.item.get("compiledSql")
    if compiled:
        return str(compiled)
    return compile_field_sql(plan.explore, str(f.table or ""), str(f.item.get("sql", "")), quote) or "NULL"


def _from_clause(plan: Plan, quote: str) -> list[str]:
    tables = plan.explore["tables"]
    base = plan.explore["baseTable"]
    lines = [f"FROM {tables[base].get('sqlTable', _q(base, quote))} AS {_q(base, quote)}"]
    for join in plan.joins:
        kind = "INNER JOIN" if join.get("type") == "inner" else "LEFT OUTER JOIN"
        table = tables.get(join["table"], {})
        lines.append(f"{kind} {table.get('sqlTable', _q(join['table'], quote))} AS {_q(join['table'], quote)}")
        lines.append(f"{INDENT}ON {join.get('compiledSqlOn', join.get('sqlOn'))}")
    return lines


def _metrics_select(plan: Plan, now: datetime, quote: str) -> str:
    """SELECT dimensions and metrics FROM the joins WHERE the dimension filters GROUP BY the dimensions."""
    selects = [f"{INDENT}{field_sql(f, plan, quote)} AS {_q(f.field_id, quote)}" for f in plan.dimensions]
    metric_fields = list(plan.metrics) + [f for fid, f in plan.filter_metrics.items()
                                          if fid not in {m.field_id for m in plan.metrics}]
    selects += [f"{INDENT}{field_sql(f, plan, quote)} AS {_q(f.field_id, quote)}" for f in metric_fields]
    lines = ["SELECT", ",\n".join(selects), *_from_clause(plan, quote)]
    filters = plan.metric_query.get("filters") or {}
    if filters.get("dimensions"):
        dims = plan.filter_dimensions
        lines.append("WHERE " + render_group(filters["dimensions"],
                                             lambda fid: (field_sql(dims[fid], plan, quote), dims[fid].type), now))
    if plan.dimensions:
        lines.append("GROUP BY " + ",".join(str(i + 1) for i in range(len(plan.dimensions))))
    return "\n".join(lines)


def compile_plan(plan: Plan, *, now: datetime, limit: int | None) -> str:
    """The full query: the metrics SELECT, wrapped in CTEs for metric filters and table calculations."""
    quote = quote_of(plan.explore)
    if not plan.dimensions and not plan.metrics and not plan.calcs:
        raise ParameterError("Query must have at least one dimension or metric")
    inner = _metrics_select(plan, now, quote)
    tail = []
    sorts = plan.metric_query.get("sorts") or []
    if sorts:
        tail.append("ORDER BY " + ", ".join(
            _q(str(s.get("fieldId")), quote) + (" DESC" if s.get("descending") else "") for s in sorts))
    if limit is not None:
        tail.append(f"LIMIT {limit}")
    filters = plan.metric_query.get("filters") or {}
    if not filters.get("metrics") and not plan.calcs:
        return "\n".join([inner, *tail])
    outer = ["WITH metrics AS (", inner, ")"]
    calc_selects = [f"{INDENT}({compile_calculation(str(c.get('sql', '')), quote)}) AS {_q(c['name'], quote)}"
                    for c in plan.calcs]
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
    return "\n".join([*outer, body, *tail])


def compile_query(explores: Mapping[str, dict[str, Any]], explore_name: str, metric_query: Mapping[str, Any],
                  *, now: datetime) -> str:
    """CompileQuery's ``results`` string for ``metric_query`` on ``explore_name``."""
    limit = row_limit(metric_query)
    plan = plan_query(get_explore(explores, explore_name), metric_query)
    return compile_plan(plan, now=now, limit=limit)
