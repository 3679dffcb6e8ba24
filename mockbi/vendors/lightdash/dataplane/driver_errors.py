"""What each warehouse's driver says when a query fails, as Lightdash passes it on (``WarehouseQueryError``).

Lightdash's warehouse clients wrap the driver's error message unchanged
(``throw new WarehouseQueryError(e.message)``), so the message is the warehouse's own: Postgres'
``column "x" does not exist``, BigQuery's ``Unrecognized name: x at [1:8]``, Snowflake's
``SQL compilation error: ...``. ``warehouse_error(dialect, kind, ...)`` words one failure the way the
project's warehouse would; ``from_engine`` classifies a DuckDB error (the engine behind every dialect)
and words it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

import duckdb

from .errors import WarehouseQueryError

Words = Callable[..., str]


def _pg(kind: str, name: str, token: str, at: str, seconds: float) -> str:
    return {
        "syntax": f'syntax error at or near "{token}"',
        "column": f'column "{name}" does not exist',
        "table": f'relation "{name}" does not exist',
        "function": f"function {name} does not exist",
        "timeout": "canceling statement due to statement timeout",
        "readonly": f"cannot execute {name} in a read-only transaction",
        "divide": "division by zero",
    }[kind]


def _bigquery(kind: str, name: str, token: str, at: str, seconds: float) -> str:
    return {
        "syntax": f'Syntax error: Unexpected "{token}" at [{at}]',
        "column": f"Unrecognized name: {name} at [{at}]",
        "table": (f"Not found: Table {name} was not found in location US" if "." in name else
                  f'Table "{name}" must be qualified with a dataset (e.g. dataset.table).'),
        "function": f"Function not found: {name} at [{at}]",
        "timeout": f"Job execution was cancelled: Job timed out after {seconds:g} sec",
        "readonly": f"Access Denied: {name} statements are not allowed for this user",
        "divide": "division by zero",
    }[kind]


def _snowflake(kind: str, name: str, token: str, at: str, seconds: float) -> str:
    line, _, col = at.partition(":")
    position = max(int(col or 1) - 1, 0)
    return {
        "syntax": f"SQL compilation error:\nsyntax error line {line} at position {position} unexpected '{token}'.",
        "column": f"SQL compilation error: error line {line} at position {position}\ninvalid identifier "
                  f"'{name.upper()}'",
        "table": f"SQL compilation error:\nObject '{name.upper()}' does not exist or not authorized.",
        "function": f"SQL compilation error:\nUnknown function {name.upper()}",
        "timeout": f"Statement reached its statement or warehouse timeout of {seconds:g} second(s) and was canceled.",
        "readonly": "SQL access control error:\nInsufficient privileges to operate on schema",
        "divide": "Division by zero",
    }[kind]


def _trino(kind: str, name: str, token: str, at: str, seconds: float) -> str:
    return {
        "syntax": f"line {at}: mismatched input '{token}'",
        "column": f"line {at}: Column '{name}' cannot be resolved",
        "table": f"line {at}: Table '{name}' does not exist",
        "function": f"line {at}: Function '{name}' not registered",
        "timeout": f"Query exceeded maximum time limit of {seconds:g}s",
        "readonly": "Access Denied: Cannot modify data",
        "divide": "Division by zero",
    }[kind]


def _databricks(kind: str, name: str, token: str, at: str, seconds: float) -> str:
    return {
        "syntax": f"[PARSE_SYNTAX_ERROR] Syntax error at or near '{token}'.",
        "column": f"[UNRESOLVED_COLUMN] A column or function parameter with name `{name}` cannot be resolved.",
        "table": f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found.",
        "function": f"[UNRESOLVED_ROUTINE] Cannot resolve function `{name}`.",
        "timeout": f"Query has been timed out. Timeout is {seconds:g} seconds.",
        "readonly": "[INSUFFICIENT_PERMISSIONS] Insufficient privileges",
        "divide": "[DIVIDE_BY_ZERO] Division by zero.",
    }[kind]


WORDING: Mapping[str, Words] = MappingProxyType({
    "postgres": _pg, "redshift": _pg, "bigquery": _bigquery, "snowflake": _snowflake, "trino": _trino,
    "databricks": _databricks,
})


def position(sql: str, needle: str) -> str:
    """``line:column`` (1-based) of the first case-insensitive occurrence of ``needle`` in ``sql``."""
    index = sql.lower().find(needle.lower()) if needle else -1
    if index < 0:
        return "1:1"
    before = sql[:index]
    return f"{before.count(chr(10)) + 1}:{index - (before.rfind(chr(10)) + 1) + 1}"


def warehouse_error(dialect: str, kind: str, *, name: str = "", token: str = "", at: str = "1:1",
                    seconds: float = 0.0) -> WarehouseQueryError:
    """``kind``: syntax | column | table | function | timeout | readonly | divide."""
    words = WORDING.get(dialect, _pg)
    return WarehouseQueryError(words(kind, name, token, at, seconds))


_COLUMN = re.compile(r'Referenced column "?([^"!\s]+)"? not found|'
                     r'Column "([^"]+)" referenced that exists in the SELECT clause')
_TABLE = re.compile(r"Table with name (\S+) does not exist")
_FUNCTION = re.compile(r"(?:Scalar|Aggregate|Table) Function with name (\S+) does not exist")


def from_engine(dialect: str, exc: duckdb.Error, sql: str) -> WarehouseQueryError:
    """A DuckDB error as the project's warehouse would word it (its first line when nothing fits)."""
    text = str(exc)
    for pattern, kind in ((_COLUMN, "column"), (_TABLE, "table"), (_FUNCTION, "function")):
        match = pattern.search(text)
        if match:
            name = next(g for g in match.groups() if g)
            return warehouse_error(dialect, kind, name=name, at=position(sql, name))
    if "Division by zero" in text:
        return warehouse_error(dialect, "divide")
    first = text.splitlines()[0] if text else type(exc).__name__
    return WarehouseQueryError(re.sub(r"^[A-Za-z ]*Error: ", "", first))
