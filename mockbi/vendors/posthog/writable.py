"""What PostHog's serializers (and the Postgres behind them) refuse, checked on the parsed body before the
contract and before any handler, so a refused write changes nothing and a stored value can always be sent
back (see ``mockbi.core.storable``).

- Character fields (DRF ``CharField``): ``Null characters are not allowed.`` /
  ``Surrogate characters are not allowed: U+D800.`` (the validators every ``CharField`` carries).
- JSON fields (``filters``, ``variables``, ``breakdown_colors``, sharing ``settings``, ``tiles``): a value
  the service could not store or render again (an integer beyond 64 bits, a non-finite number, nesting
  deeper than ``FIELD_DEPTH``, a NUL or a lone surrogate) gets ``JSONField``'s ``Value must be valid JSON.``;
  a text tile's body is a ``CharField`` (attr ``text__body``).
- ``data_color_theme_id`` beyond a Postgres ``integer`` names no theme: ``Invalid pk "N" - object does not
  exist.``
- An integer beyond 64 bits in a field only looked up (``use_dashboard``, ``toDashboard``) or a choice gets
  the lookup's own answer, so none travels further (the journal keeps the decoded body).
- Other typed fields holding an unencodable string or a runaway container get their own "invalid" message.
- Keys the serializer does not declare are ignored by DRF: dropped here when they hold such values.
- Tile edits (``tile_edit_error``, called by ``editing.check_tile_edits``): display values the tile could
  not be read back with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockbi.core.storable import (
    MAX_INT,
    MIN_INT,
    NUL,
    PG_INT_MAX,
    PG_INT_MIN,
    SURROGATE,
    Unstorable,
    bad_char,
    first_unstorable,
)
from mockbi.core.validation import MAX_JSON_DEPTH
from mockbi.vendors.posthog import errors
from mockbi.vendors.posthog.errors import PostHogError

#: what DRF answers for a value of the field's kind it cannot parse
INVALID = {"bool": "Must be a valid boolean.", "int": "A valid integer is required.",
           "uuid": "Must be a valid UUID.",
           "datetime": "Datetime has wrong format. Use one of these formats instead: "
                       "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."}
#: integer fields that are foreign keys stored on the dashboard
FOREIGN_KEYS = frozenset({"data_color_theme_id"})
JSON_INVALID = "Value must be valid JSON."
#: a field's value sits inside the body object, which the engine allows ``MAX_JSON_DEPTH`` levels (the
#: engine checks JSON bodies itself, after decoding; form fields holding JSON are checked here)
FIELD_DEPTH = MAX_JSON_DEPTH - 1
#: no depth bound: for JSON bodies, whose depth the engine refuses on its own
UNBOUNDED = 10**9


def _unstorable(value: Any, max_depth: int) -> Unstorable | None:
    return first_unstorable(value, max_depth=max_depth)


def char_error(text: str, attr: str) -> PostHogError | None:
    """A ``CharField``'s validators: NUL first, then surrogates (as DRF appends them)."""
    found = bad_char(text)
    if found is None:
        return None
    kind, ch = found
    if kind == NUL:
        return errors.invalid("Null characters are not allowed.", attr, "null_characters_not_allowed")
    return errors.invalid(f"Surrogate characters are not allowed: U+{ord(ch):X}.", attr,
                            "surrogate_characters_not_allowed")


def _json_error(name: str, value: Any, max_depth: int) -> PostHogError | None:
    problem = _unstorable(value, max_depth)
    if problem is None:
        return None
    path = problem.path
    if name == "tiles" and len(path) == 3 and path[1:] == ("text", "body") and problem.kind in (NUL, SURROGATE):
        return char_error(str(value[path[0]]["text"]["body"]), "text__body")
    return errors.invalid(JSON_INVALID, name)


def _not_of_kind(name: str, kind: str, value: Any) -> PostHogError:
    """What DRF says when a container comes where the field wants a scalar."""
    if kind == "choice":
        return errors.invalid(f'"{value}" is not a valid choice.', name, "invalid_choice")
    return errors.invalid(INVALID.get(kind, "Not a valid string."), name)


