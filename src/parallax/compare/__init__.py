"""Comparison of the sources of one story: facts (corroborated, single-source, conflicting),
a cited brief and a cited timeline. Nothing here is generated text: every line is a source's
sentence with its citations."""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from ..store import Store
from .align import AlignParams, align
from .report import brief, facts, timeline
from .statements import Statement, statements_of

__all__ = ["compare_story", "AlignParams", "Statement"]


def compare_story(store: Store, story_id: str, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    story = store.get_story(story_id)
    lineage = {a.article_id: a for a in store.assignments(story.id)}
    statements: list[Statement] = []
    published = []
    for aid in story.article_ids:
        art = store.get_article(aid)
        source = art.source_name
        group = lineage[aid].lineage_id if aid in lineage and lineage[aid].lineage_id else aid
        statements += statements_of(art, source, group, store.article_entity_ids(aid))
        if art.date:
            published.append((art.date[:10], source, aid))
    groups, sim = align(statements, AlignParams(threshold=settings.align_threshold))
    fact_list = facts(statements, groups, sim)
    result = {
        "brief": brief(fact_list, statements, settings.brief_sentences),
        "facts": [{k: v for k, v in f.items() if not k.startswith("_")} for f in fact_list],
        "timeline": timeline(statements, fact_list, published),
    }
    return result
