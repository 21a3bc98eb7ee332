"""JSON (an object, an array, or {"articles": [...]}) and JSON Lines, with field mapping."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import ConfigError, InputError
from ..records import Problem, RawArticle
from ..textutil import normalize_date
from .base import ReadItem, Reader

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "date_publish"),
    "outlet": ("source", "outlet", "site", "source_domain", "domain", "publisher"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
    "author": ("author", "authors", "byline"),
    "credited_source": ("credit", "credited_source", "wire"),
}
TARGETS = tuple(DEFAULT_FIELDS)


def parse_field_map(spec: str | None) -> dict[str, tuple[str, ...]]:
    """``"text=article_body,date=pubDate"`` -> field aliases with the mapped names first."""
    fields = dict(DEFAULT_FIELDS)
    if not spec:
        return fields
    for part in spec.split(","):
        if not part.strip():
            continue
        target, sep, name = part.partition("=")
        target, name = target.strip(), name.strip()
        if not sep or not name:
            raise ConfigError(f"--map: cannot read {part!r}", advice="use TARGET=FIELD pairs, "
                              "e.g. --map text=article_body,date=pubDate")
        if target not in fields:
            raise ConfigError(f"--map: unknown target {target!r}",
                              advice=f"targets are {', '.join(TARGETS)}")
        fields[target] = (name,)
    return fields


class JsonReader(Reader):
    kind = "json"

    def __init__(self, field_map: Mapping[str, tuple[str, ...]] | None = None):
        self.fields = dict(field_map or DEFAULT_FIELDS)

    def read(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        lines = text.split("\n")
        many_lines = sum(1 for ln in lines if ln.strip()) > 1
        if not origin.lower().endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                if not many_lines or exc.msg != "Extra data":
                    raise InputError(origin, f"malformed JSON: {exc.msg}", line=exc.lineno,
                                     code="E110") from None
            else:
                records = data.get("articles", [data]) if isinstance(data, dict) else data
                if not isinstance(records, list):
                    raise InputError(origin, "expected an object or an array of objects",
                                     code="E110")
                for i, obj in enumerate(records):
                    yield self._article(obj, origin, None, f"{origin}[{i}]")
                return
        for lineno, line in enumerate(lines, start=1):  # JSON Lines
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(origin, f"malformed JSON line: {exc.msg} (column {exc.colno})",
                              line=lineno, code="E110")
                continue
            yield self._article(obj, origin, lineno, f"{origin}:{lineno}")

    def _article(self, obj: Any, origin: str, line: int | None, where: str) -> ReadItem:
        if not isinstance(obj, dict):
            return Problem(origin, f"expected a JSON object, got {type(obj).__name__}",
                           line=line, code="E110")
        found = {target: self._get(obj, names) for target, names in self.fields.items()}
        body = found["text"]
        if not isinstance(body, str) or not body.strip():
            return Problem(origin, "no article text (looked for "
                           f"{', '.join(self.fields['text'])}; use --map text=FIELD)",
                           line=line, code="E111")
        date = normalize_date(found["date"])
        used = {name for names in self.fields.values() for name in names}
        extra = {k: v for k, v in obj.items() if k not in used}
        if found["date"] not in (None, "") and date is None:
            extra["unparsed_date"] = found["date"]
        if date and date[1]:
            extra["published_at"] = str(found["date"])
        return RawArticle(
            text=body.replace("\r\n", "\n"), origin=where, raw=json.dumps(obj, ensure_ascii=False),
            raw_format="json", title=_str(found["title"]), url=_str(found["url"]),
            outlet=_str(found["outlet"]), author=_str(found["author"]),
            credited_source=_str(found["credited_source"]), lang=_str(found["lang"]),
            date=date[0] if date else None, date_source="json" if date else None,
            date_confidence=1.0 if date else None, metadata=extra,
        )

    @staticmethod
    def _get(obj: dict[str, Any], names: tuple[str, ...]) -> Any:
        for name in names:
            value = obj
            for part in name.split("."):  # nested fields: --map text=content.body
                value = value.get(part) if isinstance(value, dict) else None
            if value not in (None, "", []):
                return value
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or json.dumps(value)
    return str(value).strip() or None
