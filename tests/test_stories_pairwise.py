"""The 'pairs' batch mode (story_batch = "pairs", stories/pairwise.py): a pair model learned on
ECB+ train+dev, average-link over its probabilities."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.errors import ConfigError
from parallax.eval.clusters import evaluate
from parallax.eval.metrics import all_metrics
from parallax.settings import Settings
from parallax.stories import cluster_docs, params_from
from parallax.stories.rebuild import batch_member, choose_method
from parallax.stories.features import Doc
from parallax.stories.online import doc_counts
from parallax.stories.pairwise import (SIGNALS, PairSignals, average_link, pair_groups,
                                       shipped_model, time_factors)

from .conftest import EXAMPLES, SHARED
from .test_stories_batch import b3_f1, ecb_rows, partition, shuffled, stored_rebuilds

PAIRS = Settings(story_batch="pairs")
CONSENSUS = Settings(story_batch="consensus")


def test_the_shipped_model_reads_the_signals_the_code_computes():
    model = shipped_model()
    assert model.signals == SIGNALS
    assert model.trees is not None and len(model.trees.roots) >= 50
    inner = ~model.trees.leaf
    assert model.trees.feature[inner].max() < len(SIGNALS)
    assert 0.0 < model.threshold < 1.0
    # a pair that shares everything is one story, one that shares nothing is not
    same = np.array([[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]])
    apart = np.array([[0.02, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0]])
    assert model.probability(same)[0] > 0.9 > 0.1 > model.probability(apart)[0]


def _fitted_trees(seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3000, len(SIGNALS)))
    y = X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(size=len(X)) > 0
    return X, HistGradientBoostingClassifier(early_stopping=False, random_state=0,
                                             max_iter=30, max_leaf_nodes=15).fit(X, y)


def test_the_trees_score_as_the_classifier_they_were_written_from():
    """pair_model.json holds the trees as arrays (no pickle): read back, they give the trained
    classifier's probabilities, through scikit-learn's compiled predictor and through the
    numpy walk alike (the walk serves where another scikit-learn has no such predictor)."""
    from parallax.stories.pairtrees import TreeEnsemble

    X, clf = _fitted_trees()
    trees = TreeEnsemble.from_json(json.loads(json.dumps(TreeEnsemble.from_sklearn(clf).to_json())))
    probe = np.random.default_rng(1).normal(size=(2000, len(SIGNALS)))
    probe[::7, 3] = 0.0  # values on and around thresholds
    probe[1::7, 0] = trees.threshold[trees.roots[0]]
    want = clf.predict_proba(probe)[:, 1]
    assert trees._predictors() is not None  # this scikit-learn's compiled predictor
    assert np.allclose(trees.probability(probe), want, rtol=0, atol=1e-12)
    assert np.array_equal(trees.walk(probe), trees.log_odds(probe))
    walking = TreeEnsemble.from_json(trees.to_json())
    walking._compiled.append(None)  # as where the compiled predictor cannot be built
    assert np.array_equal(walking.log_odds(probe), trees.log_odds(probe))
    import pickle  # to an engine's worker, once scored here: the predictors are built there

    sent = pickle.loads(pickle.dumps(trees))
    assert sent._compiled == [] and np.array_equal(sent.log_odds(probe), trees.log_odds(probe))


def test_average_link_joins_by_mean_probability_within_connected_groups():
    # 0-1-2 strongly linked, 3 tied to 2 alone (mean to the group 0.7/3 < 0.4), 4 and 5 a pair
    iu = np.array([0, 0, 1, 2, 4])
    ju = np.array([1, 2, 2, 3, 5])
    p = np.array([0.9, 0.8, 0.85, 0.7, 0.95])
    groups = sorted(sorted(g) for g in average_link(6, iu, ju, p, threshold=0.6))
    assert groups == [[0, 1, 2], [3], [4, 5]]
    # a looser threshold lets 3 join (mean 0.7/3 = 0.23 >= 1 - 0.8)
    groups = sorted(sorted(g) for g in average_link(6, iu, ju, p, threshold=0.8))
    assert groups == [[0, 1, 2, 3], [4, 5]]


def test_time_factors_are_the_online_clusterers():
    from parallax.stories.online import gap_factor

    params = params_from(Settings())
    gap = np.array([-1.0, np.nan, 0.0, 7.0, 37.0])
    got = time_factors(gap, params)  # window 7 days, scale 30, bonus 1.6
    assert got.tolist() == pytest.approx([1.0, 1.0, 1.6, 1.6, np.exp(-1.0)])
    days = np.arange(0, 400, 0.5)  # the array form and the online clusterer's own, everywhere
    assert time_factors(days, params).tolist() == pytest.approx([gap_factor(g, params) for g in days])


def test_signals_of_two_reports_of_one_event_and_of_its_twin():
    texts = ["Quake\nA 4.6 earthquake struck Sonoma County on Thursday 2013, officials said.",
             "Quake hits\nA 4.6 magnitude earthquake shook Sonoma County in 2013.",
             "Quake\nA 4.2 earthquake struck Lake County in 2009, officials said."]
    sig = PairSignals([Doc(str(k), t) for k, t in enumerate(texts)])
    pairs = list(zip(sig.iu.tolist(), sig.ju.tolist()))
    assert (0, 1) in pairs and (0, 2) in pairs
    same, twin = pairs.index((0, 1)), pairs.index((0, 2))
    assert sig.f["numbers"][same] > sig.f["numbers"][twin]
    assert sig.f["years_disjoint"][twin] == 1.0 and sig.f["years_disjoint"][same] == 0.0


def test_pair_groups_do_not_depend_on_the_order_given():
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date"))
            for r in ecb_rows()]
    params = params_from(Settings())
    first = sorted(sorted(g) for g in pair_groups(docs, params))
    again = pair_groups(shuffled(docs, 7), params)
    assert sorted(sorted(g) for g in again) == first and len(first) > 2
    # each group keeps the order it was given in
    pos = {d.id: n for n, d in enumerate(shuffled(docs, 7))}
    assert all([pos[a] for a in g] == sorted(pos[a] for a in g) for g in again)


def test_pairs_tell_the_twin_events_apart_better_than_the_consensus(ecb_topics):
    consensus = cluster_docs(ecb_topics, CONSENSUS, rebuild=True)
    pairs = cluster_docs(ecb_topics, PAIRS, rebuild=True)
    assert b3_f1(pairs) > b3_f1(consensus) + 0.02
    orders = {json.dumps(partition(cluster_docs(shuffled(ecb_topics, s), PAIRS, rebuild=True)))
              for s in range(3)}
    assert len(orders) == 1


@pytest.fixture(scope="module")
def ecb_topics():
    return [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date"))
            for r in ecb_rows()]


def test_pairs_on_basil_keep_the_three_outlets_of_an_event_together():
    result = evaluate(SHARED / "data" / "basil" / "articles.jsonl", settings=PAIRS, rebuild=True)
    # a floor under today's 0.974 (95 stories); the issue's 0.98 is the strict xfail below
    assert result["b3_f1"] >= 0.97 and result["clusters_pred"] >= 95


@pytest.mark.xfail(strict=True, reason="BASIL >= 0.98 in the pair mode: 0.9796 with the trees "
                   "fitted on all three forms (0.974 fitted on full texts, 0.975 with the "
                   "logistic model) (issue 23)")
def test_pairs_on_basil_reach_the_issues_target():
    result = evaluate(SHARED / "data" / "basil" / "articles.jsonl", settings=PAIRS, rebuild=True)
    assert result["b3_f1"] >= 0.98


def _labelled(tmp_path, name: str, rows: list[dict]):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps({k: r.get(k) for k in ("id", "title", "text", "date", "story")})
                            + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_default_rebuild_reaches_the_issues_targets_on_ecbplus_test_and_a_mixed_archive(tmp_path):
    """Issue 23: ECB+ test >= 0.93 and ECB+ and BASIL in one archive >= 0.93, with the shipped
    defaults (`cluster --rebuild` runs 'auto': the pair mode on archives like these). The pair
    model never saw ECB+ test or BASIL (bench/train_pair_model.py: ECB+ train+dev)."""
    ecb = ecb_rows(topics=tuple(str(t) for t in range(1, 46)))
    basil = [json.loads(line) for line in
             (SHARED / "data" / "basil" / "articles.jsonl").read_text().splitlines() if line.strip()]
    test = evaluate(_labelled(tmp_path, "ecb_test", [r for r in ecb if r["split"] == "test"]),
                    rebuild=True)
    assert test["batch_method"] == "pairs" and test["b3_f1"] >= 0.93
    mixed = evaluate(_labelled(tmp_path, "mixed", ecb + basil), rebuild=True)
    assert mixed["batch_method"] == "pairs" and mixed["b3_f1"] >= 0.93


def test_an_unknown_batch_mode_is_a_config_error():
    with pytest.raises(ConfigError, match="story_batch"):
        params_from(Settings(story_batch="kmeans"))


def test_stored_rebuild_with_pairs_gives_the_same_stories_whatever_the_ingest_order(tmp_path):
    got = stored_rebuilds(tmp_path, story_batch="pairs")
    # order-free; on this 16-article excerpt one twin pair is joined (the pair signals are
    # weighed with IDF over the archive: a tiny archive is a weak guide, docs/benchmarks.md)
    assert got[0] == got[1] and len(got[0]) >= 3


@pytest.mark.parametrize("texts", [
    ["Storm hits coast\n", "Storm hits coast\n", "Markets fall\n"],  # headlines only: no body
    ["\n", "\n", "\n"],  # nothing at all
    ["quiet day at the harbour\n", "quiet day at the harbour again\n"],  # no digits, no names
])
def test_pairs_mode_is_safe_on_texts_without_a_body_digits_or_names(texts):
    docs = [Doc(f"d{i}", t, "2019-01-0%d" % (1 + i % 9)) for i, t in enumerate(texts)]
    groups = pair_groups(docs, params_from(Settings()))
    assert sorted(a for g in groups for a in g) == sorted(d.id for d in docs)


def test_candidates_are_bounded_by_top_k_per_article_whatever_the_texts_share():
    """Boilerplate every crawled page carries makes every pair similar: the candidates stay
    at most TOP_K per article instead of every pair (a 6,335-article crawl once took 23 GB)."""
    from parallax.stories.features import terms
    from parallax.stories.pairsignals import TOP_K, candidate_pairs, tfidf

    boiler = ("subscribe newsletter cookies privacy policy advertisement share facebook twitter "
              "related stories copyright reserved ") * 5
    texts = [f"{boiler} report number {i} about item{i % 37} and place{i % 11}" for i in range(400)]
    iu, ju = candidate_pairs(tfidf([terms(t) for t in texts]), TOP_K, 0.05)
    assert 0 < len(iu) <= len(texts) * TOP_K < len(texts) * (len(texts) - 1) // 2
    assert (iu < ju).all()
    docs = [Doc(f"d{i:03d}", t, "2019-01-02") for i, t in enumerate(texts)]
    assert sum(len(g) for g in pair_groups(docs, params_from(Settings()))) == len(texts)


def test_a_pair_of_headlines_is_judged_at_the_short_text_threshold():
    """Two headlines of one event share fewer words than two reports of it: the pair model is
    fitted on headlines and first paragraphs too, and the pair mode moves a pair's threshold
    with how short its texts are (chosen on ECB+ train+dev as headlines and first
    paragraphs, bench/train_pair_model.py)."""
    from .test_stories import HEADLINES

    model = shipped_model()
    assert model.threshold_short is not None and model.threshold_short > model.threshold
    p, short = np.array([0.3, 0.3, 0.9]), np.array([0.0, 0.8, 0.8])
    got = model.comparable(p, short)
    assert got[0] == pytest.approx(0.3) and got[1] > 0.31 and got[2] > got[1]  # full texts unchanged
    docs = [Doc(i, f"{t}\n", "2019-01-02") for i, t in HEADLINES]
    stories = {frozenset(g) for g in pair_groups(docs, params_from(Settings()))}
    assert {"o1", "o2", "o4"} in {frozenset(g) & {"o1", "o2", "o4"} for g in stories}


def test_candidates_prefer_reports_of_the_same_dates_over_the_same_text_years_apart(monkeypatch):
    """A recurring kind of event (the same wire text on many dates) must not fill an article's
    candidates with other dates' copies: candidates rank by cosine x time factor. Without the
    dates the copies of 2020 (first by index) would take every 2023 article's 10 places."""
    import parallax.stories.pairsignals as ps

    monkeypatch.setattr(ps, "TOP_K", 10)
    text = "Storm floods the harbour, ferries cancelled, the mayor calls for calm\n"
    docs = [Doc(f"a{i:02d}", text, "2020-01-01") for i in range(30)] + \
        [Doc(f"b{i:02d}", text, "2023-06-01") for i in range(30)]
    sig = PairSignals(docs, params_from(Settings()))
    assert len(sig.iu)
    crossing = [(i, j) for i, j in zip(sig.iu.tolist(), sig.ju.tolist()) if (i < 30) != (j < 30)]
    assert crossing == []
    undated = PairSignals([Doc(d.id, d.text) for d in docs], params_from(Settings()))
    assert any((i < 30) != (j < 30) for i, j in zip(undated.iu.tolist(), undated.ju.tolist()))
    groups = pair_groups(docs, params_from(Settings()))
    assert all(len({a[0] for a in g}) == 1 for g in groups)  # no story spans the years


