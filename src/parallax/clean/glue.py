"""Glued-word repair: 'weaponswith' -> 'weapons with', 'Paul WhelanAmerican' -> 'Paul Whelan
American', 'FBIsaid' -> 'FBI said'. Words get glued where a link used to be.

A wrong split is worse than a missed one, so a split needs strong evidence from three places:

* **the token itself** is not a word: wordfreq does not know it (or, for CamelCase and acronym
  glue, knows it only as a rare hashtag-like form, 'thehouse' at zipf 1.2, far rarer than its
  halves); it appears once in the article, and the corpus has not seen it spelled this way
  (a rare name such as 'Hillis' is in the store's vocabulary once any article used it);
* **both halves** are words: common in wordfreq, or names spelled this way elsewhere in the
  article or the corpus; common English name endings ('son', 'man', 'berg') never split off;
* **the context** agrees: a function word split off ('with', 'who', 'an', 'de') must be followed
  by a word it can precede ('an' before a vowel, a preposition not before a comma).

CamelCase brands survive: common ones are words in wordfreq, prefixes like Mc/Mac/De/Le never
split, a one-letter lower-case head (iPhone, eBay) or an all-capitals tail (OpenAI) never splits,
and two capitalised halves split only when one of them is a name used elsewhere in the article.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container
from functools import lru_cache

from wordfreq import freq_to_zipf, get_frequency_dict, zipf_frequency

from .base import Change, Context
from .lexicon import written_as

# Closed-class words that follow a name or a noun (the right half of a glue).
PREPOSITIONS = frozenset("with in on at to for from by of into over after before during than "
                         "about against under between".split())
PAST_TENSE = frozenset("told said was were had did made took came went gave saw got left".split())
CONJUNCTIONS = frozenset("and or but nor".split())
VERBS = frozenset("is as was were are has had have will would said says did does may might can "
                  "could should must".split())
FOLLOWERS = PREPOSITIONS | CONJUNCTIONS | VERBS | frozenset(
    "who which whom whose that an the also not now out down back away".split())
# Followers that no name ends with: after any capitalised head they are glue ('Chopardthat',
# 'Interoutewhich', 'Bodifordsaid'), where a short one ('is', 'on', 'and') may end a name.
CLEAR_FOLLOWERS = frozenset("that which where when was were from with for of said says also into "
                            "who has "
                            "after about "
                            "this just last told before during against would could should since "
                            "while whose".split())
# Adverb particles after a verb ('came out of', 'stepped up in'): they read before anything,
# but only after a verb ('walkup', 'handoff', 'putback' are nouns).
ADVERB_PARTICLES = frozenset("out down back away up off on".split())
IRREGULAR_PAST = frozenset("came went took shook wound gave got set put ran sat stood broke "
                           "threw held kept brought fought caught began spoke drove rode wore".split())
# Subject pronouns and the verbs that agree with them ('itis', 'theywere'; never 'we is').
_MODALS = "has had will would can could did may might must should".split()
_SINGULAR_VERBS = frozenset(["is", "was", "does", *_MODALS])
_PLURAL_VERBS = frozenset(["are", "were", "have", "do", *_MODALS])
AGREEING_VERBS = {**dict.fromkeys("it he she this that there".split(), _SINGULAR_VERBS),
                  **dict.fromkeys("we they you".split(), _PLURAL_VERBS)}
PERSONAL_VERBS = _SINGULAR_VERBS | _PLURAL_VERBS
# A verb's past tense as spelt ('Interiorsent', 'Lavrovtold'), with the irregular ones above.
PAST_FORMS = PAST_TENSE | IRREGULAR_PAST | frozenset(
    "sent paid lost found heard built bought taught felt meant spent fled sought became".split())
# Closed-class words that precede a noun or a name (the left half of a glue).
LEADERS = frozenset("the of and to in for with on at by from that his her their its our "
                    "was were has had have said into over after before as".split())
DETERMINERS = frozenset("the a an his her their its this these those our my your".split())
# Short function words that glue to their neighbour: 'ofthe', 'todirect', 'aspike'.
SMALL = frozenset("a an the of in on at to for with from by and or but is was are were be been if "
                  "has had have as so that his her their its this not how who what when into "
                  "over after before than said says it he she they we you our my all both two "
                  "last despite another just must does did can will would could should may "
                  "might very later also then still even only never always three four five "
                  "six other".split())
# Pronouns and determiners after a verb: 'hittingher', 'seesits', 'explainedhow'.
OBJECTS = frozenset("his her its their him them how what who".split())
# Verbs after the pronoun 'I' ('Iwas', 'Ifelt'): no name is made so.
I_VERBS = frozenset("was am have had think thought know knew felt feel said will would can could "
                    "did do just also never want wanted believe hope mean love guess went saw got "
                    "told remember".split())
# Short words that open a clause after a name: 'Trumpif the', 'Watergatehe was'.
SHORT_AFTER_NAME = frozenset("if it he she we go do did got".split())
# Auxiliaries before "n't" ('wasn’t'): no word ends in them, so a head before them is glue.
NEGATABLE = ("wasn", "weren", "isn", "aren", "couldn", "didn", "doesn", "don", "hasn", "haven",
             "hadn", "wouldn", "shouldn")
# Determiners and numbers before 'man' / 'men' at a sentence's start: 'Theman', 'Fourmen'.
COUNTERS = frozenset("the this that one two three four five six seven eight nine ten".split())
# Words that open sentences: read in lower case at a sentence's start ('Theseguys are').
OPENERS = SMALL | frozenset("no these those too while within half some many most once since when "
                            "where like every each such yet here there upon beyond what seven "
                            "eight nine ten nothing everything something anything nobody "
                            "everyone someone anyone".split())
# Particles of Romance-language names ('La Voz de Galicia'): judge the left half in its language.
ROMANCE = frozenset("de del da do dos das".split())
WORD_PREFIXES = frozenset("ultra under over out super anti non multi mid post pre counter cross "
                          "self inter intra semi sub trans mega micro mini".split())
PARTICLES = frozenset("de del da di du van von der le la mc mac bin al el my".split())  # myFaves
ROMANCE_LANGS = ("en", "es", "pt", "fr", "it")
# Name heads that make CamelCase names: McDonald, DeSantis, LeBron, MacBook, VanDyke.
NAME_PREFIXES = frozenset("Mc Mac De Di Da Du Le La Lo Van Von Del Della Des St Fitz O".split())
# English words that are also common surname or place-name endings: Walter|son, Gold|man.
NAME_ENDINGS = frozenset("son sen man men berg burg stein ton town field wood land ford ville "
                         "worth ley well more hill ham house smith wright dale stone shire "
                         "mouth bridge port gate sky ski ing er ers ed es eyed hart".split())

# Words that are also suffixes: a word wordfreq does not know may be made with them. These
# two also end slogans and adjectives after a name ('Chuckstrong', 'Monthslong'), where the
# others make words a name never heads ('Ethiopianship' is glue).
SLOGAN_SUFFIXES = frozenset(("strong", "long"))
SUFFIX_WORDS = SLOGAN_SUFFIXES | frozenset("able less ness ship hood ward wards like wise some "
                                           "fold proof worthy way ways wide free fest ish".split())

TITLES = frozenset("President Senator Sen Rep Representative Speaker Leader Editor Minister "
                   "Secretary Governor Gov Mayor Judge Justice Chief Director General Officer "
                   "Coach Prime Minister Chairman Chairwoman Commissioner Sheriff Attorney Dr Mr "
                   "Mrs Ms Prof Professor Captain Capt Lt Sgt King Queen Prince Pope".split())
CALENDAR = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
                     "March April May June July August September October November December".split())

KNOWN = 2.6  # a token this common in wordfreq is a word, never glue
COMMON = 2.5  # a half this common (about 3 per 10 million words) counts as a word
CONTENT = 3.0  # a content word split off a name must be commoner still
FUNCTION_PAIR_MAX = 3.5  # 'ofthe' is in wordfreq at 3.3, as glue
COMPOUND = 3.5  # two lower-case halves must both be this common (compounds are rarer)
SHORT_COMPOUND = 5.0  # ... and this common when one of them has three letters ('mustwin')
LONG, LONG_COMPOUND = 6, 2.5  # two halves this long may be rarer: compounds of two long words
SURE_WORD = 5.5  # a plain token this common is a word: every split rule needs the token rarer
RARE_GLUE = 1.5  # a form wordfreq knows this rarely, of two very common halves, is glue
MARGIN = 2.0  # a half must be this much commoner than the glued form wordfreq knows

_TOKEN = re.compile(r"(?<![\w@#/\\.&])[^\W\d_]{4,}(?![\w@/&])(?!\.[^\W\d_])(?!['’][^\W\d_]{2})"
                    r"(?!\.\s(?:com|org|net|gov|edu)\b)")  # 'Earthquaketrack. com': a site's name
_NEXT = re.compile(r"\s*(['’](?:t|s|m|re|ve|ll|d)\b|[^\W\d_]+|\S)?")  # a contraction: "’t"
_PREV = re.compile(r"([^\W\d_]+)[ \t]+\Z")
# Glue a token pattern cannot see (dotted abbreviations, digits, tokens under four letters):
# each pattern ends where the space goes.
# A function word glued to a dotted abbreviation: 'theU.S.', 'thatF.B.I.', 'inL.A.'.
_DOTTED = re.compile(r"(?<![\w.@/])(?:the|that|of|in|on|at|to|for|from|by|and|with|as|an?)"
                     r"(?=[A-Z]\.(?:[A-Z]\.)+)")
# A two-letter function word glued to 'a' before a word: 'ata West Coast bank', 'isa chance'.
_SHORT_A = re.compile(r"(?<=[ \t])(of|at|by|in|is|as|on|to|be)(?=a[ \t]+([^\W\d_]+))")
# A possessive split off by a tokenizer, glued to the next word: 'Court ’ sDivision', 'She ’ sin'.
_CLITIC = re.compile(r"(?<=\w ’ )s(?=([^\W\d_]{2,})\b)")
# An ordinal or a decade glued to a capitalised word: '79thOscars', '115thStreet', '1950sPage'.
_ORDINAL = re.compile(r"(?<![\w.])\d+(?:st|nd|rd|th|s)(?=[A-Z][a-z]{2,})")
# A function word glued to a versioned acronym: 'ofIE6', 'andIE8', 'theA380'.
_VERSIONED = re.compile(r"(?<![\w@#/\\.&])(?:the|of|and|or|as|in|on|at|to|for|with|from|by)"
                        r"(?=[A-Z]{1,5}\d)")
# A clock time's am/pm glued to a time zone or a word: '2: 00pmEDT', '6. 30amthe fire'.
_CLOCK = re.compile(r"(?<=\d)(?:am|pm|AM|PM)(?=[A-Z]{2,5}\b|the\b)")
_OPENS = re.compile(r"(?:\A|[\n.!?][\s\"“'‘]*|:\s*[\"“'‘]\s*)\Z")  # a sentence starts here


_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "en") -> float:
    """wordfreq's ``zipf_frequency``. A plain lower-case ASCII word is looked up in its table
    directly, with its rounding (the same value, a tenth of the time: tokenizing is the cost;
    tests/test_clean.py checks the two agree)."""
    if word.isascii() and word.isalpha() and word.islower():
        freq = get_frequency_dict(lang).get(word)
        if freq is None:
            return 0.0
        return round(freq_to_zipf(round(freq, math.floor(-math.log10(freq)) + 3)), 2)
    return zipf_frequency(word, lang)


class Names:
    """Capitalised words that stand alone in the article: a name spelled this way elsewhere in
    the article is evidence for the half of a glued token."""

    def __init__(self, text: str = "", lexicon: Container[str] = ()):
        words = _WORD.findall(text)
        self.text = text
        self._edge_counts: tuple[Counter, Counter] | None = None
        self.lexicon = lexicon
        self._named: dict[str, str] = {}
        self.article = Counter(w for w in words
                               if w[0].isupper() and w.lower() not in FOLLOWERS | LEADERS)
        self.lower = Counter(w.lower() for w in words)

    def __contains__(self, word: str) -> bool:
        return self.article.get(word, 0) > 0

    def used(self, word: str) -> bool:
        """The word, in any case, stands alone somewhere in the article."""
        return self.lower.get(word.lower(), 0) > 0

    def standalone(self, word: str, token: str) -> bool:
        """Seen on its own elsewhere in the article (not only inside ``token``)."""
        return self.article.get(word, 0) > (1 if word == token else 0)

    def ends_name(self, word: str) -> bool:
        """Seen as the last word of a name: not before another capitalised word."""
        return self._edges()[0].get(word, 0) > 0

    def starts_name(self, word: str) -> bool:
        """Seen as the first word of a name: not after another capitalised word."""
        return self._edges()[1].get(word, 0) > 0

    def _edges(self) -> tuple[Counter, Counter]:
        # Built on first use: few tokens have two capitalised halves.
        if self._edge_counts is None:
            ends, starts = Counter(), Counter()
            words = list(_WORD.finditer(self.text))
            for i, m in enumerate(words):
                w = m.group()
                if not w[0].isupper():
                    continue
                prev = words[i - 1] if i else None
                nxt = words[i + 1] if i + 1 < len(words) else None
                if not (prev and prev.group()[0].isupper()
                        and self.text[prev.end():m.start()] in (" ", "-")):
                    starts[w] += 1
                if not (nxt and nxt.group()[0].isupper()
                        and self.text[m.end():nxt.start()] in (" ", "-")):
                    ends[w] += 1
            self._edge_counts = (ends, starts)
        return self._edge_counts

    def corpus_name(self, word: str) -> bool:
        """The corpus writes the word as a name ('Washington', 'Obama'; not 'Gold', 'Peace')."""
        return self._cases(word) == "name"

    def corpus_word(self, word: str) -> bool:
        """The corpus writes the word in lower case too: a common word even where it starts a
        name ('Party', 'Center', 'Professor'), never a first name ('Robert')."""
        return self._cases(word) == "word"

    def corpus_capitalised(self, word: str) -> bool:
        """The corpus has written the word only capitalised, at least once (weaker than a
        name: asked only where the rest of the token is plain, see _lower_boundary)."""
        return self._cases(word) in ("name", "capitalised")

    def _cases(self, word: str) -> str:
        if word not in self._named:
            self._named[word] = written_as(self.lexicon, word)
        return self._named[word]


def evidence(word: str, names: Names) -> float:
    """How sure we are that ``word`` is a word: its zipf, or 4 for a name seen elsewhere."""
    z = zipf(word.lower())
    return max(z, 4.0) if word[:1].isupper() and word in names else z


def split_point(token: str, names: Names, next_word: str | None = None,
                after_name: bool = False, opener: bool = False) -> int | None:
    """Where to put a space in ``token``, or None. ``next_word``: the word after the token
    (None at the end of the text; a punctuation mark before punctuation). ``after_name``: the
    word before is capitalised; between two capitalised words ('chief Rahimin Kacong', 'said
    Roberton Williams') a token is more likely a middle name or surname than glue.
    ``opener``: the token opens a sentence, so its capital may be the sentence's, not a name's
    ('Ahuge fire')."""
    at = _split_point(token, names, next_word, after_name)
    if at is None and opener and token[:1].isupper() and token[1:].islower() \
            and not names.corpus_name(token):
        return _opener_split(token, names, next_word)
    return at


def _opener_split(token: str, names: Names, next_word: str | None) -> int | None:
    """A sentence's first token read in lower case: only after a word that opens sentences or
    before a function word ('Openweb', 'Goldstock': a brand opens a sentence too), and both
    halves plain words, not a name's pieces ('Efton'; 'Rafaat Hindy', a name ending in -at
    before a surname)."""
    for at in (_split_point(token.lower(), names, next_word, False), _opening_words(token)):
        if at is not None and _opener_fits(token[:at].lower(), token[at:], next_word):
            return at  # 'Butthis': not 'butt' + 'his', but 'but' + 'this'
    return None


def _opener_fits(head: str, tail: str, next_word: str | None) -> bool:
    # A brand may open a sentence ('Goldstock'), but seldom starts with an adverb or a verb's
    # past: 'Literallytens', 'Armedthieves'.
    if not (head in OPENERS or tail in FOLLOWERS or tail in ADVERB_PARTICLES
            or (head.endswith("ly") and len(head) >= 5 and zipf(head) >= 4.0)
            or _past_tense(head)):
        return False
    if min(zipf(head), zipf(tail)) < CONTENT:
        return False
    return head in OPENERS or not (tail in ("is", "as") or (next_word or "a")[0].isupper())


def _opening_words(token: str) -> int | None:
    """A word that opens sentences glued to a common word: 'Noinjuries', 'Theseguys', 'Afew'."""
    low = token.lower()
    if zipf(low) > 2.2:
        return None
    best, best_z = None, 0.0
    for i in range(1, min(7, len(low) - 2)):
        left, right = low[:i], low[i:]
        if left not in OPENERS or not _article_fits(left, right):
            continue
        if right in NAME_ENDINGS and not (right in ("man", "men") and left in COUNTERS):
            continue  # 'Theman', 'Fourmen'; never 'Aman' (a name)
        rz = zipf(right)
        if rz >= (SHORT_COMPOUND if len(right) == 3 else COMPOUND) and rz > best_z:
            best, best_z = i, rz
    return best


def _pronoun_i(token: str, next_word: str | None, tz: float) -> int | None:
    """The pronoun 'I' glued to a word: 'WhenI see', 'andI'm', 'Iwas stopped', 'Ifelt'."""
    if tz >= KNOWN:
        return None
    if token[0] == "I" and token[1:] in I_VERBS:
        return 1
    head = token[:-1]
    if token[-1] == "I" and (head.islower() or head[1:].islower()) and zipf(head.lower()) >= 4.5 \
            and next_word and (next_word[0] in "'’" or next_word.islower()):
        return len(head)
    return None


