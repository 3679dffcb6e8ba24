"""Parse the fact tables' compact type notation into JSON Schema 2020-12.

The notation (as written in ``lightdash-ops.json``)::

    object{name: string, icon?: CatalogItemIcon|null}   properties, ``?`` = optional
    object{data,action}                                 field names only (types not recorded)
    object(map)   record<string,T>   array<T>   enum["a","b"]   string(date-time)
    (A | B)   A|null   A & B   Name=<definition>   Name (a reference)   any

Named definitions are returned through ``defs`` so the caller can register them as components;
bare names become ``$ref``s, resolved by the caller.
"""

from __future__ import annotations

import json
from typing import Any

_NAME_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_SCALARS = {"string", "number", "boolean", "null", "any", "undefined", "object", "integer"}


class ShapeParser:
    def __init__(self, text: str, defs: dict[str, tuple[int, Any]], refs: set[str]) -> None:
        self.s = text
        self.i = 0
        self.defs = defs  # name -> (source length, schema); the richest definition wins
        self.refs = refs

    # --- helpers ---------------------------------------------------------------------------------
    def peek(self, lit: str) -> bool:
        return self.s.startswith(lit, self.i)

    def eat(self, lit: str) -> None:
        if not self.peek(lit):
            raise ValueError(f"expected {lit!r} at {self.i} in {self.s[self.i : self.i + 60]!r}")
        self.i += len(lit)

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def name(self) -> str:
        start = self.i
        while self.i < len(self.s) and self.s[self.i] in _NAME_CHARS:
            self.i += 1
        if start == self.i:
            raise ValueError(f"expected a name at {self.i} in {self.s[self.i : self.i + 60]!r}")
        return self.s[start : self.i]

    # --- grammar ---------------------------------------------------------------------------------
    def parse(self) -> Any:
        out = self.union()
        self.ws()
        if self.i != len(self.s):
            raise ValueError(f"trailing text at {self.i}: {self.s[self.i : self.i + 60]!r}")
        return out

    def union(self) -> Any:
        parts = [self.intersection()]
        while True:
            self.ws()
            if self.peek("|"):
                self.eat("|")
                self.ws()
                parts.append(self.intersection())
            else:
                break
        return union_of(parts)

    def intersection(self) -> Any:
        parts = [self.primary()]
        while True:
            save = self.i
            self.ws()
            if self.peek("&"):
                self.eat("&")
                self.ws()
                parts.append(self.primary())
            else:
                self.i = save
                break
        return parts[0] if len(parts) == 1 else {"allOf": parts}

    def primary(self) -> Any:
        self.ws()
        if self.peek("("):
            self.eat("(")
            inner = self.union()
            self.ws()
            self.eat(")")
            return inner
        if self.peek("array<"):
            self.eat("array<")
            items = self.union()
            self.eat(">")
            return {"type": "array", "items": items}
        if self.peek("record<string,"):
            self.eat("record<string,")
            self.ws()
            values = self.union()
            self.eat(">")
            return {"type": "object", "additionalProperties": values}
        if self.peek("enum["):
            self.eat("enum")
            depth, start = 0, self.i
            in_str = False
            while True:
                c = self.s[self.i]
                if in_str:
                    if c == "\\":
                        self.i += 1
                    elif c == '"':
                        in_str = False
                elif c == '"':
                    in_str = True
                elif c == "[":
                    depth += 1
                elif c == "]":
                    depth -= 1
                    if depth == 0:
                        self.i += 1
                        break
                self.i += 1
            values = json.loads(self.s[start : self.i])
            return enum_schema(values)
        if self.peek("object{"):
            return self.object_fields()
        if self.peek("object(map)"):
            self.eat("object(map)")
            return {"type": "object"}
        word = self.name()
        if word in _SCALARS and not self.peek("="):
            if word == "string" and self.peek("("):
                self.eat("(")
                fmt = self.name()
                self.eat(")")
                return {"type": "string", "format": fmt}
            if word in ("any", "undefined"):
                return {}
            return {"type": word}
        if self.peek("="):
            self.eat("=")
            start = self.i
            body = self.union()
            size = self.i - start
            old = self.defs.get(word)
            if old is None or size > old[0]:
                self.defs[word] = (size, body)
            return {"$ref": f"#/components/schemas/{word}"}
        self.refs.add(word)
        return {"$ref": f"#/components/schemas/{word}"}

    def object_fields(self) -> Any:
        self.eat("object{")
        props: dict[str, Any] = {}
        required: list[str] = []
        while not self.peek("}"):
            self.ws()
            fname = self.name()
            optional = False
            if self.peek("?"):
                self.eat("?")
                optional = True
            if self.peek(":"):
                self.eat(":")
                self.ws()
                props[fname] = self.union()
            else:
                props[fname] = {}
            if not optional:
                required.append(fname)
            self.ws()
            if self.peek(","):
                self.eat(",")
        self.eat("}")
        out: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out


def enum_schema(values: list[Any]) -> dict[str, Any]:
    kinds = []
    for v in values:
        k = "null" if v is None else "string" if isinstance(v, str) else "boolean" if isinstance(v, bool) else "number"
        if k not in kinds:
            kinds.append(k)
    if kinds == ["null"]:
        return {"type": "null"}
    return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}


def union_of(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    nulls = [p for p in parts if p == {"type": "null"}]
    rest = [p for p in parts if p != {"type": "null"}]
    if nulls and len(rest) == 1:
        return nullable(rest[0])
    return {"anyOf": parts}


def nullable(schema: Any) -> Any:
    """``schema`` or null, written the JSON Schema 2020-12 way."""
    if schema == {}:
        return {}
    if schema == {"type": "null"}:
        return schema
    t = schema.get("type")
    if schema.get("enum") == [None]:
        return {"type": "null"}
    if "enum" in schema:
        out = dict(schema)
        if None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(t, str):
            out["type"] = [t, "null"]
        elif isinstance(t, list) and "null" not in t:
            out["type"] = [*t, "null"]
        return out
    if isinstance(t, str) and "$ref" not in schema and "allOf" not in schema and "anyOf" not in schema:
        return {**schema, "type": [t, "null"]}
    if isinstance(t, list):
        return schema if "null" in t else {**schema, "type": [*t, "null"]}
    if "anyOf" in schema and len(schema) == 1:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}


def parse_shape(text: str, defs: dict[str, tuple[int, Any]], refs: set[str]) -> Any:
    return ShapeParser(text, defs, refs).parse()
