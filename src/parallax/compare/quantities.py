"""When two numbers of two statements count one thing, and when they disagree.

A reader trusts a 'number conflict' only when the two numbers are plainly the same quantity
told twice: the death toll of one quake, not the dead of two quakes; this operation's
seizures, not the total so far; one player's points, not another's. So two numbers are one
quantity when

- they have the same unit, or (without one) the same counted noun ('people', 'villages');
- the words right around them, names and numbers left out, say the same thing happened
  ('killing 10 people' / 'three people killed': kill);
- nothing tells them apart: whom they are about (the person or organisation named before
  them in their part of the sentence, or a pronoun: 'He has 53 catches' names no one the
  other side can be matched with), where (a place in their part of the sentence), which
  scope ('so far', 'a total of', 'this season' on one side only);

and they disagree when neither has a compatible partner (within rounding, a bound respected,
or a parse of one amount at two scales such as '$2.6' / '$2.6 million')."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..stories.features import terms as content_terms
from ..understand.placecues import told_as_local, told_as_place
from .dates import background, event_times
from .statements import PLACE_LABELS, Statement, memoised, per_number


# Two counts of one thing this many times apart are two things: reports that disagree on one
# count do so within a few times (the largest ratio among the judged disagreements, dev and
# test: 10, '1.2 miles' / '12 miles'; on dev 3.3)
MAX_RATIO = 20.0

# What a count of people is a count of, however it is worded: 'killing 12', 'the death toll
# rose to 22', '22 dead' are one quantity; so are 'injuring five' and 'five were hurt'.
OUTCOMES = {
    "#dead": {"kill", "dead", "death", "died", "die", "toll", "fatality", "fatal", "perish",
              "body", "liv", "claim"},
    "#hurt": {"injur", "injury", "wound", "hurt", "hospitaliz"},
    "#missing": {"miss", "unaccount"},
    "#displaced": {"evacuat", "evacuation", "displac", "homeless", "shelter", "fled", "flee"},
    "#arrested": {"arrest", "detain", "custody"},
}
_OUTCOME_OF = {t: c for c, ts in OUTCOMES.items() for t in ts}
PEOPLE = {"people", "person", "victim", "resident", "civilian", "villager", "passenger",
          "worker", "child", "student", "soldier", "men", "women"}
WHO_LABELS = ("PERSON", "ORG")
_SEGMENT = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()]|\s(?:and|but|while|whereas)\s|\s[-–—]\s")
_CLAUSE_BOUND = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()]|\s[-–—]\s")
# a place the whole statement is told of, in an opening phrase: 'In neighbouring Central Aceh
# district, 10 people were killed'
_FRONTED = re.compile(r"^\W*(?:in|at|across|throughout|inside|elsewhere in)\s[^,;:]{2,80},", re.I)
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|reported|quoted)\b", re.I)
# a count told of a part of the event's place, unnamed: 'killed 170,000 in the province'
_PART_OF_PLACE = re.compile(r"\s+(?:\w+\s+){0,3}?in (?:the|that|this) (province|district|region|county|"
                            r"city|town|village|area)\b", re.I)
_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|it|his|her|their|its|we|i)\b", re.I)
_THING_PRONOUN = re.compile(r"^\W*(?:it|its|they|their|that|this|these|those|the (?:earlier|previous|last) \w+)\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.I)
SCOPE = re.compile(r"\b(?:so far|thus far|to date|in total|a total of|totall?ing|overall|in all|"
                   r"(?<=[a-z] )(?:in|across) (?-i:[A-Z])\w+(?: (?-i:[A-Z])\w+)? alone|"
                   r"altogether|all[- ]time|career|this season|this year|cumulative|combined|"
                   r"since (?:(?-i:[A-Z0-9])\w*|the (?:start|beginning)|last|early)|in (?:their|its|his|her) \w+ (?:operations|games|seasons|years)|"
                   r"per (?:game|day|year|month|week)|a (?:year|day|game|season)|annual(?:ly)?|each of|"
                   r"(?:past|last) \w+ (?:seasons|years|games|months|weeks)|"
                   r"in (?:\d+|\w+) (?:games|seasons|starts|appearances|matches|years)|"
                   r"in the (?:first|second|third|fourth|final|last|opening) (?:\S+ ){0,2}(?:half|quarter|"
                   r"period|round|set|inning|minutes?|hours?|days?|weeks?)|during (?:the|a|that|this) \w+)\b",
                   re.I)


# words that make a number a different quantity from the same words without them: 'his first
# 11 seasons' (not all of them), 'needed nine points' (not scored), 'two more', 'four other'
_QUALIFIER_BEFORE = re.compile(r"\b(?:first|last|next|final|another|the other|more|additional|"
                               r"remaining|extra|needs?|needed|only|just|top|previous|past)\s+"
                               r"(?:\w+\s+)?$", re.I)
# the whole of a part: the three of 'two of the three victims died' (two died, not three)
_PARTITIVE = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|all|most|"
                        r"some|none|many|several|both)\s+of\s+(?:the\s+|those\s+|these\s+)?$", re.I)
_PERSONS = (r"(?:people|persons?|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|soldiers?|civilians?|"
            r"police(?:m[ae]n)?|officers?|troops|residents?)")
_QUALIFIER_AFTER = re.compile(r"^\s*(?:more|other|others|additional|extra|straight|consecutive|"
                              r"left|remaining|to go|to play|of\s+(?:\w+\s+)?\d|"
                              r"(?:\w+\s+)?as\s+(?:a|an|the|its|his|her|their)\s|"
                              # a part of a sum of people: 'two women and a man', 'five soldiers and
                              # two civilians' (not '12 points and four assists')
                              rf"{_PERSONS}\s+and\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|"
                              rf"ten|\d+)\s+(?:\w+\s+)?{_PERSONS}\b)", re.I)


@per_number
def qualified(s: Statement, n: dict) -> bool:
    """A number that is not the whole count: 'his first 11 seasons', 'needed nine points',
    'two more', '12 seconds left', the 28 of '28 of 41 passes' (the 41 is a whole), 'four
    seasons as the team's director' (a part of a career); nor a count the words after it do
    not tell of: the three of 'two of the three victims died' (but '30 of the 80 wounded'
    counts 80 wounded)."""
    at, end = n["start"] - s.start, n["end"] - s.start
    before = s.text[max(0, at - 30):at]
    return bool(_QUALIFIER_BEFORE.search(before) or _QUALIFIER_AFTER.match(s.text[end:end + 20])
                # '30 of the 80 wounded' still counts 80 wounded
                or (_PARTITIVE.search(before) and outcome(s, n) is None))


@per_number
def segment(s: Statement, n: dict) -> tuple[int, int]:
    """The part of the statement a number belongs to, in article offsets: between the
    separators around it (commas, semicolons, 'and', 'while')."""
    return _between(s, n, _SEGMENT)


@per_number
def clause(s: Statement, n: dict) -> tuple[int, int]:
    """The clause of the statement a number belongs to, in article offsets: between the
    punctuation around it ('and' does not end it: 'Twelve were killed and 70 injured by a
    landslide in Bener Meriah district' tells the district of both counts)."""
    return _between(s, n, _CLAUSE_BOUND)


def _between(s: Statement, n: dict, separators: re.Pattern) -> tuple[int, int]:
    at, end = n["start"] - s.start, n["end"] - s.start
    lo, hi = 0, len(s.text)
    for m in separators.finditer(s.text):
        if m.end() <= at:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return s.start + lo, s.start + hi


def _in(span: tuple[int, int], m: tuple) -> bool:
    return span[0] <= m[0] and m[1] <= span[1]


def number_context(s: Statement, n: dict, width: int = 3) -> set[str]:
    return _context_at(s, n["start"], n["end"], n.get("counted"), width)


@memoised
def _context_at(s: Statement, start: int, end: int, counted: str | None, width: int) -> set[str]:
    """The content words around a number in its part of the statement (what it counts, what
    happened to it), names and other numbers left out: 'five people were killed' -> {peopl,
    kill}; 'killing seven people and injuring 40' -> {kill, peopl} for the seven."""
    text = s.text
    for a, b, _cid, _label in s.mentions:  # names say whom, not what happened
        if a - s.start >= 0 and b - s.start <= len(text):
            text = text[:a - s.start] + " " * (b - a) + text[b - s.start:]
    lo, hi = (x - s.start for x in segment(s, {"start": start, "end": end}))
    at = start - s.start
    before = text[max(lo, at - 60): max(0, at)]
    after = text[max(0, end - s.start): min(hi, end - s.start + 60)]
    words = list(content_terms(" ".join(before.split()[-width:])).keys())
    words += list(content_terms(" ".join(after.split()[:width])).keys())
    if counted:
        words += list(content_terms(counted).keys())
    return {_OUTCOME_OF.get(w, w) for w in words if not w[:1].isdigit()}


_OUTCOME_BEFORE = re.compile(r"(?:\b(kill|injur|wound|hurt)\w*|\b(death|casualty)\s+toll\s+(?:\w+\s+){0,3}?"
                             r"(?:to|of|at|is|was|reached|rose|stood|climbed|hit)?)\s+(?:at\s+least\s+|"
                             r"more\s+than\s+|nearly\s+|almost\s+|about\s+|some\s+|over\s+|other\s+|another\s+)?$", re.I)
_OUTCOME_AFTER = re.compile(r"^\s+(?:(?:people|persons|others)\s+)?(?:were\s+|are\s+|have\s+been\s+)?"
                            r"(dead|killed|died|injured|wounded|hurt|missing)\b", re.I)


def outcome(s: Statement, n: dict) -> str | None:
    return _outcome_at(s, n["start"], n["end"])


@memoised
def _outcome_at(s: Statement, start: int, end: int) -> str | None:
    """The outcome a number of people counts, told right beside it: 'killing 12', 'the death
    toll rose to 22', '12 dead', 'injuring 40', 'five were hurt' -> '#dead' / '#hurt'."""
    at, end = start - s.start, end - s.start
    m = _OUTCOME_BEFORE.search(s.text[max(0, at - 50):at])
    if m:
        word = (m.group(1) or "kill").lower()
        return "#dead" if word in ("kill", "death", "casualty") else "#hurt"
    m = _OUTCOME_AFTER.match(s.text[end:end + 40])
    if m:
        word = m.group(1).lower()
        return {"dead": "#dead", "killed": "#dead", "died": "#dead", "missing": "#missing"}.get(word, "#hurt")
    return None


def head(n: dict) -> str | None:
    """The counted noun's term ('nuclear warheads' -> 'warhead')."""
    return _head_of(n.get("counted"))


@lru_cache(maxsize=4096)
def _head_of(counted: str | None) -> str | None:
    if not counted:
        return None
    words = list(content_terms(counted).keys())
    return words[-1] if words else None


@lru_cache(maxsize=1024)
def _unit_words(unit: str) -> frozenset[str]:
    return frozenset(content_terms(unit))


@per_number
def who(s: Statement, n: dict) -> str | None:
    """Whom a number is about: the person or organisation named last before it in its part of
    the sentence (else in the statement); 'pronoun' when the statement opens with a pronoun
    and names no one before it ('He wound up with eight catches'); None when unknown."""
    seg = segment(s, n)
    before = [m for m in s.mentions if m[1] <= n["start"] and m[3] in WHO_LABELS]
    inside = [m for m in before if _in(seg, m)]
    if inside:
        return inside[-1][2]
    persons = [m for m in before if m[3] == "PERSON"]
    if persons:
        return persons[-1][2]
    if _PRONOUN_START.match(s.text) or _PRONOUN.search(s.text[seg[0] - s.start:n["start"] - s.start]):
        return "pronoun"
    return None


_VERB_GAP = re.compile(r"^\s*(?!(?:of|in|on|at|for|to|from|and|or|with|by|the|a|an)\b)[a-z]+"
                       r"(?:\s+[a-z]+)?\s*$")


@per_number
def direct_subject(s: Statement, n: dict) -> str | None:
    """The person a number is told of directly: 'Richard Carter had 12 points', 'Ty Lawson
    added 16' (one or two words, the first not a preposition, between the name and the
    number)."""
    for a, b, cid, label in reversed(s.mentions):
        if b <= n["start"] and label == "PERSON":
            gap = s.text[b - s.start:n["start"] - s.start]
            return cid if _VERB_GAP.match(gap) else None
    return None


_FROM = re.compile(r"^\s*(?:\w+\s+)?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|"
                   r"south-?west|away|off|outside|short)\s+(?:of|from)|from|of)\s+(?:the\s+)?"
                   r"([^,.;:()]{2,40}?)(?=\s*(?:[,.;:()]|$|\s(?:on|in|at|and|when|where|while)\s))", re.I)
DISTANCES = ("mile", "kilometre", "metre", "foot", "yard")
_PAREN = re.compile(r"\s*\([^()]{0,40}\)")


@per_number
def measured_from(s: Statement, n: dict) -> str | None:
    """What a distance is measured from ('15 miles north of Detroit' -> 'detroit', 'about 50
    miles north of here' -> 'here')."""
    if not any(d in (n.get("unit") or "") for d in DISTANCES):
        return None
    after = _PAREN.sub("", s.text[n["end"] - s.start:n["end"] - s.start + 120])  # '(about 24km)'
    m = _FROM.match(after)
    return " ".join(m.group(1).lower().split()) if m else None


@per_number
def agents(s: Statement, n: dict) -> set[str]:
    """The organisations named before a number in its statement."""
    return {m[2] for m in s.mentions if m[3] == "ORG" and m[1] <= n["start"]}


@per_number
def where(s: Statement, n: dict) -> set[str]:
    """The places a number is told of: named after it in its clause, up to an attribution
    ('60 per cent in Pakistan', 'killing 612 people in Zarand'; not 'the disaster center in
    Hormozgan said 10 were killed', where the place is the speaker's), or in an opening phrase
    ('In neighbouring Central Aceh district, 10 people were killed'); an unnamed part of the
    story's place is '#province', '#district' ('killing 170,000 people in the province')."""
    at, end = n["start"] - s.start, n["end"] - s.start
    hi = clause(s, n)[1] - s.start
    out = {cid for a, b, cid in place_mentions(s)
           if end <= a - s.start and b - s.start <= hi
           and not _ATTRIBUTION.search(s.text, end, a - s.start)}  # 'killing 612 people in Zarand'
    front = _FRONTED.match(s.text)
    if front and front.end() <= at:
        out |= {cid for a, b, cid in place_mentions(s) if b - s.start <= front.end()}
    part = _PART_OF_PLACE.match(s.text, end, hi)
    if part:
        out.add("#" + part.group(1).lower())  # 'killing 170,000 people in the province'
    return out


@per_number
def where_near(s: Statement, n: dict) -> set[str]:
    """``where``, and the places named before the number in its clause, with no attribution
    between ('Shelling in the Bureij refugee camp left five dead'; they may be where the
    whole story is, 'a quake on a Gulf island that killed 10', so they tell two counts apart
    only when both sides name places, or when they are camps and villages: ``local_near``)."""
    lo, at = clause(s, n)[0], n["start"]
    return where(s, n) | {cid for a, b, cid in place_mentions(s)
                          if lo <= a and b <= at and not _ATTRIBUTION.search(s.text, b - s.start, at - s.start)}


@per_number
def local_near(s: Statement, n: dict) -> set[str]:
    """The camps, villages and districts named near a number (``where_near``): 'Shelling in
    the Bureij refugee camp left 16 injured' counts the camp's injured, a part of the story's."""
    near = where_near(s, n)
    return {cid for a, b, cid in place_mentions(s)
            if cid in near and told_as_local(s.text, a - s.start, b - s.start)}


@memoised
def place_mentions(s: Statement) -> list[tuple[int, int, str]]:
    """The statement's places: those tagged as places, and names the words around them tell
    as places ('the southern city of Khan Younis', tagged a person)."""
    out = []
    for a, b, cid, label in s.mentions:
        if label in PLACE_LABELS or (label in WHO_LABELS and told_as_place(s.text, a - s.start, b - s.start)):
            out.append((a, b, cid))
    return out


@memoised
def scope(s: Statement) -> frozenset[str]:
    """The scopes beyond the event a statement counts over ('so far', 'a total of', 'this
    season'), outside quotations: two counts compare only over the same scopes."""
    text = s.text
    for q in s.quotes:
        a, b = q["start"] - s.start, q["end"] - s.start
        text = text[:max(0, a)] + " " * max(0, b - a) + text[max(0, b):]
    text = " ".join(text.split())  # thin and non-breaking spaces ('7\u2009½ minutes')
    return frozenset(m.group().lower() for m in SCOPE.finditer(text))


_MONTH_OR_YEAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|"
                            r"\b(?:1[89]|20)\d\d\b", re.I)


