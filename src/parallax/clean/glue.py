"""Glued-word repair: 'weaponswith' -> 'weapons with', 'Paul WhelanAmerican' -> 'Paul Whelan
American'. Words get glued where a link used to be. A split is made only on strong evidence,
because a wrong split is worse than a missed one:

* the glued token is not a word itself (unknown to wordfreq) and appears only once;
* both halves are words, and one of them is a function word ('with', 'who', 'an', 'de') or a
  name spelled the same way elsewhere in the article or the corpus; or, for CamelCase glue
  ('WhelanAmerican'), both halves are common words or known names.

Brand names (CamelCase, hyphenated) survive: wordfreq knows the common ones, prefixes like
Mc/Mac/De/Le never split, a token seen twice is taken as spelled on purpose, and an
all-capitals right half ('OpenAI') is never split off.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from wordfreq import zipf_frequency

from .base import Change, Context

# Closed-class words that follow a name or a noun (right half of a glue).
FOLLOWERS = frozenset(
    "with who an the and of in on at to for from by that which whom whose was were has had have "
    "is are will would said says after before during into over than as but or not also".split())
# Closed-class words that precede a noun or a name (left half of a glue).
LEADERS = frozenset("the of and to in for with on at by from that his her their its our "
                    "was were has had have said into over after before".split())
# Particles of Romance-language names ('La Voz de Galicia'): judge the left half in its language.
ROMANCE = frozenset("de del da do dos das y".split())
ROMANCE_LANGS = ("es", "pt", "fr", "it")
# Name prefixes of CamelCase names that are never glue: McDonald, DeSantis, LeBron, MacBook.
NAME_PREFIXES = frozenset("Mc Mac De Di Da Du Le La Lo Van Von Del Della Des St Fitz".split())

_TOKEN = re.compile(r"(?<![\w@#/\\.-])[^\W\d_]{4,}(?![\w@/-])(?!\.[^\W\d_])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

COMMON = 2.5  # zipf >= 2.5: a word seen about 3 times per 10 million words
CONTENT = 3.0  # a content word on the right of a name must be commoner still


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "en") -> float:
    return zipf_frequency(word, lang)


def split_point(token: str, names) -> int | None:
    """Where to split ``token``, or None. ``names``: words seen spelled this way elsewhere."""
    if zipf(token.lower()) > 0:
        return None
    bounds = [m.start() for m in _CAMEL.finditer(token)]
    if bounds:
        return _camel_split(token, bounds, names)
    if not (token.islower() or (token[0].isupper() and token[1:].islower())):
        return None
    best, best_score = None, 0.0
    for i in range(3, len(token) - 1):
        score = _score(token[:i], token[i:], names)
        if score > best_score:
            best, best_score = i, score
    return best


def _evidence(word: str, names) -> float:
    """How sure we are that ``word`` is a word: its zipf, or 4 for a known name."""
    if word in names:
        return 4.0
    return zipf(word.lower())


def _score(left: str, right: str, names) -> float:
    if (right in FOLLOWERS or right in ROMANCE) and len(right) >= 2:
        if right in ROMANCE:
            lz = max([zipf(left.lower(), lang) for lang in ROMANCE_LANGS] + [_evidence(left, names)])
        else:
            lz = _evidence(left, names)
        return lz + zipf(right) if lz >= COMMON else 0.0
    if left.lower() in LEADERS and len(right) >= 4:
        rz = _evidence(right, names) if right[0].isupper() else zipf(right)
        return zipf(left.lower()) + rz if rz >= CONTENT else 0.0
    if left in names and left[0].isupper() and len(right) >= 3:
        rz = zipf(right)
        return 4.0 + rz if rz >= CONTENT else 0.0
    return 0.0


def _camel_split(token: str, bounds: list[int], names) -> int | None:
    if len(bounds) != 1:
        return None
    i = bounds[0]
    left, right = token[:i], token[i:]
    if len(left) < 2 or len(right) < 3 or left in NAME_PREFIXES or right.isupper():
        return None
    if left.lower() in LEADERS and len(left) >= 2:
        return i if _evidence(right, names) >= COMMON else None
    if _evidence(left, names) >= COMMON and _evidence(right, names) >= COMMON:
        return i
    return None


class Names:
    """Names known to be spelled this way: capitalised words of the article, plus the corpus
    lexicon (any container of lower-cased words, e.g. the store's full-text vocabulary)."""

    def __init__(self, text: str, lexicon=()):
        self.article = {w for w in re.findall(r"[^\W\d_]+", text) if w[0].isupper()}
        self.lexicon = lexicon

    def __contains__(self, word: str) -> bool:
        return word in self.article or (word[:1].isupper() and word.lower() in self.lexicon)

    def discard(self, word: str) -> None:
        self.article.discard(word)

    def add(self, word: str) -> None:
        self.article.add(word)


def repair_glue(text: str, ctx: Context) -> list[Change]:
    counts = Counter(m.group() for m in _TOKEN.finditer(text))
    names = None
    changes = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if counts[token] > 1 or zipf(token.lower()) > 0:
            continue
        if names is None:
            names = Names(text, ctx.lexicon)
        names.discard(token)
        at = split_point(token, names)
        names.add(token)
        if at is not None:
            changes.append(Change(m.start() + at, m.start() + at, " "))
    return changes


def repair_string(value: str, lexicon=()) -> str:
    """Glue repair on a short metadata value ('La Vozde Galicia' -> 'La Voz de Galicia')."""
    for change in sorted(repair_glue(value, Context(lexicon=lexicon)), reverse=True):
        value = value[: change.start] + change.replacement + value[change.end:]
    return value
