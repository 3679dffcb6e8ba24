"""A typed codec between store records and plain JSON data, driven by dataclass fields and type hints.

One codec serves every vendor: a store declares the type of each state attribute (a :class:`StateSpec`),
and values are encoded by walking those types, so the document carries no class names where the type is
known. What the codec understands:

- ``None``, ``bool``, ``int``, ``float``, ``str`` (checked, never coerced), ``Literal[...]``;
- ``datetime`` (ISO-8601, the offset kept; naive stays naive), ``date``, ``Enum`` subclasses (their value);
- dataclasses (an object of their fields, by ``get_type_hints``), ``list[T]``, ``tuple[T, ...]``,
  ``tuple[A, B]``, ``dict[K, V]`` with ``str`` or ``int`` keys (JSON object keys), unions and ``X | None``;
- ``Any``: JSON values as they are; a value JSON cannot hold is tagged (``{"$datetime": ...}``,
  ``{"$tuple": [...]}``, ``{"$dataclass": "Name", "fields": {...}}`` for a dataclass the spec knows, and
  ``{"$dict": {...}}`` for an object whose keys could be mistaken for a tag).

Decoding checks every value against its type and raises :class:`StateError` naming the path of the first
problem (``posthog.dashboards.3.created_at: expected an ISO-8601 datetime``), so a bad document never gets
half applied.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar

from mockbi.core.errors import ConfigError

TAGS = ("$datetime", "$tuple", "$dataclass", "$dict")


class StateError(ConfigError):
    """A state document (or a store) that the codec cannot read or write; the message names the path."""


def _field_hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _origin(hint: Any) -> Any:
    return typing.get_origin(hint)


class Codec:
    """Encode/decode values by type. ``known`` names the dataclasses an ``Any`` value may hold."""

    def __init__(self, known: Mapping[str, type] | None = None,
                 hints: Mapping[type, dict[str, Any]] | None = None) -> None:
        self.known = dict(known or {})
        self._names = {cls: name for name, cls in self.known.items()}
        #: field types of every known record, resolved once (``get_type_hints`` is slow); read-only after this
        self._field_types = dict(hints or {})

    def _hints(self, cls: type) -> dict[str, Any]:
        found = self._field_types.get(cls)
        return found if found is not None else _field_hints(cls)

    # --- encoding -----------------------------------------------------------------------------------
    def encode(self, value: Any, hint: Any, path: str) -> Any:
        if hint is Any or hint is object:
            return self._encode_any(value, path)
        origin = _origin(hint)
        if origin is typing.Union or origin is types.UnionType:
            return self._encode_union(value, typing.get_args(hint), path)
        if origin is typing.Literal or hint in (bool, int, float, str, type(None)):
            return value
        if origin in (list, tuple, dict):
            return self._encode_container(value, hint, origin, path)
        if isinstance(hint, type):
            if issubclass(hint, datetime | date):
                return value.isoformat()
            if issubclass(hint, Enum):
                return value.value
            if dataclasses.is_dataclass(hint):
                return {name: self.encode(getattr(value, name), sub, f"{path}.{name}")
                        for name, sub in self._hints(hint).items()}
        raise StateError(f"{path}: the state codec cannot encode type {hint!r}")

    def _encode_union(self, value: Any, options: tuple[Any, ...], path: str) -> Any:
        if value is None:
            return None
        for option in options:
            if option is not type(None) and _matches(value, option):
                return self.encode(value, option, path)
        raise StateError(f"{path}: {type(value).__name__} fits none of {options!r}")

    def _encode_container(self, value: Any, hint: Any, origin: Any, path: str) -> Any:
        args = typing.get_args(hint)
        if origin is dict:
            key_hint, item_hint = args or (str, Any)
            return {str(k): self.encode(v, item_hint, f"{path}.{k}") for k, v in value.items()}
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return [self.encode(v, h, f"{path}.{i}") for i, (v, h) in enumerate(zip(value, args, strict=True))]
        item = args[0] if args else Any
        return [self.encode(v, item, f"{path}.{i}") for i, v in enumerate(value)]

    def _encode_any(self, value: Any, path: str) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list):
            return [self._encode_any(v, f"{path}.{i}") for i, v in enumerate(value)]
        if isinstance(value, tuple):
            return {"$tuple": [self._encode_any(v, f"{path}.{i}") for i, v in enumerate(value)]}
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise StateError(f"{path}: an untyped mapping with non-string keys cannot be exported")
            inner = {k: self._encode_any(v, f"{path}.{k}") for k, v in value.items()}
            return {"$dict": inner} if any(k.startswith("$") for k in value) else inner
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            name = self._names.get(type(value))
            if name is None:
                raise StateError(f"{path}: a {type(value).__name__} inside untyped data is not a record "
                                 "this store declares")
            return {"$dataclass": name, "fields": self.encode(value, type(value), path)}
        raise StateError(f"{path}: cannot export a {type(value).__name__} held in untyped data")

    # --- decoding -----------------------------------------------------------------------------------
    def decode(self, data: Any, hint: Any, path: str) -> Any:
        if hint is Any or hint is object:
            return self._decode_any(data, path)
        origin = _origin(hint)
        if origin is typing.Union or origin is types.UnionType:
            return self._decode_union(data, typing.get_args(hint), path)
        if origin is typing.Literal:
            if data not in typing.get_args(hint):
                raise StateError(f"{path}: expected one of {list(typing.get_args(hint))}, not {data!r}")
            return data
        if hint in SCALARS:
            return SCALARS[hint](data, path)
        if origin in (list, tuple, dict):
            return self._decode_container(data, hint, origin, path)
        if isinstance(hint, type):
            if issubclass(hint, datetime | date):
                return _decode_time(hint, data, path)
            if issubclass(hint, Enum):
                try:
                    return hint(data)
                except ValueError:
                    raise StateError(f"{path}: {data!r} is not a {hint.__name__}") from None
            if dataclasses.is_dataclass(hint):
                return self._decode_record(data, hint, path)
        raise StateError(f"{path}: the state codec cannot decode type {hint!r}")

    def _decode_union(self, data: Any, options: tuple[Any, ...], path: str) -> Any:
        if data is None and type(None) in options:
            return None
        problems = []
        for option in options:
            if option is type(None):
                continue
            try:
                return self.decode(data, option, path)
            except StateError as exc:
                problems.append(str(exc))
        raise StateError(problems[0] if len(problems) == 1 else f"{path}: {data!r} fits none of {options!r}")

    def _decode_container(self, data: Any, hint: Any, origin: Any, path: str) -> Any:
        args = typing.get_args(hint)
        if origin is dict:
            if not isinstance(data, dict):
                raise StateError(f"{path}: expected an object, not {_kind(data)}")
            key_hint, item_hint = args or (str, Any)
            return {_decode_key(k, key_hint, path): self.decode(v, item_hint, f"{path}.{k}") for k, v in data.items()}
        if not isinstance(data, list):
            raise StateError(f"{path}: expected an array, not {_kind(data)}")
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(data) != len(args):
                raise StateError(f"{path}: expected {len(args)} items, not {len(data)}")
            return tuple(self.decode(v, h, f"{path}.{i}") for i, (v, h) in enumerate(zip(data, args, strict=True)))
        item = args[0] if args else Any
        items = [self.decode(v, item, f"{path}.{i}") for i, v in enumerate(data)]
        return tuple(items) if origin is tuple else items

    def _decode_record(self, data: Any, cls: type, path: str) -> Any:
        if not isinstance(data, dict):
            raise StateError(f"{path}: expected a {cls.__name__} object, not {_kind(data)}")
        hints = self._hints(cls)
        unknown = sorted(set(data) - set(hints))
        if unknown:
            raise StateError(f"{path}: {cls.__name__} has no field(s) {unknown}")
        missing = sorted(set(hints) - set(data))
        if missing:
            raise StateError(f"{path}: {cls.__name__} lacks field(s) {missing}")
        values = {name: self.decode(data[name], sub, f"{path}.{name}") for name, sub in hints.items()}
        return cls(**values)

    def _decode_any(self, data: Any, path: str) -> Any:
        if isinstance(data, list):
            return [self._decode_any(v, f"{path}.{i}") for i, v in enumerate(data)]
        if not isinstance(data, dict):
            return data
        if len(data) >= 1 and next(iter(data)) in TAGS:
            return self._decode_tagged(data, path)
        return {k: self._decode_any(v, f"{path}.{k}") for k, v in data.items()}

    def _decode_tagged(self, data: dict[str, Any], path: str) -> Any:
        tag = next(iter(data))
        if tag == "$datetime" and len(data) == 1:
            return _decode_time(datetime, data[tag], path)
        if tag == "$tuple" and len(data) == 1 and isinstance(data[tag], list):
            return tuple(self._decode_any(v, f"{path}.{i}") for i, v in enumerate(data[tag]))
        if tag == "$dict" and len(data) == 1 and isinstance(data[tag], dict):
            return {k: self._decode_any(v, f"{path}.{k}") for k, v in data[tag].items()}
        if tag == "$dataclass" and set(data) == {"$dataclass", "fields"}:
            cls = self.known.get(str(data[tag]))
            if cls is None:
                raise StateError(f"{path}: {data[tag]!r} is not a record this store declares")
            return self._decode_record(data["fields"], cls, path)
        raise StateError(f"{path}: malformed {tag} value")


def _matches(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the (outer) type ``hint``, for choosing a union member when encoding."""
    if hint is Any or hint is object:
        return True
    origin = _origin(hint)
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    check = origin or hint
    if check is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if check is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(check, type) and isinstance(value, check)


