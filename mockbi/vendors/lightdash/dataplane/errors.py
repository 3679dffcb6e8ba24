"""Errors the data plane raises, named and worded as Lightdash 0.1411.0 names them.

    DataPlaneError                -- base: carries ``status``, ``name``, ``message``, ``data``
    ├── NotExistsError (404)      -- unknown explore: 'Explore "x" does not exist.'
    ├── NotFoundError (404)       -- unknown job: "Job not found" / "Download CSV job not found"
    ├── ParameterError (400)      -- bad limits, empty queries
    ├── FieldReferenceError (400) -- unknown field id in dimensions/metrics/filters
    ├── CompileError (400)        -- table calculation referencing a field not in the query
    ├── WarehouseQueryError (400) -- what the warehouse itself would reject (sort on a missing column...)
    └── KnexPaginationError (422) -- page/pageSize below 1

These are plain exceptions with no HTTP knowledge: the vendor layer maps ``status``/``name``/``message``/
``data`` onto the Lightdash error envelope ``{"status":"error","error":{statusCode,name,message,data}}``.
"""

from __future__ import annotations

from typing import Any


class DataPlaneError(Exception):
    """A failure the real service reports as a LightdashError."""

    status: int = 500
    name: str = "UnexpectedServerError"

    def __init__(self, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data: dict[str, Any] = dict(data or {})

    def payload(self) -> dict[str, Any]:
        """The ``error`` object of the Lightdash envelope, keys in the order the server sends them."""
        return {"statusCode": self.status, "name": self.name, "message": self.message, "data": self.data}


class NotExistsError(DataPlaneError):
    status = 404
    name = "NotExistsError"


class NotFoundError(DataPlaneError):
    status = 404
    name = "NotFoundError"


class ParameterError(DataPlaneError):
    status = 400
    name = "ParameterError"


class FieldReferenceError(DataPlaneError):
    status = 400
    name = "FieldReferenceError"


class CompileError(DataPlaneError):
    status = 400
    name = "CompileError"


class WarehouseQueryError(DataPlaneError):
    status = 400
    name = "WarehouseQueryError"


class KnexPaginationError(DataPlaneError):
    status = 422
    name = "KnexPaginationError"
