"""Where the contracts and scenario files are: inside the installed wheel, or beside the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(kind: str) -> Path:
    """``contracts`` or ``seeds``: the copy shipped in the wheel, else the repository's top-level folder."""
    shipped = _PACKAGE / "_data" / kind
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / kind


def contract_path(vendor: str, filename: str) -> Path:
    return data_dir("contracts") / vendor / filename