def _kind(data: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(data), type(data).__name__)


def _decode_key(key: str, hint: Any, path: str) -> Any:
    if hint is int:
        try:
            return int(key)
        except ValueError:
            raise StateError(f"{path}: key {key!r} is not an integer") from None
    return key


def _decode_time(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, str):
        raise StateError(f"{path}: expected an ISO-8601 {cls.__name__} string, not {_kind(data)}")
    try:
        return datetime.fromisoformat(data) if cls is datetime else date.fromisoformat(data)
    except ValueError:
        raise StateError(f"{path}: {data!r} is not an ISO-8601 {cls.__name__}") from None


def _scalar(kind: type, label: str) -> Callable[[Any, str], Any]:
    def check(data: Any, path: str) -> Any:
        ok = isinstance(data, kind) and not (kind is not bool and isinstance(data, bool))
        if kind is float:
            ok = isinstance(data, int | float) and not isinstance(data, bool)
        if not ok:
            raise StateError(f"{path}: expected {label}, not {_kind(data)}")
        return data

    return check


def _null(data: Any, path: str) -> None:
    if data is not None:
        raise StateError(f"{path}: expected null, not {_kind(data)}")


SCALARS: dict[Any, Callable[[Any, str], Any]] = {
    bool: _scalar(bool, "a boolean"), int: _scalar(int, "an integer"), float: _scalar(float, "a number"),
    str: _scalar(str, "a string"), type(None): _null,
}


