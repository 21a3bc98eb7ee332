"""Canonical entities across articles. An article's entity joins a stored one when a name
matches: the same folded name (any alias) and a compatible label, or, for people, the same
surname and a compatible first name ('Sergei Lavrov' / 'Sergey Lavrov' / 'Segéi Lavrov').
A bare surname ('Lavrov') links across articles only when exactly one stored person has it and
the two articles share another entity. Different people who share a surname stay apart
('Joe Biden', 'Hunter Biden')."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ..records import CanonicalEntity as Canonical
from .names import INSTITUTIONS, NOISY_LABELS, key, same_person, tokens
from .records import Entity

COMPATIBLE = {"ORG": {"ORG", "LAW", "FAC"}, "LAW": {"LAW", "ORG"}, "GPE": {"GPE", "LOC"},
              "LOC": {"LOC", "GPE"}}


def canonical_id(label: str, name: str) -> str:
    return "e" + hashlib.sha256(f"{label}\x1f{key(name)}".encode()).hexdigest()[:11]


def compatible(a: str, b: str) -> bool:
    return a == b or b in COMPATIBLE.get(a, ())




def link(entity: Entity, candidates: list[Canonical], context_ids: set[str]) -> Canonical | None:
    """The stored entity this one is, or None. ``context_ids``: canonical ids of the other
    entities of the same article (shared context)."""
    names = [a for a in entity.aliases if "(" not in a] or [entity.name]
    keys = {key(a) for a in names}
    multi = {k for k in keys if " " in k}
    for c in candidates:
        ckeys = {key(a) for a in c.aliases}
        if multi & ckeys and (compatible(entity.label, c.label) or
                              {entity.label, c.label} <= NOISY_LABELS):
            return c  # the same full name
        if compatible(entity.label, c.label) and keys & ckeys and entity.label != "PERSON":
            return c
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
        same = [c for c in candidates if c.label == entity.label and keys & {key(a) for a in c.aliases}]
        if len(same) == 1 and entity.label != "PERSON":
            return same[0]
    if entity.label in INSTITUTIONS and context_ids:
        # 'Morningside' for the one stored 'Morningside Recovery' the article's context knows
        head = tokens(entity.name)
        longer = [c for c in candidates if c.label in INSTITUTIONS and any(
            len(tokens(b)) > len(head) and tokens(b)[:len(head)] == head for b in c.aliases)]
        if len(longer) == 1:
            return longer[0]
    return None


def lookup_keys(names) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(key(a), (tokens(a) or [""])[-1]) for a in names}))


def merged(c: Canonical, entity: Entity) -> Canonical:
    aliases = list(c.aliases)
    for a in entity.aliases:
        if a not in aliases:
            aliases.append(a)
    return replace(c, aliases=tuple(aliases), lookup=lookup_keys(aliases))


def best_name(aliases) -> str:
    """The name to show: a full name whose last word is also used alone (a surname), else the
    longest name without a parenthesis."""
    plain = [a for a in aliases if "(" not in a] or list(aliases)
    singles = {tokens(a)[0] for a in plain if len(tokens(a)) == 1}
    return max(plain, key=lambda a: (len(tokens(a)) > 1 and tokens(a)[-1] in singles,
                                     min(len(tokens(a)), 3), -plain.index(a)))


def new_canonical(entity: Entity) -> Canonical:
    name = best_name(entity.aliases)
    return Canonical(canonical_id(entity.label, name), name, entity.label, tuple(entity.aliases),
                     lookup_keys(entity.aliases))


def link_article(store, article_id: str, entities: list[Entity]) -> dict[str, Canonical]:
    """Link an article's entities to the store's canonical ones (creating new ones) and save
    the links. People with full names first, so a bare surname can lean on them."""
    order = sorted(entities, key=lambda e: (e.label != "PERSON", -len(tokens(e.name))))
    links: dict[str, Canonical] = {}
    for e in order:
        names = [a for a in e.aliases if "(" not in a] or [e.name]
        lk = lookup_keys(names)
        candidates = store.entity_candidates([k for k, _ in lk], [t for _, t in lk if t])
        found = link(e, candidates, {c.id for c in links.values()})
        links[e.key] = merged(found, e) if found else new_canonical(e)
    store.save_entity_links(article_id, list(links.items()))
    return links
