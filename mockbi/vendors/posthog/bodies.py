"""Request bodies the way Django REST Framework reads them: JSON, form or multipart, with DRF's lenient
field coercion ("true" is a boolean, "21" an integer, 5 a string), and contract violations turned into
DRF's first error (``attr`` joined with ``__``, DRF's wording)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockbi.core.storable import bad_char
from mockbi.core.vendor import FORM_MEDIA, RawBody
from mockbi.vendors.posthog import errors, writable

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation
    from mockbi.core.errors import ApiError
    from mockbi.core.validation import Violation


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # char | bool | int | choice | list | dict | json | uuid | datetime
    max_length: int | None = None


#: DRF fields of the request bodies, in serializer order (the first error reported follows this order)
FIELDS: Mapping[str, Field] = MappingProxyType({
    "name": Field("char", 400), "description": Field("char"), "pinned": Field("bool"),
    "last_accessed_at": Field("datetime"), "deleted": Field("bool"), "breakdown_colors": Field("json"),
    "data_color_theme_id": Field("int"), "tags": Field("list"), "restriction_level": Field("choice"),
    "last_refresh": Field("datetime"), "use_template": Field("char"), "use_dashboard": Field("int"),
    "delete_insights": Field("bool"), "_create_in_folder": Field("char"),
    "filters": Field("dict"), "variables": Field("dict"), "tiles": Field("json"),
    "level": Field("choice"), "user_uuid": Field("uuid"),
    "enabled": Field("bool"), "settings": Field("json"), "password_required": Field("bool"),
    "raw_password": Field("char"), "note": Field("char", 100),
    "toDashboard": Field("int"), "to_dashboard": Field("int"), "template": Field("json"),
})
ORDER = MappingProxyType({name: i for i, name in enumerate(FIELDS)})
TRUE_VALUES = frozenset({"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"})
FALSE_VALUES = frozenset({"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"})
#: DRF's IntegerField drops a decimal tail of zeros (``"1.0"``, ``1.0``) before ``int()``
_DECIMAL_TAIL = re.compile(r"\.0*\s*$")
_DIGITS = re.compile(r"^-?\d+$")
#: DRF's IntegerField refuses longer strings before parsing them
MAX_INT_STRING = 1000
#: operations whose view hands no serializer the body: a JSON ``null`` is no "No data provided" there (the
#: template view indexes it, a 500 as for a missing ``template``; ``refresh`` never reads it)
RAW_BODY_OPERATIONS = frozenset({"dashboards_create_from_template_json_create", "dashboards_sharing_refresh_create"})
_VALUE = re.compile(r"^(.*?) is (?:not of type|not one of|longer than)", re.S)
PYTYPE = MappingProxyType({str: "str", int: "int", float: "float", bool: "bool", dict: "dict", list: "list",
                           type(None): "NoneType"})


def _coerce(value: Any, field: Field, *, form: bool) -> Any:
    if form and value == "" and field.kind in ("int", "datetime", "choice"):
        return None
    if field.kind == "bool":
        if isinstance(value, str) and value in TRUE_VALUES:
            return True
        if isinstance(value, str) and value in FALSE_VALUES:
            return False
        if value in (0, 1) and not isinstance(value, bool):
            return bool(value)
    elif field.kind == "int":
        return _drf_int(value)
    elif field.kind == "choice":
        if isinstance(value, str) and _DIGITS.match(value):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif field.kind in ("char", "uuid", "datetime"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    elif field.kind in ("dict", "json") and form and isinstance(value, str):
        try:
            return json.loads(value, parse_constant=_strict_constant)
        except (ValueError, RecursionError):
            return value
    return value


def _drf_int(value: Any) -> Any:
    """DRF's ``IntegerField.to_internal_value``: ``int(str(value))`` after dropping a ``.0`` tail (so ``1e16``
    and ``1.5`` are not integers, and nothing overflows); values it refuses are left for the contract."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    if isinstance(value, str) and len(value) > MAX_INT_STRING:
        return value
    try:
        return int(_DECIMAL_TAIL.sub("", str(value)))
    except ValueError:
        return value


def _strict_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")


def _parse_json(data: bytes) -> Any:
    """DRF's JSONParser (``STRICT_JSON``: no NaN/Infinity); too deep a document is a parse error too."""
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_strict_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.parse_error(f"JSON parse error - {exc}") from exc
    except RecursionError as exc:
        raise errors.parse_error("JSON parse error - maximum recursion depth exceeded while decoding "
                                   "a JSON document") from exc