@dataclasses.dataclass(frozen=True)
class StateSpec:
    """What a vendor's store holds: ``fields`` are exported state (attribute → type); ``derived`` are
    rebuilt from the state on demand (caches, the Lightdash warehouse) and restored empty from a factory.
    Anything else on the store must be infrastructure (``Store._infrastructure``)."""

    fields: Mapping[str, Any]
    derived: Mapping[str, Callable[[], Any]] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_annotations(cls, store_class: type, derived: Mapping[str, Callable[[], Any]] | None = None
                         ) -> StateSpec:
        """The spec of a store that annotates its attributes in the class body (``ClassVar``\\ s skipped)."""
        hints = typing.get_type_hints(store_class)
        fields = {name: hint for name, hint in hints.items()
                  if hint is not ClassVar and _origin(hint) is not ClassVar and name not in (derived or {})}
        return cls(fields, dict(derived or {}))

    def codec(self) -> Codec:
        """The codec of this spec (built on first use, then shared: it is read-only)."""
        return self._codec

    @functools.cached_property
    def _codec(self) -> Codec:
        """A codec that knows every dataclass reachable from the declared field types (by class name, or
        by module and name where two share a name), for the ``Any`` values that hold one."""
        hints: dict[type, dict[str, Any]] = {}
        pending = list(self.fields.values())
        while pending:
            hint = pending.pop()
            if isinstance(hint, type) and dataclasses.is_dataclass(hint):
                if hint not in hints:
                    hints[hint] = _field_hints(hint)
                    pending.extend(hints[hint].values())
            else:
                pending.extend(typing.get_args(hint))
        short = [cls.__name__ for cls in hints]
        known = {(cls.__name__ if short.count(cls.__name__) == 1 else f"{cls.__module__}.{cls.__qualname__}"): cls
                 for cls in hints}
        return Codec(known, hints)