@memoised
def when_named(s: Statement) -> frozenset[str]:
    """The months and years a statement names for what it tells ('In February, a quake ...
    killed 612'): a count dated to another month than the other side's is another event's
    (in undated articles, where the dates cannot be placed, the words are compared)."""
    out = set()
    for t in event_times(s):
        if _MONTH_OR_YEAR.search(t["text"]):
            out.add(t["value"] or t["text"].lower())
    return frozenset(out)


def same_kind(x: dict, y: dict, a: Statement | None = None, b: Statement | None = None) -> bool:
    """The same unit, or (without one) the same counted noun: numbers that could count one
    thing ('five people' and '12 people'; not 'five people' and '12 villages', nor two bare
    numbers whose counted thing is unknown). With their statements, a count of people and a
    bare number of the same outcome are one kind ('killing 12 people' / 'the death toll rose
    to 22')."""
    if x.get("unit") != y.get("unit"):
        return False
    hx, hy = head(x), head(y)
    if x.get("unit") is None and not (hx and hy and hx == hy):
        hx, hy = (None if h in _OUTCOME_OF else h for h in (hx, hy))  # '50 hurt', '80 wounded'
        if a is None or b is None or (hx and hx not in PEOPLE) or (hy and hy not in PEOPLE):
            return False
        ox, oy = outcome(a, x), outcome(b, y)
        return bool(ox) and ox == oy
    return not (hx and hy and hx != hy)


