"""What a cleaning rule is: a name and a function from text to proposed changes."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Change(NamedTuple):
    """Replace ``text[start:end]`` of the current text with ``replacement``."""

    start: int
    end: int
    replacement: str = ""


@dataclass
class Context:
    """What rules share while cleaning one article. Rules write recovered metadata here."""

    title: str | None = None
    lexicon: Container[str] = frozenset()  # lower-cased words seen in the corpus
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    name: str
    find: Callable[[str, Context], list[Change]]
    doc: str = ""


class Line(NamedTuple):
    start: int  # offset of the first character
    end: int  # offset after the line's newline (or end of text)
    text: str  # without the newline


def lines(text: str) -> Iterator[Line]:
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        stop = n if nl < 0 else nl + 1
        yield Line(pos, stop, text[pos:stop].rstrip("\n"))
        pos = stop


def nonblank(text: str) -> list[Line]:
    return [ln for ln in lines(text) if ln.text.strip()]


def remove(line: Line) -> Change:
    return Change(line.start, line.end, "")
