"""Facts with their status, a cited brief and a cited timeline, built from the fact groups.

A fact's status:

- ``corroborated``: two or more independent sources (voices: outlets after lineage) state it,
  and no source tells it differently;
- ``conflict``: sources tell it with a different number, date, speaker or yes/no;
- ``differs``: sources place it differently in time and one side's date cannot be placed
  ('last month' / 'two days after' in an undated article): a difference to check, not a
  proven conflict;
- ``single_source``: one source states it.

Each member of a fact says how it relates to the fact's statement (``role``: states,
conflicts, differs, revision) and what it ``agrees_on`` / ``differs_on`` (numbers, dates,
speakers, polarity)."""

from __future__ import annotations

import re
from typing import Any

from .align import Group
from .checks import CONFLICT_TYPES, is_conflict, wording_of_quotes
from .statements import Statement

STATUS_ORDER = {"conflict": 0, "corroborated": 1, "differs": 2, "single_source": 3}


def citation(s: Statement) -> dict[str, Any]:
    return {"source": s.source, "article": s.article, "sentence": s.sentence}


def _fragment(text: str) -> bool:
    """A clause that does not open a sentence: starts in lower case ('which ...', 'that ...')."""
    first = text.lstrip("“”\"'‘’([ ")[:1]
    return not (first.isupper() or first.isdigit())


def _evidence(s: Statement, role: str, relation) -> dict[str, Any]:
    return {"article": s.article, "sentence": s.sentence, "source": s.source, "text": s.text,
            "role": role, "agrees": role in ("states", "repeats"),
            "agrees_on": list(relation.agrees_on) if relation else [],
            "differs_on": list(relation.differs_on) if relation else [],
            # how it joined the fact: 'words' (it holds the fact's informative words) or
            # 'model' (the sentence-pair model: the same fact in other words), and the score
            "joined_by": relation.signal if relation else None,
            "score": relation.score if relation else None}


def _distinct(findings: list[dict]) -> list[dict]:
    """One finding per pair of voices and what they say (copies of one report give the same
    conflict once)."""
    seen, out = set(), []
    for f in findings:
        k = (f["type"], frozenset(((f["a"].get("voice"), str(f["a"].get("value"))),
                                   (f["b"].get("voice"), str(f["b"].get("value"))))))
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def facts(statements: list[Statement], groups: list[Group]) -> list[dict]:
    """Each fact group with its status, sources, evidence and findings; within a status the
    facts most sources state come first, then the most central."""
    out = []
    for g in groups:
        lead = statements[g.lead]
        states = [m for m in g.members if m.role == "states"]
        agreeing_voices = {statements[m.index].group for m in states}
        findings = [m.relation.finding for m in g.members
                    if m.role in ("conflicts", "differs") and m.relation and m.relation.finding]
        conflicts = _distinct([f for f in findings if is_conflict(f)]
                              + [r.finding for _mine, _other, r in g.across if r.finding])
        revisions = _distinct([dict(r.finding, type="revision", revised=r.finding["type"],
                                    why="revised: " + r.finding["why"])
                               for r in [m.relation for m in g.members if m.role == "revision"]
                               + [r for _e, _l, r in g.revised] if r and r.finding])
        if conflicts:
            status = "conflict"
        elif findings:
            status = "differs"
        elif len(agreeing_voices) >= 2:
            status = "corroborated"
        else:
            status = "single_source"
        difference = None
        if not conflicts:
            difference = (findings[0] if findings else None) or wording_of_quotes(
                lead, [statements[m.index] for m in states[1:]]) or (revisions[0] if revisions else None)
        # the statement that stands for the fact: the lead (what every source listed holds)
        members = sorted(g.members, key=lambda m: (m.role != "states", m.index != g.lead,
                                                   _fragment(statements[m.index].text),
                                                   statements[m.index].date or "9999", m.index))
        out.append({
            "text": lead.text, "status": status,
            "sources": sorted({statements[m.index].source for m in states}),
            "independent_sources": len(agreeing_voices),
            "disagreeing_sources": sorted({statements[m.index].source for m in g.members
                                           if m.role in ("conflicts", "differs")}
                                          | {statements[o].source for _m, o, _r in g.across}),
            "repeated_by": sorted({statements[m.index].source for m in g.members if m.role == "repeats"}),
            "evidence": [_evidence(statements[m.index], m.role, m.relation) for m in members],
            "conflict": conflicts[0] if conflicts else None,
            "conflicts": conflicts,
            "difference": difference,
            "revisions": revisions,
            # other voices' statements the sentence-pair model finds close, not shown to state
            # the fact: for a reader to check, never counted as sources
            "told_similarly": [{"article": statements[k].article, "sentence": statements[k].sentence,
                                "source": statements[k].source, "text": statements[k].text,
                                "score": v, "difference": d} for k, v, d in g.similar],
            "_order": (STATUS_ORDER[status] if status != "conflict" or len(agreeing_voices) < 2 else -1,
                       -len(agreeing_voices), -g.strength, lead.article, lead.sentence),
            "_members": [m.index for m in members if m.role == "states"],
            "_all": [m.index for m in members],
        })
    # corroborated and conflicting facts first, by how many sources state them
    out.sort(key=lambda f: (f["status"] == "single_source", f["_order"][1], f["_order"][0],
                            f["_order"][2:]))
    return out


