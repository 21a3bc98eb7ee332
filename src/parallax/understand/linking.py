"""Canonical entities across articles. An article's entity joins a stored one when a name
matches: the same folded name (any alias) and a compatible label, or, for people, the same
surname and a compatible first name ('Sergei Lavrov' / 'Sergey Lavrov' / 'Segéi Lavrov').
A bare surname ('Lavrov') links across articles only when exactly one stored person has it and
the two articles share another entity. Different people who share a surname stay apart
('Joe Biden', 'Hunter Biden')."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from wordfreq import zipf_frequency

from ..records import CanonicalEntity as Canonical
from .names import (INSTITUTIONS, NOISY_LABELS, acronym, initials, key, plain, proper,
                    same_person, tokens)
from .records import Entity

COMPATIBLE = {"ORG": {"ORG", "LAW", "FAC"}, "LAW": {"LAW", "ORG"}, "GPE": {"GPE", "LOC"},
              "LOC": {"LOC", "GPE"}}


def canonical_id(label: str, name: str) -> str:
    return "e" + hashlib.sha256(f"{label}\x1f{key(name)}".encode()).hexdigest()[:11]


def compatible(a: str, b: str) -> bool:
    return a == b or b in COMPATIBLE.get(a, ())


def link(entity: Entity, candidates: list[Canonical], context_ids: set[str],
         cooccurrence=None) -> Canonical | None:
    """The stored entity this one is, or None. ``context_ids``: canonical ids of the other
    entities of the same article (shared context). ``cooccurrence(ids, context_ids)``: in
    how many stored articles each of ``ids`` appears beside the context (from the store)."""
    names = plain(entity.aliases) or [entity.name]
    keys = {key(a) for a in names}
    multi = {k for k in keys if " " in k}
    same_name = []
    for c in candidates:
        ckeys = {key(a) for a in c.aliases}
        if multi & ckeys and (compatible(entity.label, c.label) or
                              {entity.label, c.label} <= NOISY_LABELS):
            same_name.append(c)  # the same full name
        elif compatible(entity.label, c.label) and keys & ckeys and entity.label != "PERSON":
            same_name.append(c)
    if same_name:
        # several stored entities carry the name as an alias: the one it is the name of first
        mine = key(entity.name)
        return min(same_name, key=lambda c: (key(c.name) != mine, key(c.name) not in keys,
                                             len(c.aliases), c.id))
    full = [a for a in names if len(tokens(a)) > 1]
    if entity.label == "PERSON" and full:
        matches = [c for c in candidates if c.label == "PERSON" and any(
            same_person(a, b) for a in full for b in c.aliases if len(tokens(b)) > 1)]
        if len(matches) == 1:
            return matches[0]
    if not full and entity.label in NOISY_LABELS:
        # A bare surname ('Lohan', 'Klistchko'): the one stored person with that surname, if
        # this article shares another entity with the stories about them.
        last = tokens(entity.name)[-1:] or [""]
        people = [c for c in candidates if c.label == "PERSON" and any(
            len(tokens(b)) > 1 and same_person(last[0], b) for b in c.aliases)]
        if len(people) == 1 and context_ids:
            return people[0]
        if len(people) > 1:
            # 'Obama' beside 'White House': the one of the stored Obamas the stored articles
            # put beside this article's other entities, when one clearly leads
            found = clear_leader(people, context_ids, cooccurrence, least=2)
            if found is not None:
                return found
        same = [c for c in candidates if c.label == entity.label and keys & {key(a) for a in c.aliases}]
        if len(same) == 1 and entity.label != "PERSON":
            return same[0]
        if not people:
            found = _one_word_elsewhere(entity, keys, candidates, context_ids, cooccurrence)
            if found is not None:
                return found
    if entity.label != "PERSON":
        fits = _by_acronym(entity, names, candidates)
        if len(fits) == 1:
            return fits[0]
        found = clear_leader(fits, context_ids, cooccurrence, least=2)
        if found is not None:  # 'HP' beside 'EDS': Hewlett-Packard, not the Huffington Post
            return found
    if entity.label in INSTITUTIONS and context_ids:
        # 'Morningside' for the one stored 'Morningside Recovery' the article's context knows;
        # 'Colts' for the one stored 'Indianapolis Colts'
        head = tokens(entity.name)
        n = len(head)
        longer = [c for c in candidates if c.label in INSTITUTIONS and any(
            len(tokens(b)) > n and proper(b) and head in (tokens(b)[:n], tokens(b)[-n:])
            for b in c.aliases)]
        if len(longer) == 1:
            return longer[0]
    return None


def _one_word_elsewhere(entity: Entity, keys: set[str], candidates: list[Canonical],
                        context_ids: set[str], cooccurrence) -> Canonical | None:
    """A one-word name no stored person has as a surname, when the stored articles beside
    this article's other entities settle it: the same word under another of the tagger's
    labels ('Colts' tagged as a person here, as an organisation before), or the first name of
    one stored person ('Lindsay' for Lindsay Lohan, never when another stored Lindsay fits)."""
    if not context_ids:
        return None
    word = tokens(entity.name)[-1:]
    relabelled = [c for c in candidates if c.label != entity.label and c.label in NOISY_LABELS
                  and keys & {key(a) for a in c.aliases}]
    firsts = [c for c in candidates if c.label == "PERSON" and entity.label == "PERSON" and any(
        len(tokens(b)) > 1 and tokens(b)[:1] == word for b in c.aliases)]
    for fits in (relabelled, firsts):
        found = clear_leader(fits, context_ids, cooccurrence)
        if found is not None:
            return found
    return None


def clear_leader(candidates, context_ids, cooccurrence, *, least: int = 1):
    """The candidate that ``least`` or more stored articles put beside ``context_ids``, with at
    least twice the articles of the runner-up; None when none clearly leads."""
    if not candidates or not context_ids or cooccurrence is None:
        return None
    counts = cooccurrence(sorted(c.id for c in candidates), sorted(context_ids))
    ranked = sorted(candidates, key=lambda c: (-counts.get(c.id, 0), c.id))
    best = counts.get(ranked[0].id, 0)
    runner_up = counts.get(ranked[1].id, 0) if len(ranked) > 1 else 0
    return ranked[0] if best >= least and best >= 2 * runner_up else None


def _by_acronym(entity: Entity, names: list[str], candidates: list[Canonical]) -> list[Canonical]:
    """'HP' for a stored 'Hewlett-Packard' (and the other way round): the stored entities
    whose name of several words has the acronym as its initials."""
    def spelled(aliases) -> tuple[set[str], set[str]]:
        return ({a for a in map(acronym, aliases) if a}, {i for i in map(initials, aliases) if i})

    my_acronyms, my_initials = spelled(names)
    if not my_acronyms and not my_initials:
        return []
    fits = []
    for c in candidates:
        if c.label == "PERSON" or not (compatible(entity.label, c.label)
                                       or {entity.label, c.label} <= NOISY_LABELS):
            continue
        their_acronyms, their_initials = spelled(c.aliases)
        if my_acronyms & their_initials or their_acronyms & my_initials:
            fits.append(c)
    return fits


def lookup_keys(names, label: str | None = None) -> tuple[tuple[str, str], ...]:
    """(folded name, last word) pairs a stored entity is found again by; a name of several
    words of an organisation or place is also found by its initials ('hp')."""
    rows = {(key(a), (tokens(a) or [""])[-1]) for a in names}
    if label != "PERSON":
        rows |= {(i, "") for i in map(initials, names) if i}
    return tuple(sorted(rows))


def merged(c: Canonical, aliases, counts: dict[str, int] | None = None) -> Canonical:
    """``c`` with ``aliases`` added after its own (and the lookup keys they give); each alias
    counts once more (``counts``: how many times each, for another canonical's aliases)."""
    joined = tuple(dict.fromkeys(tuple(c.aliases) + tuple(aliases)))
    tally = dict(c.counts)
    for a in aliases:
        tally[a] = tally.get(a, 0) + (counts.get(a, 1) if counts is not None else 1)
    return replace(c, aliases=joined, lookup=lookup_keys(joined, c.label), counts=tuple(tally.items()),
                   name=best_name(joined, tally))


def well_formed(name: str, others=()) -> bool:
    """A name as a writer spells it: capitalised, no quotation marks or stray symbols
    ('the"American' is not), and no word that is a misspelling of a word another of the
    entity's names uses ('Segéi' beside 'Sergei': an unknown word one or two letters from a
    known one)."""
    if re.search(r"[\"“”‘’`_<>|]", name) or not name[:1].isupper():
        return False
    known = {t for o in others for t in tokens(o) if t.isalpha() and zipf_frequency(t, "en") > 0}
    return not any(_misspelt(t, known) for t in tokens(name))


def _misspelt(word: str, known: set[str]) -> bool:
    if len(word) < 4 or word in known or zipf_frequency(word, "en") > 0:
        return False
    return any(k[0] == word[0] and abs(len(k) - len(word)) <= 2 and _distance(k, word) <= 2 for k in known)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def best_name(aliases, counts: dict[str, int] | None = None) -> str:
    """The name to show: the most used well-formed full name across the articles, a full
    name whose last word is also used alone (a surname) first; else the longest name without
    a parenthesis."""
    names = plain(aliases) or list(aliases)
    counts = counts or {}
    singles = {tokens(a)[0] for a in names if len(tokens(a)) == 1}
    return max(names, key=lambda a: (well_formed(a, names), len(tokens(a)) > 1 and tokens(a)[-1] in singles,
                                     min(len(tokens(a)), 3), counts.get(a, 0), -names.index(a)))


def new_canonical(entity: Entity) -> Canonical:
    name = best_name(entity.aliases)
    return Canonical(canonical_id(entity.label, name), name, entity.label, tuple(entity.aliases),
                     lookup_keys(entity.aliases, entity.label), tuple((a, 1) for a in entity.aliases))


def link_article(store, article_id: str, entities: list[Entity]) -> dict[str, Canonical]:
    """Link an article's entities to the store's canonical ones (creating new ones) and save
    the links. People with full names first, so a bare surname can lean on them. Each full
    name then takes in the short forms stored before it that this article's context settles
    (see :func:`absorbable`)."""
    order = sorted(entities, key=lambda e: (e.label != "PERSON", -len(tokens(e.name))))
    links: dict[str, Canonical] = {}
    linked: list[tuple[str, list[Canonical]]] = []
    keys = [lookup_keys(plain(e.aliases) or [e.name], e.label) for e in order]
    # the store does not change before the links are saved: one round trip for every name
    found_for = store.entity_candidates_many([([k for k, _ in lk], [t for _, t in lk if t])
                                              for lk in keys])
    for e, candidates in zip(order, found_for):
        found = link(e, candidates, {c.id for c in links.values()}, store.entity_cooccurrence)
        links[e.key] = merged(found, e.aliases) if found else new_canonical(e)
        linked.append((e.key, candidates))
    store.save_entity_links(article_id, list(links.items()))
    # A full name (new here or already stored) takes in the short forms stored before it when
    # this article gives them the context they lacked.
    for local_key, candidates in linked:
        new = links[local_key]
        context = sorted(c.id for k, c in links.items() if k != local_key)
        for old in absorbable(new, candidates, context, store.entity_cooccurrence):
            links[local_key] = new = merged(new, old.aliases, dict(old.counts) or None)
            store.merge_entities(old.id, new)
    return links


def absorbable(new: Canonical, candidates: list[Canonical], context_ids: list[str],
               cooccurrence) -> list[Canonical]:
    """The stored short forms a new full name would have taken in had it come first: links
    follow the order articles arrive in, and 'Obama' or 'HP' read before any 'Barack Obama' or
    'Hewlett-Packard' became entities of their own (one per label the tagger gave them).
    Taken in only when no other stored full name fits them, and (for a surname) when the
    articles that use it share an entity with this one."""
    others = [c for c in candidates if c.id != new.id]
    twins = _twins(new, others, context_ids, cooccurrence)
    if new.label == "PERSON":
        full = [a for a in new.aliases if len(tokens(a)) > 1 and proper(a)]
    else:
        full = [a for a in new.aliases if initials(a)]  # 'Hewlett-Packard' is one token
    if not full:
        return twins
    if new.label == "PERSON":
        out = []
        # the surname ('Obama', whatever the tagger called it), then the first name of a
        # person ('Lindsay'; a place called Jordan is not Jordan Spieth)
        for at, labels in ((-1, NOISY_LABELS), (0, {"PERSON"})):
            word = tokens(full[0])[at]
            bare = [c for c in others if c.label in labels and all(
                tokens(a) == (word,) for a in plain(c.aliases))]
            rivals = [c for c in others if c.label == "PERSON" and any(
                len(tokens(a)) > 1 and tokens(a)[at] == word for a in c.aliases)]
            if not rivals:
                out += [c for c in _beside(bare, context_ids, cooccurrence) if c not in out]
        return out
    mine = {i for i in map(initials, full) if i}
    short = [c for c in others if c.label != "PERSON" and (
        compatible(new.label, c.label) or {new.label, c.label} <= NOISY_LABELS) and all(
        acronym(a) in mine for a in c.aliases)]
    rivals = [c for c in others if c not in short and any(initials(a) in mine for a in c.aliases)]
    return [] if rivals else short


# Labels the tagger swaps for one name ('Evansville' as a team and as a product, 'Colts' as a
# person): one word under two of them is one entity when the stored articles agree. Places
# and nationalities stay apart (the city of Evansville is not its team).
SWAPPED = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "PERSON"})


def _twins(new: Canonical, others: list[Canonical], context_ids: list[str],
           cooccurrence) -> list[Canonical]:
    """Stored entities that are ``new``'s one-word name under another of the tagger's labels
    and that stored articles put beside this article's other entities."""
    mine = {tokens(a) for a in plain(new.aliases)}
    if new.label not in SWAPPED or len(mine) != 1 or len(next(iter(mine))) != 1 or not context_ids:
        return []
    twins = [c for c in others if c.label in SWAPPED and c.label != new.label
             and {tokens(a) for a in plain(c.aliases)} == mine]
    return _beside(twins, context_ids, cooccurrence)


def _beside(candidates: list[Canonical], context_ids: list[str], cooccurrence) -> list[Canonical]:
    """The candidates some stored article puts beside one of ``context_ids`` (in order)."""
    if not candidates or not context_ids:
        return []
    counts = cooccurrence(sorted(c.id for c in candidates), context_ids)
    return [c for c in candidates if counts.get(c.id, 0)]
