"""Names the store already knows, found again where the tagger missed them.

The small English tagger misses many plain repeats of a name it tags elsewhere: 'The Colts,
trailing 14-0, ...' gets no entity in an article where 'Colts' is never tagged, although a
dozen stored articles name the 'Indianapolis Colts' and call them 'Colts'. In-article
propagation (``entities._propagate``) cannot help when the article never tags the name at all.

This pass reads the article's capitalised runs that no entity covers and looks them up among
the names of stored canonical entities. A run becomes a mention of a new local entity (label
from the stored one, its mentions kept in ``Entity.known``) only when:

* it is written as a name: not a common word capitalised because it opens a sentence
  ('Police said', 'Prosecutors showed'), nor a very common word anywhere ('People'); a run that
  is no stored name as a whole may end with one ('PM Chargers');
* exactly one stored entity carries that name, or has it as its surname ('Manning'), or one
  clearly leads by the articles that put it beside this article's other entities;
* that entity appears in stored articles beside an entity this article names too (shared
  context): a name alone is not enough.

It is pure: the store is reached through two callables, so it can be tested without one."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace

from wordfreq import zipf_frequency

from .entities import Taken
from .linking import clear_leader
from .names import NOISY_LABELS, key, plain, tokens
from .records import Entity, Sentence, sentence_index

# A run of capitalised words, with the small words names carry inside ('Bank of America').
_RUN = re.compile(r"(?<![\w'’.-])[A-Z][\w'’&-]*(?:\.(?=\w))?(?:\s(?:of\s|the\s|de\s|and\s)?"
                  r"[A-Z][\w'’&-]*)*")
COMMON_AT_START = 3.0  # a sentence-initial one-word run this common (zipf) is a word
COMMON_ANYWHERE = 5.0  # a one-word run this common is a word wherever it stands
MAX_RUN_WORDS = 4  # a longer run is a headline or a list, not one name
MAX_SUFFIX_WORDS = 3  # ... but its last words may be one ('... The Indianapolis Colts')
_JOINERS = frozenset("of the de and".split())  # a suffix never starts after these

# name keys -> stored entities with that name (for one word, also the people it is the surname of)
Lookup = Callable[[list[str]], dict[str, list]]
Cooccurrence = Callable[[list[str], list[str]], dict[str, int]]


def lookup_in(entity_candidates: Callable[[list[str], list[str]], list]) -> Lookup:
    """A :data:`Lookup` over ``Store.entity_candidates`` (folded names, last words): each key
    to the stored entities that carry it as a name, or, for a person, as the surname
    ('Manning' for Peyton Manning)."""
    def lookup(keys: list[str]) -> dict[str, list]:
        wanted = set(keys)
        words = sorted(k for k in wanted if k and " " not in k)
        out: dict[str, list] = {}
        for c in entity_candidates(sorted(wanted), words):
            names = {key(a) for a in c.aliases}
            if c.label == "PERSON":
                names |= {k.rsplit(" ", 1)[-1] for k in names if " " in k}
            for k in sorted(names & wanted):
                out.setdefault(k, []).append(c)
        return out
    return lookup


def candidate_runs(text: str, starts: Sequence[int],
                   taken: Sequence[tuple[int, int]]) -> list[list[tuple[str, int, int]]]:
    """For each capitalised run no entity mention overlaps: the names it may be, as (text,
    start, end), the whole run first, then its last words ('PM Chargers' -> 'Chargers', a
    headline run into the text ending '... Playoffs The Indianapolis Colts' -> 'Indianapolis
    Colts'). A leading 'The' and a possessive are dropped; a common word alone is not a name
    when it opens a sentence ('Police said') or is very common anywhere ('People'); an
    acronym ('HP', 'TMZ') is judged as a name. ``starts``: the sentences' starts, in order."""
    spans = Taken(taken)
    out = []
    for m in _RUN.finditer(text):
        s0 = m.start()
        run = m.group(0)
        after_the = run.startswith("The ")
        if after_the:  # 'The Colts': the name's capital is its own, not the sentence's
            run, s0 = run[4:], s0 + 4
        run = re.sub(r"['’]s?$", "", run)
        s1 = s0 + len(run)
        if len(run) < 2:
            continue
        if spans.overlaps(s0, s1):
            continue
        words = list(re.finditer(r"\S+", run))
        options = []
        for k in range(len(words)):
            piece = run[words[k].start():]
            n = len(words) - k
            if n > MAX_RUN_WORDS or words[k].group(0) in ("The", "A", "An"):
                continue
            if k and (n > MAX_SUFFIX_WORDS or words[k - 1].group(0) in _JOINERS):
                continue  # 'Bank of America' is not 'America'
            if n == 1 and not _name_like(piece, opens=not after_the and not k
                                         and _opens_sentence(text, m.start(), starts)):
                continue
            if piece[:1].islower():
                continue
            options.append((piece, s0 + words[k].start(), s1))
        if options:
            out.append(options)
    return out


def _name_like(word: str, *, opens: bool) -> bool:
    if len(word) >= 2 and word.isupper() and word.isalpha():
        return word not in ("AM", "PM")  # an acronym: 'HP', 'TMZ' (not a clock's 'PM')
    return zipf_frequency(word.lower(), "en") < (COMMON_AT_START if opens else COMMON_ANYWHERE)


def _opens_sentence(text: str, at: int, starts: Sequence[int]) -> bool:
    i = bisect_right(starts, at)
    if i and text[starts[i - 1]:at].strip(" \t\"“‘'(") == "":
        return True
    before = text[max(0, at - 3):at]
    return not before.strip() and (at < 3 or "\n" in before)


def known_entities(text: str, sentences: Sequence[Sentence], entities: Sequence[Entity],
                   lookup: Lookup, cooccurrence: Cooccurrence) -> list[Entity]:
    """New local entities for stored names the tagger missed (see the module docstring)."""
    starts = [s.start for s in sentences]
    taken = [(s, e) for ent in entities for _i, s, e in ent.mentions]
    groups = candidate_runs(text, starts, taken)
    if not groups:
        return []
    mine = sorted({key(a) for ent in entities for a in plain(ent.aliases)} - {""})
    wanted = sorted({key(r) for options in groups for r, _s, _e in options} - {""})
    stored = lookup(wanted + mine)
    context = sorted({c.id for k in mine for c in stored.get(k, [])})
    if not context:
        return []
    chosen = {}
    for k in wanted:
        found = [c for c in stored.get(k, []) if c.label in NOISY_LABELS and tokens(c.name)]
        leader = clear_leader(found, context, cooccurrence)
        if leader is not None:
            chosen[k] = leader
    by_key: dict[str, list[tuple[str, int, int]]] = {}
    for options in groups:  # the longest name a run can be
        run, s0, s1 = next(((r, a, b) for r, a, b in options if key(r) in chosen), ("", 0, 0))
        if run:
            by_key.setdefault(key(run), []).append((run, s0, s1))
    out = []
    for k, found in sorted(by_key.items()):
        c = chosen[k]
        mentions = tuple((sentence_index(starts, s0), s0, s1) for _r, s0, s1 in found)
        aliases = tuple(dict.fromkeys(r for r, _s, _e in found))
        out.append(Entity(key=k, name=max(aliases, key=len), label=c.label, aliases=aliases,
                          mentions=mentions, known=mentions))
    return out


def with_known(entities: Sequence[Entity], found: Sequence[Entity]) -> list[Entity]:
    """The article's entities with the found ones added: a found name the article already
    has as an alias (a repeat the in-article pass left alone) adds its mentions there."""
    out = list(entities)
    for new in found:
        at = next((i for i, e in enumerate(out) if e.found_by == "tagger"
                   and new.key in {key(a) for a in e.aliases}), None)
        if at is None:
            out.append(new)
        else:
            old = out[at]
            added = set(new.mentions) - set(old.mentions)
            out[at] = replace(old, mentions=tuple(sorted(set(old.mentions) | added)),
                              known=tuple(sorted(set(old.known) | added)))
    return out


def without_known(entities: Sequence[Entity]) -> list[Entity]:
    """The entities as the tagger found them: what the known-name pass added taken out."""
    out = []
    for e in entities:
        if e.found_by == "known_name":
            continue
        if e.known:
            gone = set(e.known)
            e = replace(e, mentions=tuple(m for m in e.mentions if m not in gone), known=())
        out.append(e)
    return out
