"""The files of a new REST vendor (``mockbi new-vendor``): the skeleton every vendor package has, with one
resource (``items``: list, get, create) served end to end, so the first ``make test`` of a new vendor
already proves the pipeline, the contract and the seeded world. ``${name}``, ``${Class}`` and ``${Title}``
are filled in; everything else is the starting point to replace with the vendor's real behaviour."""

from __future__ import annotations

INIT = '''"""${Title}: ``VENDOR`` for the engine (the package layout: docs/ARCHITECTURE.md)."""

from __future__ import annotations

from mockbi.vendors.${name}.vendor import ${Class}

VENDOR = ${Class}()
'''

VENDOR = '''"""The ${Title} vendor: how its service authenticates, decodes bodies and words errors (the hooks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.core.vendor import RestVendor
from mockbi.vendors.${name} import errors
from mockbi.vendors.${name}.handlers import registry
from mockbi.vendors.${name}.store import ${Class}Store

if TYPE_CHECKING:
    from mockbi.core.errors import ApiError
    from mockbi.core.hook_context import RestHookContext
    from mockbi.core.validation import Violation


class ${Class}(RestVendor[${Class}Store]):
    name = "${name}"
    title = "${Title} API"
    api_version = "0.1"
    base_path = "/api/${name}/"
    path_prefixes = ("/api/${name}/",)
    store_class = ${Class}Store
    registry = registry

    async def authenticate(self, ctx: RestHookContext[${Class}Store]) -> Any:
        """``Authorization: Bearer <token>`` of a seeded user, else the vendor's 401."""
        scheme, _, token = ctx.request.headers.get("Authorization", "").partition(" ")
        user = ctx.store.user_for_token(token) if scheme == "Bearer" else None
        if user is None:
            raise errors.NotAuthenticated("Missing or invalid bearer token")
        return user

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        return errors.for_status(status, message)

    def request_error(self, ctx: RestHookContext[${Class}Store], violations: list[Violation]) -> ApiError:
        return errors.InvalidRequest(str(violations[0]))
'''

ERRORS = '''"""${Title}'s errors: one class per status it answers, all sent as ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import ClassVar

from mockbi.core.errors import ApiError


class ${Class}Error(ApiError):
    status_code: ClassVar[int] = 500
    error_code: ClassVar[str] = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(self.status_code, {"error": {"code": self.error_code, "message": message}})


class InvalidRequest(${Class}Error):
    status_code, error_code = 400, "invalid_request"


class NotAuthenticated(${Class}Error):
    status_code, error_code = 401, "not_authenticated"


class NotFound(${Class}Error):
    status_code, error_code = 404, "not_found"


BY_STATUS: dict[int, type[${Class}Error]] = {400: InvalidRequest, 401: NotAuthenticated, 404: NotFound}


def for_status(status: int, message: str) -> ApiError:
    """The error the engine asks for (faults, 404, 405, 413, 500): a known class, else the generic shape."""
    known = BY_STATUS.get(status)
    if known is not None:
        return known(message)
    return ApiError(status, {"error": {"code": "error", "message": message}})
'''

MODELS = '''"""The records ${Title}'s store keeps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class User:
    id: int
    email: str
    token: str


@dataclass(slots=True)
class Item:
    id: int
    name: str
    created_at: str
    created_by: int
'''

STORE = '''"""The ${Title} store: the seeded world and its write-path helpers."""

from __future__ import annotations

from typing import Any

from mockbi.core.clock import isoformat_z
from mockbi.core.store import Store
from mockbi.vendors.${name}.errors import NotFound
from mockbi.vendors.${name}.models import Item, User


class ${Class}Store(Store):
    vendor = "${name}"
    #: the keys a scenario file (seeds/${name}/*.yaml) may hold, with their types
    scenario_keys = {"users": int, "items": int}
    users: dict[int, User]
    items: dict[int, Item]
    next_item_id: int

    def build(self) -> None:
        from mockbi.vendors.${name}.seed import build_world

        build_world(self, self.ctx.scenario_data)

    def credentials(self) -> dict[str, Any]:
        first = next(iter(self.users.values()), None)
        return {"token": first.token} if first is not None else {}

    def user_for_token(self, token: str) -> User | None:
        return next((u for u in self.users.values() if u.token == token), None)

    def item(self, item_id: int) -> Item:
        found = self.items.get(item_id)
        if found is None:
            raise NotFound(f"No item {item_id}")
        return found

    def add_item(self, name: str, user: User) -> Item:
        item = Item(id=self.next_item_id, name=name, created_at=isoformat_z(self.now()), created_by=user.id)
        self.items[item.id] = item
        self.next_item_id += 1
        return item
'''

SEED = '''"""Builds ${Title}'s seeded world (and nothing else): users with tokens, and items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.vendors.${name}.models import User

if TYPE_CHECKING:
    from mockbi.vendors.${name}.store import ${Class}Store


def build_world(store: ${Class}Store, scenario: dict[str, Any]) -> None:
    store.users, store.items, store.next_item_id = {}, {}, 1
    for user_id in range(1, int(scenario.get("users", 2)) + 1):
        store.users[user_id] = User(id=user_id, email=store.faker.email(), token=store.token(32))
    owner = store.users[1] if store.users else None
    for _ in range(int(scenario.get("items", 3))):
        if owner is not None:
            store.add_item(store.faker.catch_phrase(), owner)
'''

WIRE = '''"""${Title}'s records as its API sends them."""

from __future__ import annotations

from typing import Any

from mockbi.vendors.${name}.models import Item


def item(record: Item) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "created_at": record.created_at,
            "created_by": record.created_by}
'''

HANDLERS_INIT = '''"""${Title} handlers: one module per area, each with its own ``registry``; listed here by name."""

from __future__ import annotations

from mockbi.core.registry import Registry
from mockbi.vendors.${name}.handlers import items

registry = Registry.merged("${name}", items.registry)
'''

HANDLERS_ITEMS = '''"""Items: list, get, create."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.${name} import wire
from mockbi.vendors.${name}.store import ${Class}Store

registry = Registry("${name}")


@registry.operation("listItems")
def list_items(store: ${Class}Store, req: OpRequest) -> Any:
    """Every item, oldest first."""
    return {"results": [wire.item(i) for i in store.items.values()]}


@registry.operation("getItem")
def get_item(store: ${Class}Store, req: OpRequest) -> Any:
    """One item by id (the vendor's 404 when there is none)."""
    return wire.item(store.item(req.path["item_id"]))


@registry.operation("createItem")
def create_item(store: ${Class}Store, req: OpRequest) -> Reply:
    """A new item, created by the caller."""
    return Reply(body=wire.item(store.add_item(req.body["name"], req.principal)), status=201)
'''

DEFAULT_SCENARIO = '''# The default world of ${Title} (keys: ${Class}Store.scenario_keys)
users: 2
items: 3
'''

SOURCE = '''# ${Title} contract: sources

Our own document, authored from the vendor's published facts (never a copy of a vendor file).
List here every page and document it follows, and every place where the running service and its
document disagree (mockbi follows the service).

- (start) generated by `mockbi new-vendor ${name}`: one `items` resource to replace with the real API.
'''
