"""Reports the faces show, assembled once from the store: a story with its sources and the
comparison of what they say."""

from __future__ import annotations

from typing import Any

from . import views
from .compare import compare
from .settings import Settings
from .store import Store


def story_report(store: Store, story_id: str, settings: Settings | None = None) -> dict[str, Any]:
    """The story (``views.story_full``) plus its brief, facts and timeline."""
    story = store.get_story(story_id)
    articles = [store.get_article(aid) for aid in story.article_ids]
    assignments = store.assignments(story.id)
    data = views.story_full(story, articles, assignments)
    data.update(compare(store, articles, assignments, settings))
    return data
