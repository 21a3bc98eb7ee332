"""Statements: the facts of each article of a story, one per sentence or per clause where a
sentence lists several ('three points: ...; ...; ...'), each with its provenance."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..records import Article
from ..stories.features import terms
from ..understand.records import Analysis, fields_dict

NEGATION = re.compile(r"\b(?:not|no(?![\"”’']?\s+votes?\b)|never|n't|denied|denies|deny|refused|"
                      r"refuses|failed|fails|without|neither|nor|rejected|rejects)\b", re.I)
_NOT_BUT = re.compile(r"\bnot\b[^.;:]{0,60}?,?\s+but\b", re.I)  # 'not one person, but several': no denial
_QUOTED_WORD = re.compile(r"[“\"‘'][^“”\"‘’']{1,20}[”\"’']")  # a word in quotation marks: 'the "no" vote'

# A statement states a fact only if it has a verb: list items ('former Secretary of State
# Hillary Clinton'), datelines ('Thursday, March 14, 2013'), headings and bare attributions
# ('according to the U.S. Geological Survey') are not facts to corroborate. Without a part of
# speech tagger at comparison time, a verb is an auxiliary, a frequent irregular form, or a
# word ending in -ed or -ing.
_VERBS = frozenset("""am is are was were be been being has have had having do does did done will
would can could shall should may might must says say said tells tell told goes go went gone
comes come came makes make made takes take took taken gives give gave given gets get got finds
find found thinks think thought knows know knew sees see saw seen leaves leave left keeps keep
kept holds hold held brings bring brought begins begin began begun runs run ran wins win won
loses lose lost meets meet met sends send sent spends spend spent pays pay paid builds build
built buys buy bought sells sell sold hits hit falls fall fell feels feel felt wants want needs
need calls call shows show shown writes write wrote written speaks speak spoke spoken stands
stand stood sits sit sat puts put sets set cuts cut leads lead led struck strikes strike dies
die killed kills kill becomes become became grows grow grew rises rise rose shot shoots shoot
faces face remains remain returns return plans plan hopes hope believes believe expects expect
agrees agree asks ask announces announce confirms confirm denies deny broke broken fought sought
caught taught chose chosen drove driven fled flew flown froze frozen hid hidden hung laid lay lit
meant rode rang sang sank shook slept spun stole stolen stuck swore sworn swept threw thrown tore
torn wore woke withdrew withdrawn arose bore bit blew bled dealt dug drew drawn drank ate eaten fed
forgot forgave overtook overtaken undertook sprang sprung stung struck stricken won't can't dead missing""".split())


_DATELINE = re.compile(r"^\W*(?:posted|published|updated|last updated|first published)\b", re.I)
_LATIN_WORD = re.compile(r"[A-Za-z']+")


def has_verb(text: str) -> bool:
    if _DATELINE.match(text):
        return False  # 'Posted: Sep 27, 2013 5:50 PM'

    for word in _LATIN_WORD.findall(text.lower()):
        if word in _VERBS or (len(word) >= 5 and word.endswith("ed")) or \
                (len(word) >= 6 and word.endswith("ing")) or word.endswith("n't"):
            return True
    return False


def states_something(text: str) -> bool:
    """Whether a statement states a fact: it has a verb, beyond a leading attribution
    ('according to the U.S. Geological Survey' alone is not a fact; 'according to the
    ministry, it was Blinken who requested the meeting' is)."""
    if text.lower().startswith("according to"):
        head, comma, rest = text.partition(",")
        return bool(comma) and has_verb(rest)
    return has_verb(text)


ENTITY_TERM_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW",
                                "PRODUCT", "WORK_OF_ART"})


