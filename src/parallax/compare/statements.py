"""Statements: the facts of each article of a story, one per sentence or per clause where a
sentence lists several ('three points: ...; ...; ...'), each with its provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Article
from ..stories.features import terms
from ..understand.records import Analysis, fields_dict

NEGATION = re.compile(r"\b(?:not|no|never|n't|denied|denies|deny|refused|refuses|failed|fails|"
                      r"without|neither|nor|rejected|rejects)\b", re.I)


@dataclass
class Statement:
    id: str  # "<article id>:<sentence>[.<clause>]"
    article: str
    source: str  # the outlet or credited source, for citations
    group: str  # lineage group: copies of one report share it
    sentence: int
    start: int
    end: int
    text: str
    terms: dict[str, float] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)  # canonical ids
    numbers: list[dict] = field(default_factory=list)
    times: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    negated: bool = False
    date: str | None = None  # the article's publication date


_CLAUSE = re.compile(r";\s*(?:and\??\s*)?|,\s+(?=which\b|according to\b|while\b|whereas\b)")


def split_clauses(text: str, start: int) -> list[tuple[int, int]]:
    """Clauses of a sentence that carries several facts: a list with semicolons ('three
    points: ...; ...; ...'), a relative or attribution clause (', which ...', ', according to
    ...'); else the whole sentence. Offsets stay in the article's text."""
    spans, pos = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() - pos >= 20:
            spans.append((start + pos, start + m.start()))
            pos = m.end()
    if len(text) - pos >= 20 or not spans:
        spans.append((start + pos, start + len(text)))
    elif spans:
        spans[-1] = (spans[-1][0], start + len(text))
    return spans


def statements_of(article: Article, source: str, group: str, canonical: dict,
                  same_as: dict[str, str] | None = None) -> list[Statement]:
    """The statements of one article. ``canonical``: the article's entity keys -> canonical
    entities; ``same_as``: canonical ids to count as another (a demonym as its place)."""
    same_as = same_as or {}
    if not article.analysis:
        return []
    an = Analysis.from_dict(article.analysis)
    text = article.text
    mentions: list[tuple[int, int, str]] = []
    for e in an.entities:
        c = canonical.get(e.key)
        for _s, s0, s1 in e.mentions:
            cid = c.id if c else e.key
            mentions.append((s0, s1, same_as.get(cid, cid)))
    out = []
    for sent in an.sentences:
        clauses = split_clauses(sent.text, sent.start)
        for n, (s0, s1) in enumerate(clauses):
            piece = text[s0:s1].strip()
            if len(piece.split()) < 4:
                continue
            sid = f"{article.id}:{sent.index}" + (f".{n}" if len(clauses) > 1 else "")
            st = Statement(sid, article.id, source, group, sent.index, s0, s1, piece,
                           dict(terms(piece)), date=article.date)
            st.entities = {cid for a, b, cid in mentions if s0 <= a and b <= s1}
            st.numbers = [fields_dict(x) for x in an.numbers if s0 <= x.start < s1]
            st.times = [fields_dict(t) for t in an.times if s0 <= t.start < s1]
            st.quotes = [fields_dict(q) for q in an.quotes if s0 <= q.start < s1]
            st.negated = bool(NEGATION.search(piece))
            out.append(st)
    return out

