"""``mockbi drift VENDOR DOCUMENT``: compare a vendor's stored contract with a document it publishes now.

DOCUMENT may be OpenAPI 3.0/3.1 (JSON or YAML), a GraphQL SDL, or a GraphQL introspection result (``{"data":
{"__schema": ...}}`` or ``{"__schema": ...}``). REST contracts are compared by ``core/drift_openapi.py``;
GraphQL schemas by graphql-core's ``find_breaking_changes`` / ``find_dangerous_changes`` plus the root fields
(operations) added.

Known deviations — places where the contract follows the running service rather than the vendor's document
(SOURCE.md, "the contract follows the service") — are listed in ``contracts/<vendor>/deviations.yaml``: a list of
``{kind, where, operations, reason}`` (``kind`` and ``where`` globs over the change's kind and location, default
``*``; ``operations`` the contract's operationIds, default any). Matching changes are reported apart, never as
drift.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml
from graphql import GraphQLError, GraphQLSchema, build_client_schema, build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes

from mockbi import vendors as vendor_catalog
from mockbi.core.drift_openapi import Change, compare_openapi
from mockbi.core.errors import ConfigError
from mockbi.core.resources import contract_path

DEVIATIONS_FILE = "deviations.yaml"


@dataclass(frozen=True, slots=True)
class Deviation:
    """``kind`` and ``where`` are globs; ``operations`` (empty: any) the contract's operationIds it concerns."""

    kind: str
    where: str
    reason: str
    operations: tuple[str, ...] = ()

    def covers(self, change: Change) -> bool:
        return (fnmatch.fnmatchcase(change.kind, self.kind) and fnmatch.fnmatchcase(change.where, self.where)
                and (not self.operations or change.operation in self.operations))


@dataclass(slots=True)
class DriftResult:
    vendor: str
    document: str
    kind: str  # openapi | graphql
    changes: list[Change] = field(default_factory=list)
    known: list[tuple[Change, str]] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def fails(self, fail_on: str) -> bool:
        return bool(self.breaking if fail_on == "breaking" else self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "document": self.document, "kind": self.kind,
                "summary": {"breaking": len(self.breaking), "non_breaking": len(self.changes) - len(self.breaking),
                            "known_deviations": len(self.known)},
                "changes": [c.as_dict() for c in self.changes],
                "known_deviations": [{**c.as_dict(), "reason": reason} for c, reason in self.known]}


def load_deviations(path: Path) -> list[Deviation]:
    """The known deviations of a contract (none when the file is absent); a malformed file is a ConfigError."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    items = data.get("deviations", []) if isinstance(data, dict) else data
    found = []
    for i, item in enumerate(items if isinstance(items, list) else [None], 1):
        if not isinstance(item, dict) or not isinstance(item.get("reason"), str) \
                or not all(isinstance(item.get(k, "*"), str) for k in ("kind", "where")):
            raise ConfigError(f"{path}: deviation {i} needs a reason and string kind/where globs")
        operations = item.get("operations", [])
        if isinstance(operations, str):
            operations = [operations]
        if not isinstance(operations, list) or not all(isinstance(o, str) for o in operations):
            raise ConfigError(f"{path}: deviation {i}: operations must be a list of operationIds")
        found.append(Deviation(item.get("kind", "*"), item.get("where", "*"), item["reason"], tuple(operations)))
    return found


def _parse(text: str, name: str) -> Any:
    """JSON or YAML data, or ``None`` when the text is neither a mapping (then it is taken as SDL)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def load_document(path: Path) -> tuple[str, Any]:
    """``("openapi", dict)`` or ``("graphql", GraphQLSchema)`` from a vendor document."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    data = _parse(text, str(path))
    if isinstance(data, dict) and ("openapi" in data or "swagger" in data):
        if not str(data.get("openapi", "")).startswith("3."):
            raise ConfigError(f"{path}: only OpenAPI 3.0/3.1 documents are compared (found "
                              f"{data.get('openapi') or 'swagger ' + str(data.get('swagger'))})")
        return "openapi", data
    introspection = data.get("data", data) if isinstance(data, dict) else None
    if isinstance(introspection, dict) and "__schema" in introspection:
        try:
            return "graphql", build_client_schema(introspection)  # type: ignore[arg-type]
        except (TypeError, KeyError, GraphQLError) as exc:
            raise ConfigError(f"{path}: not a usable introspection result: {exc}") from None
    try:  # anything else is read as SDL (YAML reads some SDL as a mapping, so it is tried whatever parsed)
        return "graphql", build_schema(text)
    except GraphQLError as exc:
        raise ConfigError(f"{path}: not OpenAPI, introspection JSON or GraphQL SDL: "
                          f"{exc.message}") from None


def compare_graphql(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    changes = [Change(c.type.name.lower(), True, c.description, c.description) for c in find_breaking_changes(old, new)]
    changes += [Change(c.type.name.lower(), False, c.description, c.description)
                for c in find_dangerous_changes(old, new)]
    for root in ("query_type", "mutation_type"):
        old_root, new_root = getattr(old, root), getattr(new, root)
        if old_root is None or new_root is None:
            continue
        for name in sorted(set(new_root.fields) - set(old_root.fields)):
            changes.append(Change("operation_added", False, f"{new_root.name}.{name}",
                                  f"{new_root.name}.{name} not in mockbi's contract"))
    return changes


def compare_vendor(vendor_name: str, document: Path) -> DriftResult:
    """Compare the stored contract of ``vendor_name`` with ``document``."""
    if vendor_name not in vendor_catalog.AVAILABLE:
        raise ConfigError(f"unknown vendor {vendor_name!r}; choose from {', '.join(vendor_catalog.AVAILABLE)}")
    vendor = vendor_catalog.load((vendor_name,))[0]
    ours = contract_path(vendor.name, vendor.contract_file)
    kind, theirs = load_document(document)
    if kind == "openapi":
        if vendor.kind != "rest":
            raise ConfigError(f"{vendor_name} is a GraphQL API: give its SDL or an introspection result")
        changes = compare_openapi(orjson.loads(ours.read_bytes()), theirs)
    else:
        if vendor.kind == "rest":
            raise ConfigError(f"{vendor_name} is a REST API: give its OpenAPI document")
        changes = compare_graphql(build_schema(ours.read_text(encoding="utf-8")), theirs)
    deviations = load_deviations(ours.parent / DEVIATIONS_FILE)
    result = DriftResult(vendor_name, str(document), kind)
    for change in changes:
        known = next((d for d in deviations if d.covers(change)), None)
        if known is None:
            result.changes.append(change)
        else:
            result.known.append((change, known.reason))
    return result
