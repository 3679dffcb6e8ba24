"""The PostHog vendor (PostHog Cloud, about October 2025).

Quirks live in the hooks below: optional trailing slash and the ``/api/environments/`` alias
(``path_variants``), personal API keys in header, query or body and PostHog's order of checks
(``authenticate``), DRF body parsing (``decode_body``), drf-exceptions-hog errors (``error``,
``request_error``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.core.errors import ApiError
from mockbi.core.hook_context import HookContext, RestHookContext
from mockbi.core.state_codec import StateSpec
from mockbi.core.vendor import RawBody, RestVendor
from mockbi.vendors.posthog import auth, bodies, errors, throttling
from mockbi.vendors.posthog.handlers import registry
from mockbi.vendors.posthog.state import STATE
from mockbi.vendors.posthog.store import PostHogStore

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation
    from mockbi.core.ratelimit import RateLimits
    from mockbi.core.validation import Violation

PROJECTS = "/api/projects/{project_id}/"
ENVIRONMENTS = "/api/environments/{project_id}/"


class PostHog(RestVendor[PostHogStore]):
    name = "posthog"
    base_path = "/api/projects/{project_id}/dashboards/"
    title = "PostHog Dashboards API"
    api_version = "PostHog Cloud 2025-10"
    store_class = PostHogStore
    registry = registry

    def state_spec(self) -> StateSpec:
        return STATE

    def arrange(self, store: PostHogStore, fragment: dict[str, Any]) -> None:
        from mockbi.vendors.posthog.arrange import arrange
        arrange(store, fragment)

    def path_variants(self, path: str) -> list[str]:
        """With and without the trailing slash, under /api/projects/ and /api/environments/."""
        bases = [path]
        if path.startswith(PROJECTS):
            bases.append(ENVIRONMENTS + path[len(PROJECTS):])
        variants: list[str] = []
        for base in bases:
            stripped = base.rstrip("/")
            variants += [stripped + "/", stripped]
        return variants

    async def authenticate(self, ctx: RestHookContext[PostHogStore]) -> Any:
        return await auth.authenticate(ctx.request, ctx.store, ctx.op)

    async def method_not_allowed(self, ctx: HookContext[PostHogStore], operations: list[Operation]) -> ApiError:
        return await auth.method_not_allowed(ctx.request, ctx.store, operations[0])

    def adapt_error(self, ctx: RestHookContext[PostHogStore], err: ApiError) -> ApiError:
        return auth.txt_error(ctx.request, ctx.op, err)

    def decode_body(self, ctx: RestHookContext[PostHogStore], raw: RawBody) -> Any:
        return bodies.decode(ctx.op, raw)

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        return errors.generic(status, message)

    def request_error(self, ctx: RestHookContext[PostHogStore], violations: list[Violation]) -> ApiError:
        return bodies.request_error(violations)

    def rate_limits(self) -> RateLimits:
        return throttling.RATE_LIMITS
