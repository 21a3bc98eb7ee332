"""Entities of one article (spaCy NER) linked to each other: 'Sergei Lavrov', 'Segéi Lavrov',
'Sergei Victorovich (Lavrov)' and 'Lavrov' become one entity with all its aliases."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate

from wordfreq import zipf_frequency

from .names import (FUNCTION, INSTITUTIONS, NOISY_LABELS, acronym, fold, initials, key, plain,
                    proper, same_person, tokens)
from .records import Entity

KEEP = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "WORK_OF_ART"}
# 'the “New START” treaty', 'the Treaty on Strategic Offensive Weapons (STAR-3)'
_TREATY = re.compile(r"[“\"]?\b([A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,4})[”\"]?\s+(?:treaty|agreement|accord|pact)\b"
                     r"|\b((?:Treaty|Agreement|Convention|Accord) (?:on|of|for) (?:the )?[A-Z][\w-]*(?:\s+(?:of |on |and )?[A-Z][\w-]*){0,6})")
_PAREN = re.compile(r"\s*\(([^()]{2,40})\)")
_NOT_A_NAME = re.compile(r"(?:Us|We|It|They|He|She|I|You|Our|His|Her|Their|Its)")
COMMON_WORD = 5.5  # a one-word organisation this frequent as an English word is a word ('State')


def common_word_org(name: str, label: str) -> bool:
    """'State', 'House', 'Government' tagged as an organisation: a word, not a name (an
    acronym such as 'UN' or 'NATO' is a name)."""
    return label == "ORG" and " " not in name and not name.isupper() and \
        zipf_frequency(name.lower(), "en") >= COMMON_WORD


@dataclass(eq=False)  # drafts are compared by identity
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
    """The name inside a tagged span: no quotes or leading 'the', no possessive and nothing
    after it ('HP ’ s first fiscal quarter' -> 'HP'), no trailing lower-case words the tagger
    took along ('Thompson in' -> 'Thompson')."""
    text = text.strip().strip("“”\"'‘’")
    text = re.sub(r"^(?:the|The)(?:\s+|\s*[“”\"‘’]\s*)", "", text).strip("“”\"'‘’ ")  # 'the"American'
    if _NOT_A_NAME.fullmatch(text):
        return ""  # 'Us', 'It' at the start of a sentence
    text = re.sub(r"\s?['’`]\s?s\b.*$", "", text, flags=re.S)
    words = text.split(" ")
    while len(words) > 1 and (words[-1][:1].islower() or not words[-1]):
        words.pop()  # inner lower-case words stay: 'Bank of America'
    return " ".join(words).strip()


def extract(doc, text: str, sentence_of) -> list[Entity]:
    """Entities of a spaCy ``doc`` of ``text``. ``sentence_of(offset)`` gives a sentence index."""
    raw: list[tuple[str, str, int, int]] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP:
            continue
        # a name never crosses a line break ('EYP Mission Critical Facilities\nHP')
        for piece in re.finditer(r"[^\n]+", ent.text):
            name = clean_mention(piece.group(0))
            if name and any(c.isalpha() for c in name) and not common_word_org(name, ent.label_):
                at = ent.start_char + piece.start()
                start = at + piece.group(0).find(name) if name in piece.group(0) else at
                raw.append((name, ent.label_, start, start + len(name)))
    for m in _TREATY.finditer(text):
        g = 1 if m.group(1) else 2
        name = m.group(g)
        if name.split()[0] not in ("The", "A", "An", "This", "That"):
            raw = [r for r in raw if not (r[2] >= m.start(g) and r[3] <= m.end(g))]
            raw.append((name, "LAW", m.start(g), m.end(g)))
    raw = _headline_spans(raw)
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
            # not a stock ticker ('NYSE: HPQ', 'NSDQ: MSFT'): another name, not another entity
            if alias[:1].isupper() and len(alias.split()) <= 4 and ":" not in alias:
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
    _propagate(drafts, text, sentence_of)
    from .linking import best_name

    return [Entity(key=key(d.name), name=best_name(d.aliases), label=d.label, aliases=tuple(d.aliases),
                   mentions=tuple(sorted(d.mentions))) for d in drafts]


def _headline_spans(raw: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """A title-case headline run into the text ('Thoughts on Why the Academy Picked Ellen
    DeGeneres As', 'Choosing DeGeneres', 'Considering Lionsgate') gets tagged as one work of
    art or organisation: when such a span ends with a name the article tags on its own
    elsewhere, and everything before it is common words, the span is that name (with its
    label)."""
    own = {}
    for name, label, _s, _e in raw:
        if label in ("PERSON", "ORG"):
            own.setdefault(name, label)
    out = []
    for name, label, start, end in raw:
        words = name.split()
        while len(words) > 2 and fold(words[-1]) in _FUNCTION_WORDS:
            words = words[:-1]  # '... Ellen DeGeneres As'
        cut = None
        if label in ("WORK_OF_ART", "PRODUCT", "ORG", "EVENT") and len(words) > 1:
            for k in range(1, len(words)):
                tail = " ".join(words[k:])
                head = words[:k]
                if tail in own and tail != name and _reads_as_headline(head):
                    cut = (tail, own[tail])
                    break
        if cut is None:
            out.append((name, label, start, end))
        else:
            at = name.rfind(cut[0])
            out.append((cut[0], cut[1], start + at, start + at + len(cut[0])))
    return out


def _reads_as_headline(head: list[str]) -> bool:
    """Words before a name that make a headline, not a longer name: all common words, with a
    verb form among them ('Choosing', 'Picked') or four and more of them; 'Bank of' before
    'America' is neither."""
    if not all(fold(w) in _FUNCTION_WORDS or zipf_frequency(fold(w), "en") >= 3.0 for w in head):
        return False
    verb = any(fold(w).endswith(("ing", "ed")) and len(w) > 4 for w in head)
    return verb or len(head) >= 4


# Small words a headline carries besides a name's own ('... Picked Ellen DeGeneres As').
_FUNCTION_WORDS = FUNCTION | frozenset("as to by with why how what who is are".split())


def _find(drafts: list[_Draft], name: str, label: str, *, allow_label_change: bool = False):
    k = key(name)
    for d in drafts:
        if k and k == key(d.name) and {d.label, label} <= NOISY_LABELS:
            if label == "PERSON" and " " in k:
                d.label = "PERSON"  # one full name, tagged two ways: a person wins
            return d  # one word tagged two ways ('Evansville'): the first label stays
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
            continue
        if single.label == "PERSON" and not any(word in surnames(d) for d in people
                                                if d is not single and d in drafts):
            # 'Lindsay' for the one 'Lindsay Lohan' of the article (and no one's surname)
            firsts = [d for d in people if d is not single and d in drafts
                      and len(tokens(d.name)) > 1 and tokens(d.name)[0] == word]
            if len(firsts) == 1:
                _merge(drafts, firsts[0], single)


def _propagate(drafts: list[_Draft], text: str, sentence_of) -> None:
    """The tagger misses many repeats of a name it found elsewhere in the article ('Jeffs will
    not be tried', 'The Colts held on'): every other occurrence of an alias, written the same
    way and not part of a longer capitalised name, is a mention too. An alias two entities of
    the article share is left alone."""
    owners: dict[str, list[_Draft]] = {}
    for d in drafts:
        for alias in {a for a in plain(d.aliases) if "\n" not in a}:
            if len(alias) >= 3 and alias[:1].isupper():
                owners.setdefault(alias, []).append(d)
    unique = {alias: ds[0] for alias, ds in owners.items() if len(ds) == 1}
    if not unique:
        return
    taken = Taken((s, e) for d in drafts for _, s, e in d.mentions)
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(
        re.escape(a) for a in sorted(unique, key=len, reverse=True)) + r")(?![\w-])")
    found = []
    for m in pattern.finditer(text):
        s0, s1 = m.start(), m.end()
        if taken.overlaps(s0, s1):
            continue  # already a mention (of this or another entity)
        before = text[max(0, s0 - 30):s0]
        prev = re.search(r"([A-Z][\w'’.-]*)\s$", before)
        if prev and prev.group(1) not in ("The", "A", "An") and not re.search(
                r"[.!?:;]\s*$|^\s*$", before[:-1]):
            continue  # 'Dina Lohan': part of a longer name ('The Colts' is not)
        if re.match(r"\s[A-Z]", text[s1:s1 + 2]) and not re.match(r"\sI\b", text[s1:s1 + 3]):
            continue
        found.append((unique[m.group(0)], s0, s1))
    for draft, s0, s1 in found:
        draft.mentions.append((sentence_of(s0), s0, s1))


class Taken:
    """Character spans already taken by mentions: does a new span overlap any of them?"""

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [s for s, _e in ordered]
        self.reach = list(accumulate((e for _s, e in ordered), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # the spans that start before ``end``
        return i > 0 and self.reach[i - 1] > start


def _link_short_names(drafts: list[_Draft]) -> None:
    """An organisation or place named by the start or the end of a longer name in the same
    article is the same one: 'Academy' / 'Academy of Motion Picture Arts and Sciences',
    'Morningside' / 'Morningside Recovery', 'Colts' / 'Indianapolis Colts' (when one longer
    name fits); so is an acronym of a longer name: 'HP' / 'Hewlett-Packard'."""
    for short in [d for d in drafts if d.label != "PERSON"]:
        if short not in drafts:
            continue
        st = tokens(short.name)
        if not st:
            continue
        n = len(st)
        first = min(m[1] for m in short.mentions) if short.mentions else 0
        # the longer name must come first, as a report introduces a name before shortening it
        # ('Microsoft ... the Microsoft Security Response Alliance' are two organisations)
        longer = [d for d in drafts if d is not short and d.label in INSTITUTIONS
                  and len(tokens(d.name)) > n and proper(d.name)
                  and st in (tokens(d.name)[:n], tokens(d.name)[-n:])
                  and d.mentions and min(m[1] for m in d.mentions) < first]
        if len(longer) == 1 and short.label in INSTITUTIONS:
            _merge(drafts, longer[0], short)
            continue
        acr = acronym(short.name)
        if acr:
            spelled = [d for d in drafts if d is not short and d.label != "PERSON"
                       and any(initials(a) == acr for a in d.aliases)]
            if len(spelled) == 1:
                _merge(drafts, spelled[0], short)