def same_quantity(a: Statement, x: dict, b: Statement, y: dict, min_context: float) -> bool:
    """Two numbers count the same thing about the same subject, place and scope: the same
    kind, nothing that tells them apart, and either the same words around them, the same
    person told of directly before both, or the same outcome ('killing 10' / 'three people
    killed': a toll is one quantity of the story, whoever reports it)."""
    if not same_kind(x, y, a, b):
        return False
    low, high = sorted((x["value"], y["value"]))
    if low and high > MAX_RATIO * low:
        return False  # 'killing five' / 'the 2004 tsunami that killed 168,000': two counts
    if qualified(a, x) or qualified(b, y):
        return False  # 'his first 11 seasons' / '19 seasons'
    toll = outcome(a, x) is not None and outcome(a, x) == outcome(b, y)
    if toll and (_THING_PRONOUN.match(a.text) or _THING_PRONOUN.match(b.text)):
        return False  # 'It killed 612 people': which quake is in the sentence before
    wx, wy = who(a, x), who(b, y)
    if "pronoun" in (wx, wy):
        if not toll:
            return False  # 'He has 53 catches': whose?
    elif wx and wy and wx != wy:
        return False  # 'Hansbrough had 20 points' / 'Raji posted 16 points'
    px, py = where(a, x), where(b, y)
    if {p for p in px if p[0] == "#"} != {p for p in py if p[0] == "#"}:
        return False  # '170,000 in the province' / '230,000 around the Indian Ocean'
    nx, ny = where_near(a, x), where_near(b, y)
    if nx and ny and not nx & ny:
        return False  # '70 per cent in Egypt' / '52 per cent in Saudi Arabia'
    named_x, named_y = _named(px), _named(py)
    if (named_x and not named_x & b.article_places) or (named_y and not named_y & a.article_places):
        return False  # 'a dozen killed by a quake in eastern China' in a report on Iran's
    px, py = px | local_near(a, x), py | local_near(b, y)
    if bool(px) != bool(py):
        placed, other = (px, b) if px else (py, a)
        if not placed & (_places(other) | other.article_lead_places):
            return False  # '10 killed in Central Aceh district' / '24 killed by the quake' (in Aceh)
    if measured_from(a, x) != measured_from(b, y):
        return False  # '15 miles north of Detroit' / '50 miles north of here'
    if toll:
        return True
    if bool(wx) != bool(wy):  # one names whose the count is; the other names only others
        known, other = (wx, b) if wx else (wy, a)
        named = {m[2] for m in other.mentions if m[3] in WHO_LABELS}
        if named and known not in named:
            return False  # 'Jamaal Charles rushed for 226 yards' / 'rushing for 352 yards, the Chiefs'
    ox, oy = agents(a, x), agents(b, y)
    if ox and oy and not ox & oy:
        return False  # 'the Red Sox made a $200 million offer' / 'the Nationals ... $160 million'
    dx = direct_subject(a, x)
    if dx and dx == direct_subject(b, y):
        return True  # 'Richard Carter had 12 points' / 'Richard Carter scored 14 points'
    hx, hy = head(x), head(y)
    unit_words = _unit_words(x.get("unit") or "") | {hx, hy}
    cx = number_context(a, x) - unit_words
    cy = number_context(b, y) - unit_words
    common = cx & cy
    return bool(common) and len(common) / len(cx | cy) >= min_context