def _pronoun_verb(token: str, next_word: str | None, tz: float) -> int | None:
    """A subject pronoun glued to the verb that agrees with it: 'itis unclear', 'Theywere
    told' (wordfreq has met some as glue: 'itis' 2.7); never 'Weis' (no agreement)."""
    if tz >= FUNCTION_PAIR_MAX or not next_word or not next_word[0].islower():
        return None
    low = token.lower()
    return next((i for i in (2, 3, 4, 5) if low[i:] in AGREEING_VERBS.get(low[:i], ())), None)


def _agrees(subject: str, verb: str) -> bool:
    """False for a subject pronoun before a verb that does not agree with it ('we is')."""
    return subject not in AGREEING_VERBS or verb not in PERSONAL_VERBS \
        or verb in AGREEING_VERBS[subject]


def _ends_a_name(left: str, right: str, names: Names, token: str, tz: float) -> bool:
    """Could the token be a name that ends in the function word ``right`` ('Roberton',
    'Rahimin', 'Hillis')? Not when no name ends so (CLEAR_FOLLOWERS); not for 'and' or 'of'
    after a head wordfreq knows well ('James Francoand Anne', 'Dan Coatsof Indiana': a name
    ending so is known to wordfreq, 'Holland', or has a rare head, 'Hoagland'); not when the
    article or the corpus vouches for the head as a word of its own."""
    if right in CLEAR_FOLLOWERS or (right in ("and", "of") and tz == 0
                                    and zipf(left.lower()) >= 3.5):
        return False
    return not (names.standalone(left, token) or names.corpus_name(left)
                or names.corpus_word(left))


