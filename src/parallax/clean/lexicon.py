"""What the cleaner may ask of the corpus (the store's vocabulary, or words counted in memory).

A ``Lexicon`` answers two questions: is a word spelled this way anywhere in the corpus
(``word in lexicon``, lower-cased), and how does the corpus write it inside sentences
(``cases(word)``: how often capitalised after a lower-case word, how often in lower case).
'Washington', 'Obama', 'Democratic' are written capitalised mid-sentence and never in lower
case: a name. 'gold', 'peace', 'eye' are mostly lower case, even where a brand starts with them
('Goldstock'). Any ``Container[str]`` of lower-cased words is also accepted where a lexicon is
asked for: it knows words, but no cases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container

from ..textutil import count_cases

_WORD = re.compile(r"[^\W\d_]+")

NAME_SEEN = 3  # capitalised inside sentences at least this often ...
NAME_RATIO = 3  # ... and this many times as often as in lower case: the corpus uses a name
WORD_SEEN = 2  # in lower case at least this often (and a third as often as capitalised): a word


class Lexicon:
    """Words counted in memory from texts as they are added (benchmarks, tests, one-off runs)."""

    def __init__(self, texts=()):
        self.words: set[str] = set()
        self.capital: Counter = Counter()
        self.lower: Counter = Counter()
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        self.words.update(w.lower() for w in _WORD.findall(text))
        capital, lower = count_cases(text)
        self.capital.update(capital)
        self.lower.update(lower)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self.words

    def cases(self, word: str) -> tuple[int, int]:
        key = word.lower()
        return self.capital.get(key, 0), self.lower.get(key, 0)


def written_as(lexicon: Container[str], word: str) -> str:
    """How the corpus writes ``word`` inside sentences: "name" (capitalised, rarely in lower
    case: 'Washington'), "word" (in lower case too: 'party', 'center'), "capitalised" (seen
    capitalised only, too seldom to call it a name: weak evidence), or "" (no evidence)."""
    cases = getattr(lexicon, "cases", None)
    if cases is None:
        return ""
    capital, lower = cases(word)
    if capital >= NAME_SEEN and capital >= NAME_RATIO * lower:
        return "name"
    if lower >= WORD_SEEN and NAME_RATIO * lower >= capital:
        return "word"
    if capital and not lower:
        return "capitalised"
    return ""

