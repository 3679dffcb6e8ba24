"""Env vars and the hash that guards them (optimistic concurrency).

``envVars`` is ``{"environment": {KEY: value}}``. The hash is 40 hex characters: SHA-1 over the previous
hash and the canonical JSON of the new env vars, so it is derived from the content, changes on every
successful write (even one that restores an earlier content: no ABA), and a seeded tenant can start
from any given hash (the docs' example hash, for instance).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

HASH_RE = re.compile(r"^[0-9a-f]{40}$")


def canonical(environment: Mapping[str, str]) -> bytes:
    return json.dumps({"environment": dict(environment)}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def initial_hash(tenant_id: str, environment: Mapping[str, str]) -> str:
    return hashlib.sha1(tenant_id.encode() + b"\n" + canonical(environment)).hexdigest()


def next_hash(previous: str, environment: Mapping[str, str]) -> str:
    return hashlib.sha1(previous.encode() + b"\n" + canonical(environment)).hexdigest()


def env_vars(environment: Mapping[str, str]) -> dict[str, Any]:
    """The wire shape of ``envVars`` (a copy, sorted by key like a JSON config dump)."""
    return {"environment": {k: environment[k] for k in sorted(environment)}}


def merged(environment: Mapping[str, str], pairs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``environment`` with each ``{key, value}`` upserted (a later pair wins over an earlier one)."""
    out = dict(environment)
    for pair in pairs:
        out[str(pair["key"])] = str(pair["value"])
    return out