# how 'they differ' reads for each conflict type
PLURAL = dict(zip(CONFLICT_TYPES, ("numbers", "dates", "attributions", "quotes", "accounts")))


SIMILAR_LABEL = "told similarly (model {score:.2f}; check it, not counted as a source)"


def similar_label(item: dict) -> str:
    """How a statement the sentence-pair model found close to a fact reads beside it (with
    the dates it gives differently, when it does)."""
    label = SIMILAR_LABEL.format(score=item["score"])
    diff = item.get("difference")
    if diff and diff.get("why"):
        label += f"; the dates differ, check them: {diff['why']}"
    return label


def finding_label(finding: dict | None) -> str | None:
    """How a fact's finding reads beside it: 'date conflict' when certain, 'dates differ'
    when one side could not be placed; None for none, or for a wording difference (a
    translation variant is no reason to doubt the fact)."""
    if not finding or finding["type"] not in PLURAL:
        return None
    if is_conflict(finding):
        return f"{finding['type']} conflict"
    return f"{PLURAL[finding['type']]} differ"


BRIEF_SAME = 0.8  # word overlap (Jaccard) from which two brief lines say the same thing


def brief(fact_list: list[dict], statements: list[Statement], length: int) -> list[dict]:
    """The facts most sources state, and the conflicts, each sentence verbatim from a source
    and followed by every source that reports it; ``flag`` says when the sources disagree on
    it and ``why`` which source says what. Single-source facts fill the brief only when the
    story has nothing else."""
    shared = [f for f in fact_list if f["status"] != "single_source"]
    single = [f for f in fact_list if f["status"] == "single_source"]
    chosen: list[dict] = []
    words: list[set[str]] = []
    for f in shared + single:
        if len(chosen) >= length:
            break
        mine = set(re.findall(r"\w+", f["text"].lower()))
        if any(len(mine & w) >= BRIEF_SAME * len(mine | w) for w in words):
            continue  # the brief never says one thing twice (near-copies of one sentence)
        chosen.append(f)
        words.append(mine)
    out = []
    for f in chosen:
        finding = shown_finding(f)
        flag = finding_label(finding)
        out.append({"text": f["text"], "status": f["status"], "flag": flag,
                    "why": finding["why"] if flag else None,
                    "citations": [citation(statements[i]) for i in f["_all"]]})
    return out


def timeline(statements: list[Statement], fact_list: list[dict],
             published: list[tuple[str, str, str]]) -> list[dict]:
    """What happened on each date: the event dates in the statements (a reference such as
    'since 1996' or 'until Feb. 15' is no event of that date), and publications. Sources
    share an entry when they report the same fact (one fact group) on the same date; two facts
    of one date stay two entries, so each citation of an entry says what the entry says.
    Publications of one day are one entry naming every outlet. An entry whose fact the
    sources place differently in time carries that finding (``certain``: a conflict)."""
    fact_of = {i: n for n, f in enumerate(fact_list) for i in f["_all"]}
    events: dict[tuple[str, str, int], dict] = {}
    for i, s in enumerate(statements):
        if i not in fact_of:
            continue
        for t in s.times:
            if not t["value"] or t.get("kind", "event") != "event":
                continue
            n = fact_of[i]
            e = events.setdefault((t["value"], t["precision"], n), {
                "date": t["value"], "precision": t["precision"], "text": s.text,
                "citations": [], "kind": "event", "conflict": _date_mark(fact_list[n])})
            if citation(s) not in e["citations"]:
                e["citations"].append(citation(s))
    days: dict[str, list[dict]] = {}
    for date, source, article in published:
        days.setdefault(date, []).append({"source": source, "article": article, "sentence": None})
    publications = [{"date": date, "precision": "day",
                     "text": "Published by " + ", ".join(dict.fromkeys(c["source"] for c in cites)),
                     "citations": cites, "kind": "publication", "conflict": None}
                    for date, cites in days.items()]
    # by date; on one date, events in the order the story's articles tell them (a stable
    # sort keeps the statements' order), then the publications
    return sorted([*events.values(), *publications],
                  key=lambda e: (e["date"], e["precision"], e["kind"] == "publication"))


def _date_mark(fact: dict) -> dict | None:
    """The timeline's mark for a fact the sources place differently in time."""
    found = shown_finding(fact)
    if not found or found["type"] != "date":
        return None
    return {"type": "date", "why": found["why"], "certain": is_conflict(found)}


def shown_finding(fact: dict) -> dict | None:
    """The finding a reader is shown beside a fact: a conflict or difference, a revision by
    one source, and a wording difference only between quotes ('for as long as it takes' /
    'whatever is necessary')."""
    finding = fact.get("conflict") or fact.get("difference")
    if finding and finding["type"] == "wording" and not finding["a"].get("value"):
        return None
    return finding