def entity_terms(text: str, s0: int, s1: int, mentions: list[tuple[int, int, str, str]]) -> dict[str, float]:
    """The terms of ``text[s0:s1]``, each named entity counted once as its canonical entity
    ('@e5f801...') instead of its words, so that 'US' and 'the United States', or 'Segéi
    Lavrov' and 'Sergey Lavrov', are one term when the entities were linked."""
    parts, ids, pos = [], [], s0
    for a, b, cid, label in mentions:
        if label not in ENTITY_TERM_LABELS or a < pos:
            continue
        parts.append(text[pos:a])
        ids.append("@" + cid)
        pos = b
    parts.append(text[pos:s1])
    out: dict[str, float] = dict(terms(" ".join(parts)))
    for i in ids:
        out[i] = out.get(i, 0) + 1
    return out


PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass
class Statement:
    id: str  # "<article id>:<sentence>[.<clause>]"
    article: str
    source: str  # the outlet or credited source, for citations
    group: str  # the voice: an outlet with its copies (parallax.outlets); it never corroborates itself
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
    fact: bool = True  # it has a verb: a fact to compare (not a list item, dateline, heading)
    names: set[str] = field(default_factory=set)  # its named entities' terms ('@e5f801...')
    mentions: list[tuple[int, int, str, str]] = field(default_factory=list)  # (start, end, entity id, label)
    date: str | None = None  # the article's publication date
    article_places: set[str] = field(default_factory=set)  # places its whole article names
    article_lead_places: set[str] = field(default_factory=set)  # those of its first two sentences
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # derived values, computed once


def memoised(fn):
    """A function of one statement (and hashable arguments) computed once per statement: a
    story's statements are related to many others."""
    def wrapper(s: "Statement", *args):
        k = (fn.__name__, *args)
        if k not in s.memo:
            s.memo[k] = fn(s, *args)
        return s.memo[k]
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def per_number(fn):
    """A function of a statement and one of its numbers (or times), computed once per pair."""
    def wrapper(s: "Statement", n: dict):
        k = (fn.__name__, n["start"], n["end"])
        if k not in s.memo:
            s.memo[k] = fn(s, n)
        return s.memo[k]
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


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
    mentions: list[tuple[int, int, str, str]] = []
    for e in an.entities:
        c = canonical.get(e.key)
        for _s, s0, s1 in e.mentions:
            cid = c.id if c else e.key
            mentions.append((s0, s1, same_as.get(cid, cid), e.label))
    mentions.sort()
    starts = [m[0] for m in mentions]
    out = []
    for sent in an.sentences:
        clauses = split_clauses(sent.text, sent.start)
        for n, (s0, s1) in enumerate(clauses):
            piece = text[s0:s1].strip()
            if len(piece.split()) < 4:
                continue
            sid = f"{article.id}:{sent.index}" + (f".{n}" if len(clauses) > 1 else "")
            inside = [m for m in mentions[bisect_left(starts, s0):bisect_left(starts, s1)] if m[1] <= s1]
            st = Statement(sid, article.id, source, group, sent.index, s0, s1, piece,
                           entity_terms(text, s0, s1, inside), date=article.date)
            st.entities = {m[2] for m in inside}
            st.mentions = inside
            st.numbers = [fields_dict(x) for x in an.numbers if s0 <= x.start < s1]
            st.times = [fields_dict(t) for t in an.times if s0 <= t.start < s1]
            st.quotes = [fields_dict(q) for q in an.quotes if s0 <= q.start < s1]
            st.negated = bool(NEGATION.search(_NOT_BUT.sub(" ", _QUOTED_WORD.sub(" ", piece))))
            st.fact = states_something(piece)
            st.names = {t for t in st.terms if t.startswith("@")}  # the named entities
            out.append(st)
    placed = [m for m in mentions if m[3] in PLACE_LABELS]
    lead_end = an.sentences[min(1, len(an.sentences) - 1)].end if an.sentences else 0
    places = {m[2] for m in placed}
    lead = {m[2] for m in placed if m[1] <= lead_end}
    for st in out:
        st.article_places = places
        st.article_lead_places = lead
    return out

