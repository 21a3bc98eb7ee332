"""Direct quotations and who said them.

A quote is text between quotation marks. Its speaker is found, in order:
1. after the quote: '...,” Russian Foreign Affairs spokeswoman Maria Zakharova told reporters'
   ('... ," Blinken said'), the name before or after a speech verb;
2. before it: 'According to India's Foreign Minister Subrahmanyam Jaishankar: “...”',
   'Modi ... asked those present: “...”', a name and a speech verb or 'according to';
3. otherwise, for a quoted phrase inside reported speech ('support Ukraine “for as long as it
   takes”'), the nearest person named before it in the sentence, marked as inferred.
The speaker is given as the article's canonical entity when the name belongs to one, with the
role words in front of the name ('Russian Foreign Affairs spokeswoman').
"""

from __future__ import annotations

import re
from functools import lru_cache

from .placecues import told_as_place
from .records import Entity, Quote

VERBS = ("said", "says", "told", "tells", "added", "asked", "asks", "stated", "declared",
         "announced", "explained", "noted", "insisted", "warned", "wrote", "tweeted", "replied",
         "stressed", "argued", "emphasized", "emphasised", "urged", "claimed", "admitted",
         "acknowledged", "recalled", "concluded", "continued", "fumed", "posted", "joked",
         "quipped", "testified", "responded", "remarked", "suggested", "complained", "vowed",
         "promised", "countered", "conceded", "boasted", "predicted", "commented", "according to")
_VERB = "|".join(VERBS)
_QUOTE = re.compile(r"[“\"]([^“”\"]{3,}?)[”\"]")
# after a quote: ', <role> <Name> said' or ', said <Name>' / ', <Name> said'
_AFTER = re.compile(rf"^\s*[,.!?]?\s*(?:(?P<verb1>{_VERB})\s+(?P<who1>[^,;:“”\"]{{2,120}}?)(?=[,;]\s|(?<=[a-z]{2})\.\s|[,;.]?$|\s+(?:in|on|at|to|as|after|before|during)\b)|(?P<who2>[^;:“”\"]{{2,160}}?)\s+(?P<verb2>{_VERB}))\b")
# 'Griffin said she was going to “take down the image”': a name right before a speech verb
_SAYER = re.compile(rf"((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+)*|\b[Hh]e|\b[Ss]he)\s+(?:{_VERB})\b")
_BEFORE = re.compile(rf"(?P<lead>(?:[Aa]ccording to|{_VERB})\b[^“”\"]{{0,160}}?|[^“”\"]{{2,200}}?\b(?:{_VERB})\b[^“”\"]{{0,80}}?)\s*[:,]\s*$")
ROLE_STOP = re.compile(r"\b(?:the|a|an|who|which|that|and|himself|herself|themselves)\b", re.I)


SPEAKERS = ("PERSON", "ORG")  # who speaks: people and organisations, never a place


def extract(text: str, sentences, entities: list[Entity], sentence_of) -> list[Quote]:
    people = [e for e in entities if e.label in SPEAKERS]
    places = {a.casefold() for e in entities if e.label in ("GPE", "LOC", "NORP", "FAC")
              for a in e.aliases if known_place(a)}
    out: list[Quote] = []
    for m in _QUOTE.finditer(text):
        inner = m.group(1).strip()
        if len(inner.split()) < 2 or _is_name(inner, entities):
            continue  # 'the “New START” treaty': a name in quotation marks, not speech
        sent = sentence_of(m.start())
        s_start = sentences[sent].start
        # A quote may run over several sentences: look after the closing mark, to the end of
        # the sentence where it closes.
        closing = sentences[sentence_of(max(m.end() - 1, 0))]
        if closing.end <= m.end():
            # the closing mark ends its sentence ('... Boehner." Durbin said.'): read the next
            following = [x for x in sentences if x.start >= m.end()]
            closing = following[0] if following else closing
        after_text = text[m.end(): max(closing.end, m.end())]
        before_text = text[s_start: m.start()]
        partial = bool(before_text.strip()) and not before_text.rstrip().endswith((":", ",")) \
            and not _AFTER.match(after_text)
        speaker = role = verb = how = None
        attribution = "explicit"
        a = _AFTER.match(after_text)
        if a and not partial:
            verb = (a.group("verb1") or a.group("verb2")).lower()
            who_span = (m.end() + a.start("who1"), m.end() + a.end("who1")) if a.group("who1") \
                else (m.end() + a.start("who2"), m.end() + a.end("who2"))
            speaker, role = _who(text, who_span, people)
            how = "after" if speaker else None
        if speaker is None:
            b = _BEFORE.search(before_text)
            if b and not partial:
                lead = b.group("lead")
                vm = re.search(rf"\b({_VERB})\b", lead, re.I)
                verb = vm.group(1).lower() if vm else verb
                span = (s_start + b.start("lead"), s_start + b.end("lead"))
                speaker, role = _who(text, span, people, last=True)
                how = "before" if speaker else None
        if speaker is None:
            sayers = list(_SAYER.finditer(before_text))
            if sayers:  # 'Page said she grew up ... “we were lucky”', 'He tweeted: “...”'
                sayer = sayers[-1]
                span = (s_start + sayer.start(1), s_start + sayer.end(1))
                if sayer.group(1).lower() in ("he", "she"):
                    # the pronoun's antecedent: the subject of the sentence before
                    prev = sentences[max(0, sent - 1)] if sent else sentences[sent]
                    span = (prev.start, s_start + sayer.start(1))
                    speaker, role = _who(text, span, people, persons_only=True)
                    how = "pronoun" if speaker else None
                else:
                    speaker, role = _who(text, span, people)
                    how = "sayer" if speaker else None
                attribution = "explicit" if speaker else attribution
        if speaker is None:
            # reported speech: the subject of the sentence, its first person named
            speaker, role = _who(text, (s_start, m.start()), people, persons_only=True,
                                 sentence_start=True)
            how = "subject" if speaker else None
            if speaker is None and sent > 0:
                prev = sentences[sent - 1]
                speaker, role = _who(text, (prev.start, prev.end), people, last=True,
                                     persons_only=True)
                how = "previous" if speaker else None
            attribution = "inferred"
            verb = verb if not partial else None
        if speaker and (known_place(speaker) or speaker.casefold() in places or (
                how in ("subject", "previous", "pronoun") and len(speaker.split()) == 1
                and speaker.lower() in common_words())):
            # 'Ukraine said': a place is not a speaker; a common word ('Her', 'This',
            # 'Freedom') found by a guess is not a name
            speaker = role = how = None
        out.append(Quote(text=inner, speaker=speaker, role=role, verb=verb, sentence=sent,
                         start=m.start(1), end=m.start(1) + len(m.group(1)), partial=partial,
                         attribution=attribution if speaker else "none", how=how))
    return out


