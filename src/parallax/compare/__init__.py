"""Comparison of the sources of one story: facts (corroborated, single-source, conflicting),
a cited brief and a cited timeline. Nothing here is generated text: every line is a source's
sentence with its citations."""

from __future__ import annotations

from typing import Any

from ..records import Article
from ..settings import Settings
from ..store import Store, StoryAssignment
from .align import AlignParams, align
from .report import brief, date_flag, facts, timeline
from .statements import Statement, statements_of

__all__ = ["compare", "date_flag", "AlignParams", "Statement"]


def compare(store: Store, articles: list[Article], assignments: list[StoryAssignment],
            settings: Settings | None = None) -> dict[str, Any]:
    """Brief, facts and timeline of a story's already loaded articles (``reports.story_report``
    loads a stored story and adds its sources). ``assignments`` gives each article's lineage
    group (copies of one report never corroborate each other); the store is asked only for
    canonical entity ids."""
    settings = settings or Settings()
    group_of = {a.article_id: a.lineage_id for a in assignments if a.lineage_id}
    statements: list[Statement] = []
    published = []
    for art in articles:
        source = art.source_name
        statements += statements_of(art, source, group_of.get(art.id, art.id),
                                    store.article_entity_ids(art.id))
        if art.date:
            published.append((art.date[:10], source, art.id))
    groups, sim = align(statements, AlignParams(threshold=settings.align_threshold))
    fact_list = facts(statements, groups, sim)
    return {
        "brief": brief(fact_list, statements, settings.brief_sentences),
        "facts": [{k: v for k, v in f.items() if not k.startswith("_")} for f in fact_list],
        "timeline": timeline(statements, fact_list, published),
    }
