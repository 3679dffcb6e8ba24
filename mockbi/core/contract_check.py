"""``mockbi contracts check``: every contract is a valid document and every validator compiles."""

from __future__ import annotations

from mockbi import vendors as vendor_catalog
from mockbi.core.contracts import RestContract
from mockbi.core.errors import MockbiError


def check_all(names: list[str] | None = None) -> list[str]:
    """Problems found, one line each (empty when every contract is valid)."""
    try:
        from openapi_spec_validator import validate as validate_openapi
    except ImportError as exc:  # a development extra: serving never needs it (it pulls pydantic)
        raise MockbiError("mockbi contracts check needs openapi-spec-validator: "
                          "pip install 'mockbi[dev]'") from exc

    problems: list[str] = []
    for vendor in vendor_catalog.load(tuple(names or ())):
        try:
            contract = vendor.load_contract()
        except MockbiError as exc:
            problems.append(f"{vendor.name}: {exc}")
            continue
        except Exception as exc:  # an SDL that does not build, etc.
            problems.append(f"{vendor.name}: contract does not load: {exc}")
            continue
        if isinstance(contract, RestContract):
            try:
                validate_openapi(contract.document)
            except Exception as exc:
                problems.append(f"{vendor.name}: not a valid OpenAPI document: {str(exc)[:500]}")
            try:
                contract.compile_all()
            except MockbiError as exc:
                problems.append(f"{vendor.name}: {exc}")
            missing = [op for op in vendor.registry if op not in contract.operations]
            if missing:
                problems.append(f"{vendor.name}: handlers bound to operations not in the contract: {missing}")
    return problems