def _negation(token: str, next_word: str | None, tz: float) -> int | None:
    """A word glued to a negated auxiliary before its "n't": 'Thiswasn't', 'Policecouldn't'."""
    if next_word not in ("'t", "’t") or tz >= KNOWN:
        return None
    low = token.lower()
    for tail in NEGATABLE:
        head = low[: -len(tail)]
        if low.endswith(tail) and len(head) >= 2 and zipf(head) >= CONTENT:
            return len(head)
    return None


def _split_point(token: str, names: Names, next_word: str | None, after_name: bool) -> int | None:
    # a weekday or a month is not a name's next word: 'the Athens Acropolison Tuesday'
    in_name = after_name and bool(next_word) and next_word[0].isupper() \
        and next_word not in CALENDAR
    tz = zipf(token.lower())
    at = _pronoun_i(token, next_word, tz) or _negation(token, next_word, tz) \
        or _pronoun_verb(token, next_word, tz)
    if at is not None:
        return at
    if tz >= KNOWN and not _function_pair(token) and not _lower_head_camel(token):
        return None
    best, best_score = None, 0.0
    small: set[int] = set()  # boundaries with a reading after a function word
    for i in range(1, len(token)):
        left, right = token[:i], token[i:]
        a, b = token[i - 1], token[i]
        if a.islower() and b.islower():
            score = _lower_boundary(token, left, right, names, next_word, tz)
            if in_name and right in FOLLOWERS and token[0].isupper() \
                    and _ends_a_name(left, right, names, token, tz):
                if zipf(left.lower()) >= COMMON:
                    return None  # a name ('Roberton Williams'): no other split ('Service sand')
                score = 0.0  # not a name's head ('Telecomspokesm|an'): other boundaries may do
        elif a.islower() and b.isupper():
            score = _camel_boundary(token, left, right, names, tz)
        elif a.isupper() and b.isupper() and token[i + 1:i + 2].islower():
            score = _acronym_boundary(left, right, names, next_word, tz, capital=True)
        elif a.isupper() and b.islower() and left.isupper() and len(left) >= 2:
            score = _acronym_boundary(left, right, names, next_word, tz, capital=False)
        else:
            score = 0.0
        if score > 0:
            # Between two readings one letter apart ('Ace has' / 'Aceh as', 'Service sand' /
            # 'Services and'), the one whose head is a name the article uses on its own, or
            # whose tail is a small word that glue usually is, wins.
            if left[:1].isupper() and names.standalone(left, token):
                score += 0.5
            if right.lower() in FOLLOWERS:
                score += 0.25
        if score > 0 and token[:i].lower() in SMALL:
            small.add(i)
        if score > best_score:
            best, best_score = i, score
    if best is not None and best in small and (best - 1 in small or best + 1 in small) \
            and token[best:].lower() not in SMALL:
        return None  # two function-word readings a letter apart: 'a review' or 'are view'?
    return best