def decode(op: Operation, raw: RawBody, *, validate: bool = True) -> Any:
    """The parsed body, ``None`` when empty; 415 for a media type the operation does not parse, 400 parse_error.
    With ``validate`` (the serializer's turn, after authentication and the object lookup) also DRF's checks
    of the whole body and of the values the service could not store (``writable``); without it only what the
    parser itself refuses, as when the authentication classes peek at ``request.data``."""
    if raw.empty or not op.request_media:
        return None
    media = raw.media or ""
    if media not in op.request_media:
        raise errors.unsupported_media(media)
    if raw.error is not None:  # DRF's MultiPartParser / FormParser failure (every kind: see SOURCE.md)
        kind = "Multipart form" if media == "multipart/form-data" else "Form"
        raise errors.parse_error(f"{kind} parse error - {raw.error}")
    if raw.form is not None or media in FORM_MEDIA:
        data = _coerce_all(_form_fields(raw), form=True)
        return writable.check(data, FIELDS) if validate else data
    parsed = _parse_json(raw.data)
    if not validate:
        return _coerce_all(parsed, form=False) if isinstance(parsed, dict) else parsed
    if parsed is None and op.operation_id not in RAW_BODY_OPERATIONS:
        # the serializer gets ``data=None``: DRF's "This field may not be null." becomes this edge case
        raise errors.invalid("No data provided", None, "null")
    if parsed is None:
        return None
    if not isinstance(parsed, dict):  # the serializer's own check, before anything could read the value
        raise errors.invalid(f"Invalid data. Expected a dictionary, but got {PYTYPE.get(type(parsed), 'str')}.")
    # the engine refuses a JSON body nested too deep on its own (a parse error, ``request_error``)
    return writable.check(_coerce_all(parsed, form=False), FIELDS, max_depth=writable.UNBOUNDED)


def _form_fields(raw: RawBody) -> dict[str, Any]:
    """Text fields of a form (the last value, or every value of a list field); files are not fields."""
    data: dict[str, Any] = {}
    for key in raw.form or {}:
        if bad_char(key, nul=False):  # a name that is not UTF-8: Django skips that header line, so the part
            continue
        values = [v for v in raw.form.getall(key) if isinstance(v, str)] if raw.form else []
        if not values:
            continue
        spec = FIELDS.get(key)
        data[key] = values if spec and spec.kind == "list" else values[-1]
    return data


def _coerce_all(data: dict[str, Any], *, form: bool) -> dict[str, Any]:
    return {k: (_coerce(v, FIELDS[k], form=form) if k in FIELDS else v) for k, v in data.items()}


def _instance(message: str) -> Any:
    match = _VALUE.match(message)
    if not match:
        return None
    try:
        return json.loads(match.group(1))
    except ValueError:
        return match.group(1)


def _rank(v: Violation) -> tuple[int, int, str]:
    where = {"path": 0, "query": 1, "header": 2, "body": 3}.get(v.where, 4)
    top = v.field.split(".")[0] if v.field else ""
    return where, ORDER.get(top, -1 if not top else len(ORDER)), v.field


def request_error(violations: list[Violation]) -> ApiError:
    """DRF's answer to the first contract violation (path/query problems are 404s, as in PostHog)."""
    first = sorted(violations, key=_rank)[0]
    if first.keyword == "maxDepth":  # the engine's nesting limit: a limit of the parser's, worded as DRF's
        return errors.parse_error(f"JSON parse error - {first.message}")
    if first.where in ("path", "query", "header"):
        return errors.not_found()
    parts = first.field.split(".") if first.field else []
    value = _instance(first.message)
    if not parts:
        if first.keyword == "required":
            return errors.invalid("This field is required.", None, "required")
        return errors.invalid(f"Invalid data. Expected a dictionary, but got {PYTYPE.get(type(value), 'str')}.")
    top = parts[0]
    if top == "tiles" and parts[-2:] == ["text", "body"] and first.keyword == "maxlength":
        return errors.invalid("Text body cannot exceed 4000 characters", "text__body", "max_length")
    if top in ("filters", "variables") and len(parts) == 1:
        return errors.invalid(f"{top.capitalize()} must be a dictionary")
    if top == "settings" and len(parts) == 1:
        return errors.invalid("Invalid settings format", "settings")
    attr = "__".join(parts)
    field = FIELDS.get(top, Field("json"))
    if first.keyword == "required":
        return errors.invalid("This field is required.", attr, "required")
    if first.keyword == "maxlength" and field.max_length:
        return errors.invalid(f"Ensure this field has no more than {field.max_length} characters.", attr,
                                "max_length")
    if value is None and first.keyword == "type":
        return errors.invalid("This field may not be null.", attr, "null")
    if first.keyword == "enum" or field.kind == "choice":
        return errors.invalid(f'"{_drf_str(value)}" is not a valid choice.', attr, "invalid_choice")
    if len(parts) > 1 and field.kind == "list":
        return errors.invalid("Not a valid string.", attr)
    messages = {"bool": "Must be a valid boolean.", "int": "A valid integer is required.",
                "char": "Not a valid string.", "uuid": "Must be a valid UUID.",
                "datetime": "Datetime has wrong format. Use one of these formats instead: "
                            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."}
    if field.kind == "list":
        return errors.invalid(f'Expected a list of items but got type "{PYTYPE.get(type(value), "str")}".', attr,
                                "not_a_list")
    if field.kind == "int" and isinstance(value, str) and len(value) > 1000:
        return errors.invalid("String value too large.", attr, "max_string_length")
    return errors.invalid(messages.get(field.kind, "Invalid value provided"), attr)


def _drf_str(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return "None" if value is None else str(value)