def field_error(name: str, kind: str, max_length: int | None, value: Any,
                max_depth: int = FIELD_DEPTH) -> PostHogError | None:
    """The error DRF reports for this field's value, if it is one the service cannot store."""
    if kind not in ("json", "dict", "list") and isinstance(value, dict | list) and _unstorable(value, max_depth):
        return _not_of_kind(name, kind, value)  # nested too deep for anything to look into it (a contract check)
    if kind == "char":
        too_long = max_length is not None and isinstance(value, str) and len(value) > max_length
        return char_error(value, name) if isinstance(value, str) and not too_long else None
    if kind == "list":
        if isinstance(value, dict) and _unstorable(value, max_depth):
            return errors.invalid('Expected a list of items but got type "dict".', name, "not_a_list")
        items = value if isinstance(value, list) else []
        for i, item in enumerate(items):
            err = char_error(item, f"{name}__{i}") if isinstance(item, str) else None
            if err is not None:
                return err
        return errors.invalid(JSON_INVALID, name) if _unstorable(items, max_depth) else None
    if kind in ("json", "dict"):
        return _json_error(name, value, max_depth)
    if isinstance(value, str) and bad_char(value):
        if kind == "choice":  # ChoiceField echoes the input: the unencodable character escaped
            shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
            return errors.invalid(f'"{shown}" is not a valid choice.', name, "invalid_choice")
        return errors.invalid(INVALID.get(kind, "Invalid value provided"), name)
    if kind == "int" and isinstance(value, float):  # DRF parses str(value): ``1e+308`` is no integer
        return errors.invalid(INVALID["int"], name)
    if isinstance(value, int) and not isinstance(value, bool):
        return _int_error(name, kind, value)
    return None


def _int_error(name: str, kind: str, value: int) -> PostHogError | None:
    """An integer no row can have: for a stored key "Invalid pk", for a key only looked up the lookup's own
    answer (it finds nothing), for a choice DRF's; so no integer beyond 64 bits travels any further."""
    if name in FOREIGN_KEYS:
        if PG_INT_MIN <= value <= PG_INT_MAX:
            return None
        return errors.invalid(f'Invalid pk "{value}" - object does not exist.', name, "does_not_exist")
    if MIN_INT <= value <= MAX_INT:
        return None
    if kind not in ("int", "choice"):  # (char, uuid and datetime values are strings by now)
        return errors.invalid(INVALID.get(kind, "Invalid value provided"), name)
    if kind == "choice":
        return errors.invalid(f'"{value}" is not a valid choice.', name, "invalid_choice")
    if name == "use_dashboard":  # Dashboard.objects.get(id=...) finds nothing
        return errors.invalid("Invalid value provided", name)
    return errors.not_found()  # move_tile's get_object_or_404


def check(body: dict[str, Any], fields: Mapping[str, Any], *, max_depth: int = FIELD_DEPTH) -> dict[str, Any]:
    """Raise the first refusal in serializer order; return the body without undeclared keys that hold
    values nothing could store (DRF never reads them)."""
    for name, spec in fields.items():
        if name in body:
            err = field_error(name, spec.kind, spec.max_length, body[name], max_depth)
            if err is not None:
                raise err
    unknown = [k for k in body if k not in fields]
    if not unknown:
        return body
    return {k: v for k, v in body.items() if k in fields or (not bad_char(k) and _unstorable(v, max_depth) is None)}


#: a tile's display fields the PATCH ``tiles`` edits write as they come (the service's view hands them to
#: ``update_or_create`` without a serializer): what each must be so the tile can still be read
TILE_BOOLEANS = ("show_description", "transparent_background", "deleted")


def _not_a_dict(value: Any) -> PostHogError:
    """DRF ``DictField``'s words for a value that is no dictionary."""
    return errors.invalid(f'Expected a dictionary of items but got type "{type(value).__name__}".', "tiles",
                            "not_a_dict")


def tile_edit_error(edit: dict[str, Any]) -> PostHogError | None:
    """Why a tile edit would leave a tile nothing could read back (400 attr ``tiles``, inferred): the service
    stores such values and then fails every read of the dashboard (layouts by size that are no
    dictionaries) or serves what its schema does not allow, or its database refuses them (booleans)."""
    layouts = edit.get("layouts")
    if layouts is not None:
        bad = layouts if not isinstance(layouts, dict) else next(
            (v for v in layouts.values() if v is not None and not isinstance(v, dict)), None)
        if bad is not None:
            return _not_a_dict(bad)
    overrides = edit.get("filters_overrides")
    if overrides is not None and not isinstance(overrides, dict):
        return _not_a_dict(overrides)
    if edit.get("color") is not None and not isinstance(edit["color"], str):
        return errors.invalid("Not a valid string.", "tiles")
    for name in TILE_BOOLEANS:
        if edit.get(name) is not None and edit[name] not in (True, False):
            return errors.invalid("Must be a valid boolean.", "tiles")
    return None