def _lower_head_camel(token: str) -> bool:
    """A lower-case head meets a capital ('aNew', 'theHouse'): judged by the CamelCase rules,
    never as the lower-case word it folds to ('anew' is a word, but not spelled so)."""
    return token[0].islower() and not token.islower()


def _function_pair(token: str) -> bool:
    low = token.lower()
    return any(low[:i] in SMALL and low[i:] in DETERMINERS for i in range(1, len(low)))


def _small_pair(token: str, at: int) -> bool:
    low = token.lower()
    return token[1:].islower() and low[:at] in SMALL and low[at:] in SMALL


SILENT_H = ("hour", "honest", "honor", "honour", "heir")


def _article_fits(article: str, word: str) -> bool:
    """'a' before a consonant, 'an' before a vowel (by spelling: good enough for a veto)."""
    vowel = word[:1].lower() in "aeiou" or word.lower().startswith(SILENT_H)
    return vowel if article == "an" else not vowel if article == "a" else True


def _follower_fits(right: str, next_word: str | None) -> bool:
    """Would ``right`` (a function word) read naturally before ``next_word``?"""
    if not next_word:
        return False
    if next_word in "$£€":  # 'watchand $9,587', 'Churchat $1 million'
        return right in PREPOSITIONS or right in CONJUNCTIONS or right in VERBS
    if right in ("her", "him", "them", "it") and next_word in ".,;:!?)\"”":
        return True  # an object ends a clause: 'ripped off from her.'
    if not next_word[0].isalnum():
        # A function word before punctuation reads wrong ('Rocket to,', 'Mal or.'), except
        # a verb of saying ('Ryan said.', 'said "...') or a verb before a quote ('was “betting').
        if right in ("said", "says"):
            return True
        return (right in VERBS or right == "that") and next_word in "\"“'‘"
    nxt = next_word.lower()
    if next_word[0].isdigit():
        return right in PREPOSITIONS or right in DETERMINERS or right in VERBS
    if right in ("a", "an"):  # an acronym is read by its letters: 'an NFL award', 'a NATO'
        return (_article_fits(right, nxt) or next_word.isupper()) and nxt not in SMALL
    if right in ROMANCE:
        return next_word[0].isupper()
    if right in VERBS:  # 'as' also before a title or a name: 'confirmed as Surgeon General'
        return nxt not in CONJUNCTIONS and (next_word[0].islower()
                                            or right in ("said", "says", "as"))
    if right in CONJUNCTIONS:
        return nxt not in CONJUNCTIONS
    if right == "to" and (nxt.endswith("ed") or nxt in PAST_TENSE):
        return False  # 'Rian to told'
    if right in PREPOSITIONS and nxt in ("which", "whom"):
        return True  # 'on Tuesday in which'
    if right in PREPOSITIONS and next_word in CALENDAR:
        return True  # 'saying on May 2' ('may' is a verb too)
    if right in PREPOSITIONS or right in DETERMINERS:
        return nxt in DETERMINERS or nxt == "that" or nxt not in FOLLOWERS | LEADERS
    return nxt not in CONJUNCTIONS and nxt not in PREPOSITIONS


