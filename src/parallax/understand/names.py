"""Name normalisation and comparison, shared by in-article alias linking and cross-article
linking: accents folded, honorifics and articles dropped, transliterations compared loosely."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Titles and role words that the tagger sometimes takes into a name ('Comedian Ellen
# DeGeneres', 'Senator Richard Blumenthal'): not part of who the person is.
HONORIFICS = frozenset("""mr mrs ms dr sir president minister secretary gen general prof rev sen rep
gov governor senator mayor judge justice coach comedian actress actor singer rapper star
director producer filmmaker writer author lawyer attorney officer detective sheriff boxer
champion chairman chairwoman ceo spokesman spokeswoman former pope king queen prince princess
lt sgt capt captain const constable chief""".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
LEADING = frozenset("the a an".split())


# The tagger often gives one name different labels in different sentences ('Lohan' as a place,
# 'Bettie Page' as an organisation): within these, the same full name is the same entity.
NOISY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"})
# Labels whose short names ('Academy', 'Morningside') stand for a longer name; never places:
# 'US' is not the 'US Geological Survey'.
INSTITUTIONS = frozenset({"ORG", "FAC", "WORK_OF_ART"})


def fold(text: str) -> str:
    """Lower-case ASCII: 'Segéi' -> 'segei'."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


def tokens(name: str) -> list[str]:
    words = re.findall(r"[\w][\w'’.-]*", fold(name))
    words = [w.rstrip(".").replace("’", "'") for w in words]
    if words and words[-1] in ("'s", "s") and len(words) > 1:
        words = words[:-1]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    while len(words) > 1 and (words[0] in LEADING or words[0] in HONORIFICS):
        words = words[1:]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    return words


def key(name: str) -> str:
    return " ".join(tokens(name))


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def same_person(a: str, b: str) -> bool:
    """Two person names for one person: same surname (loosely, for transliterations) and
    compatible first names ('Sergei'/'Segéi'/'Sergey', an initial, or one name missing).
    'Hunter Biden' and 'Joe Biden' are different people."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    if similar(ta[-1], tb[-1]) < 0.85:
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True
    fa, fb = ta[0], tb[0]
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return similar(fa, fb) >= 0.75
