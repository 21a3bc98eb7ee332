"""Plain-text articles: optional metadata header lines or YAML front matter, then the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..errors import InputError
from ..records import RawArticle
from ..textutil import looks_like_caption, looks_like_title, normalize_date
from .base import ReadItem, Reader

# "date 2023-03-02 The American ..." (the body may go on on the same line) or "date: ...".
_DATE_HEADER = re.compile(
    r"^[ \t]*date[ \t]*:?[ \t]+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?:[ \t]+|$)", re.IGNORECASE)
_KEY_HEADER = re.compile(r"^[ \t]*(title|source|outlet|url|author|lang|language|date)[ \t]*:[ \t]*(.+?)[ \t]*$",
                         re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY_ALIASES = {"source": "outlet", "language": "lang"}
MAX_YAML_ITEMS = 10_000  # front matter holds a few fields; aliases can make billions (a bomb)


class TextReader(Reader):
    kind = "text"

    def parse(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        meta, body, date_source = _split_header(text, origin)
        title = meta.pop("title", None)
        body = body.strip("\n")
        if title is None:
            title, body = _title_from_body(body)
        if not body.strip():
            raise InputError(origin, "no article text after the metadata", code="E103")
        date = meta.pop("date", None)
        yield RawArticle(
            text=body, origin=origin, raw=text, raw_format="text", title=title,
            url=meta.pop("url", None) or url, outlet=meta.pop("outlet", None),
            author=meta.pop("author", None), lang=meta.pop("lang", None),
            date=date, date_source=date_source if date else None,
            date_confidence=1.0 if date else None, metadata=meta,
        )


def _split_header(text: str, origin: str) -> tuple[dict[str, Any], str, str | None]:
    """Metadata from YAML front matter or leading ``key: value`` lines; the rest is the body."""
    fm = _FRONT_MATTER.match(text)
    if fm:
        try:
            data = yaml.safe_load(fm.group(1)) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise InputError(origin, f"bad YAML front matter: {getattr(exc, 'problem', exc)}",
                             line=(line + 2) if line is not None else None, code="E108") from None
        if not isinstance(data, dict):
            raise InputError(origin, "YAML front matter is not a mapping", line=2, code="E108")
        if not _small(data):
            raise InputError(origin, f"YAML front matter too large (over {MAX_YAML_ITEMS:,} "
                             "values once its aliases are expanded)", line=2, code="E108")
        meta = {}
        for key, value in data.items():
            key = _KEY_ALIASES.get(str(key).lower(), str(key).lower())
            meta[key] = value if key not in ("title", "outlet", "url", "author", "lang") else str(value)
        _set_date(meta, meta.get("date"))
        return meta, text[fm.end():], "front-matter"

    meta: dict[str, Any] = {}
    rest = text
    while True:
        stripped = rest.lstrip("\n")
        m = _DATE_HEADER.match(stripped)
        if m and "date" not in meta and _set_date(meta, m.group(1)):
            rest = stripped[m.end():]
            continue
        line_end = stripped.find("\n")
        line = stripped if line_end < 0 else stripped[:line_end]
        k = _KEY_HEADER.match(line)
        if not k:
            break
        key = _KEY_ALIASES.get(k.group(1).lower(), k.group(1).lower())
        if key in meta or (key == "date" and not _set_date(meta, k.group(2))):
            break
        if key != "date":
            meta[key] = k.group(2)
        rest = "" if line_end < 0 else stripped[line_end + 1:]
    return meta, rest, "header" if "date" in meta else None


def _set_date(meta: dict[str, Any], value: Any) -> bool:
    parsed = normalize_date(value)
    if parsed is None:
        meta.pop("date", None)
        return False
    meta["date"] = parsed[0]
    if parsed[1]:
        meta["published_at"] = str(value)
    return True


def _title_from_body(body: str) -> tuple[str | None, str]:
    """Take the first line as the title when it looks like one; after a photo caption, the
    second line may be the headline (then it stays in the body: the cleaner removes it)."""
    lines = [ln for ln in body.split("\n")]
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(nonempty) < 2:
        return None, body
    first = lines[nonempty[0]]
    if looks_like_title(first):
        rest = "\n".join(lines[nonempty[0] + 1:]).lstrip("\n")
        return first.strip(), rest
    if looks_like_caption(first) and len(nonempty) >= 3 and looks_like_title(lines[nonempty[1]]):
        return lines[nonempty[1]].strip(), body
    return None, body


def _small(data: Any) -> bool:
    """At most :data:`MAX_YAML_ITEMS` values, aliases counted each time they are used."""
    stack, seen = [data], 0
    while stack:
        value = stack.pop()
        seen += 1
        if seen > MAX_YAML_ITEMS:
            return False
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set)):
            stack.extend(value)
    return True