def _is_name(inner: str, entities: list[Entity]) -> bool:
    words = inner.split()
    if len(words) <= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return True
    return any(inner == alias for e in entities for alias in e.aliases)


PRONOUNS = frozenset("he she they it we i".split())
NOT_NAMES = PRONOUNS | frozenset("""the a an in on at but and born according monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december twitter facebook""".split())
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Const|Gen|Lt|Sgt|Capt|Prof)\.?\s+(?=[A-Z])")
_NAMELIKE = re.compile(r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+))*")


def _who(text: str, span: tuple[int, int], people: list[Entity], *, last: bool = False,
         persons_only: bool = False, sentence_start: bool = False) -> tuple[str | None, str | None]:
    """The entity named inside ``span`` (the last one when ``last``) and its role words; without
    a tagged entity, a capitalised name in the span ('Mr. Fox', 'Bodiford')."""
    hits = []
    for e in people:
        if persons_only and e.label != "PERSON":
            continue
        for _s, start, end in e.mentions:
            if span[0] <= start and end <= span[1] and not told_as_place(text, start, end):
                hits.append((start, end, e))  # not 'a Bukit Sama village resident told AP'
    if not hits:
        return _name_in(text[span[0]:span[1]], people, last=last, sentence_start=sentence_start)
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    person_hits = [h for h in hits if h[2].label == "PERSON"]
    start, _end, entity = (person_hits or hits)[-1 if last else 0]
    lead = text[span[0]:start]
    role_words = re.split(r"[,;:()]", lead)[-1]
    role_words = ROLE_STOP.split(role_words)[-1].strip() if role_words else ""
    role_words = re.sub(rf"^(?:{_VERB})\b", "", role_words, flags=re.I).strip()
    role_words = HONORIFIC.sub("", role_words).strip()
    role = role_words if role_words and len(role_words.split()) <= 8 else None
    return entity.name, role


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    from importlib.resources import files

    text = files("parallax.understand").joinpath("data/places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def known_place(name: str) -> bool:
    """A country, territory or US state (data/places.txt), with or without 'the'. The tagger
    calls many surnames places ('Bodiford', 'Pence'); a list of places does not."""
    folded = name.casefold().strip()
    return folded.removeprefix("the ") in _gazetteer()


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The 3,000 most common English words: a one-word 'name' among them ('Her', 'This',
    'Freedom', 'State') is a capitalised word, not a speaker the tagger missed."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 3000))


def _name_in(chunk: str, people: list[Entity], *, last: bool,
             sentence_start: bool = False) -> tuple[str | None, str | None]:
    """A capitalised name in ``chunk``; when the chunk starts a sentence, its first word is
    capitalised anyway and counts only as part of a longer name."""
    cleaned = HONORIFIC.sub("", chunk)
    names = [m.group(0).rstrip(".") for m in _NAMELIKE.finditer(cleaned)
             if m.group(0).split()[0].lower().rstrip(".") not in NOT_NAMES
             and m.group(0).lower() not in VERBS
             and not told_as_place(cleaned, m.start(), m.end())  # 'a Bukit Sama village resident'
             and (m.start() > 0 or not sentence_start or len(m.group(0).split()) > 1)]
    if not names:
        return None, None
    name = names[-1 if last else 0]
    for e in people:  # a surname of a known person: give the full name
        if e.label == "PERSON" and any(a.split()[-1] == name.split()[-1] for a in e.aliases):
            return e.name, None
    return name, None
