"""One-line answers to a name that is not allowed: what was given, what is allowed, the closest allowed name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mockbi.core.errors import ConfigError


def closest(name: str, allowed: Iterable[str]) -> str | None:
    """The allowed name most like ``name`` (``difflib``), if any is close enough."""
    found = difflib.get_close_matches(str(name), [str(a) for a in allowed], n=1, cutoff=0.6)
    return found[0] if found else None


def unknown(what: str, name: object, allowed: Iterable[str]) -> str:
    """``unknown vendor 'postgog'; allowed: a, b (did you mean 'posthog'?)``."""
    options = sorted({str(a) for a in allowed})
    hint = closest(str(name), options)
    text = f"unknown {what} {name!r}; allowed: {', '.join(options)}"
    return text + (f" (did you mean {hint!r}?)" if hint else "")


def check_names(what: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise a one-line :class:`ConfigError` for the first of ``given`` that is not ``allowed``."""
    options = list(allowed)
    for name in given:
        if name not in options:
            raise ConfigError(unknown(what, name, options))

