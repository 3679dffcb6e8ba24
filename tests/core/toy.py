"""A tiny vendor used to test the engine without any real vendor's quirks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockbi import ApiError, OpRequest, Registry, Reply, RestVendor, Store
from mockbi.core.contracts import RestContract

CONTRACT = {
    "openapi": "3.1.0",
    "info": {"title": "toy", "version": "1"},
    "components": {
        "schemas": {
            "Widget": {"type": "object", "required": ["id", "name"],
                       "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                      "size": {"type": ["integer", "null"]}}},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        }
    },
    "paths": {
        "/toy/widgets": {
            "get": {"operationId": "listWidgets", "tags": ["w"],
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                                   {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Widget"}}}}},
                        "default": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
            "post": {"operationId": "createWidget", "tags": ["w"],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["name"],
                         "properties": {"name": {"type": "string", "maxLength": 10}, "size": {"type": "integer"}}}}}},
                     "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
                                   "default": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
        },
        "/toy/widgets/special": {
            "get": {"operationId": "getSpecial", "tags": ["w"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}}}}},
        "/toy/widgets/{widget_id}": {
            "get": {"operationId": "getWidget", "tags": ["w"],
                    "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
                                  "default": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
            "delete": {"operationId": "deleteWidget", "tags": ["w"],
                       "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                       "responses": {"204": {"description": "gone"}}},
            "put": {"operationId": "replaceWidget", "tags": ["w"],
                    "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok"}}},
        },
        "/toy/broken": {
            "get": {"operationId": "getBroken", "tags": ["w"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}}}}},
    },
}

registry = Registry("toy")


class ToyStore(Store):
    vendor = "toy"

    def build(self) -> None:
        self.widgets: dict[int, dict[str, Any]] = {}
        if self.ctx.scenario != "empty":
            for i in range(1, 4):
                self.widgets[i] = {"id": i, "name": self.faker.word()[:10], "size": self.rng.randint(1, 100)}

    def credentials(self) -> dict[str, Any]:
        return {"token": "toy-token"}


@registry.operation("listWidgets")
def list_widgets(store: ToyStore, req: OpRequest) -> Any:
    """List widgets."""
    rows = list(store.widgets.values())
    return rows[: req.query.get("limit", len(rows))]


@registry.operation("createWidget")
def create_widget(store: ToyStore, req: OpRequest) -> Any:
    """Create a widget."""
    new_id = max(store.widgets, default=0) + 1
    store.widgets[new_id] = {"id": new_id, "name": req.body["name"], "size": req.body.get("size")}
    return store.widgets[new_id]


@registry.operation("getSpecial")
def get_special(store: ToyStore, req: OpRequest) -> Any:
    """The literal route."""
    return {"id": 0, "name": "special"}


@registry.operation("getWidget")
def get_widget(store: ToyStore, req: OpRequest) -> Any:
    """Get one widget."""
    found = store.widgets.get(req.path["widget_id"])
    if found is None:
        raise ApiError(404, {"error": "Widget not found."})
    return found


@registry.operation("deleteWidget")
def delete_widget(store: ToyStore, req: OpRequest) -> Reply:
    """Delete."""
    store.widgets.pop(req.path["widget_id"], None)
    return Reply.no_content()


@registry.operation("getBroken")
def get_broken(store: ToyStore, req: OpRequest) -> Any:
    """A handler that breaks its contract (name must be a string)."""
    return {"id": 1, "name": 42}


class Toy(RestVendor[ToyStore]):
    name = "toy"
    title = "Toy API"
    api_version = "1"
    store_class = ToyStore

    def __init__(self) -> None:
        type(self).registry = registry

    def load_contract(self) -> RestContract:
        return RestContract(self.name, CONTRACT, Path("toy.json"))


VENDOR = Toy()