def test_a_group_larger_than_max_group_is_split_at_a_stricter_level(monkeypatch):
    """Average-link needs a dense square per connected group: a group above MAX_GROUP is split
    where its weakest strong pairs are, so memory stays bounded."""
    import parallax.stories.pairwise as pw

    monkeypatch.setattr(pw, "MAX_GROUP", 3)
    # two tight triangles (0.95) joined by one pair just above the level (0.45)
    iu = np.array([0, 0, 1, 3, 3, 4, 2])
    ju = np.array([1, 2, 2, 4, 5, 5, 3])
    p = np.array([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.45])
    parts = pw.bounded_parts(6, iu, ju, p, level=0.4)
    assert sorted(sorted(idx) for idx, _ks in parts) == [[0, 1, 2], [3, 4, 5]]
    assert all(len(idx) <= 3 for idx, _ks in parts)
    groups = sorted(sorted(g) for g in pw.average_link(6, iu, ju, p, threshold=0.6))
    assert groups == [[0, 1, 2], [3, 4, 5]]
    monkeypatch.setattr(pw, "MAX_GROUP", 2)  # identical pairs all at 1.0: cut in index order
    parts = pw.bounded_parts(4, np.array([0, 0, 0, 1, 1, 2]), np.array([1, 2, 3, 2, 3, 3]),
                             np.ones(6), level=0.4)
    assert sorted(sorted(idx) for idx, _ks in parts) == [[0, 1], [2, 3]]


