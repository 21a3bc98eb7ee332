"""Features for story clustering: content words (lightly stemmed), named-entity-like terms,
and incremental TF-IDF weighting (document frequencies grow as articles arrive)."""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
# A capitalised word, or a run of them ('New Bedford', 'Wladimir Klitschko').
_NAME = re.compile(r"\b[A-Z][\w'’.-]*[a-zA-Z](?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][\w'’.-]*[a-zA-Z])*")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves said says say told according would could
one two three new last first year years time times week day days may might must shall us mr mrs
ms also like get got make made many much well back even still way since per via however another
""".split())
# Capitalised words that are not names when they start a sentence or a headline.
NOT_NAMES = (STOPWORDS - {"new", "one", "first", "last", "way", "well"}) | frozenset("""monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
but and the a an in on at for with from by after before when while as it he she they we this
that there here what who why how its his her their our""".split())


def stem(word: str) -> str:
    """A light suffix stripper: enough to join 'quakes'/'quake', 'killed'/'killing'."""
    for suffix in ("ingly", "edly", "ings", "ing", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in ("ied", "ies"):
                return word[: -len(suffix)] + "y"
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


_TERM_CACHE: dict[str, str | None] = {}


def _term(word: str) -> str | None:
    """The index term of a lower-cased word, or None for stop words (memoised)."""
    got = _TERM_CACHE.get(word, "")
    if got != "":
        return got
    clean = word.replace("’", "'").strip("'-")
    if clean.endswith("'s"):
        clean = clean[:-2]  # 'Russia’s' is 'russia', not "russia'"
    # interned: an archive's articles share one copy of each term, whatever word it came from
    term = None if len(clean) < 2 or clean in STOPWORDS else sys.intern(stem(clean))
    if len(_TERM_CACHE) < 500_000:
        _TERM_CACHE[word] = term
    return term


def terms(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        term = _term(word)
        if term is not None:
            counts[term] += 1
    return counts


def names(text: str) -> Counter[str]:
    """Name-like terms: runs of capitalised words, lower-cased ('new_bedford'), without
    leading function words ('The Hague' -> 'hague'). A cheap stand-in for named entities."""
    counts: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        words = [w.strip(".'’").lower() for w in m.group().split()]
        while words and words[0] in NOT_NAMES:
            words.pop(0)
        if not words or (len(words) == 1 and len(words[0]) < 3):
            continue
        counts[sys.intern("_".join(words))] += 1  # one copy per name across the archive
        if len(words) > 1:  # 'Wladimir Klitschko' also counts for 'Klitschko' alone
            counts[sys.intern(words[-1])] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Doc:
    """What the clusterer sees of an article."""

    id: str
    text: str
    date: str | None = None
    entities: tuple[str, ...] | None = None  # canonical entities when the article was analysed
    embedding: Any = None  # a unit vector (numpy) when an embedder is configured

    @property
    def day(self) -> date | None:
        return day_of(self.date)


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date or date-time (None when absent or unreadable)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class Vocabulary:
    """Document frequencies that grow as articles arrive; weighs term counts into TF-IDF."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def state(self) -> dict:
        return {"n": self.n_docs, "df": dict(self.df)}

    @classmethod
    def from_state(cls, state: dict) -> "Vocabulary":
        vocab = cls()
        vocab.n_docs, vocab.df = state["n"], Counter(state["df"])
        return vocab

    def add(self, counts: Counter[str]) -> None:
        self.n_docs += 1
        self.df.update(counts.keys())

    def weigh(self, counts: Counter[str], keep: int) -> dict[str, float]:
        """Sublinear TF times smoothed IDF, the ``keep`` heaviest terms, L2-normalised."""
        n = self.n_docs
        vec = {t: (1.0 + math.log(c)) * (math.log((1 + n) / (1 + self.df.get(t, 0))) + 1.0)
               for t, c in counts.items()}
        if len(vec) > keep:
            vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors (cosine when both are unit length). Summed in the
    smaller vector's order, never a set's: the same vectors give the same bits in any process."""
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def add_into(target: dict[str, float], vec: dict[str, float], weight: float = 1.0) -> None:
    for t, v in vec.items():
        target[t] = target.get(t, 0.0) + weight * v
