"""Dense embeddings are an optional, pluggable clustering signal: an embedder registered by
name changes what joins a story, its vectors survive the saved state, and the default path
never imports torch."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from parallax.errors import ConfigError
from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.stories import Doc, Embedder, cluster_docs, get_embedder, register
from parallax.stories.embeddings import embed_docs, with_embeddings
from parallax.stories.online import OnlineClusterer
from parallax.stories.assign import params_from
from parallax.store import SQLiteStore

TOPICS = {"quake": 0, "tremor": 0, "seismic": 0, "election": 1, "ballot": 1, "vote": 1}


@register("test-topics")
class TopicEmbedder(Embedder):
    """One axis per topic word family: 'quake' and 'tremor' point the same way."""

    def __init__(self, model=None):
        self.calls = 0

    def embed(self, texts):
        out = np.full((len(texts), 3), 0.01)
        for i, text in enumerate(texts):
            for word, axis in TOPICS.items():
                if word in text.lower():
                    out[i, axis] += 1.0
        return out


# Two reports of one event in different words, and one of another event in the same region.
# Candidates still come from the words index ('region', 'officials'); the embedding decides.
DOCS = [Doc("a", "Strong quake felt across the region overnight, officials in the region said.",
            "2024-05-01"),
        Doc("b", "Violent tremor shook the region; officials ordered a seismic survey.",
            "2024-05-01"),
        Doc("c", "Officials in the region began ballot counting after the election.",
            "2024-05-01")]


def test_registry_names_embedders_and_explains_a_wrong_name():
    assert isinstance(get_embedder("test-topics"), TopicEmbedder)
    assert get_embedder("test-topics") is get_embedder("test-topics")  # one model load
    assert get_embedder("") is None and get_embedder("none") is None
    with pytest.raises(ConfigError) as err:
        get_embedder("no-such-embedder")
    assert err.value.code == "E004" and "test-topics" in str(err.value)


def test_an_embedder_changes_what_joins_a_story():
    # one threshold for all lengths (three one-line texts would otherwise join at the
    # short-text threshold on 'officials' and 'region' alone: IDF over three texts is no guide)
    plain = cluster_docs(DOCS, Settings(story_short_terms=0))
    assert len({plain["a"], plain["b"], plain["c"]}) == 3  # too few shared words: three
    dense = cluster_docs(DOCS, Settings(story_embedder="test-topics", story_short_terms=0,
                                        story_embedding_weight=0.6))
    assert dense["a"] == dense["b"] != dense["c"]


def test_dense_vectors_survive_the_saved_state():
    settings = Settings(story_embedder="test-topics", story_embedding_weight=0.6)
    docs = with_embeddings(DOCS, get_embedder("test-topics"))
    first = OnlineClusterer(params_from(settings), keep_vectors=False)
    first.add(docs[0])
    state = json.loads(json.dumps(first.state()))
    resumed = OnlineClusterer.from_state(state, params_from(settings))
    (story,) = resumed.stories.values()
    assert np.allclose(story.dense, docs[0].embedding, atol=1e-5)
    for doc in docs[1:]:
        resumed.add(doc)
    assert resumed.story_of["b"] == resumed.story_of["a"] != resumed.story_of["c"]


def test_the_pipeline_embeds_in_batches_and_resumes(tmp_path, monkeypatch):
    from parallax.stories import assign

    monkeypatch.setattr(assign, "EMBED_BATCH", 2)  # b and c together, a replay splits a|b, c
    settings = Settings(understand=0, per_host_delay=0.0, story_embedder="test-topics",
                        story_embedding_weight=0.6)
    rows = [{"id": d.id, "text": d.text, "date": d.date, "source": f"outlet-{d.id}"}
            for d in DOCS]
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[:1]))
    second.write_text("".join(json.dumps(r) + "\n" for r in rows[1:]))
    with SQLiteStore(tmp_path / "s.db") as store:
        ingest([str(first)], store, settings)
        update_stories(store, settings)
        ingest([str(second)], store, settings)
        update_stories(store, settings)  # resumed from the saved state, dense sums included
        sizes = sorted(s.size for s in store.list_stories())
    assert sizes == [1, 2]


def test_sentence_transformers_missing_is_one_clear_error():
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError) as err:
            get_embedder("sentence-transformers:all-MiniLM-L6-v2")
        assert err.value.code == "E005" and "requirements/embeddings.txt" in str(err.value)
    else:
        pytest.skip("sentence-transformers is installed here")


# Records every attempt to import the heavy packages, installed or not (an import that fails
# leaves nothing in sys.modules, so looking there proves nothing where they are missing).
WATCH = """
import sys
tried = []
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "sentence_transformers", "transformers"):
            tried.append(name)
        return None
sys.meta_path.insert(0, Watch())
"""


def test_the_default_path_never_imports_torch(tmp_path):
    code = WATCH + (
        "from parallax.stories import cluster_docs, Doc\n"
        "cluster_docs([Doc('a', 'Quake hits the coast.'), Doc('b', 'Quake on the coast.')])\n"
        "print(sorted(set(tried)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # the watch itself sees an attempt (so the empty list above means something)
    probe = WATCH + "import importlib.util\nimportlib.util.find_spec('torch')\nprint(tried)\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "torch" in out.stdout


def test_the_packaged_minilm_embeds_when_installed(monkeypatch):
    """Runs where `make embeddings` was run (skipped elsewhere): the real model, offline."""
    pytest.importorskip("sentence_transformers")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    unit = embed_docs(get_embedder("sentence-transformers:all-MiniLM-L6-v2"),
                      [d.text for d in DOCS])
    assert unit.shape == (3, 384)
    assert unit[0] @ unit[1] > unit[0] @ unit[2]  # the quake reports are closer
