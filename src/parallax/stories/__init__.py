"""Stories: group articles that report one real-world event.

``lineage`` finds copies of one report (one source, however many outlets ran it); ``online``
assigns each article to a story as it arrives; ``refine`` is the batch pass of a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..settings import Settings
from .assign import article_doc, assign_stories, params_from
from .embeddings import Embedder, embed_docs, get_embedder, register
from .features import Doc
from .online import ClusterParams, OnlineClusterer

__all__ = ["assign_stories", "cluster_docs", "ClusterParams", "OnlineClusterer", "Doc",
           "params_from", "article_doc", "Embedder", "register", "get_embedder"]


def cluster_docs(docs: Sequence[Doc], settings: Settings | None = None, *,
                 rebuild: bool = False) -> dict[str, str]:
    """Cluster documents given in arrival order: article id -> story id. The online pass is the
    one ingest runs (old stories close as the stream moves on); ``rebuild`` keeps every
    article's vectors for the batch refinement."""
    params = params_from(settings)
    embedder = get_embedder(params.embedder)
    if embedder is not None:
        vectors = embed_docs(embedder, [d.text for d in docs])
        docs = [replace(d, embedding=v) for d, v in zip(docs, vectors)]
    clusterer = OnlineClusterer(params, keep_vectors=rebuild)
    for doc in docs:
        clusterer.add(doc)
    if rebuild:
        clusterer.refine([d.id for d in docs])
    return clusterer.assignments()