def test_candidates_are_searched_on_each_articles_heaviest_terms():
    """The candidate and neighbour searches read each article's PROBE_TERMS heaviest terms,
    renormalised: light words shared by everything never make two articles compared."""
    from scipy.sparse import csr_matrix

    from parallax.stories.pairsignals import heaviest

    A = csr_matrix(np.array([[0.1, 0.5, 0.3, 0.0, 0.2],
                             [0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.4, 0.4, 0.0, 0.1, 0.0]]))
    H = heaviest(A, 2).toarray()
    assert (H[0] > 0).tolist() == [False, True, True, False, False]
    assert (H[2] > 0).tolist() == [True, True, False, False, False]  # a tie: the lower column
    assert not H[1].any()
    assert np.allclose(np.linalg.norm(H[[0, 2]], axis=1), 1.0)


def test_signals_computed_in_chunks_equal_signals_computed_at_once(monkeypatch):
    """Pair signals go PAIR_CHUNK pairs at a time (a 2.5-million-row matrix per signal took
    18 GB at 50k): chunking changes no value."""
    import parallax.stories.pairsignals as ps

    rows = ecb_rows()[:120]
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date")) for r in rows]
    whole = PairSignals(docs).matrix(SIGNALS)
    monkeypatch.setattr(ps, "PAIR_CHUNK", 7)
    chunked = PairSignals(docs).matrix(SIGNALS)
    assert len(whole) > 7 and np.allclose(whole, chunked)


