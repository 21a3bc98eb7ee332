"""Name normalisation and comparison, shared by in-article alias linking and cross-article
linking: accents folded, honorifics and articles dropped, transliterations compared loosely."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# Titles and role words that the tagger sometimes takes into a name ('Comedian Ellen
# DeGeneres', 'Senator Richard Blumenthal'): not part of who the person is.
HONORIFICS = frozenset("""mr mrs ms dr sir president minister secretary gen general prof rev sen rep
gov governor senator mayor judge justice coach comedian actress actor singer rapper star
director producer filmmaker writer author lawyer attorney officer detective sheriff boxer
champion chairman chairwoman ceo spokesman spokeswoman former pope king queen prince princess
lt sgt capt captain const constable chief""".split())
# Descriptors a tagger takes in before a name ('Chipmaker AMD', 'Deputy Ortiz', 'Colts QB Andrew
# Luck' after the team) and player positions after it ('New Orleans Saints RB').
DESCRIPTORS = frozenset("""deputy chipmaker automaker carmaker drugmaker retailer insurer lender
rival giant startup rookie veteran quarterback receiver linebacker pitcher striker goalkeeper
forward guard host anchor reporter correspondent columnist analyst qb rb wr""".split())
POSITIONS = frozenset("qb rb wr".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
# Company-form words at the end of a name: 'Hewlett-Packard Co.' is 'Hewlett-Packard'.
CORPORATE = frozenset("inc incorporated corp corporation co company ltd llc plc sa ag".split())
LEADING = frozenset("the a an".split())
# Lower-case words inside a name, which an acronym skips: 'Bureau of Investigation' -> 'BI'.
FUNCTION = frozenset("of and for on in at de la del".split()) | LEADING


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


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    """The words of a name that identify it (folded; titles, articles, suffixes and a
    possessive dropped). Cached: an article asks about the same few names many times."""
    # 'Hewlett - Packard' (tokenised copy) = 'Hewlett-Packard'; 'U.S.' = 'U. S.' = 'US'
    words = re.findall(r"[\w][\w'’.-]*", re.sub(r"\s+-\s+", "-", fold(name)))
    words = [w.rstrip(".").replace("’", "'").replace(".", "") for w in words]
    words = [w.replace("-", "") if _SPELLED.fullmatch(w) else w for w in words]  # 'H-P' = 'HP'
    words = _join_letters([w for w in words if w])
    if words and words[-1] in ("'s", "s") and len(words) > 1:
        words = words[:-1]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    if len(words) > 2 and words[1] in POSITIONS:
        words = words[2:]  # 'Colts QB Andrew Luck'
    while len(words) > 1 and (words[0] in LEADING or words[0] in HONORIFICS
                              or words[0] in DESCRIPTORS):
        words = words[1:]
    while len(words) > 1 and (words[-1] in SUFFIXES or words[-1] in CORPORATE
                              or words[-1] in POSITIONS or _SCORE.fullmatch(words[-1])):
        words = words[:-1]
    return tuple(words)


_SPELLED = re.compile(r"[a-z](?:-[a-z])+")  # letters joined by hyphens: an abbreviation
_SCORE = re.compile(r"\d+-\d+")  # 'Evansville 51 - 50': a result the tagger took along


def plain(aliases) -> list[str]:
    """The aliases written as names: not a form with a parenthesis, which explains a name
    rather than being one ('Federal Bureau of Investigation (FBI)')."""
    return [a for a in aliases if "(" not in a]


def _join_letters(words: list[str]) -> list[str]:
    """Runs of single letters are one abbreviation: ['u', 's', 'army'] -> ['us', 'army']."""
    out: list[str] = []
    in_run = False
    for w in words:
        letter = len(w) == 1 and w.isalpha()
        if letter and in_run:
            out[-1] += w
        else:
            out.append(w)
        in_run = letter
    return out


def proper(name: str) -> bool:
    """A name as names are written: every word capitalised (or a digit, or a function word),
    no slash. 'Dell resells SeaMicro' and 'AMD / ATI Technologies' are tagging accidents."""
    if "/" in name:
        return False
    for w in re.split(r"[\s-]+", name.strip()):
        core = w.strip(".,()“”\"'‘’")
        if core and not (core[:1].isupper() or core[:1].isdigit() or fold(core) in FUNCTION):
            return False
    return True


@lru_cache(maxsize=65536)
def acronym(name: str) -> str | None:
    """The name itself when it is written as an acronym ('HP', 'USGS', 'U.S.'), else None."""
    bare = re.sub(r"['’]s$", "", name.strip()).replace(".", "").replace(" ", "")
    return bare.lower() if 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper() else None


@lru_cache(maxsize=65536)
def initials(name: str) -> str | None:
    """The acronym a multi-word name would have: 'Hewlett-Packard Co.' -> 'hp', 'U.S.
    Geological Survey' -> 'usgs', 'Electronic Data Systems' -> 'eds'; None for one word."""
    if not proper(name):
        return None
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    while len(words) > 1 and fold(words[-1]).strip(".,") in CORPORATE:
        words = words[:-1]
    letters = []
    for w in words:
        core = w.strip(".,()“”\"'")
        if not core or fold(core) in FUNCTION:
            continue
        caps = core.replace(".", "")
        if caps.isalpha() and caps.isupper() and len(caps) <= 4:
            letters.append(caps)  # 'US' in 'US Geological Survey'
        elif core[:1].isalpha():
            letters.append(core[0])
        else:
            return None
    return "".join(letters).lower() if len(words) > 1 and len(letters) > 1 else None


def key(name: str) -> str:
    return " ".join(tokens(name))


@lru_cache(maxsize=65536)
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
