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
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import WarehouseQueryError

if TYPE_CHECKING:
    import duckdb

_POSTGRES = MappingProxyType({
    "syntax": 'syntax error at or near "{token}"',
    "column": 'column "{name}" does not exist',
    "table": 'relation "{name}" does not exist',
    "function": "function {name} does not exist",
    "timeout": "canceling statement due to statement timeout",
    "readonly": "cannot execute {name} in a read-only transaction",
    "divide": "division by zero",
})
#: kind -> the driver's message; fields: name, NAME (upper case), token, at (line:column), line, position
#: (0-based column), seconds. BigQuery's "table" wording depends on qualification (see ``warehouse_error``).
WORDING: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "postgres": _POSTGRES,
    "redshift": _POSTGRES,
    "bigquery": MappingProxyType({
        "syntax": 'Syntax error: Unexpected "{token}" at [{at}]',
        "column": "Unrecognized name: {name} at [{at}]",
        "table": "Not found: Table {name} was not found in location US",
        "unqualified": 'Table "{name}" must be qualified with a dataset (e.g. dataset.table).',
        "function": "Function not found: {name} at [{at}]",
        "timeout": "Job execution was cancelled: Job timed out after {seconds:g} sec",
        "readonly": "Access Denied: {name} statements are not allowed for this user",
        "divide": "division by zero",
    }),
    "snowflake": MappingProxyType({
        "syntax": "SQL compilation error:\nsyntax error line {line} at position {position} unexpected '{token}'.",
        "column": "SQL compilation error: error line {line} at position {position}\ninvalid identifier '{NAME}'",
        "table": "SQL compilation error:\nObject '{NAME}' does not exist or not authorized.",
        "function": "SQL compilation error:\nUnknown function {NAME}",
        "timeout": "Statement reached its statement or warehouse timeout of {seconds:g} second(s) and was canceled.",
        "readonly": "SQL access control error:\nInsufficient privileges to operate on schema",
        "divide": "Division by zero",
    }),
    "trino": MappingProxyType({
        "syntax": "line {at}: mismatched input '{token}'",
        "column": "line {at}: Column '{name}' cannot be resolved",
        "table": "line {at}: Table '{name}' does not exist",
        "function": "line {at}: Function '{name}' not registered",
        "timeout": "Query exceeded maximum time limit of {seconds:g}s",
        "readonly": "Access Denied: Cannot modify data",
        "divide": "Division by zero",
    }),
    "databricks": MappingProxyType({
        "syntax": "[PARSE_SYNTAX_ERROR] Syntax error at or near '{token}'.",
        "column": "[UNRESOLVED_COLUMN] A column or function parameter with name `{name}` cannot be resolved.",
        "table": "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found.",
        "function": "[UNRESOLVED_ROUTINE] Cannot resolve function `{name}`.",
        "timeout": "Query has been timed out. Timeout is {seconds:g} seconds.",
        "readonly": "[INSUFFICIENT_PERMISSIONS] Insufficient privileges",
        "divide": "[DIVIDE_BY_ZERO] Division by zero.",
    }),
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
    words = WORDING.get(dialect, _POSTGRES)
    if kind == "table" and "unqualified" in words and "." not in name:
        kind = "unqualified"
    line, _, col = at.partition(":")
    return WarehouseQueryError(words[kind].format(
        name=name, NAME=name.upper(), token=token, at=at, line=line, position=max(int(col or 1) - 1, 0),
        seconds=seconds))


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
