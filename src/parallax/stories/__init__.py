"""Stories: group articles that report one real-world event.

``lineage`` finds copies of one report (one source, however many outlets ran it); ``online``
assigns each article to a story as it arrives; ``consensus`` is the batch pass of a rebuild
(the majority of several orders), which ``refine`` is when it runs once.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..settings import Settings
from .assign import article_doc, assign_stories, params_from
from .embeddings import Embedder, get_embedder, register, with_embeddings
from .features import Doc
from .rebuild import Member, Progress, batch, batch_member, in_windows
from .online import ClusterParams, OnlineClusterer, doc_counts, story_id_for
from .windows import Dated, windowed_groups

__all__ = ["assign_stories", "cluster_docs", "batch", "Member", "ClusterParams",
           "OnlineClusterer", "Doc", "params_from", "article_doc", "Embedder", "register",
           "get_embedder"]


def cluster_docs(docs: Sequence[Doc], settings: Settings | None = None, *,
                 rebuild: bool = False, notify: Progress | None = None) -> dict[str, str]:
    """Cluster documents given in arrival order: article id -> story id. The online pass is the
    one ingest runs (old stories close as the stream moves on); ``rebuild`` adds the batch pass
    (``stories.rebuild``: the consensus or the pair mode, as ``story_batch`` says: the same
    stories whatever the order given; ``notify`` hears which method ran, as in
    ``stories.rebuild.batch``; above ``rebuild.PAIRS_MAX_ARTICLES`` docs, the pair mode in
    time windows, ``stories.windows``)."""
    settings = settings or Settings()
    params = params_from(settings)
    windows = in_windows(settings.story_batch, len(docs), bool(params.embedder)) \
        if rebuild else None
    if windows:  # the pair mode in time windows (``stories.windows``), no online pass
        if notify:
            notify("batch method", windows)
        by_id = {doc.id: doc for doc in docs}
        groups = windowed_groups([Dated(doc.day, k, doc.id) for k, doc in enumerate(docs)],
                                 lambda ids: [by_id[i] for i in ids], params, notify=notify)
        return {aid: story_id_for(group[0]) for group in groups for aid in group}
    docs = with_embeddings(docs, get_embedder(params.embedder))
    clusterer = OnlineClusterer(params, keep_vectors=rebuild)
    members = []
    for doc in docs:
        counts = doc_counts(doc)
        clusterer.add(doc, counts)
        if rebuild:
            members.append(batch_member(doc, counts, settings.story_batch))
    if rebuild:
        batch(clusterer, members, settings.story_rebuild_runs, notify, mode=settings.story_batch)
    return clusterer.assignments()
