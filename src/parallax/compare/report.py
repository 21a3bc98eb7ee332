"""Facts with their status, a cited brief and a cited timeline, built from aligned statements."""

from __future__ import annotations

from typing import Any

from .checks import CONFLICT_TYPES, check_pair, is_conflict
from .similarity import Similarity
from .statements import Statement


def _rank(finding: dict) -> int:
    if is_conflict(finding):
        return 2
    return 1 if finding["type"] != "wording" else 0


def citation(s: Statement) -> dict[str, Any]:
    return {"source": s.source, "article": s.article, "sentence": s.sentence}


def _fragment(text: str) -> bool:
    """A clause that does not open a sentence: starts in lower case ('which ...', 'that ...')."""
    first = text.lstrip("“”\"'‘’([ ")[:1]
    return not (first.isupper() or first.isdigit())


def facts(statements: list[Statement], groups: list[list[int]], sim: Similarity) -> list[dict]:
    """Each fact group with its status, sources, evidence and strongest finding, central
    facts first within a status (``sim.closeness``: each statement's similarity to all the
    others, from ``align``)."""
    out = []
    blocks = iter(sim.within([g for g in groups if len(g) > 1]))
    for g in groups:
        within = next(blocks) if len(g) > 1 else None
        members = [statements[i] for i in g]
        sources = sorted({s.source for s in members})
        independent = len({s.group for s in members})
        finding = None
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                f = check_pair(statements[g[x]], statements[g[y]], float(within[x, y]))
                if f and (finding is None or (_rank(f) > _rank(finding))):
                    finding = f
        if is_conflict(finding):
            status = "conflict"
        elif independent >= 2:
            status = "corroborated"
        else:
            status = "single_source"
        # the statement that stands for the fact: a whole sentence before a clause cut from one
        # ('which Vladimir Putin broke last month.' reads badly alone), then the earliest
        lead = min(members, key=lambda s: (_fragment(s.text), s.date or "9999", s.article,
                                           s.sentence))
        centrality = float(sim.closeness[g].sum()) / max(1, len(g))
        out.append({
            "text": lead.text, "status": status, "sources": sources,
            "independent_sources": independent,
            "evidence": [{"article": s.article, "sentence": s.sentence, "source": s.source,
                          "text": s.text} for s in members],
            "conflict": finding if status == "conflict" else None,
            "difference": finding if finding and status != "conflict" else None,
            "_order": (-independent, -centrality, lead.article, lead.sentence),
            "_members": g,
        })
    out.sort(key=lambda f: f["_order"])
    return out


# how 'they differ' reads for each conflict type
PLURAL = dict(zip(CONFLICT_TYPES, ("numbers", "dates", "attributions", "quotes", "accounts")))


def finding_label(finding: dict | None) -> str | None:
    """How a fact's finding reads beside it: 'date conflict' when certain, 'dates differ'
    when one side could not be placed; None for none, or for a wording difference (a
    translation variant is no reason to doubt the fact)."""
    if not finding or finding["type"] not in PLURAL:
        return None
    if is_conflict(finding):
        return f"{finding['type']} conflict"
    return f"{PLURAL[finding['type']]} differ"


def brief(fact_list: list[dict], statements: list[Statement], length: int) -> list[dict]:
    """The most corroborated and central facts, each sentence verbatim from a source and
    followed by every source that reports it; ``flag`` says when the sources disagree on it
    (the fact's conflict or difference, see :func:`finding_label`) and ``why`` which source
    says what."""
    chosen = [f for f in fact_list if f["status"] != "single_source"][:length]
    if len(chosen) < length:
        chosen += [f for f in fact_list if f["status"] == "single_source"][: length - len(chosen)]
    out = []
    for f in chosen:
        finding = shown_finding(f)
        flag = finding_label(finding)
        out.append({"text": f["text"], "status": f["status"], "flag": flag,
                    "why": finding["why"] if flag else None,
                    "citations": [citation(statements[i]) for i in f["_members"]]})
    return out


def timeline(statements: list[Statement], fact_list: list[dict],
             published: list[tuple[str, str, str]]) -> list[dict]:
    """Dated events (resolved times in the statements, and publication dates). Sources are
    merged into one entry when they report the same fact (one fact group) on the same date;
    two facts that fall on one date stay two entries, so an entry cites only sources that say
    what it says. Publications of one day are one entry naming every outlet. An entry whose
    fact the sources place differently in time carries that finding: ``certain`` when both
    dates are resolved and differ (a conflict), not when one side could not be placed ('two
    days after', in an undated article) and the accounts only differ."""
    fact_of = {i: n for n, f in enumerate(fact_list) for i in f["_members"]}
    events: dict[tuple[str, str, int], dict] = {}
    for i, s in enumerate(statements):
        for t in s.times:
            if not t["value"]:
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
    """The finding a reader is shown beside a fact: a conflict or difference, and a wording
    difference only between quotes ('for as long as it takes' / 'whatever is necessary').
    The term-by-term wording differences stay in the JSON for scripts: listed to a reader
    they are noise."""
    finding = fact.get("conflict") or fact.get("difference")
    if finding and finding["type"] == "wording" and not finding["a"].get("value"):
        return None
    return finding


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