def findings_shown(fact: dict) -> list[dict]:
    """Every finding a reader is shown beside a fact: each conflict (a fact may conflict with
    several sources), else its difference; then each revision by one source."""
    out = list(fact.get("conflicts") or ([fact["conflict"]] if fact.get("conflict") else []))
    if not out:
        found = shown_finding(fact)
        if found:
            out.append(found)
    out += [r for r in fact.get("revisions") or [] if r not in out]
    return out


def status_label(fact: dict) -> str:
    """'corroborated ×2', 'single source', 'conflict', 'differs'."""
    label = fact["status"].replace("_", " ")
    return label + (f" ×{fact['independent_sources']}" if fact["status"] == "corroborated" else "")


def date_flag(entry: dict, *, why: bool = True) -> str | None:
    """How a timeline entry's date finding reads: 'date conflict' (the sources place it on
    different dates) or 'dates differ' (one side could not be placed), followed by which
    source says what unless ``why`` is False (a badge whose tooltip gives it); None without
    one."""
    c = entry.get("conflict")
    if not c:
        return None
    label = "date conflict" if c["certain"] else "dates differ"
    return f"{label}: {c['why']}" if why else label


def brief_flag(entry: dict, *, why: bool = True) -> str | None:
    """How a brief line's flag reads: 'dates differ: EFE “last month” / La Voz de Galicia “two
    days”' (the label alone where ``why`` is False); None when its sources agree."""
    if not entry.get("flag"):
        return None
    return f"{entry['flag']}: {entry['why']}" if why and entry.get("why") else entry["flag"]


MATRIX_ROWS = 40  # facts in the outlet matrix: every shared fact first, then single-source ones
CELL = {"states": "states", "revision": "states", "repeats": "states", "conflicts": "conflicts",
        "differs": "differs"}
RANK = {"silent": 0, "states": 1, "differs": 2, "conflicts": 3}


def outlet_matrix(fact_list: list[dict], voices: list[tuple[str, str]],
                  voice_of: dict[str, str], rows: int = MATRIX_ROWS) -> dict:
    """Which source said what: one row per fact (those two or more sources speak to first,
    in the facts' order, then single-source ones, up to ``rows``), one column per independent
    source (``voices``: (voice id, label); ``voice_of``: article id -> voice id), each cell
    'states', 'conflicts' (tells it with another number, date, speaker or yes/no), 'differs'
    (places it differently in time, unprovably) or 'silent'. ``more`` counts the facts left
    out; each row names its fact's index in the story's facts."""
    shared = [i for i, f in enumerate(fact_list) if f["status"] != "single_source"]
    single = [i for i, f in enumerate(fact_list) if f["status"] == "single_source"]
    chosen = (shared + single)[:rows]
    out = []
    for i in chosen:
        f = fact_list[i]
        said: dict[str, str] = {}

        def mark(voice: str | None, cell: str) -> None:
            if voice is not None and RANK[cell] > RANK[said.get(voice, "silent")]:
                said[voice] = cell  # a source's conflict shows over its agreement

        for e in f.get("evidence") or []:
            mark(voice_of.get(e.get("article")), CELL.get(e.get("role"), "silent"))
        stating = {v for v, c in said.items() if c == "states"}
        for finding in findings_shown(f):
            cell = "conflicts" if is_conflict(finding) else "differs"
            if finding.get("type") == "wording" or finding in (f.get("revisions") or []):
                continue
            for side in (finding.get("a") or {}, finding.get("b") or {}):
                voice = side.get("voice") or voice_of.get(side.get("article"))
                if voice not in stating:  # the side that tells it otherwise
                    mark(voice, cell)
        out.append({"fact": i, "text": f["text"], "status": f["status"],
                    "cells": [said.get(v, "silent") for v, _label in voices]})
    return {"sources": [label for _v, label in voices], "rows": out,
            "more": len(fact_list) - len(chosen)}


def notices(statements: list[Statement], voices: set[str], articles) -> list[dict]:
    """What the comparison cannot judge, said rather than guessed: one voice, undated
    articles, articles not in English, articles with nothing to compare."""
    out = []
    if len(voices) < 2:
        out.append({"code": "one_outlet", "text": "one outlet: nothing to corroborate or contradict"})
    undated = [a for a in articles if not a.date]
    if undated:
        out.append({"code": "undated", "text": f"{len(undated)} of {len(articles)} articles undated: "
                    "their relative dates ('yesterday', 'last month') are not placed"})
    foreign = [a for a in articles if a.analysis and not a.analysis.get("entity_tagged", True)]
    if foreign:
        langs = sorted({a.lang or "?" for a in foreign})
        out.append({"code": "not_english", "text": f"{len(foreign)} article(s) in {', '.join(langs)}: "
                    "compared on their words, numbers and dates only (no names or speakers)"})
    said = {s.article for s in statements}
    empty = [a for a in articles if a.id not in said]
    if empty:
        out.append({"code": "no_statements", "text": f"{len(empty)} article(s) with no statement to "
                    "compare (empty, too short, or not analysed)"})
    return out
