"""How two statements of a story relate: one states what the other states, they tell the
same thing differently (a number, a date, a speaker, yes or no), or they are not about one
thing at all.

A fact-checker's rule, not a similarity score: a member corroborates a fact only when it
states it, so

- **content**: the statement with less to say must be *covered* by the other (most of its
  informative words, weighed by how rare they are in the story, are in the other), and the
  other must not be mostly about something else;
- **checkable parts** must agree: a number that counts the same thing in both (the same unit,
  the same counted noun or the same words around it) within rounding or a bound; an event
  date of the same precision; the speaker of the same quote; yes or no. A checkable part the
  smaller statement has and the larger lacks means the larger does not state it.

Two statements about one thing that disagree on a checkable part are a conflict (or, when one
side's date cannot be placed, a difference). Everything is computed from what the
understanding stage stored; nothing here runs a model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..understand.names import same_person
from .dates import compare_dates, event_times
from .quantities import compare_numbers, describe, has_toll, kinds, outcome
from .statements import Statement

_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class RelateParams:
    # Chosen on the dev judgements (bench/compare_gold.py dev), never on the test gold.
    agree_small: float = 0.65  # the smaller statement's weight the larger must hold to state it
    agree_large: float = 0.20  # ... and the larger's weight the smaller must hold
    agree_terms: int = 2  # informative words in common, at least
    agree_content: float = 0.5  # ... and the share of what it says of them (its words that are not names)
    agree_words: int = 2  # words that are not names in common, at least (or all the smaller has)
    same_thing: float = 0.45  # the smaller's weight shared, to be 'about one thing'
    number_thing: float = 0.25  # ... for two numbers of one quantity to conflict
    date_thing: float = 0.45  # ... for two event dates to conflict
    quantity_context: float = 0.34  # Jaccard of the words around two numbers of one quantity
    quote_overlap: float = 0.6  # word Jaccard of two quotations that are one quotation
    polarity_small: float = 0.8  # near-identity needed before yes/no can conflict
    model_agree: float = 0.5  # the sentence-pair model's score at which two statements state one fact


@dataclass
class Relation:
    kind: str  # 'agree' | 'conflict' | 'differ' | 'none'
    strength: float  # the smaller statement's covered weight
    score: float | None = None  # the sentence-pair model's score, when it scored the pair
    signal: str = "words"  # what made them one fact: 'words' (coverage) or 'model' 
    agrees_on: list[str] = field(default_factory=list)
    differs_on: list[str] = field(default_factory=list)
    finding: dict | None = None  # for a conflict or a difference: what a reader is shown


class StoryWeights:
    """How informative each word is within one story: the IDF of a term over the story's
    statements (the story's topic words, in every statement, weigh little)."""

    def __init__(self, statements: Sequence[Statement]):
        df: Counter[str] = Counter()
        for s in statements:
            df.update(s.terms.keys())
        n = max(1, len(statements))
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.mass = [sum(self.idf[t] for t in s.terms) for s in statements]

    def content(self, a: Statement, b: Statement) -> float:
        """The share of the lighter statement's weight, names left out, the other holds: what
        it says, beyond whom it names ('Scalia was unconvinced' is not stated by every
        sentence naming Scalia)."""
        small, large = (a, b) if sum(self.idf[t] for t in a.terms) <= sum(self.idf[t] for t in b.terms) else (b, a)
        words = [t for t in small.terms if t not in small.names]
        total = sum(self.idf[t] for t in words)
        if not total:
            return 1.0
        return sum(self.idf[t] for t in words if t in large.terms) / total

    def said_words(self, a: Statement, b: Statement) -> tuple[int, int]:
        """(words that are not names the lighter statement has, how many of them the other
        holds)."""
        small, large = (a, b) if sum(self.idf[t] for t in a.terms) <= sum(self.idf[t] for t in b.terms) else (b, a)
        words = [t for t in small.terms if t not in small.names]
        return len(words), sum(1 for t in words if t in large.terms)

    def shared(self, a: Statement, b: Statement) -> tuple[float, int]:
        small, large = (a, b) if len(a.terms) <= len(b.terms) else (b, a)
        common = [t for t in small.terms if t in large.terms]
        return sum(self.idf[t] for t in common), len(common)


def coverage(weights: StoryWeights, i: int, j: int, a: Statement, b: Statement) -> tuple[float, float, int]:
    """(the smaller statement's weight the other holds, the larger's, words in common)."""
    shared, n = weights.shared(a, b)
    ma, mb = weights.mass[i], weights.mass[j]
    small, large = (ma, mb) if ma <= mb else (mb, ma)
    return (shared / small if small else 0.0), (shared / large if large else 0.0), n


# -- quotes and polarity -------------------------------------------------------------------------

_NEGATING = frozenset({"deni", "deny", "refus", "fail", "reject", "without", "neither", "nor"})


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def jaccard(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def confident_speaker(q: dict) -> str | None:
    """A quote's speaker when its own sentence names who spoke ('..., X said', 'According to
    X: ...', 'X said ... “...”'); not one found through a pronoun or a sentence before."""
    who = q.get("speaker")
    if not who or q.get("how") not in ("after", "before", "sayer"):
        return None
    return who


def _names(text: str, who: str) -> bool:
    """Whether ``text`` names ``who`` (its last word: 'Zadan' for 'Craig Zadan')."""
    last = who.split()[-1].lower()
    return last in _words(text)


def compare_quotes(a: Statement, b: Statement, p: RelateParams):
    """(agreeing speakers, disagreeing speakers) over the quotations both give. A speaker
    counts only when the statement itself names them ('..., Trump said'); 'He added: ...'
    leaves the speaker to a sentence the reader does not see, and a conflict must show both
    sides whole."""
    agree, differ = [], []
    for x in a.quotes:
        for y in b.quotes:
            if jaccard(x["text"], y["text"]) < p.quote_overlap:
                continue
            sx, sy = confident_speaker(x), confident_speaker(y)
            if not sx or not sy:
                continue
            if sx == sy or same_person(sx, sy) or _names(a.text, sy) or _names(b.text, sx):
                agree.append((x, y))  # 'producers Zadan and Meron said': one names both
            elif _names(a.text, sx) and _names(b.text, sy):
                differ.append((x, y))
    return agree, differ


# -- the relation ----------------------------------------------------------------------------------

def _side(s: Statement, value=None) -> dict:
    return {"article": s.article, "sentence": s.sentence, "source": s.source, "voice": s.group,
            "text": s.text, "value": value}


def _versus(a: Statement, said_a: str, b: Statement, said_b: str) -> str:
    return f"{a.source} “{said_a}” / {b.source} “{said_b}”"


def _toll_pair(a: Statement, x: dict, b: Statement, y: dict) -> bool:
    return outcome(a, x) is not None and outcome(a, x) == outcome(b, y)


def _tolls(a: Statement, b: Statement, small: float, p: RelateParams) -> Relation:
    """Two statements with little in common but a toll of one outcome each ('Ten dead in
    southern Iran quake' / 'the governor told AFP three people were killed')."""
    rel = Relation("none", small)
    if not (has_toll(a) and has_toll(b)):
        return rel
    _agree, differ, _missing = compare_numbers(a, b, p.quantity_context)
    differ = [(x, y) for x, y in differ if _toll_pair(a, x, b, y)]
    return _number_conflict(rel, a, b, differ) if differ else rel


def _found(rel: Relation, kind: str, kind_of_finding: str, differs_on: list[str], why: str,
           side_a: dict, side_b: dict, certain: bool = True) -> Relation:
    """``rel`` made a conflict (or a difference) with its finding: what differs, why, and
    each side with what it says."""
    rel.kind = kind
    rel.differs_on = differs_on
    rel.finding = {"type": kind_of_finding, "why": why, "a": side_a, "b": side_b, "certain": certain}
    return rel


def _number_conflict(rel: Relation, a: Statement, b: Statement, differ: list) -> Relation:
    x, y = differ[0]
    return _found(rel, "conflict", "number", [f"number: {x['text']} / {y['text']}" for x, y in differ],
                  _versus(a, x["text"], b, y["text"]) + f" ({describe(a, x)})",
                  _side(a, x["value"]), _side(b, y["value"]))


def _placed(times: list[dict]) -> str | None:
    """The first calendar value among ``times`` (None: none is placed)."""
    return next((t["value"] for t in times if t["value"]), None)


def _dates_differ(rel: Relation, kind: str, a: Statement, b: Statement, differ_d: list,
                  certain: bool = True) -> Relation:
    """``rel`` made a date conflict (or difference): two placed dates of the statements."""
    x, y = differ_d[0]
    return _found(rel, kind, "date", [f"date: {x['value']} / {y['value']}" for x, y in differ_d],
                  _versus(a, x["text"], b, y["text"]) + f" ({x['value']} / {y['value']})",
                  _side(a, x["value"]), _side(b, y["value"]), certain=certain)


def _placed_against_unplaced(rel: Relation, a: Statement, b: Statement,
                             agree_d: list) -> Relation | None:
    """Both statements put the fact in time, one on a date and the other not ('February 21' /
    'two days after' in an undated article): a difference a reader should check."""
    when_a, when_b = event_times(a), event_times(b)
    placed_a, placed_b = _placed(when_a), _placed(when_b)
    if not (when_a and when_b) or agree_d or bool(placed_a) == bool(placed_b):
        return None
    ta = ", ".join(x["text"] for x in when_a)
    tb = ", ".join(x["text"] for x in when_b)
    return _found(rel, "differ", "date", [f"date: {ta} / {tb}"], _versus(a, ta, b, tb),
                  _side(a, placed_a), _side(b, placed_b), certain=False)


def time_difference(a: Statement, b: Statement) -> dict | None:
    """Where two statements the sentence-pair model finds told similarly date what they tell
    differently: the difference a reader should check beside the hint, never a conflict (the
    two may not state one fact)."""
    agree_d, differ_d, _unsure = compare_dates(a, b)
    rel = Relation("none", 0.0)
    found = _dates_differ(rel, "differ", a, b, differ_d, certain=False) if differ_d \
        else _placed_against_unplaced(rel, a, b, agree_d)
    return found.finding if found else None


def relate(a: Statement, b: Statement, cov: tuple[float, float, int],
           p: RelateParams | None = None, content=1.0, words=(0, 0),
           score: float | None = None) -> Relation:
    """How ``b`` relates to ``a`` (both of one story; ``cov`` from :func:`coverage`,
    ``content`` from :meth:`StoryWeights.content`, ``words`` from
    :meth:`StoryWeights.said_words`; either may be a function computing it, called only when
    the coverage makes it matter). ``score``: the sentence-pair model's score for the pair;
    at ``model_agree`` or more the two say one thing (told in other words), and only their
    checkable parts decide whether they agree."""
    p = p or RelateParams()
    small, large, common = cov
    if not (a.fact and b.fact):
        return Relation("none", small, score)
    model = score is not None and score >= p.model_agree
    floor = min(p.same_thing, p.number_thing, p.date_thing)
    if (small < floor or common < 2) and not model:
        return _tolls(a, b, small, p)  # two tolls of one story need no words in common
    if small < p.agree_small and not model and not kinds(a) & kinds(b) and not (a.quotes and b.quotes) \
            and not (small >= p.date_thing >= p.agree_small and a.times and b.times):
        # too little in common to state one fact: only a number of one kind (or a date dated
        # by a shared number) or a quotation could differ, and there is none
        return Relation("none", small, score)
    agree_n, differ_n, missing_n = compare_numbers(a, b, p.quantity_context)
    agree_d, differ_d, unsure_d = compare_dates(a, b)
    agree_q, differ_q = compare_quotes(a, b, p)
    # statements about one thing: a number's own words say what it counts; a date's say
    # little of which event it dates, so two dates conflict only where the statements state
    # one fact (or share a number: 'sold for $30 million in 1957' / '... in 1967')
    if small < p.number_thing and not model:  # a toll names what it counts
        differ_n = [(x, y) for x, y in differ_n if _toll_pair(a, x, b, y)]
    if differ_d and small >= p.date_thing and callable(content) and not model:
        content = content()
    if not model and (small < p.date_thing or not (small >= p.agree_small or agree_n)
                      or (differ_d and content < p.agree_content)):
        differ_d = []  # what is dated must be the same: 'escorted from his office in June' /
        # 'testified last month' share the report they follow, not the event
    if small < p.same_thing and not model:
        differ_q = []
    rel = Relation("none", small, score, "model" if model else "words")
    rel.agrees_on = ([f"number: {x['text']}" for x, _ in agree_n]
                     + [f"date: {x['value']}" for x, _ in agree_d]
                     + [f"speaker: {x['speaker']}" for x, _ in agree_q])
    if differ_n:
        return _number_conflict(rel, a, b, differ_n)
    if differ_d:
        return _dates_differ(rel, "conflict", a, b, differ_d)
    if differ_q:
        x, y = differ_q[0]
        return _found(rel, "conflict", "attribution", [f"speaker: {x['speaker']} / {y['speaker']}"],
                      f"the same words given to {x['speaker']} ({a.source}) and to "
                      f"{y['speaker']} ({b.source})", _side(a, x["speaker"]), _side(b, y["speaker"]))
    if a.negated != b.negated and small >= p.polarity_small and large >= p.polarity_small \
            and common >= 3 \
            and len({t for t in set(a.terms) ^ set(b.terms) if t not in _NEGATING}) <= 1:
        # the same words but for the negation: 'X was found guilty' against 'X has pleaded
        # not guilty' says two things (a plea, a verdict), not yes and no to one
        yes, no = (b, a) if a.negated else (a, b)
        return _found(rel, "conflict", "polarity", ["polarity"], f"{yes.source} affirms what {no.source} denies",
                      _side(yes, "affirms"), _side(no, "denies"))
    states = (small >= p.agree_small and large >= p.agree_large and common >= p.agree_terms
              and not missing_n and (content() if callable(content) else content) >= p.agree_content)
    if states:
        words = words() if callable(words) else words
        states = words[1] >= min(p.agree_words, words[0])
        rel.signal = "words"
    elif model:
        states = not missing_n  # told in other words; a number one side lacks is not stated
    if states and (found := _placed_against_unplaced(rel, a, b, agree_d)):
        return found
    if states:
        rel.kind = "agree"
        if a.negated == b.negated:
            rel.agrees_on.append("polarity")
    return rel
