"""``mockbi serve --faults FILE.yaml``: fault rules read from a YAML (or JSON) file.

The file holds a list of rules, or ``{"faults": [...]}``; each rule is what ``POST /__mockbi/faults``
takes. Every problem is one line naming the file and the rule (``faults.yaml: fault 2: unknown key ...``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mockbi.core.errors import ConfigError
from mockbi.core.faults import Fault


def load_fault_file(path: str | Path) -> tuple[dict[str, Any], ...]:
    """The rules in ``path``, each checked on its own (vendors and operations are checked when served)."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read the faults file: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(f"{where}: not valid YAML{line}: {problem}") from None
    if isinstance(data, dict) and set(data) == {"faults"}:
        data = data["faults"]
    if not isinstance(data, list):
        raise ConfigError(f"{where}: expected a list of fault rules (or {{faults: [...]}}), "
                          f"not {type(data).__name__}")
    for i, item in enumerate(data, 1):
        try:
            Fault.from_mapping(item, f"fault {i}")
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return tuple(dict(item) for item in data)
