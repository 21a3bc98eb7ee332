"""The reader boundary: every article and problem a reader yields passes here, so no later
stage meets a NUL or a lone surrogate (both replaced by U+FFFD). A repair is kept in the
article's metadata (``input_repairs``), the audit trail of what the input held."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from ..records import Problem, RawArticle
from ..textutil import scrub

_TEXT_FIELDS = tuple(f.name for f in fields(RawArticle) if f.name != "metadata")


def sanitize(item: RawArticle | Problem) -> RawArticle | Problem:
    if isinstance(item, Problem):
        return _problem(item)
    changes: dict[str, Any] = {}
    repairs: dict[str, int] = {}
    for name in _TEXT_FIELDS:
        value = getattr(item, name)
        if isinstance(value, str):
            clean, n = scrub(value)
            if n:
                changes[name], repairs[name] = clean, n
    metadata, n = _deep(item.metadata)
    if n:
        repairs["metadata"] = n
    if not repairs:
        return item
    metadata = dict(metadata)
    metadata["input_repairs"] = [{"field": f, "replaced": n, "what": "NUL or lone surrogate",
                                  "with": "U+FFFD"} for f, n in sorted(repairs.items())]
    return replace(item, metadata=metadata, **changes)


def _problem(p: Problem) -> Problem:
    source, a = scrub(p.source)
    message, b = scrub(p.message)
    return replace(p, source=source, message=message) if a or b else p


def _deep(value: Any) -> tuple[Any, int]:
    """A JSON-like value with every string (keys too) scrubbed, and the count replaced."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        total, out = 0, {}
        for k, v in value.items():
            k2, a = _deep(k) if isinstance(k, str) else (k, 0)
            v2, b = _deep(v)
            out[k2] = v2
            total += a + b
        return (out, total) if total else (value, 0)
    if isinstance(value, (list, tuple)):
        parts = [_deep(v) for v in value]
        total = sum(n for _, n in parts)
        return ([v for v, _ in parts], total) if total else (value, 0)
    return value, 0
