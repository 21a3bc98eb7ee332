"""Comparison of the sources of one story: facts (corroborated, single-source, conflicting),
a cited brief and a cited timeline. Nothing here is generated text: every line is a source's
sentence with its citations."""

from __future__ import annotations

from typing import Any

from ..records import Article
from ..settings import Settings
from ..store import Store, StoryAssignment
from .align import AlignParams, align
from .places import demonym_links
from .report import brief, date_flag, facts, timeline
from .statements import Statement, statements_of

__all__ = ["compare", "story_statements", "date_flag", "AlignParams", "Statement"]


def story_statements(store: Store, articles: list[Article], sources: list[str],
                     groups: list[str]) -> list[Statement]:
    """The statements of a story's articles (each with its source and lineage group), with
    canonical entity ids; a demonym counts as the place the story names ('Russian' as
    'Russia')."""
    canonicals = [store.article_entity_ids(art.id) for art in articles]
    same_as = demonym_links({c.id: c for per in canonicals for c in per.values()}.values())
    out: list[Statement] = []
    for art, source, group, canonical in zip(articles, sources, groups, canonicals):
        out += statements_of(art, source, group, canonical, same_as)
    return out


def compare(store: Store, articles: list[Article], assignments: list[StoryAssignment],
            settings: Settings | None = None) -> dict[str, Any]:
    """Brief, facts and timeline of a story's already loaded articles (``reports.story_report``
    loads a stored story and adds its sources). ``assignments`` gives each article's lineage
    group (copies of one report never corroborate each other); the store is asked only for
    canonical entity ids."""
    settings = settings or Settings()
    group_of = {a.article_id: a.lineage_id for a in assignments if a.lineage_id}
    statements = story_statements(store, articles, [art.source_name for art in articles],
                                  [group_of.get(art.id, art.id) for art in articles])
    published = [(art.date[:10], art.source_name, art.id) for art in articles if art.date]
    groups, sim = align(statements, AlignParams(threshold=settings.align_threshold))
    fact_list = facts(statements, groups, sim)
    return {
        "brief": brief(fact_list, statements, settings.brief_sentences),
        "facts": [{k: v for k, v in f.items() if not k.startswith("_")} for f in fact_list],
        "timeline": timeline(statements, fact_list, published),
    }
