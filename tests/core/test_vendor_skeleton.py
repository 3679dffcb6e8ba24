"""Every vendor package has the same skeleton, so whoever has read one knows where everything lives in the
others (docs/ARCHITECTURE.md):

    mockbi/vendors/<name>/
        __init__.py      VENDOR = <the vendor> (and __all__), nothing else
        vendor.py        the Vendor subclass: the hooks (auth, bodies, errors, envelope)
        errors.py        the vendor's error tree and error envelope
        models.py        the records the store keeps
                         (errors, models and wire may each be a package of modules when there is much)
        store.py         the store class and its write-path helpers
        seed.py          builds the seeded world, nothing else
        wire.py          records as the vendor sends them (REST: every body; GraphQL: what resolvers return)
        handlers/        REST: one module per area, each with its own ``registry``; __init__ merges them
        resolvers/       GraphQL: the same, by root type or area
        admin.py         optional: the vendor's own /__mockbi/<name>/... routes
    seeds/<name>/default.yaml   the default scenario, checked against the store's typed scenario keys
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from mockbi import vendors as vendor_catalog
from mockbi.core.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
VENDORS = ("posthog", "lightdash", "hashboard", "hasura_cloud")


def package(name: str) -> Path:
    return ROOT / "mockbi" / "vendors" / name


@pytest.mark.parametrize("name", VENDORS)
def test_the_package_init_only_names_the_vendor(name: str) -> None:
    tree = ast.parse((package(name) / "__init__.py").read_text(encoding="utf-8"))
    body = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    kinds = [type(node).__name__ for node in body]
    assigned = [t.id for node in body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]
    assert set(kinds) <= {"ImportFrom", "Assign"} and "VENDOR" in assigned and set(assigned) <= {"VENDOR", "__all__"}, \
        f"{name}/__init__.py holds more than VENDOR: {kinds}"


@pytest.mark.parametrize("name", VENDORS)
def test_each_role_lives_in_its_module(name: str) -> None:
    root = package(name)
    for module in ("vendor", "store", "seed"):
        assert (root / f"{module}.py").is_file(), f"{name} has no {module}.py"
    for module in ("errors", "models", "wire"):  # a module, or a package of them when there is much
        assert (root / f"{module}.py").is_file() or (root / module / "__init__.py").is_file(), \
            f"{name} has no {module}.py (nor {module}/)"
    vendor = vendor_catalog.load((name,))[0]
    assert type(vendor).__module__ == f"mockbi.vendors.{name}.vendor"
    assert vendor.store_class.__module__ == f"mockbi.vendors.{name}.store"
    assert vendor.store_class.scenario_keys is not None, f"{name}: the scenario keys are not typed"
    assert (ROOT / "seeds" / name / "default.yaml").is_file(), f"seeds/{name}/default.yaml is missing"
    if vendor.admin_routes():
        assert (root / "admin.py").is_file(), f"{name} serves admin routes outside admin.py"


@pytest.mark.parametrize("name", VENDORS)
def test_handlers_register_per_module_and_the_package_merges_them(name: str) -> None:
    vendor = vendor_catalog.load((name,))[0]
    folder = "handlers" if vendor.kind == "rest" else "resolvers"
    handlers = package(name) / folder
    assert (handlers / "__init__.py").is_file(), f"{name} has no {folder}/ package"
    merged = importlib.import_module(f"mockbi.vendors.{name}.{folder}").registry
    assert vendor.registry is merged
    covered: set[str] = set()
    for path in sorted(handlers.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"mockbi.vendors.{name}.{folder}.{path.stem}")
        own = getattr(module, "registry", None)
        if own is None:  # a helper module of the package binds nothing
            continue
        assert isinstance(own, Registry) and own.vendor == name
        covered |= set(own)
    assert covered == set(merged), f"{name}: bound outside {folder}/*.py: {sorted(set(merged) - covered)}"
