"""Stories: group articles that report one real-world event."""

from __future__ import annotations

from ..records import Article
from ..settings import Settings
from ..store import Store, StoryAssignment
from .online import Doc, OnlineClusterer

__all__ = ["assign_stories", "OnlineClusterer", "Doc", "story_title"]


def article_doc(article: Article) -> Doc:
    return Doc(article.id, f"{article.title or ''}\n{article.text}", article.date)


def story_title(articles: list[Article]) -> str:
    """The founding article's title, else its first sentence (cut at 120 characters)."""
    for a in articles:
        if a.title:
            return a.title
    first = articles[0].text.strip().split("\n", 1)[0]
    sentence = first.split(". ", 1)[0]
    return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "..."


def assign_stories(store: Store, settings: Settings, *, rebuild: bool = False) -> int:
    """Replay the articles through the online clusterer in arrival order and save the result.

    Returns the number of articles newly assigned."""
    clusterer = OnlineClusterer(settings.story_threshold, settings.story_time_window_days)
    known = {} if rebuild else {a.article_id: a.story_id for a in store.assignments()}
    members: dict[str, list[Article]] = {}
    new: list[StoryAssignment] = []
    for article in store.iter_articles():
        sid = clusterer.add(article_doc(article))
        members.setdefault(sid, []).append(article)
        if known.get(article.id) != sid:
            new.append(StoryAssignment(article.id, sid))
    titles = {sid: story_title(arts) for sid, arts in members.items()}
    store.save_assignments(new, titles, replace_all=rebuild)
    return len(new)
