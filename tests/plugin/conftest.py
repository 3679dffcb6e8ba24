"""The plugin suite runs inner pytest sessions in process (pytester), which forget the modules they imported.
DuckDB is a native extension: imported afresh after that it aborts the process (nanobind refuses to register
its types twice), so it is loaded once here, before any inner session can import it."""

from __future__ import annotations

import duckdb  # noqa: F401
