"""What the understanding stage finds in one article. Every item points at its sentence
(index into ``sentences``) and at its characters in the cleaned text (start, end)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of this article with every name it goes by here ('Sergei Lavrov', 'Lavrov',
    'Segéi Lavrov'). ``id`` is the canonical id across articles once linked."""

    key: str  # local key: the normalised full name
    name: str  # the fullest name used
    label: str  # PERSON, ORG, GPE, LOC, NORP, EVENT, LAW, FAC, ...
    aliases: tuple[str, ...]
    mentions: tuple[tuple[int, int, int], ...]  # (sentence, start, end)
    id: str | None = None
    # the mentions the known-name pass added (``understand.known``): all of them for an entity
    # the tagger never found, so that relinking can take them out and find them again
    known: tuple[tuple[int, int, int], ...] = ()

    @property
    def found_by(self) -> str:
        """'tagger' (spaCy, with in-article propagation), or 'known_name' when every mention is
        a name stored articles taught (the tagger missed it here)."""
        return "known_name" if self.known and set(self.known) == set(self.mentions) else "tagger"


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None  # the speaker's canonical name when known
    role: str | None  # words around the name: 'Russian Foreign Affairs spokeswoman'
    verb: str | None  # 'told', 'said', 'according to'
    sentence: int
    start: int
    end: int
    partial: bool  # a quoted phrase inside a sentence of reported speech
    attribution: str  # 'explicit' (a speech verb or 'according to') or 'inferred' (nearest name)
    # how the speaker was found: 'after' ('..., X said'), 'before' ('According to X: ...'),
    # 'sayer' (a name before a speech verb in the sentence), 'pronoun' ('he said': the subject
    # of the sentence before), 'subject' (reported speech: the sentence's first person),
    # 'previous' (a person of the sentence before); None without a speaker. Only the first
    # three name the speaker in the sentence itself.
    how: str | None = None


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    unit: str | None
    counted: str | None  # what is counted: 'nuclear warheads'
    text: str
    sentence: int
    start: int
    end: int
    lower: float | None  # bounds: 'less than ten minutes' -> upper 10
    upper: float | None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class TimeExpr:
    text: str
    value: str | None  # ISO date, 'YYYY-MM' or 'YYYY'; None when it cannot be placed
    precision: str | None  # day | month | year
    resolved_from: str  # 'absolute', 'publication date', 'inferred publication date', 'unresolved: ...'
    sentence: int
    start: int
    end: int
    # 'event': something happened (or will) then; 'reference': a bound or a point of
    # comparison ('since 1996', 'until Feb. 15', 'as of Monday'), not an event of that date
    kind: str = "event"


@dataclass
class Analysis:
    lang: str | None
    entity_tagged: bool
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    inferred_date: dict[str, Any] | None = None  # {'value', 'evidence', 'confidence'}

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang, "entity_tagged": self.entity_tagged,
            "inferred_date": self.inferred_date,
            "sentences": [fields_dict(s) for s in self.sentences],
            "entities": [dict(fields_dict(e), aliases=list(e.aliases), mentions=[list(m) for m in e.mentions],
                              known=[list(m) for m in e.known]) for e in self.entities],
            "quotes": [fields_dict(q) for q in self.quotes],
            "numbers": [fields_dict(n) for n in self.numbers],
            "times": [fields_dict(t) for t in self.times],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Analysis":
        return cls(
            lang=d.get("lang"), entity_tagged=d.get("entity_tagged", False),
            inferred_date=d.get("inferred_date"),
            sentences=[Sentence(**s) for s in d.get("sentences", [])],
            entities=[Entity(**dict(_without(e, "found_by"), aliases=tuple(e["aliases"]),
                                    mentions=tuple(tuple(m) for m in e["mentions"]),
                                    known=tuple(tuple(m) for m in e.get("known", ()))))
                      for e in d.get("entities", [])],
            quotes=[Quote(**q) for q in d.get("quotes", [])],
            numbers=[Number(**n) for n in d.get("numbers", [])],
            times=[TimeExpr(**t) for t in d.get("times", [])],
        )


def sentence_index(starts: Sequence[int], offset: int) -> int:
    """The index of the sentence holding ``offset``, given the sentences' sorted starts."""
    return max(0, bisect_right(starts, offset) - 1)


def fields_dict(record) -> dict[str, Any]:
    """A record's fields as a dict (its fields are plain values: no deep copy as ``asdict``)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _without(d: dict[str, Any], *names: str) -> dict[str, Any]:
    """``d`` less keys an earlier version stored (analyses saved with 'found_by' still load)."""
    return {k: v for k, v in d.items() if k not in names}
