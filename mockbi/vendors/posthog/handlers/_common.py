"""The PostHog registry and the decorator every handler uses (it applies the ``txt`` renderer)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mockbi.core.errors import ApiError
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.posthog import envelope

registry = Registry("posthog")

Handler = Callable[[Any, OpRequest], Any]


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    """Bind a handler; when the caller negotiated ``txt``, send the keys of the body as text/event-stream."""

    def bind(fn: Handler) -> Handler:
        @functools.wraps(fn)
        def run(store: Any, req: OpRequest) -> Any:
            txt = bool(getattr(req.principal, "txt", False))
            try:
                result = fn(store, req)
            except ApiError as err:
                raise (envelope.as_txt(err) if txt else err) from None
            if not txt:
                return result
            reply = result if isinstance(result, Reply) else Reply(body=result)
            if reply.empty or reply.body is None or isinstance(reply.body, bytes | str):
                return reply
            return Reply(body=envelope.txt_body(reply.body), status=reply.status, headers=reply.headers,
                         content_type=envelope.TXT_MEDIA)

        registry.operation(operation_id)(run)
        return run

    return bind