def _places(s: Statement) -> set[str]:
    return {m[2] for m in place_mentions(s)}


def _named(places: set[str]) -> set[str]:
    return {p for p in places if not p.startswith("#")}


def elsewhere(a: Statement, b: Statement) -> bool:
    """The two statements tell of events in two places: each names places, and neither's
    places appear anywhere in the other's article ('killed five in Salt Lake City' /
    'shot three in Detroit' in two reports that never name the other city)."""
    pa, pb = _places(a), _places(b)
    return bool(pa and pb and not pa & b.article_places and not pb & a.article_places)


def compatible(x: dict, y: dict) -> bool:
    """Equal within rounding (5%, 10% when either is approximate), one a bound the other
    respects ('less than ten minutes' and 'nine minutes', 'at least four' and 'five'), or one
    amount read at two scales ('$2.6' / '$2.6 million': a parse, not a disagreement)."""
    a, b = x["value"], y["value"]
    tolerance = 0.10 if x.get("approximate") or y.get("approximate") else 0.05
    if abs(a - b) <= tolerance * max(abs(a), abs(b)):
        return True
    if a and b and any(abs(max(a, b) / min(a, b) - k) < 1e-6 * k for k in (1e3, 1e6, 1e9)) \
            and x.get("unit") not in (None, "percent"):
        return True
    for bound, other in ((x, b), (y, a)):
        lo, hi = bound.get("lower"), bound.get("upper")
        if (lo is not None or hi is not None) and (lo is None or other >= lo) \
                and (hi is None or other <= hi):
            return True  # a bound ('at least four'), or a range ('dozens')
    return False