def _english_reading(token: str) -> bool:
    """Some split of the token gives two common English words ('confirmed' + 'as')."""
    low = token.lower()
    return any(zipf(low[:i]) >= CONTENT and zipf(low[i:]) >= CONTENT and len(low[i:]) >= 2
               for i in range(2, len(low) - 1) if low[i:] not in ROMANCE)


def _lower_boundary(token: str, left: str, right: str, names: Names, next_word, tz: float) -> float:
    ll = left.lower()
    if ll in SMALL and (right in DETERMINERS or right in SMALL) and tz < FUNCTION_PAIR_MAX:
        # 'ofthe', 'atthe', 'witha', 'Andso': wordfreq has seen such glue; never words.
        if right in ("a", "an") and not token.islower():
            return 0.0  # 'Ina', 'Isa', 'Ona' are names
        if len(token) <= 4 and right not in DETERMINERS and not (token.islower() and tz < KNOWN):
            return 0.0  # 'Isis', 'Anas'; not 'iton', 'isat'
        if not _agrees(ll, right):
            return 0.0  # 'Weis' (a name), never 'We is'
        return 8.0 if _follower_fits(right, next_word) else 0.0
    if right in ADVERB_PARTICLES and token.islower() and tz == 0 and next_word and (
            ll.endswith(("ed", "ing")) or ll in IRREGULAR_PAST) and zipf(ll) >= CONTENT:
        return min(zipf(ll), zipf(right)) + 2.0  # 'cameout of', 'steppedup in', 'shookoff'
    if right in CLEAR_FOLLOWERS and left[0].isupper() and left[1:].islower() and len(left) >= 4 \
            and tz == 0:
        # 'Chopardthat', 'Streetwhere': whatever the head, no name ends so
        return max(evidence(left, names), CONTENT) + 2.0 if _follower_fits(right, next_word) else 0.0
    if right in FOLLOWERS or right in ROMANCE:
        short_ok = len(left) == 2 and token.islower() and tz == 0 and zipf(ll) >= 5.5  # 'upwith'
        # a name the article uses, then a particle before a preposition: 'Rahmanback on his heels'
        particle = right in ADVERB_PARTICLES and right != "on" and left[0].isupper() \
            and names.standalone(left, token) and (next_word or "").lower() in PREPOSITIONS
        if (len(left) < 3 and not short_ok) or not (particle or _follower_fits(right, next_word)):
            return 0.0
        if left[0].isupper() and left not in CALENDAR and not names.standalone(left, token):
            if right in ("is", "as") and not (tz == 0 and zipf(ll) >= 3.5
                                              and names.corpus_capitalised(left)):
                return 0.0  # 'Hillis', 'Ramsis': names end in -is and -as
            if right in ("on", "in") and zipf(ll) < CONTENT and len(left) < 5:
                return 0.0  # 'Thes|on' for 'The son': names end in -on and -in
            if right == "or" and next_word[0].isupper():
                return 0.0  # 'Pan or Senior' ('Panor[ama] Senior')
            if next_word[0].isupper() and right in PREPOSITIONS and next_word not in CALENDAR \
                    and _ends_a_name(left, right, names, token, tz):
                return 0.0  # 'said Roberton Williams', 'chief Rahimin Kacong'
        if right in ROMANCE:
            if _english_reading(token):
                return 0.0  # 'confirmedas' is English glue, never 'confirme das'
            lz = max(zipf(ll, lang) for lang in ROMANCE_LANGS)
        else:
            lz = evidence(left, names)
        if lz < COMMON or min(lz, zipf(right)) - tz < MARGIN + 0.5:
            return 0.0  # wordfreq knows the token about as well as its head: a word
        return min(lz, zipf(right)) + 2.0
    if ll == "a" and zipf(token[:2] + token[1:]) >= CONTENT:
        return 0.0  # 'arested', 'aproved', 'acused': a misspelt word, not 'a rested'
    if ll in SMALL and right not in NAME_ENDINGS and len(right) >= 4 and _article_fits(ll, right):
        # 'todirect', 'aspike', 'islucky'; wordfreq has seen some ('thenext'), so a known
        # token splits only after a determiner and before a very common word (not 'Atwater').
        rz = zipf(right)
        if tz == 0 and (rz >= CONTENT or (rz >= COMMON and len(right) >= LONG
                                          and token.islower() and ll not in ("in", "a"))):
            # 'withworkmanlike', 'anarsonist': a rarer tail if long; never a prefix ('in', 'a')
            return min(zipf(ll), rz) + 2.0
        if tz <= 2.0 and ll in DETERMINERS | {"all", "both", "another"} and rz >= 4.5:
            return min(zipf(ll), rz) + 2.0
        if tz <= 2.0 and rz >= 5.5 and token.islower():  # 'totake', 'toknow': glue wordfreq met
            return min(zipf(ll), rz) + 1.0
        return 0.0
    if ll in SMALL and len(right) == 3 and token.islower() and right not in NAME_ENDINGS \
            and tz <= 2.0 and zipf(right) >= SHORT_COMPOUND and _article_fits(ll, right):
        return min(zipf(ll), zipf(right)) + 1.0  # 'theday', 'herway'; not 'aman' (Aman)
    if right in ("a", "an") and token.islower() and tz <= 2.0 and zipf(ll) >= 5.0 \
            and _follower_fits(right, next_word):
        return min(zipf(ll), 5.0) + 2.0  # 'founda', 'sucha': glue wordfreq has met
    if 0 < tz <= RARE_GLUE and token.islower() and len(left) >= 2 and len(right) >= 3 \
            and right not in NAME_ENDINGS and right not in SUFFIX_WORDS \
            and min(zipf(ll), zipf(right)) >= 5.5:
        # very common words wordfreq has met glued only rarely: 'nextweek', 'goback'
        return min(zipf(ll), zipf(right)) + 1.0
    if tz > 0:
        return 0.0  # wordfreq knows this compound: a word ('overstep', 'monthlong', 'Waitrose')
    if right in ("a", "an") and token.islower():  # 'issueda statement'
        lz = zipf(ll)
        return min(lz, 5.0) + 2.0 if lz >= CONTENT and _follower_fits(right, next_word) else 0.0
    if left[0].isupper() and len(left) >= 4 and ll not in SMALL and names.standalone(left, token) \
            and _short_after_name(right, next_word):
        return min(evidence(left, names), zipf(right)) + 2.0
    if right == "it" and token.islower() and tz == 0 and len(left) >= 4 and zipf(ll) >= 4.0 \
            and ll not in WORD_PREFIXES:
        return min(zipf(ll), 5.0) + 1.0  # 'takenit', 'supportsit'
    if right in NAME_ENDINGS or right[:-1] in NAME_ENDINGS or len(right) < 3 or ll in WORD_PREFIXES:
        return 0.0
    if left[0].isupper() and ll in SMALL:
        return 0.0  # 'An|dyes' for 'Andyes': a function word is judged above, not as a head
    if left[0].isupper():
        return _capitalised_head(token, left, right, names, tz)
    if token.islower() and len(left) >= 3 and len(right) >= 3:
        return _lower_compound(left, right)
    return 0.0