# -- 'auto', the default batch method ----------------------------------------------------

def _members(texts):
    return [batch_member(Doc(f"m{k}", t), doc_counts(Doc(f"m{k}", t)), "auto")
            for k, t in enumerate(texts)]


def test_auto_runs_pairs_on_reports_and_headlines_and_consensus_on_tiny_archives():
    reports = [f"Title {k}\nA report of event {k} with a body." for k in range(150)]
    assert choose_method("auto", _members(reports)) == ("pairs", "auto: 150 articles")
    method, why = choose_method("auto", _members(reports[:40]))
    assert method == "consensus" and "40 articles, fewer than 100" in why
    heads = [f"Headline {k}\n" for k in range(100)] + reports[:50]
    method, why = choose_method("auto", _members(heads))  # the model is fitted on headlines too
    assert method == "pairs" and why == "auto: 150 articles, 100 of them headlines with no body"
    snippets = [f"\nA first paragraph of event {k}." for k in range(150)]  # no title: a snippet
    assert choose_method("auto", _members(snippets))[0] == "pairs"
    assert choose_method("consensus", _members(reports)) == ("consensus", "story_batch = 'consensus'")
    # a configured embedder is honoured: only the consensus runs read the embeddings
    embedded = [dataclasses.replace(m, embedding=np.ones(3)) for m in _members(reports)]
    method, why = choose_method("auto", embedded)
    assert method == "consensus" and "embeddings" in why
    assert choose_method("pairs", embedded)[0] == "pairs"  # asked for by name