def quantity_pairs(a: Statement, b: Statement, min_context: float) -> list[tuple[int, int]]:
    """Index pairs of numbers of ``a`` and ``b`` that count one thing."""
    return [(i, j) for i, x in enumerate(a.numbers) for j, y in enumerate(b.numbers)
            if same_quantity(a, x, b, y, min_context)]


def compare_numbers(a: Statement, b: Statement, min_context: float):
    """(agreeing pairs, disagreeing pairs, numbers of the smaller statement the other lacks).

    A number with a compatible partner of the same quantity agrees and is never also paired
    against another ('13 miles east of Cloverdale and 2 miles from the Geysers' in both: 13
    with 13, 2 with 2, not 13 against 2); it disagrees only when neither side has a
    compatible partner. When every count of a list differs, the two lists count over two
    scopes ('in this operation' / 'so far'); a scope one side names and the other does not
    makes the two counts incomparable."""
    if not (a.numbers and b.numbers) or not kinds(a) & kinds(b):
        small = a if len(a.terms) <= len(b.terms) else b  # nothing they count is counted by both
        return [], [], [n for n in small.numbers if n.get("unit") != "year"]
    same = quantity_pairs(a, b, min_context)
    # a number the other side gives too (the same kind and value) is matched, whatever the
    # words around it ('rushed for 101 yards' / 'added 101 yards on the ground')
    fits = {(i, j) for i, x in enumerate(a.numbers) for j, y in enumerate(b.numbers)
            if same_kind(x, y, a, b) and compatible(x, y)}
    fit_a = {i for i, _ in fits}
    fit_b = {j for _, j in fits}
    agree = [(a.numbers[i], b.numbers[j]) for i, j in sorted(fits)]
    differ = [(a.numbers[i], b.numbers[j]) for i, j in same
              if (i, j) not in fits and i not in fit_a and j not in fit_b]
    if len({i for i, _ in same}) >= 2 and not fits:
        differ = []
    if differ and (scope(a) != scope(b) or background(a) != background(b)
                   or when_named(a) != when_named(b) or elsewhere(a, b)):
        differ = []  # 'so far' / 'in this operation'; an earlier event / the story's
    matched_a = {i for i, _ in same}
    matched_b = {j for _, j in same}
    small, matched = (a, matched_a) if len(a.terms) <= len(b.terms) else (b, matched_b)
    missing = [n for k, n in enumerate(small.numbers) if k not in matched and n.get("unit") != "year"]
    return agree, differ, missing


@memoised
def kinds(s: Statement) -> frozenset:
    """What the statement's numbers count (units, counted nouns, outcomes): two statements
    whose numbers count nothing in common cannot disagree on a number."""
    out = set()
    for n in s.numbers:
        out.add(("unit", n.get("unit")) if n.get("unit") else ("head", head(n)))
        if outcome(s, n):
            out.add(("outcome", outcome(s, n)))
    return frozenset(out)


@memoised
def has_toll(s: Statement) -> bool:
    """The statement gives a number of dead, injured or missing ('killing 10')."""
    return any(outcome(s, n) for n in s.numbers)


_OUTCOME_WORDS = {"#dead": "dead", "#hurt": "injured", "#missing": "missing"}


def describe(s: Statement, x: dict) -> str:
    """What a number counts, as a reader is told: 'people', 'USD', 'dead'."""
    return x.get("counted") or x.get("unit") or _OUTCOME_WORDS.get(outcome(s, x) or "") or "the same count"


__all__: Sequence[str] = ("compare_numbers", "compatible", "same_quantity", "describe")
