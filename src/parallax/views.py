"""Stable JSON shapes of articles and stories, shared by the CLI's --json and the web API.

Keys only get added, never renamed or removed, so scripts can rely on them.
"""

from __future__ import annotations

from typing import Any

from .outlets import Speaker, outlet_counts
from .records import Article, Story
from .textutil import lede


def article_summary(a: Article, story_id: str | None = None) -> dict[str, Any]:
    return {
        "id": a.id, "title": a.title,
        # what to show for it: the headline, or (none given) the first sentence, said so
        "display_title": a.title or f"[no headline] {lede(a.text, 90)}",
        "outlet": a.outlet, "credited_source": a.credited_source,
        "url": a.url, "date": a.date, "date_source": a.date_source,
        "date_confidence": a.date_confidence, "lang": a.lang, "author": a.author,
        "version": a.version, "origin": a.origin, "story": story_id, "chars": len(a.text),
    }


def article_full(a: Article, story_id: str | None = None,
                 canonical: dict[str, Any] | None = None) -> dict[str, Any]:
    """``canonical``: local entity key -> CanonicalEntity (from ``store.article_entity_ids``)."""
    out = article_summary(a, story_id)
    out.update({
        "supersedes": a.supersedes, "ingested_at": a.ingested_at, "text": a.text,
        "raw_text": a.raw_text, "raw_format": a.raw_format, "metadata": a.metadata,
        "edits": [e.as_dict() for e in a.edits],
    })
    out.update(analysis(a.analysis, canonical or {}))
    return out


def analysis(data: dict[str, Any] | None, canonical: dict[str, Any]) -> dict[str, Any]:
    """The understanding stage's output: sentences, entities (canonical id, name, aliases),
    quotes, numbers and times, each with its sentence index."""
    if not data:
        return {"analysed": False, "sentences": [], "entities": [], "quotes": [], "numbers": [],
                "times": []}
    entities = []
    for e in data["entities"]:
        c = canonical.get(e["key"])
        known = e.get("known", [])  # mentions the known-name pass added (lists, from JSON)
        entities.append({
            "id": c.id if c else None, "name": c.name if c else e["name"], "label": e["label"],
            "aliases": list(c.aliases) if c else e["aliases"], "aliases_here": e["aliases"],
            "mentions": [{"sentence": m[0], "start": m[1], "end": m[2],
                          "found_by": "known_name" if m in known else "tagger"}
                         for m in e["mentions"]],
        })
    return {"analysed": True, "entity_tagged": data["entity_tagged"],
            "inferred_date": data.get("inferred_date"), "sentences": data["sentences"],
            "entities": entities, "quotes": data["quotes"], "numbers": data["numbers"],
            "times": data["times"]}


def story_summary(s: Story) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "size": s.size, "outlets": list(s.outlets),
        "independent_sources": s.independent_sources, "first_date": s.first_date,
        "last_date": s.last_date,
    }


def story_full(s: Story, articles: list[Article], assignments: list[Any]) -> dict[str, Any]:
    """The story with its articles and ``sources``: the articles grouped by voice, one
    independent source each (copies of one report, and one outlet's articles, form one
    source; ``is_origin`` marks the report the copies come from), sources and their articles
    in date order (undated last). ``lineage`` is the first article's lineage group, kept for
    scripts written before voices. ``outlet_counts``: each outlet once, with its articles."""
    from .compare import source_name, story_voices

    by_id = {x.article_id: x for x in assignments}
    voice_of = story_voices(articles, assignments)
    out = story_summary(s)
    out["articles"] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in articles:
        x = by_id.get(a.id)
        row = dict(article_summary(a, s.id), lineage=x.lineage_id if x else None,
                   is_origin=x.is_origin if x else True, voice=voice_of[a.id])
        out["articles"].append(row)
        groups.setdefault(voice_of[a.id], []).append(row)
    names = {a.id: source_name(a) for a in articles}
    when = lambda m: (m["date"] or "9999", m["id"])  # noqa: E731 - undated last
    for members in groups.values():
        members.sort(key=when)
    out["sources"] = [{"voice": vid, "lineage": members[0]["lineage"] or members[0]["id"],
                       "names": sorted({names[m["id"]] for m in members}), "articles": members}
                      for vid, members in sorted(groups.items(), key=lambda g: when(g[1][0]))]
    counts = outlet_counts(Speaker(a.id, a.outlet, a.credited_source, None) for a in articles)
    out["outlet_counts"] = [{"outlet": name, "articles": n} for name, n in
                            sorted(counts.items(), key=lambda c: (-c[1], c[0].casefold()))]
    return out


def cleaning(a: Article) -> dict[str, Any]:
    """What ``parallax clean`` shows: the cleaned text, recovered metadata and every edit."""
    metadata = {k: v for k, v in (("title", a.title), ("credited_source", a.credited_source),
                                  ("author", a.author), ("date", a.date)) if v}
    metadata.update(a.metadata)
    return {"origin": a.origin, "text": a.text, "metadata": metadata,
            "edits": [e.as_dict() for e in a.edits], "raw_text": a.raw_text}
