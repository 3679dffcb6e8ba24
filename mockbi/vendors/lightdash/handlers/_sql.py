"""RunSqlQuery (the SQL runner): SQL in the project's warehouse dialect, run by the warehouse engine.

The text is read in the project's dialect (``warehouseConnection.type``) and refused with that warehouse
driver's own error when it is not valid there (see ``dataplane.dialects``); only queries run, read-only.
Rows come back the way the driver serialises them (dates and timestamps as ISO instants, numerics as
numbers), keyed by the column names the warehouse gives them; ``fields`` types each column as a
Lightdash DimensionType.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash.dataplane import ProjectWarehouse
from mockbi.vendors.lightdash.dataplane.formatting import raw_json

if TYPE_CHECKING:  # DuckDB is imported by the first query
    from mockbi.vendors.lightdash.dataplane.engine import EngineResult

_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")


def dimension_type(engine_type: str) -> str:
    """A DuckDB column type as Lightdash's DimensionType (string, number, date, timestamp, boolean)."""
    kind = engine_type.upper()
    if kind.startswith(_NUMBER_TYPES):
        return "number"
    if kind == "BOOLEAN":
        return "boolean"
    if kind == "DATE":
        return "date"
    if kind.startswith("TIMESTAMP") or kind == "TIME":
        return "timestamp"
    return "string"


def sql_results(result: EngineResult) -> dict[str, Any]:
    """``{rows, fields}`` of a SQL runner answer."""
    fields = {name: {"type": dimension_type(kind)} for name, kind in zip(result.columns, result.types, strict=True)}
    rows = [{name: raw_json(value) for name, value in zip(result.columns, row, strict=True)} for row in result.rows]
    return {"rows": rows, "fields": fields}


def prepare_sql(warehouse: ProjectWarehouse, sql: str, now: datetime) -> Callable[[], dict[str, Any]]:
    """Check and transpile ``sql`` now (WarehouseQueryError if refused); the returned callable runs it."""
    engine_sql = warehouse.transpile(sql, now)
    return lambda: sql_results(warehouse.execute(engine_sql, sql))


def run_sql(warehouse: ProjectWarehouse, sql: str, now: datetime) -> dict[str, Any]:
    """``{rows, fields}`` for ``sql``; WarehouseQueryError worded as the project's warehouse words it."""
    return prepare_sql(warehouse, sql, now)()
