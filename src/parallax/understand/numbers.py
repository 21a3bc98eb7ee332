"""Numbers with what they count and their bounds: '1,550 nuclear warheads', '95%' of what,
'less than ten minutes' (a duration with an upper bound).

quantulum3 was the first choice; its unit classifier is a pickle that no longer loads with
current scikit-learn (and its first call takes seconds), so this is a small rule-based reader
over the spaCy tokens: numerals in digits or words, a unit or the counted noun phrase after
them, and the bound words before them."""

from __future__ import annotations

import re
from dataclasses import replace

from .nlp import coarse_pos
from .records import Number

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24})
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "hundred": 100,
          "dozen": 12}
UNITS = {"%": "percent", "percent": "percent", "per cent": "percent", "$": "USD", "€": "EUR",
         "£": "GBP", "minutes": "minute", "minute": "minute", "hours": "hour", "hour": "hour",
         "days": "day", "day": "day", "weeks": "week", "week": "week", "months": "month",
         "month": "month", "years": "year", "year": "year", "km": "kilometre",
         "kilometres": "kilometre", "kilometers": "kilometre", "miles": "mile", "mile": "mile",
         "metres": "metre", "meters": "metre", "kg": "kilogram", "tonnes": "tonne", "tons": "ton",
         "dollars": "USD", "euros": "EUR", "pounds": "GBP", "seconds": "second"}
UPPER = ("less than", "fewer than", "under", "up to", "at most", "no more than", "below",
         "not more than", "a maximum of", "maximum of")
LOWER = ("more than", "over", "at least", "no less than", "above", "upwards of", "a minimum of")
APPROX = ("about", "around", "almost", "nearly", "some", "approximately", "roughly", "close to")
_NUM = re.compile(
    r"(?<![\w.-])([$€£])?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(%|percent|per cent))?"
    r"(?:(?:\s+|\s?-\s?)(thousand|million|billion|trillion))?(?![\w])"
    r"|\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine))?"
    r"(?:[\s-]+(hundred|thousand|million|billion|dozen))?\b", re.IGNORECASE)
_WORD_NEXT = re.compile(r"[ \t]+(?!(?:of|to|and|or|in|on|at|for|by|from|with|the|a|an|is|was|"
                        r"are|were|has|had|have|as|than|per|that|who|which)\b)[A-Za-z]")
_YEARLIKE = re.compile(r"^(1[89]\d\d|20\d\d)$")
_MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                     r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$")
_CLOCK_AFTER = re.compile(r"\s?:\s?\d\d\b")  # '2:09', '11: 51' (a time of day)
_CLOCK_BEFORE = re.compile(r"\b\d{1,2}\s?:\s?$")
# 'one' is a count where it counts people ('killed one person', 'one man', 'injuring one')
_ONE_PERSON = re.compile(r"[\s-]+(?:(?!of\b)[a-z]+[\s-]+)?(?:person|man|woman|child|boy|girl|"
                         r"baby|infant|teenager|soldier|civilian|policeman|officer|resident|"
                         r"worker|student|passenger|victim|pilot|miner|firefighter|tourist|"
                         r"prisoner)\b", re.I)
_COUNTED_OUTCOME = re.compile(r"\b(?:kill|injur|wound)\w*\s+(?:at\s+least\s+|only\s+)?$", re.I)
DOZENS = (24.0, 99.0)  # 'dozens': at least two dozen, fewer than a hundred
_SEVERAL = re.compile(r"\b(?:several|a few|few|many|some)$")
_CLOCK_ZONE = re.compile(r"\s?(?:GMT|UTC|EST|EDT|PST|PDT|CET|hours? local|local time)", re.I)