def test_the_batch_pass_keeps_texts_only_where_the_pair_mode_may_run():
    doc = Doc("m1", "Title\nreport 1")
    embedded = dataclasses.replace(doc, embedding=np.ones(3))
    kept = {(mode, d.embedding is not None): batch_member(d, doc_counts(d), mode).text
            for mode in ("auto", "pairs", "consensus") for d in (doc, embedded)}
    assert kept == {("auto", False): doc.text, ("auto", True): None,  # auto: then consensus
                    ("pairs", False): doc.text, ("pairs", True): doc.text,  # asked for by name
                    ("consensus", False): None, ("consensus", True): None}


def test_auto_gives_the_pair_modes_better_stories_on_a_news_archive():
    """The default rebuild is the pair mode where it wins: on six ECB+ topics (twin events
    each) its stories are the pair mode's, and better than the consensus's against gold."""
    rows = ecb_rows() + ecb_rows(("1", "3", "4"))
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date")) for r in rows]
    gold = {r["id"]: r["story"] for r in rows}
    assert len(docs) >= 100

    def f1(assigned):
        ids = sorted(assigned)
        return all_metrics([gold[i] for i in ids], [assigned[i] for i in ids])["b3_f1"]

    auto = cluster_docs(docs, Settings(), rebuild=True)
    assert partition(auto) == partition(cluster_docs(docs, PAIRS, rebuild=True))
    assert f1(auto) > f1(cluster_docs(docs, CONSENSUS, rebuild=True)) + 0.02


def test_a_rebuild_says_which_batch_method_ran(cli):
    assert cli("ingest", str(EXAMPLES / "ecbplus" / "excerpt.jsonl"))[0] == 0
    code, _out, err = cli("cluster", "--rebuild")
    assert code == 0
    assert "(batch: consensus; auto: 16 articles, fewer than 100 for the pair model)" in err


# -- the signals' vectors ----------------------------------------------------------------

