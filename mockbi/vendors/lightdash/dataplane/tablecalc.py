"""Table calculations: SQL in the project's warehouse dialect over the query's own columns.

``${table.field}`` (or ``${field_id}``) references name a dimension, metric or earlier table calculation
of the query; compiling replaces each with the quoted column of the ``metrics`` CTE, and the warehouse
runs the rest as written (``CASE``, casts, window functions...), so it answers, and fails, as the
warehouse does.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import CompileError
from .fields import ref_to_field_id

REF = re.compile(r"\$\{([^}]+)\}")


def references(sql: str) -> list[str]:
    """The field ids a table calculation's SQL refers to."""
    return [ref_to_field_id(m.group(1).strip()) for m in REF.finditer(sql or "")]


def check_references(calc: dict[str, Any], valid: set[str]) -> None:
    for match in REF.finditer(str(calc.get("sql", ""))):
        if ref_to_field_id(match.group(1).strip()) not in valid:
            raise CompileError(
                f"Table calculation contains a reference {match.group(1)} to a field that isn't included "
                "in the query.")


def compile_calculation(sql: str, quote: str) -> str:
    """The calculation's SQL with every reference replaced by its quoted column name."""
    return REF.sub(lambda m: f"{quote}{ref_to_field_id(m.group(1).strip())}{quote}", sql or "")
