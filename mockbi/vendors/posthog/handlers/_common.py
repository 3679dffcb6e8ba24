"""What every PostHog handler shares: the ``txt`` renderer the handler package wraps them all in."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mockbi.core.errors import ApiError
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.rendered import Encoded
from mockbi.vendors.posthog import errors

Handler = Callable[[Any, OpRequest], Any]


def negotiated(fn: Handler) -> Handler:
    """Every PostHog handler, as bound (``Registry.merged(wrap=...)``): when the caller negotiated ``txt``,
    the keys of the body go out as text/event-stream, errors included."""

    @functools.wraps(fn)
    def run(store: Any, req: OpRequest) -> Any:
        txt = bool(getattr(req.principal, "txt", False))
        try:
            result = fn(store, req)
        except ApiError as err:
            raise (errors.as_txt(err) if txt else err) from None
        if not txt:
            return result
        reply = result if isinstance(result, Reply) else Reply(body=result)
        if reply.empty or reply.body is None or isinstance(reply.body, bytes | str):
            return reply
        body = reply.body.document if isinstance(reply.body, Encoded) else reply.body
        return Reply(body=errors.txt_body(body), status=reply.status, headers=reply.headers,
                     content_type=errors.TXT_MEDIA)

    return run
