"""Stories: group articles that report one real-world event.

``lineage`` finds copies of one report (one source, however many outlets ran it); ``online``
assigns each article to a story as it arrives; ``refine`` is the batch pass of a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Article
from ..settings import Settings
from ..store import Store, StoryAssignment
from .features import Doc
from .lineage import Lineage
from .online import ClusterParams, OnlineClusterer

__all__ = ["assign_stories", "cluster_docs", "ClusterParams", "OnlineClusterer", "Doc",
           "story_title", "params_from"]


def params_from(settings: Settings | None) -> ClusterParams:
    s = settings or Settings()
    return ClusterParams(threshold=s.story_threshold, entity_weight=s.story_entity_weight,
                         window_days=s.story_time_window_days,
                         time_scale_days=s.story_time_scale_days,
                         time_bonus=s.story_time_bonus,
                         merge_threshold=s.story_merge_threshold)


def cluster_docs(docs: Sequence[Doc], settings: Settings | None = None, *,
                 rebuild: bool = False) -> dict[str, str]:
    """Cluster documents given in arrival order: article id -> story id."""
    clusterer = OnlineClusterer(params_from(settings))
    for doc in docs:
        clusterer.add(doc)
    if rebuild:
        clusterer.refine([d.id for d in docs])
    return clusterer.assignments()


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
    """Replay the stored articles in arrival order through lineage and the clusterer, and save
    story membership. Returns the number of articles whose story changed."""
    articles = list(store.iter_articles())
    docs = [article_doc(a) for a in articles]
    assigned = cluster_docs(docs, settings, rebuild=rebuild)
    lineage = Lineage(settings.lineage_threshold)
    for a in articles:
        lineage.add(a)
    by_story: dict[str, list[Article]] = {}
    for a in articles:
        by_story.setdefault(assigned[a.id], []).append(a)
    known = {x.article_id: x for x in store.assignments()}
    changed = []
    for a in articles:
        group = lineage.group_of(a.id)
        new = StoryAssignment(a.id, assigned[a.id], group.id, group.origin == a.id)
        if rebuild or known.get(a.id) != new:
            changed.append(new)
    titles = {sid: story_title(arts) for sid, arts in by_story.items()}
    store.save_assignments(changed, titles, replace_all=rebuild)
    return len(changed)