def _short_after_name(right: str, next_word: str | None) -> bool:
    """After a name the article uses alone, a short word that is glue: one that opens a clause
    ('Trumpif the', 'Watergatehe was', 'Saturdayit had') or a very common short word
    ('Bloomingtonman', 'Oscarhit'; a name ending in -man is known to wordfreq or used whole
    elsewhere)."""
    if right in SHORT_AFTER_NAME and next_word and next_word.islower():
        return True
    return right in ("man", "men") or (len(right) == 3 and zipf(right) >= SHORT_COMPOUND)


def _capitalised_head(token: str, left: str, right: str, names: Names, tz: float) -> float:
    """A capitalised head before a lower-case word: 'Lavrovsaid' (a name used alone elsewhere),
    'Octoberinterview', 'Policebomb' (police mentioned elsewhere); never 'Oddfather' or
    'Lawncrest': the article, its headline or the corpus must vouch for the head. Names and
    brands seldom end in a verb's past tense (where they often end in a plural: 'Freshworks'),
    so before one the head needs no voucher ('Gibsonretired', 'Opponentsconsidered')."""
    lz, rz = evidence(left, names), zipf(right)
    if len(right) < 4 or rz < CONTENT or right in SLOGAN_SUFFIXES:
        return 0.0
    if right[1:] in FOLLOWERS and not names.standalone(left, token):
        return 0.0  # 'Met sand', 'Tower sand': read 'Mets and', 'Towers and'
    if tz == 0 and len(left) >= 3 and lz >= COMMON and _past_tense(right) \
            and _longest_head(token, left):
        return min(max(lz, CONTENT), rz) + 1.0
    if lz >= CONTENT and (left in CALENDAR or names.standalone(left, token)
                          or names.used(left)):
        return min(lz, rz) + 2.0
    if names.corpus_name(left):  # a name the corpus uses: 'Washingtonstate', 'Labolttweeted'
        return min(max(lz, 4.0), rz) + 2.0
    if len(left) >= 4 and tz == 0 and names.corpus_capitalised(left):
        # a common head the corpus has only met capitalised, however seldom: 'Marylanddistrict'
        return min(lz, rz) + 1.0
    return 0.0


