"""Typed records that flow between the pipeline stages.

Records are frozen dataclasses: a stage takes records and returns new ones, it never mutates
what it was given. Offsets are character offsets into the text named in each docstring.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as a reader found it, before cleaning.

    ``text`` is the body as the reader extracted it (metadata header lines removed); the
    cleaning stage's edit offsets point into this text. ``raw`` is the input exactly as
    received (the file's text, the HTML page, the JSON object), kept for audit.
    """

    text: str
    origin: str  # where it came from: a path, "path:line", a URL or "<stdin>"
    raw: str = ""
    raw_format: str = "text"  # text | html | json | feed
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    credited_source: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) or datetime
    date_source: str | None = None  # header | front-matter | json | html | feed | None
    date_confidence: float | None = None  # 0..1: how sure the date is the publication date
    lang: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edit:
    """One change the cleaner made: ``raw_text[start:end]`` was ``before`` and became ``after``."""

    rule: str
    start: int
    end: int
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "start": self.start, "end": self.end,
                "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article: cleaned text plus everything known about where it came from."""

    id: str
    text: str
    raw_text: str
    origin: str
    raw: str = ""
    raw_format: str = "text"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    credited_source: str | None = None
    author: str | None = None
    date: str | None = None
    date_source: str | None = None
    date_confidence: float | None = None
    lang: str | None = None
    version: int = 1
    supersedes: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    edits: tuple[Edit, ...] = ()
    ingested_at: str | None = None
    analysis: dict[str, Any] | None = None  # the understanding stage's output (JSON shape)

    @property
    def source_name(self) -> str:
        """The name to cite: the outlet, else the credited source, else the origin."""
        return self.outlet or self.credited_source or self.origin


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles that report one real-world event."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    first_date: str | None = None
    last_date: str | None = None
    independent_sources: int = 0

    @property
    def size(self) -> int:
        return len(self.article_ids)


@dataclass(frozen=True, slots=True)
class LineageMember:
    """What the lineage stage keeps of an article: enough to pick its group's origin without
    reading the article again."""

    article_id: str
    arrival: int  # arrival order (the store's sequence number)
    date: str | None = None
    outlet: str | None = None
    credited_source: str | None = None
    length: int = 0  # characters of cleaned text


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad input that was skipped: one line for the user, the batch goes on."""

    source: str
    message: str
    line: int | None = None
    code: str = "E100"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message} [{self.code}]"


def normalize_for_id(text: str) -> str:
    """Unicode NFC with whitespace collapsed: formatting differences do not change identity."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str, url: str | None = None, outlet: str | None = None) -> str:
    """Stable id derived from content: the same text from the same place gets the same id.

    The URL (or, without one, the outlet) is part of the identity so that a syndicated copy
    published by another outlet stays a separate article (the lineage stage groups them).
    """
    key = normalize_for_id(text) + "\x1f" + (url or outlet or "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class CanonicalEntity:
    """One real-world entity across articles, with every name it was seen under.
    ``lookup``: (folded name, last word) pairs the store indexes to find it again."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]
    lookup: tuple[tuple[str, str], ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # alias -> how many articles used it
