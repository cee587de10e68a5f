"""A compact field guide for the model, generated from the pydantic models' descriptions.

The field descriptions in `records.py` are written for a model to read, but
some servers never show them to it: llama.cpp's server in tools mode turns
the tool definition (about 3,600 tokens for `Extraction`) into a grammar and
leaves it out of the prompt, so the model fills a shape it was never told the
meaning of. This guide says the same things in a fraction of the tokens, and
goes in the system prompt whenever the schema is not shown (`SUMMARIZER_FIELD_GUIDE`).

It is rendered from the JSON Schema pydantic generates, never hand-copied, so
a description edited in `records.py` is what the model reads next run. Fields
the tool fills in itself (evidence offsets, alignment) are left out.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

#: Descriptions containing this mark fields the tool fills in; the model is not told of them.
TOOL_FILLED = "Filled in by the tool"
#: Rough characters per token, for the tokens-shown check (English prose and JSON: 3.5-4.5).
CHARS_PER_TOKEN = 4.0

Schema = dict[str, Any]


def _ref_name(node: Schema) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _enum(defs: dict[str, Schema], node: Schema) -> list[str] | None:
    name = _ref_name(node)
    target = defs.get(name, {}) if name else node
    values = target.get("enum")
    return [str(v) for v in values] if isinstance(values, list) else None


def _type(defs: dict[str, Schema], node: Schema, seen: list[str]) -> str:
    """A short type phrase ('text', 'list of Actor', 'EventDate or null', 'one of a|b')."""
    options = node.get("anyOf")
    if isinstance(options, list):
        kinds = [_type(defs, o, seen) for o in options if o.get("type") != "null"]
        nullable = any(o.get("type") == "null" for o in options)
        return " or ".join(kinds) + (" or null" if nullable else "")
    values = _enum(defs, node)
    if values is not None:
        return "one of " + "|".join(values)
    name = _ref_name(node)
    if name is not None:
        if name not in seen:
            seen.append(name)
        return name
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        if isinstance(items, dict) and items.get("type") == "array":
            return "list of tuples"
        kind = "list of " + _type(defs, items if isinstance(items, dict) else {}, seen)
        least = node.get("minItems")
        return f"{kind} (at least {least})" if isinstance(least, int) and least > 0 else kind
    bounds = [f"{k[:3]} {node[k]}" for k in ("minimum", "maximum") if k in node]
    plain = {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false"}
    phrase = plain.get(str(kind), str(kind or "any"))
    return f"{phrase} ({', '.join(bounds)})" if bounds else phrase


def _lines(
    defs: dict[str, Schema], name: str, node: Schema, seen: list[str], told: set[str]
) -> list[str]:
    """One object type: its own line, then one line per field (a description told once)."""
    head = f"{name}: {node['description']}" if node.get("description") else f"{name}:"
    lines = [" ".join(head.split())]
    required = set(node.get("required", []))
    for field, spec in (node.get("properties") or {}).items():
        description = " ".join(str(spec.get("description", "")).split())
        if TOOL_FILLED in description:
            continue
        mark = "" if field in required else "?"
        text = f"  {field}{mark}: {_type(defs, spec, seen)}"
        fresh = description and f"{field}: {description}" not in told
        told.add(f"{field}: {description}")
        lines.append(f"{text}. {description}" if fresh else text)
    return lines


@lru_cache(maxsize=8)
def field_guide(schema: type[BaseModel]) -> str:
    """The guide for one output model: each object type once, its fields with type and meaning.

    Backends pass the model they ask for (`grounding.grounded_model`), so the guide
    says what the request requires (a summary needs at least one sentence).
    """
    document = schema.model_json_schema()
    defs: dict[str, Schema] = document.get("$defs", {})
    seen: list[str] = []
    told: set[str] = set()
    out = [
        f"Field guide: answer with one JSON object of type {schema.__name__}. "
        "A field marked ? may be left out (null or empty)."
    ]
    out += _lines(defs, schema.__name__, document, seen, told)
    done = {schema.__name__}
    while len(done) < len(seen) + 1:
        name = next(n for n in seen if n not in done)
        done.add(name)
        node = defs.get(name, {})
        if node.get("type") == "object":
            out += _lines(defs, name, node, seen, told)
    return "\n".join(out)


def schema_chars(schema: type[BaseModel]) -> int:
    """Length of the JSON Schema a server receives as a tool or response format."""
    return len(json.dumps(schema.model_json_schema()))


def schema_hidden(prompt_tokens: int, prompt_chars: int, schema: type[BaseModel]) -> bool:
    """True when a server's prompt token count shows the model was not given the schema.

    A server that shows the tool to the model counts its tokens in the prompt:
    roughly (messages + schema) / 4 tokens, or about half that when it renders
    the schema compactly (OpenAI's tool format). A count below the midpoint
    between "messages only" and "messages plus half the schema" means the
    schema never reached the model.
    """
    shown_at_least = (prompt_chars + schema_chars(schema) / 4) / CHARS_PER_TOKEN
    return prompt_tokens < shown_at_least


def with_guide(messages: list[dict[str, str]], schema: type[BaseModel]) -> list[dict[str, str]]:
    """The messages with the field guide appended to the system message."""
    out = [dict(m) for m in messages]
    guide = field_guide(schema)
    for message in out:
        if message.get("role") == "system":
            message["content"] = f"{message['content'].rstrip()}\n\n{guide}\n"
            return out
    return [{"role": "system", "content": guide}, *out]