def _longest_head(token: str, left: str) -> bool:
    """The head is the word the token starts with, not one letter off it: 'Palmer|ites', not
    'Palme rites'; 'House|dangled', not 'Housed angled'."""
    low, n = token.lower(), len(left)
    return zipf(low[:n + 1]) <= zipf(low[:n]) and not (
        zipf(low[:n - 1]) > zipf(low[:n]) + 1.0 and zipf(low[n - 1:]) > 0)


def _past_tense(word: str) -> bool:
    """A verb's past tense by its spelling: 'retired', 'argued', 'chipped', 'went'; not a name's
    ending that merely spells -ed ('fred', 'fried': no verb 'fr' or 'frie')."""
    if word in PAST_FORMS:
        return True
    if len(word) < 5 or not word.endswith("ed"):
        return False
    stem = word[:-2]
    return (zipf(word[:-1]) >= CONTENT or zipf(stem) >= CONTENT
            or (stem[-1] == stem[-2] and zipf(stem[:-1]) >= CONTENT)
            or (stem.endswith("i") and zipf(stem[:-1] + "y") >= CONTENT))  # 'tried', 'carried'


def _lower_compound(left: str, right: str) -> float:
    """Two common lower-case words that wordfreq never saw together: 'currentlocation',
    'mustwin'; a three-letter half must be very common ('favourtie', 'runbacks' stay)."""
    lz, rz = zipf(left), zipf(right)
    if right in SUFFIX_WORDS:
        return 0.0  # 'wormable', 'clueless': a word wordfreq has not met, not glue
    if right in OBJECTS and len(left) >= 4 and lz >= COMPOUND:
        return min(lz, rz) + 1.0  # 'hittingher', 'seesits', 'explainedhow'
    if _past_tense(right) and len(left) >= 3 and lz >= 4.0 and left not in WORD_PREFIXES \
            and _longest_head(left + right, left):
        return min(lz, rz) + 1.0  # a subject and its verb: 'menemptied', 'vanbelonged'
    if min(lz, rz) >= COMPOUND and min(len(left), len(right)) >= 4 or min(lz, rz) >= SHORT_COMPOUND:
        return min(lz, rz) + 1.0
    if min(len(left), len(right)) >= LONG and min(lz, rz) >= LONG_COMPOUND:
        return min(lz, rz) + 1.0  # two long words: 'prejudicialmaterial', 'socialdrinker'
    return 0.0


def _camel_boundary(token: str, left: str, right: str, names: Names, tz: float) -> float:
    if left in NAME_PREFIXES or len(right) < 2 or (len(left) < 2 and left != "a"):
        return 0.0
    if left[0].isupper() and left[1:].isupper():
        return 0.0
    if any(ch.isupper() for ch in right[1:]) and not right.isupper() and not (
            right[:-1].isupper() and right[-1] == "s") and not (
            left in SMALL or left in PAST_TENSE or (left.islower() and left.endswith("ed"))):
        # 'WikiLeaksDuring': judge the last boundary on its own; 'DVDs' is fine; after a
        # function word or a verb a CamelCase name is glue: 'ofDevOps', 'saidLuAnn'
        return 0.0
    rz = evidence(right, names) if not right.isupper() else max(
        zipf(right.lower()), 4.0 if names.standalone(right, token) else 0.0)
    if left.islower():  # 'theHouse', 'onMr', 'metBlinken', 'theGOP', 'aVietnam'
        lz = zipf(left)
        rare_ok = len(left) >= 6 and lz >= 2.0 and not right.isupper()  # 'escapeeArcade'
        if left in PARTICLES or (lz < CONTENT and not rare_ok) or lz - tz < MARGIN:
            return 0.0  # 'deGrom', 'vanGogh'
        if right.isupper() and len(right) >= 3 and left in SMALL:
            return CONTENT + 1.0  # a function word before an acronym: 'theIRTC', 'ofNATO'
        if right.isupper() or len(right) < 3:  # an acronym needs evidence: 'watchOS' stays
            return min(lz, rz) + 2.0 if rz >= COMMON and len(right) >= 2 else 0.0
        return min(lz, max(rz, CONTENT)) + 1.5  # any capitalised word after a common one
    if right.isupper():
        return 0.0  # 'OpenAI', 'ChatGPT'
    lz = evidence(left, names) if left[1:].islower() else zipf(left.lower())
    if lz < COMMON or rz < COMMON or min(lz, rz) - tz < MARGIN:
        return 0.0
    # Two capitalised halves: a brand ('CloudPassage', 'ForAmerica') unless the head is a title
    # ('SenatorBernie') or one half is a name the article uses at that edge of a name: the head
    # ending one ('Paul Whelan said'), the tail starting one. A name's inner word does not
    # vouch for a brand ('United Nations Mine Action' for 'MineTech', 'Advanced Micro Devices'
    # for 'SuperMicro').
    if left in TITLES:
        return min(lz, rz) + 2.0
    if left.lower() in SMALL:
        return 0.0
    if names.ends_name(left) or names.starts_name(right):
        return min(lz, rz) + 2.0
    return 0.0


