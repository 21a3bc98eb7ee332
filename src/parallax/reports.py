"""Reports the faces show, assembled once from the store: a story with its sources and the
comparison of what they say. A report is saved in the store with a key made of the story's
members, their lineage, the settings and the version, so it is made again exactly when one
of those changes (and after a relink, which clears them)."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from . import __version__, views
from .errors import StoreError
from .settings import Settings
from .store import Store, StoryFilter


def report_key(story, assignments, settings: Settings) -> str:
    material = {"version": __version__, "members": list(story.article_ids),
                "lineage": [[x.article_id, x.lineage_id, x.is_origin] for x in assignments],
                "settings": {k: v for k, v in asdict(settings).items()
                             if k not in ("db", "web_token")}}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()[:32]


def story_report(store: Store, story_id: str, settings: Settings | None = None, *,
                 save: bool = True) -> dict[str, Any]:
    """The story (``views.story_full``) plus its brief, facts and timeline: the saved one
    when the story has not changed since, else compared now (and saved unless ``save`` is
    False)."""
    from .compare import compare

    settings = settings or Settings()
    story = store.get_story(story_id)
    assignments = store.assignments(story.id)
    key = report_key(story, assignments, settings)
    saved = store.get_report(story.id, key)
    if saved is not None:
        return json.loads(zlib.decompress(saved))
    articles = store.get_articles(story.article_ids)
    data = views.story_full(story, articles, assignments)
    data.update(compare(store, articles, assignments, settings))
    if save:
        try:
            store.put_report(story.id, key, zlib.compress(json.dumps(data).encode("utf-8"), 6))
        except StoreError:
            pass  # a store busy or read-only: the report is still answered
    return data


PRECOMPUTE_MAX = 500  # larger stories are compared when first viewed (memory grows with size)


def precompute_reports(store: Store, settings: Settings, *, min_size: int,
                       max_size: int = PRECOMPUTE_MAX,
                       listener: Callable[[str, object], None] | None = None) -> int:
    """Compare now the stories of ``min_size`` to ``max_size`` articles whose saved report is
    out of date, so their first view is quick; returns how many were compared."""
    if min_size <= 0:
        return 0
    _total, stories = store.query_stories(StoryFilter(sort="size", limit=10**9, min_size=min_size,
                                                      max_size=max_size))
    todo = [story.id for story in stories if store.report_key(story.id)
            != report_key(story, store.assignments(story.id), settings)]
    for n, story_id in enumerate(todo, start=1):
        story_report(store, story_id, settings)
        if listener:
            listener("comparing", (n, len(todo)))
    return len(todo)
