"""Stories: group articles that report one real-world event.

``lineage`` finds copies of one report (one source, however many outlets ran it); ``online``
assigns each article to a story as it arrives; ``refine`` is the batch pass of a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..settings import Settings
from .assign import article_doc, assign_stories, params_from
from .embeddings import Embedder, get_embedder, register, with_embeddings
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
    docs = with_embeddings(docs, get_embedder(params.embedder))
    clusterer = OnlineClusterer(params, keep_vectors=rebuild)
    for doc in docs:
        clusterer.add(doc)
    if rebuild:
        clusterer.refine([d.id for d in docs])
    return clusterer.assignments()
