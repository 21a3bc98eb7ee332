"""What the pages and the API ask of the store: story listing with search, filters, sorting and
pagination; one story with its sources by lineage; one article with its edits as a diff."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .. import views
from ..records import Article
from ..store import Store
from ..stories.features import names

SORTS = ("recent", "size", "sources")


@dataclass(frozen=True)
class StoryQuery:
    q: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    sort: str = "recent"
    page: int = 1
    per_page: int = 20


def list_stories(store: Store, query: StoryQuery) -> dict[str, Any]:
    stories = store.list_stories()
    if query.q or query.entity:
        wanted = set()
        for term in (query.q, query.entity):
            if term:
                hits = {a.id for a in store.search_articles(term, limit=5000)}
                wanted = hits if not wanted else wanted & hits
        stories = [s for s in stories if wanted & set(s.article_ids)]
    if query.outlet:
        o = query.outlet.casefold()
        stories = [s for s in stories if any(o in x.casefold() for x in s.outlets)]
    if query.date_from:
        stories = [s for s in stories if (s.last_date or "") >= query.date_from]
    if query.date_to:
        stories = [s for s in stories if s.first_date and s.first_date <= query.date_to]
    key = {"recent": lambda s: (s.last_date or "", s.size, s.id),
           "size": lambda s: (s.size, s.independent_sources, s.id),
           "sources": lambda s: (s.independent_sources, s.size, s.id)}[query.sort]
    stories.sort(key=key, reverse=True)
    total = len(stories)
    start = (query.page - 1) * query.per_page
    return {"total": total, "page": query.page, "per_page": query.per_page,
            "items": [views.story_summary(s) for s in stories[start:start + query.per_page]]}


def story_detail(store: Store, story_id: str) -> dict[str, Any]:
    story = store.get_story(story_id)
    articles = [store.get_article(aid) for aid in story.article_ids]
    assignments = {a.article_id: a for a in store.assignments() if a.story_id == story.id}
    lineage = {aid: a.lineage_id for aid, a in assignments.items()}
    data = views.story_full(story, articles, lineage)
    groups: dict[str, list[dict]] = {}
    for art in data["articles"]:
        art["is_origin"] = assignments[art["id"]].is_origin if art["id"] in assignments else True
        groups.setdefault(art["lineage"] or art["id"], []).append(art)
    data["sources"] = [{"lineage": gid, "articles": members} for gid, members in groups.items()]
    data["entities"] = top_names(articles)
    return data


def top_names(articles: list[Article], limit: int = 15) -> list[dict[str, Any]]:
    """Names mentioned by the most articles (a stand-in until canonical entities exist)."""
    per_article: Counter[str] = Counter()
    for a in articles:
        per_article.update(set(n for n in names(a.text) if "_" in n or len(n) > 3))
    return [{"name": n.replace("_", " ").title(), "articles": c}
            for n, c in per_article.most_common(limit)]


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    a = store.get_article(article_id)
    story_of = {x.article_id: x.story_id for x in store.assignments()}
    data = views.article_full(a, story_of.get(a.id), store.article_entity_ids(a.id))
    data["diff"] = diff_segments(a)
    return data


def diff_segments(a: Article) -> list[dict[str, str]]:
    """The raw text as segments: kept text, removed text (with the rule) and inserted text."""
    segments: list[dict[str, str]] = []
    pos = 0
    raw = a.raw_text
    for e in sorted(a.edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.rule == "whitespace":
            continue
        if e.start > pos:
            segments.append({"kind": "same", "text": raw[pos:e.start]})
        if e.end > e.start:
            segments.append({"kind": "removed", "text": raw[e.start:e.end], "rule": e.rule})
        if e.after:
            segments.append({"kind": "added", "text": e.after, "rule": e.rule})
        pos = e.end
    if pos < len(raw):
        segments.append({"kind": "same", "text": raw[pos:]})
    return segments
