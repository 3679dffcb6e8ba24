"""``mockbi new-vendor NAME``: a fifth vendor starts from the skeleton every vendor package has.

It writes, under a checkout of mockbi (``--root``, default the current folder):

    mockbi/vendors/NAME/   __init__.py vendor.py errors.py models.py store.py seed.py wire.py handlers/
    contracts/NAME/        openapi.json (our own OpenAPI 3.1 document: one resource to begin with) + SOURCE.md
    seeds/NAME/            default.yaml

and prints what is left to do by hand: list the vendor in ``mockbi/vendors/__init__.py`` (``AVAILABLE``) and
replace the example resource with the vendor's real API, following its published documents.
"""

from __future__ import annotations

import json
import keyword
import re
from pathlib import Path
from string import Template
from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.scaffold import templates as t

NAME = re.compile(r"[a-z][a-z0-9_]{1,30}")

PACKAGE_FILES = {
    "__init__.py": t.INIT, "vendor.py": t.VENDOR, "errors.py": t.ERRORS, "models.py": t.MODELS,
    "store.py": t.STORE, "seed.py": t.SEED, "wire.py": t.WIRE, "handlers/__init__.py": t.HANDLERS_INIT,
    "handlers/items.py": t.HANDLERS_ITEMS,
}


def check_name(name: str) -> str:
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise ConfigError(f"a vendor name is 2-31 lowercase letters, digits or '_', starting with a letter "
                          f"(it names the package, the contract folder and the paths), not {name!r}")
    return name


def words(name: str) -> tuple[str, str]:
    """(class name, title): ``acme_cloud`` -> ``AcmeCloud``, ``Acme Cloud``."""
    parts = [p for p in name.split("_") if p]
    return "".join(p.capitalize() for p in parts), " ".join(p.capitalize() for p in parts)


def new_vendor(root: Path, name: str) -> list[Path]:
    """Write the skeleton of vendor ``name`` under ``root`` (a mockbi checkout); returns the files written.
    Refuses to overwrite anything."""
    check_name(name)
    if not (root / "mockbi" / "vendors").is_dir():
        raise ConfigError(f"{root} is not a mockbi checkout (no mockbi/vendors/ folder)")
    cls, title = words(name)
    values = {"name": name, "Class": cls, "Title": title}
    files = {root / "mockbi" / "vendors" / name / path: Template(text).substitute(values)
             for path, text in PACKAGE_FILES.items()}
    files[root / "contracts" / name / "openapi.json"] = json.dumps(contract(name, title), indent=1) + "\n"
    files[root / "contracts" / name / "SOURCE.md"] = Template(t.SOURCE).substitute(values)
    files[root / "seeds" / name / "default.yaml"] = Template(t.DEFAULT_SCENARIO).substitute(values)
    existing = [str(p) for p in files if p.exists()]
    if existing or (root / "mockbi" / "vendors" / name).exists():
        raise ConfigError(f"vendor {name!r} exists already: {', '.join(existing) or 'its package folder'}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def contract(name: str, title: str) -> dict[str, Any]:
    """Our own OpenAPI 3.1 document for the example resource: list, get and create items."""
    error = {"$ref": "#/components/responses/Error"}
    item = {"$ref": "#/components/schemas/Item"}
    base = f"/api/{name}/items"
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title} API (mockbi contract)", "version": "0.1"},
        "security": [{"bearer": []}],
        "paths": {
            f"{base}/": {
                "get": {"operationId": "listItems", "summary": "List items", "responses": {
                    "200": _json({"type": "object", "required": ["results"], "additionalProperties": False,
                                  "properties": {"results": {"type": "array", "items": item}}}),
                    "401": error}},
                "post": {"operationId": "createItem", "summary": "Create an item",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["name"], "additionalProperties": False,
                             "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200}}}}}},
                         "responses": {"201": _json(item), "400": error, "401": error}},
            },
            f"{base}/{{item_id}}/": {
                "get": {"operationId": "getItem", "summary": "Get an item",
                        "parameters": [{"name": "item_id", "in": "path", "required": True,
                                        "schema": {"type": "integer", "minimum": 1}}],
                        "responses": {"200": _json(item), "401": error, "404": error}},
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": _json({"$ref": "#/components/schemas/Error"}, "The vendor's error envelope")},
            "schemas": {
                "Item": {"type": "object", "additionalProperties": False,
                         "required": ["id", "name", "created_at", "created_by"],
                         "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                        "created_at": {"type": "string", "format": "date-time"},
                                        "created_by": {"type": "integer"}}},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
            },
        },
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def next_steps(name: str) -> str:
    return (f"next: add \"{name}\": \"mockbi.vendors.{name}\" to AVAILABLE in mockbi/vendors/__init__.py, then "
            f"replace the example 'items' resource with {name}'s real API (contracts/{name}/SOURCE.md lists the "
            f"facts it follows); docs/ARCHITECTURE.md says where each part goes")