_COUNTS = st.lists(st.dictionaries(st.sampled_from(["a", "b", "n:c", "d_e", "2019", "ä", "z"]),
                                   st.integers(1, 5), max_size=6), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_COUNTS)
def test_tfidf_equals_scikit_learns(rows):
    """The pair signals' vectoriser is DictVectorizer + TfidfTransformer(sublinear_tf) +
    normalize, without their per-value checks: the same matrix."""
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    from parallax.stories.pairsignals import count_matrix, tfidf

    counters = [Counter(r) for r in rows]
    mine = tfidf(counters).toarray()
    counts = DictVectorizer().fit_transform(counters)
    if counts.shape[1] == 0:  # no row has a term: one all-zero column
        assert mine.shape == (len(rows), 1) and not mine.any()
        return
    assert np.array_equal(count_matrix(counters).toarray(), counts.toarray())
    theirs = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts)).toarray()
    assert np.allclose(mine, theirs, atol=1e-12)


def test_local_cosines_follow_their_definition():
    """Each pair's 'local' cosines: under the IDF counted over each end's NEIGHBOURS nearest
    articles (itself among them), the cosine of the two log-count vectors; computed here the
    plain way, over the whole vocabulary."""
    from parallax.stories.pairsignals import (NEIGHBOURS, PROBE_TERMS, _top_of_row,
                                              count_matrix, heaviest, joined, tfidf)
    from parallax.stories.features import names, terms

    rows = ecb_rows()[:60]
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date")) for r in rows]
    sig = PairSignals(docs, params_from(Settings()))
    counts = [joined(terms(d.text), names(d.text)) for d in docs]
    raw = count_matrix(counts).toarray()
    raw[raw > 0] = 1.0 + np.log(raw[raw > 0])
    search = heaviest(tfidf(counts), PROBE_TERMS)
    sims = (search @ search.T).tocsr()  # every row against every row, at once
    nearest = {i: _top_of_row(sims, i, NEIGHBOURS)[0] for i in range(len(docs))}

    def local(i, j):
        top = nearest[i] if i in nearest[i] else np.append(nearest[i][:NEIGHBOURS - 1], i)
        w = np.log((1 + len(top)) / (1 + (raw[top] > 0).sum(axis=0)))
        a, b = raw[i] * w, raw[j] * w
        norm = np.linalg.norm(a) * np.linalg.norm(b)
        return a @ b / norm if norm else 0.0

    assert len(sig.iu) > 100
    for k, (i, j) in enumerate(zip(sig.iu.tolist(), sig.ju.tolist())):
        both = (local(i, j), local(j, i))
        assert sig.f["local_mean"][k] == pytest.approx(np.mean(both), abs=1e-12)
        assert sig.f["local_min"][k] == pytest.approx(min(both), abs=1e-12)


def test_a_rebuild_in_the_pair_mode_reports_its_progress(tmp_path, make_db):
    """Long work shows progress: the pair mode's stages report (done, total) as the rebuild's
    listener hears them (the CLI's progress bar takes their names)."""
    from parallax.pipeline import ingest, update_stories
    from parallax.store import open_store

    db = make_db("pairs.db")
    settings = Settings(db=db)
    rows = ecb_rows() + ecb_rows(("1", "3", "4"))
    src = tmp_path / "ecb.jsonl"
    src.write_text("".join(json.dumps({k: r.get(k) for k in ("id", "title", "text", "date")})
                           + "\n" for r in rows))
    heard = []
    with open_store(db) as store:
        ingest([str(src)], store, Settings(db=db, understand=0))
        update_stories(store, settings, rebuild=True, listener=lambda k, p: heard.append((k, p)))
    assert ("batch method", ("pairs", f"auto: {len(rows)} articles")) in heard
    for stage in ("pair features", "pair candidates", "pair neighbours"):
        got = [p for k, p in heard if k == stage]
        assert got and got[-1][0] == got[-1][1] and all(a <= b for (a, _), (b, _) in zip(got, got[1:]))
    assert ("pair features", (len(rows), len(rows))) in heard
