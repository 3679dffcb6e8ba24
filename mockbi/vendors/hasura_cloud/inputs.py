"""Argument values Cloud's Postgres refuses before anything runs: text with a NUL.

graphql-engine hands every argument to Postgres as a query parameter, and Postgres refuses a NUL in text
with SQLSTATE 22021 ``invalid byte sequence for encoding "UTF8": 0x00``; graphql-engine's transaction
error handler (``mkTxErrorHandler``) reports a class-22 error as ``data-exception`` at ``$`` with
Postgres' message. Cloud's actions store their input in Cloud's own Postgres and report a failure the
way Hasura reports every action error: code ``unexpected`` at ``$``. Either way nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from mockbi.core.storable import NUL, first_unstorable
from mockbi.vendors.hasura_cloud.errors import DATA_EXCEPTION, UNEXPECTED, CloudError

NUL_IN_TEXT = 'invalid byte sequence for encoding "UTF8": 0x00'
#: how deep an argument value is searched (GraphQL coercion has already bounded its shape)
SEARCH_DEPTH = 1_000_000


def refuse_nul(args: Mapping[str, Any], *, action: bool) -> None:
    """Raise the error Hasura answers when an argument's text (a value or an input object's key) holds a NUL."""
    try:  # most arguments: JSON without an escaped NUL holds no NUL, and the search below would find nothing
        if b"\\u0000" not in orjson.dumps(args):
            return
    except TypeError:  # what orjson cannot write (a lone surrogate, a huge integer...): the search decides
        pass
    for value in args.values():
        problem = first_unstorable(value, max_depth=SEARCH_DEPTH)
        if problem is not None and problem.kind == NUL:
            raise CloudError(NUL_IN_TEXT, code=UNEXPECTED if action else DATA_EXCEPTION)