def _acronym_boundary(left: str, right: str, names: Names, next_word, tz: float, *,
                      capital: bool) -> float:
    """'FBIsaid' (acronym + word), 'CBSNews' (acronym + Word)."""
    if len(left) < 2 or not left.isupper():
        return 0.0
    az = max(zipf(left.lower()), 4.0 if names.standalone(left, left + right) else 0.0)
    if az < COMMON:
        return 0.0
    if right.lower() in FOLLOWERS and not capital:
        ok = _follower_fits(right, next_word) and az - tz >= MARGIN
        return min(az, zipf(right)) + 2.0 if ok else 0.0
    if len(right) < 3 or right.lower() in NAME_ENDINGS:
        return 0.0
    rz = evidence(right, names) if capital else zipf(right)
    return min(az, rz) + 2.0 if rz >= CONTENT and min(az, rz) - tz >= MARGIN else 0.0


def _plain_glue(left: str, right: str, names: Names, token: str) -> bool:
    """Glue that is plain even where the glued form repeats (the same link glued twice): a
    function word before a capital ('ofAden', 'theUS'), two function words ('thatthe'), or a
    name the article uses alone before a lower-case word ('Vancouverpolice')."""
    if left.islower() and left in SMALL:
        return right[:1].isupper() or right in SMALL
    return (left[:1].isupper() and left[1:].islower() and names.standalone(left, token)
            and right.islower() and (len(right) >= 4 or right in FOLLOWERS))


def _could_be_plain(token: str, names: Names) -> bool:
    """A quick look for :func:`_plain_glue` at any boundary of a repeated token."""
    if token[0].islower():
        return any(token[:i] in SMALL and (token[i].isupper() or token[i:] in SMALL)
                   for i in range(1, min(8, len(token) - 1)))
    if token[1:].islower():
        return any(token[:i] in names.article for i in range(3, len(token) - 1))
    return False


def _article_fits_next(m: re.Match) -> bool:
    """'ata', 'isa', 'ofa': glue wordfreq has met more than the words ('isa' 3.6, 'ina' 3.2),
    before a word that takes 'a'."""
    return zipf(m.group(1) + "a") < 3.7 and _follower_fits("a", m.group(2))


def _clitic_fits(m: re.Match) -> bool:
    """'’ sDivision', '’ sin rehab': before a capital or a common word."""
    return m.group(1)[0].isupper() or zipf(m.group(1).lower()) >= 4.5


# (pattern, check of the match or None): glue found by pattern, split where the match ends
_PATTERNS = ((_DOTTED, None), (_SHORT_A, _article_fits_next), (_CLITIC, _clitic_fits),
             (_ORDINAL, None), (_VERSIONED, None), (_CLOCK, None))


def _pattern_glue(text: str) -> list[Change]:
    return [Change(m.end(), m.end(), " ") for pattern, fits in _PATTERNS
            for m in pattern.finditer(text) if fits is None or fits(m)]


def repair_glue(text: str, ctx: Context) -> list[Change]:
    changes = _pattern_glue(text)
    tokens = list(_TOKEN.finditer(text))
    counts = Counter(m.group() for m in tokens)
    # The headline spells the story's names too ('Maryland' in the title, 'Marylanddistrict'
    # in the body).
    names = Names(f"{ctx.title or ''}\n{text}", ctx.lexicon) if tokens else None
    for m in tokens:
        token = m.group()
        if token[1:].islower() and zipf(token.lower()) >= SURE_WORD:
            continue  # a very common word: no rule below splits it (each needs a rarer token)
        repeated = counts[token] > 1  # a word or a name, unless the glue is plain to see
        if repeated and not _could_be_plain(token, names):
            continue
        nxt = _NEXT.match(text, m.end()).group(1)
        prev = _PREV.search(text, max(0, m.start() - 40), m.start())
        after_name = bool(prev and prev.group(1)[0].isupper() and prev.group(1).lower() not in SMALL)
        if text.startswith("/ ", m.start() - 2) or text.startswith(" /", m.end()):
            continue  # a web address's path, spaced out: '/ travelingexhibitions /'
        opener = _OPENS.search(text[max(0, m.start() - 6):m.start()]) is not None
        at = split_point(token, names, nxt, after_name, opener)
        if at is not None and repeated and not _plain_glue(token[:at], token[at:], names, token):
            continue
        # Asked last: the corpus lexicon may be the store (a query), and few tokens get here.
        # The corpus vocabulary is lower-case: it cannot veto a 'aNew' (see _lower_head_camel).
        # Two function words ('thatthe') are glue however often the corpus has met them.
        if at is not None and (_lower_head_camel(token) or _small_pair(token, at)
                               or token.lower() not in ctx.lexicon):
            changes.append(Change(m.start() + at, m.start() + at, " "))
    return changes


def repair_string(value: str, lexicon: Container[str] = ()) -> str:
    """Glue repair on a short metadata value ('La Vozde Galicia' -> 'La Voz de Galicia')."""
    for change in sorted(repair_glue(value, Context(lexicon=lexicon)), reverse=True):
        value = value[: change.start] + change.replacement + value[change.end:]
    return value
