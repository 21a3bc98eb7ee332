"""Content features for story clustering: content words with light stemming."""

from __future__ import annotations

import math
import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)

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


def terms(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'").strip("'-")
        if len(word) < 2 or word in STOPWORDS:
            continue
        counts[stem(word)] += 1
    return counts


def tfidf(counts: Counter[str], df: Counter[str], n_docs: int) -> dict[str, float]:
    """Log-scaled TF times smoothed IDF, L2-normalised."""
    vec = {t: (1.0 + math.log(c)) * math.log((1 + n_docs) / (1 + df.get(t, 0))) + 0.0
           for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items() if v > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
