"""Entities of one article (spaCy NER) linked to each other: 'Sergei Lavrov', 'Segéi Lavrov',
'Sergei Victorovich (Lavrov)' and 'Lavrov' become one entity with all its aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import INSTITUTIONS, NOISY_LABELS, key, same_person, tokens
from .records import Entity

KEEP = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "WORK_OF_ART"}
# 'the “New START” treaty', 'the Treaty on Strategic Offensive Weapons (STAR-3)'
_TREATY = re.compile(r"[“\"]?\b([A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,4})[”\"]?\s+(?:treaty|agreement|accord|pact)\b"
                     r"|\b((?:Treaty|Agreement|Convention|Accord) (?:on|of|for) (?:the )?[A-Z][\w-]*(?:\s+(?:of |on |and )?[A-Z][\w-]*){0,6})")
_PAREN = re.compile(r"\s*\(([^()]{2,40})\)")


@dataclass
class _Draft:
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, text: str, where: tuple[int, int, int]) -> None:
        if text not in self.aliases:
            self.aliases.append(text)
        if where not in self.mentions:
            self.mentions.append(where)
        if "(" not in text and (len(tokens(text)) > len(tokens(self.name)) or "(" in self.name):
            self.name = text


def clean_mention(text: str) -> str:
    text = text.strip().strip("“”\"'‘’")
    text = re.sub(r"^(?:the|The)\s+", "", text).strip("“”\"'‘’ ")
    return re.sub(r"['’]s$", "", text).strip()


def extract(doc, text: str, sentence_of) -> list[Entity]:
    """Entities of a spaCy ``doc`` of ``text``. ``sentence_of(offset)`` gives a sentence index."""
    raw: list[tuple[str, str, int, int]] = []
    for ent in doc.ents:
        if ent.label_ in KEEP:
            name = clean_mention(ent.text)
            if name and any(c.isalpha() for c in name):
                start = ent.start_char + ent.text.find(name) if name in ent.text else ent.start_char
                raw.append((name, ent.label_, start, start + len(name)))
    for m in _TREATY.finditer(text):
        g = 1 if m.group(1) else 2
        name = m.group(g)
        if name.split()[0] not in ("The", "A", "An", "This", "That"):
            raw = [r for r in raw if not (r[2] >= m.start(g) and r[3] <= m.end(g))]
            raw.append((name, "LAW", m.start(g), m.end(g)))
    raw.sort(key=lambda r: (r[2], -r[3]))
    drafts: list[_Draft] = []
    for name, label, start, end in raw:
        where = (sentence_of(start), start, end)
        draft = _find(drafts, name, label)
        if draft is None:
            draft = _Draft(name, label)
            drafts.append(draft)
        draft.add(name, where)
        # 'Sergei Victorovich (Lavrov)', 'Treaty on Strategic Offensive Weapons (STAR-3)':
        # a parenthesis right after a name is another name for it.
        paren = _PAREN.match(text, end)
        if paren:
            alias = paren.group(1).strip()
            if alias[:1].isupper() and len(alias.split()) <= 4:
                other = _find(drafts, alias, label, allow_label_change=True)
                if other is not None and other is not draft:
                    _merge(drafts, other, draft)
                    draft = other if other in drafts else draft
                p_start = paren.start(1)
                draft.add(alias, (sentence_of(p_start), p_start, p_start + len(alias)))
                draft.add(f"{name} ({alias})", where)
    _strip_demonyms(drafts)
    _link_surnames(drafts)
    _link_short_names(drafts)
    from .linking import best_name

    return [Entity(key=key(d.name), name=best_name(d.aliases), label=d.label, aliases=tuple(d.aliases),
                   mentions=tuple(sorted(d.mentions))) for d in drafts]


def _find(drafts: list[_Draft], name: str, label: str, *, allow_label_change: bool = False):
    k = key(name)
    for d in drafts:
        if " " in k and k == key(d.name) and {d.label, label} <= NOISY_LABELS:
            if label == "PERSON":
                d.label = "PERSON"  # one full name, tagged two ways: a person wins
            return d
        if not allow_label_change and d.label != label and {d.label, label} != {"ORG", "LAW"}:
            continue
        if k == key(d.name) or any(k == key(a) for a in d.aliases):
            return d
        if label == "PERSON" == d.label and len(tokens(name)) > 1 and len(tokens(d.name)) > 1 \
                and same_person(name, d.name):
            return d  # 'Segéi Lavrov' and 'Sergei Lavrov'
    return None


def _merge(drafts: list[_Draft], keep: _Draft, drop: _Draft) -> None:
    for alias in drop.aliases:
        if alias not in keep.aliases:
            keep.aliases.append(alias)
    keep.mentions.extend(m for m in drop.mentions if m not in keep.mentions)
    if len(tokens(drop.name)) > len(tokens(keep.name)):
        keep.name = drop.name
    if drop in drafts:
        drafts.remove(drop)


def _strip_demonyms(drafts: list[_Draft]) -> None:
    """'Paul Whelan American' (a glued caption word): a person's last word that is a
    nationality named elsewhere in the article is not part of the name."""
    demonyms = {tokens(d.name)[0] for d in drafts if d.label == "NORP" and len(tokens(d.name)) == 1}
    for d in [d for d in drafts if d.label == "PERSON"]:
        words = d.name.split()
        if len(words) > 2 and tokens(words[-1]) and tokens(words[-1])[0] in demonyms:
            d.name = " ".join(words[:-1])
            d.aliases = [a if a.split()[-1] != words[-1] else " ".join(a.split()[:-1])
                         for a in d.aliases]


def _link_surnames(drafts: list[_Draft]) -> None:
    """A one-word mention ('Lavrov'), whatever label the tagger gave it, joins the one person
    whose name ends with it; two person entities sharing a surname alias are one person
    ('Sergei Victorovich (Lavrov)' and 'Segéi Lavrov')."""
    def surnames(d: _Draft) -> set[str]:
        return {tokens(a)[-1] for a in d.aliases if tokens(a)}

    people = [d for d in drafts if d.label == "PERSON"]
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if a in drafts and b in drafts:
                la, lb = tokens(a.name)[-1], tokens(b.name)[-1]
                if (lb in {tokens(x)[-1] for x in a.aliases if len(tokens(x)) == 1}
                        or la in {tokens(x)[-1] for x in b.aliases if len(tokens(x)) == 1}):
                    keep, drop = (a, b) if len(a.mentions) >= len(b.mentions) else (b, a)
                    _merge(drafts, keep, drop)
    people = [d for d in drafts if d.label == "PERSON"]
    for single in [d for d in drafts if len(tokens(d.name)) == 1 and d in drafts]:
        word = tokens(single.name)[0]
        full = [d for d in people if d is not single and d in drafts and len(tokens(d.name)) > 1
                and word in surnames(d)]
        if len(full) == 1 and (single.label == "PERSON" or single.name[:1].isupper()):
            _merge(drafts, full[0], single)


def _link_short_names(drafts: list[_Draft]) -> None:
    """An organisation or place named by the start of a longer name in the same article is the
    same one: 'Academy' / 'Academy of Motion Picture Arts and Sciences', 'Morningside' /
    'Morningside Recovery', 'Betty Ford' / 'Betty Ford Center' (when one longer name fits)."""
    for short in [d for d in drafts if d.label != "PERSON"]:
        if short not in drafts:
            continue
        st = tokens(short.name)
        if not st:
            continue
        longer = [d for d in drafts if d is not short and d.label in INSTITUTIONS
                  and len(tokens(d.name)) > len(st) and tokens(d.name)[:len(st)] == st]
        if len(longer) == 1 and short.label in INSTITUTIONS:
            _merge(drafts, longer[0], short)