def extract(text: str, sentence_of) -> list[Number]:
    """The numbers of ``text`` with their units and bounds; what each counts is filled in by
    ``with_counted`` (it needs parts of speech, for the few numbers in ``needing_tags``)."""
    out: list[Number] = []
    for m in _NUM.finditer(text):
        value, unit = _value(m)
        if value is None:
            continue
        digits = m.group(2)
        before = text[max(0, m.start() - 40): m.start()]
        if digits and _YEARLIKE.match(digits) and not m.group(3):
            continue  # a year: the time reader's business
        if digits and _MONTHS.search(before):
            continue  # 'April 8', 'Sept. 11': a date
        if digits and (_CLOCK_AFTER.match(text, m.end()) or _CLOCK_BEFORE.search(before)):
            continue  # '2:09 a.m.': a time of day
        if digits and (re.match(r"\s?/", text[m.end():m.end() + 2]) or re.search(r"/\s?$", before)):
            continue  # '9/11', '24/7', '4 1/2': a date, a ratio or a fraction, not a count
        if digits and re.search(r"\b[A-Za-z]{1,4}\s?-\s?$", before) and not m.group(1):
            continue  # 'AK-47', 'F-16', 'Covid-19': a name, not a count
        if digits and _CLOCK_ZONE.match(text, m.end()):
            continue  # '0300 GMT': a time of day
        if not digits and m.group(5).lower() == "one" and not m.group(7) \
                and not (_ONE_PERSON.match(text, m.end()) or _COUNTED_OUTCOME.search(before)):
            continue  # 'one of ...' is rarely a quantity worth comparing; 'one person' is
        lower = upper = None
        approximate = False
        lead = before.lower().rstrip()
        if lead.endswith(UPPER):
            upper = value
        elif lead.endswith(LOWER):
            lower = value
        elif lead.endswith(APPROX):
            approximate = True
        if not digits and m.group(5).lower() == "dozens" and not m.group(7):
            # 'dozens' is a range, not 24: two dozen up to a hundred ('40 injured' agrees)
            lower, upper, approximate = lower or DOZENS[0], upper or DOZENS[1], True
        elif not digits and m.group(5).lower() == "dozen" and _SEVERAL.search(lead):
            # 'several dozen', 'a few dozen': a range too ('55 wounded' agrees)
            lower, upper, approximate = lower or DOZENS[0], upper or DOZENS[1], True
            value = max(value, lower)
        end = m.end()
        after = text[end:end + 60]
        unit_word = re.match(r"\s*(minutes?|hours?|days?|weeks?|months?|years?|km|kilomet(?:re|er)s|miles?|"
                             r"met(?:re|er)s|kg|tonnes|tons|dollars|euros|pounds|seconds)\b", after)
        if unit is None and unit_word:
            unit = UNITS[unit_word.group(1).lower()]
            end += unit_word.end()
        out.append(Number(value=value, unit=unit, counted=None, text=text[m.start():end].strip(),
                          sentence=sentence_of(m.start()), start=m.start(), end=end,
                          lower=lower, upper=upper, approximate=approximate))
    return out


def needing_tags(numbers: list[Number], text: str) -> list[int]:
    """Where the words after a number need parts of speech to read what it counts: a number
    without a unit followed by a word ('two of the', '5 - 3', '2, 129' need none)."""
    return [n.end for n in numbers if n.unit is None and _WORD_NEXT.match(text, n.end)]


def with_counted(numbers: list[Number], text: str, tagged) -> list[Number]:
    """``numbers`` with what each counts. ``tagged(offset) -> (Doc, shift)``: a tagged Doc
    holding the words after ``offset`` (Doc offset = text offset - shift), or (None, 0)."""
    return [replace(n, counted=_counted(tagged, text, n.end, n.unit)) for n in numbers]


def _value(m: re.Match) -> tuple[float | None, str | None]:
    if m.group(2):
        value = float(m.group(2).replace(",", ""))
        if m.group(4):
            value *= SCALES[m.group(4).lower()]
        unit = UNITS.get((m.group(3) or "").lower()) or UNITS.get(m.group(1) or "")
        return value, unit
    word = m.group(5).lower()
    value = float(WORDS[word])
    if m.group(6):
        value += WORDS[m.group(6).lower()]
    if m.group(7):
        value *= SCALES[m.group(7).lower()]
    return value, None


def _counted(tagged, text: str, end: int, unit: str | None) -> str | None:
    """The noun phrase right after the number ('nuclear warheads'), or after 'of' / 'in terms
    of' for a percentage ('agreement on the clauses')."""
    rest = text[end:end + 80]
    if unit == "percent":
        m = re.match(r"\s*(?:in terms of|of)\s+([^,.;:“”\"()]{2,50})", rest)
        return m.group(1).strip() if m else None
    if unit is not None:
        return None
    doc, shift = tagged(end)
    if doc is None:
        return None
    words = []
    span = doc.char_span(max(0, end - shift), min(len(doc.text), end + 60 - shift),
                         alignment_mode="expand")
    for tok in span or []:
        if tok.is_space:
            continue
        pos = coarse_pos(tok)
        if pos in ("ADJ", "NOUN", "PROPN") and not tok.is_punct:
            words.append(tok.text)
            if pos == "NOUN" and (tok.i + 1 >= len(doc) or coarse_pos(doc[tok.i + 1]) != "NOUN"):
                break
        else:
            break
    return " ".join(words) or None
