"""Work a handler hands off the event loop: ``return Deferred(fn)`` and the pipeline, after releasing the
runtime lock, runs ``fn()`` in the loop's default thread executor and answers with what it returns (a body
or a ``Reply``; an ``ApiError`` it raises is answered like a handler's).

For slow, store-independent work (a warehouse query): ``fn`` must not read or write the store, whose lock
is no longer held; gather what it needs while the handler runs. ``quick=True`` says the work is cheap this
time (its result is already computed): it then runs on the loop, without the hop to a worker thread and back.

``then(store, value)``, when given, finishes the request with the store again: it runs under the runtime lock
once ``fn`` is done, with the live store of the world current then (a reset meanwhile means the new world:
an acknowledged write lands in the world that exists when it is answered), and its return value is the
answer. For a write whose expensive part is store-free (render a CSV, then queue the job that serves it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Finish = Callable[[Any, Any], Any]


@dataclass(frozen=True, slots=True)
class Deferred:
    work: Callable[[], Any]
    quick: bool = False
    then: Finish | None = None
