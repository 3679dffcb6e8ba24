"""Handlers are bound to contract operations by operationId (moto's ``call_action`` idea).

    registry = Registry("posthog")

    @registry.operation("dashboards_list")
    def dashboards_list(store: PostHogStore, req: OpRequest) -> Reply | Any: ...

A handler is synchronous and takes the store and an already-validated :class:`OpRequest`; it returns
a :class:`Reply` or a JSON-able body (sent with the operation's success status), or raises ``ApiError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Binding:
    operation_id: str
    handler: Handler

    @property
    def doc(self) -> str:
        return (self.handler.__doc__ or "").strip().splitlines()[0] if self.handler.__doc__ else ""


class Registry:
    """The handlers of one vendor, keyed by operationId (or ``Type.field`` for GraphQL)."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self._bindings: dict[str, Binding] = {}

    def operation(self, operation_id: str) -> Callable[[Handler], Handler]:
        """Decorator: bind ``fn`` to ``operation_id``. Binding the same id twice is an error."""

        def register(fn: Handler) -> Handler:
            if operation_id in self._bindings:
                raise ValueError(f"{self.vendor}: operation {operation_id!r} bound twice")
            self._bindings[operation_id] = Binding(operation_id, fn)
            return fn

        return register

    def include(self, other: Registry) -> None:
        """Merge another registry (handlers split by tag into several modules)."""
        for op_id, binding in other._bindings.items():
            if op_id in self._bindings:
                raise ValueError(f"{self.vendor}: operation {op_id!r} bound twice")
            self._bindings[op_id] = binding

    @classmethod
    def merged(cls, vendor: str, *parts: Registry, wrap: Callable[[Handler], Handler] | None = None) -> Registry:
        """The vendor's registry: its modules' registries, named one by one (a handler package lists its
        modules explicitly), each handler passed through ``wrap`` when the vendor has one rule for all of
        them (e.g. a check every route of the service makes). An operation bound twice is an error."""
        merged = cls(vendor)
        for part in parts:
            for op_id, binding in part._bindings.items():
                if op_id in merged._bindings:
                    raise ValueError(f"{vendor}: operation {op_id!r} bound twice")
                handler = binding.handler if wrap is None else wrap(binding.handler)
                merged._bindings[op_id] = Binding(op_id, handler)
        return merged

    def get(self, operation_id: str) -> Binding | None:
        return self._bindings.get(operation_id)

    def __contains__(self, operation_id: object) -> bool:
        return operation_id in self._bindings

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._bindings))

    def __len__(self) -> int:
        return len(self._bindings)
