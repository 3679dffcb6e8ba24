"""SQL in the project's warehouse dialect, read by sqlglot and rebuilt as DuckDB SQL for the engine.

``to_engine(sql, ...)`` is the one door into the engine:

1. syntax the project's warehouse does not have is refused with its driver's syntax error (sqlglot reads
   every dialect leniently: BigQuery's parser accepts Postgres' ``::`` casts, for example);
2. the text is parsed in the dialect (``ParseError`` -> the driver's syntax error); one statement only,
   and it must be a query (``SELECT``/``WITH``/set operation): anything else is what a read-only warehouse
   user gets;
3. every relation must be a warehouse table (optionally qualified with the project's database and schema)
   or a CTE; table functions (``read_csv``, ``generate_series``...) are unknown relations;
4. ``CURRENT_DATE``/``CURRENT_TIMESTAMP``/``NOW()`` become literals of the injected clock;
5. unaliased result columns get the name the warehouse would give them (Postgres ``count``, BigQuery
   ``f0_``, Snowflake upper case, Trino ``_col0``);
6. the tree is written as DuckDB SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import cast

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from .driver_errors import position, warehouse_error
from .errors import WarehouseQueryError
from .targets import Target

#: token types a dialect's own parser refuses (Postgres-only syntax sqlglot would otherwise accept)
REFUSED: Mapping[str, frozenset[TokenType]] = MappingProxyType({
    "bigquery": frozenset({TokenType.DCOLON, TokenType.ILIKE}),
    "trino": frozenset({TokenType.DCOLON, TokenType.ILIKE}),
    "databricks": frozenset(),
    "snowflake": frozenset(),
    "redshift": frozenset(),
    "postgres": frozenset(),
})
#: the names Postgres gives a cast's column (its internal type names)
PG_TYPE_NAMES: Mapping[str, str] = MappingProxyType({
    "double precision": "float8", "real": "float4", "int": "int4", "integer": "int4", "bigint": "int8",
    "smallint": "int2", "decimal": "numeric", "boolean": "bool", "timestamptz": "timestamptz",
    "varchar": "varchar", "text": "text", "bytea": "bytea",
})
#: expressions and function names that read the wall clock (pinned to the injected clock)
CLOCK_TIMESTAMPS = (exp.CurrentTimestamp, exp.CurrentDatetime, exp.CurrentTimestampLTZ, exp.Localtimestamp,
                    exp.Systimestamp, exp.UtcTimestamp)
CLOCK_NAMES = frozenset({"now", "get_current_timestamp", "get_current_time", "transaction_timestamp",
                         "statement_timestamp", "clock_timestamp", "localtimestamp", "current_localtimestamp",
                         "sysdate", "getdate", "current_timestamp", "current_datetime"})
#: dialects that have ``SELECT DISTINCT ON (...)``
DISTINCT_ON = frozenset({"postgres"})
#: dialects whose ``/`` truncates integer division
INTEGER_DIVISION = frozenset({"postgres", "redshift", "trino"})


def _start(token: Token) -> str:
    return f"{token.line}:{max(token.col - len(token.text) + 1, 1)}"


def _refuse_foreign_syntax(sql: str, dialect: str) -> None:
    refused = REFUSED.get(dialect, frozenset())
    if not refused and (dialect in DISTINCT_ON or "distinct" not in sql.lower()):
        return
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except TokenError as exc:
        raise warehouse_error(dialect, "syntax", token=sql.strip()[:1]) from exc
    for token in tokens:
        if token.token_type in refused:
            raise warehouse_error(dialect, "syntax", token=token.text, at=_start(token))
    for index, token in enumerate(tokens[:-1]):  # DISTINCT ON is Postgres' own
        if dialect not in DISTINCT_ON and token.token_type == TokenType.DISTINCT and \
                tokens[index + 1].token_type == TokenType.ON:
            following = tokens[index + 1]
            raise warehouse_error(dialect, "syntax", token=following.text, at=_start(following))


def _unknown_first_word(sql: str, dialect: str) -> Token | None:
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except TokenError:
        return None
    if tokens and tokens[0].token_type in (TokenType.VAR, TokenType.IDENTIFIER, TokenType.STRING, TokenType.NUMBER):
        return tokens[0]
    return None


def _parse(sql: str, dialect: str) -> exp.Expression:
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as exc:
        first = _unknown_first_word(sql, dialect)
        if first is not None:  # a parser stops at a first word that starts no statement
            raise warehouse_error(dialect, "syntax", token=first.text, at=_start(first)) from exc
        detail = exc.errors[0] if exc.errors else {}
        token = str(detail.get("highlight") or "").strip() or "end of input"
        line, col = detail.get("line", 1), detail.get("col", 1)
        raise warehouse_error(dialect, "syntax", token=token,
                              at=f"{line}:{max(int(col) - len(token) + 1, 1)}") from exc
    except TokenError as exc:
        raise warehouse_error(dialect, "syntax", token=sql.strip()[:1]) from exc
    if not statements:
        raise warehouse_error(dialect, "syntax", token="end of input")
    if len(statements) > 1:
        raise warehouse_error(dialect, "syntax", token=";", at=position(sql, ";"))
    statement = statements[0]
    if not isinstance(statement, exp.Query | exp.Values):
        kind = statement.key.upper() if statement.key != "command" else str(statement.this).upper()
        raise warehouse_error(dialect, "readonly", name=kind)
    return cast(exp.Expression, statement)


def _qualified_name(table: exp.Table) -> str:
    return ".".join(p for p in (table.catalog, table.db, table.name) if p)


def _check_tables(tree: exp.Expression, target: Target, sql: str) -> None:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            func = table.this
            name = func.name if isinstance(func, exp.Anonymous) else (
                func.sql_name() if isinstance(func, exp.Func) else table.sql())
            raise warehouse_error(target.dialect, "function", name=name.lower(), at=position(sql, name))
        name = table.name.lower()
        if not table.db and name in ctes:
            continue
        qualifiers_match = (not table.db or table.db.lower() == target.schema.lower()) and \
            (not table.catalog or table.catalog.lower() == target.database.lower())
        if name not in target.tables or not qualifiers_match:
            shown = _qualified_name(table)
            raise warehouse_error(target.dialect, "table", name=shown, at=position(sql, table.name))
        table.set("catalog", None)
        table.set("db", exp.to_identifier(target.engine_schema))


def _reads_clock(node: exp.Expression) -> str | None:
    """``timestamp``/``date``/``time`` when ``node`` reads the wall clock, whatever the dialect called it."""
    name = node.name.lower() if isinstance(node, exp.Anonymous) else None
    if isinstance(node, CLOCK_TIMESTAMPS) or name in CLOCK_NAMES:
        return "timestamp"
    if isinstance(node, exp.CurrentDate | exp.UtcDate) or name == "today":
        return "date"
    if isinstance(node, exp.CurrentTime | exp.Localtime | exp.UtcTime):
        return "time"
    return None


def _pin_clock(tree: exp.Expression, now: datetime) -> exp.Expression:
    """Every wall-clock read becomes a literal of the injected clock (same seed and clock, same bytes)."""
    instant = now.astimezone(UTC).replace(tzinfo=None)
    literals = {
        "timestamp": (instant.isoformat(sep=" "), exp.DataType.Type.TIMESTAMP),
        "date": (instant.date().isoformat(), exp.DataType.Type.DATE),
        "time": (instant.time().isoformat(), exp.DataType.Type.TIME),
    }

    def replace(node: exp.Expression) -> exp.Expression:
        kind = _reads_clock(node)
        if kind is None:
            return node
        text, data_type = literals[kind]
        return exp.cast(exp.Literal.string(text), data_type)

    return tree.transform(replace, copy=False)


def _postgres_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Column):
        return node.name if node.this.args.get("quoted") else node.name.lower()
    if isinstance(node, exp.Cast):
        inner = _postgres_name(node.this)
        if inner != "?column?":
            return inner
        type_name = node.to.sql("postgres").lower().split("(", 1)[0]
        return PG_TYPE_NAMES.get(type_name, type_name)
    if isinstance(node, exp.Case):
        return "case"
    if isinstance(node, exp.Func | exp.Array):  # the function's name as Postgres spells it
        match = re.match(r"[A-Za-z_]\w*", node.sql("postgres"))
        return match.group(0).lower() if match else "?column?"
    return "?column?"


def result_name(node: exp.Expression, index: int, anonymous: int, dialect: str) -> str | None:
    """The column name the warehouse gives a select item (``None``: keep what it has, e.g. ``*``)."""
    if isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star)):
        return None
    if isinstance(node, exp.Alias):
        alias = node.args["alias"]
        folded = dialect in ("postgres", "redshift") and not alias.args.get("quoted")
        upper = dialect == "snowflake" and not alias.args.get("quoted")
        name = str(alias.name)
        return name.lower() if folded else (name.upper() if upper else name)
    if dialect in ("postgres", "redshift"):
        return _postgres_name(node)
    if isinstance(node, exp.Column):
        quoted = node.this.args.get("quoted")
        return node.name.upper() if dialect == "snowflake" and not quoted else node.name
    if dialect == "bigquery":
        return f"f{anonymous}_"
    if dialect == "trino":
        return f"_col{index}"
    if dialect == "snowflake":
        return node.sql("snowflake").upper()
    return node.sql(dialect).lower().replace("count(*)", "count(1)")  # Spark's names


def _name_columns(tree: exp.Expression, dialect: str) -> None:
    select = tree if isinstance(tree, exp.Select) else None
    if select is None:
        return
    anonymous = 0
    named = []
    for index, item in enumerate(select.expressions):
        name = result_name(item, index, anonymous, dialect)
        if not isinstance(item, exp.Alias | exp.Column | exp.Star):
            anonymous += 1
        inner = item.this if isinstance(item, exp.Alias) else item
        keep = name is None or (isinstance(item, exp.Column) and item.name == name)
        named.append(item if keep else exp.alias_(inner, name, quoted=True))
    select.set("expressions", named)


def _float_division(tree: exp.Expression) -> exp.Expression:
    """``a / b`` as a float division (BigQuery, Snowflake, Databricks): the engine truncates integers."""

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Div):
            left = exp.cast(node.this, exp.DataType.Type.DOUBLE)
            return exp.Div(this=left, expression=node.expression)
        return node

    return tree.transform(replace, copy=False)


def transpile(sql: str, target: Target, now: datetime) -> tuple[str, bool]:
    """(DuckDB text, whether it depends on ``now``); a query too deeply nested to read is a syntax error."""
    try:
        return _transpile_tree(sql, target, now)
    except RecursionError as exc:
        raise WarehouseQueryError("stack depth limit exceeded") from exc  # Postgres' words
    except SqlglotError as exc:
        raise warehouse_error(target.dialect, "syntax", token=sql.strip()[:1] or "end of input") from exc


def _transpile_tree(sql: str, target: Target, now: datetime) -> tuple[str, bool]:
    _refuse_foreign_syntax(sql, target.dialect)
    tree = _parse(sql, target.dialect)
    _check_tables(tree, target, sql)
    _name_columns(tree, target.dialect)
    reads_clock = any(isinstance(node, exp.Expression) and _reads_clock(node) is not None for node in tree.walk())
    tree = _pin_clock(tree, now)
    if target.dialect not in INTEGER_DIVISION:
        tree = _float_division(tree)
    return tree.sql("duckdb"), reads_clock


def to_engine(sql: str, target: Target, now: datetime) -> str:
    """The DuckDB text of ``sql`` read in ``target.dialect``; the warehouse's WarehouseQueryError if refused."""
    return transpile(sql, target, now)[0]
