"""The batch mode (cluster --rebuild): the majority of several orders, so the same articles give
the same stories whatever order they came in (stories/consensus.py)."""

from __future__ import annotations

import json
import random

import pytest

from parallax.eval.metrics import all_metrics
from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.stories import OnlineClusterer, cluster_docs
from parallax.stories.rebuild import Member
from parallax.stories.consensus import majority_groups, run_orders
from parallax.stories.features import Doc
from parallax.stories.online import doc_counts
from parallax.store import open_store

from .conftest import EXAMPLES, SHARED


def partition(assigned: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for aid, sid in assigned.items():
        groups.setdefault(sid, []).append(aid)
    return sorted(sorted(g) for g in groups.values())


def ecb_rows(topics=("22", "25", "37")):
    """ECB+ topics (by default three, 70 articles, two similar events each, whose online
    stories change with the arrival order)."""
    rows = [json.loads(line) for line in
            (SHARED / "data" / "ecbplus" / "articles.jsonl").read_text().splitlines()]
    return [r for r in rows if r["topic"] in topics]


@pytest.fixture(scope="module")
def ecb_topics():
    return [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date"))
            for r in ecb_rows()]


def b3_f1(assigned: dict[str, str]) -> float:
    gold = {r["id"]: r["story"] for r in ecb_rows()}
    ids = sorted(assigned)
    return all_metrics([gold[i] for i in ids], [assigned[i] for i in ids])["b3_f1"]


def shuffled(docs, seed):
    docs = docs[:]
    random.Random(seed).shuffle(docs)
    return docs


def test_batch_stories_do_not_depend_on_arrival_order(ecb_topics):
    online = [cluster_docs(shuffled(ecb_topics, s)) for s in range(4)]
    batch = [cluster_docs(shuffled(ecb_topics, s), rebuild=True) for s in range(4)]
    assert len({json.dumps(partition(a)) for a in online}) > 1  # online depends on order ...
    assert len({json.dumps(partition(a)) for a in batch}) == 1  # ... the batch mode does not
    # and it gives at least the online quality, taken over the orders (0.777 against 0.767)
    assert b3_f1(batch[0]) >= sum(map(b3_f1, online)) / len(online)


def test_one_batch_run_is_the_refined_arrival_order(ecb_topics):
    clusterer = OnlineClusterer(keep_vectors=True)
    for doc in ecb_topics:
        clusterer.add(doc)
    clusterer.refine([d.id for d in ecb_topics])
    one = cluster_docs(ecb_topics, Settings(story_rebuild_runs=1), rebuild=True)
    assert one == clusterer.assignments()


def test_run_orders_keep_dates_and_deal_undated_articles_in():
    members = [Member.of(f"a{i}", date, doc_counts(Doc(f"a{i}", "x", date)))
               for i, date in enumerate(["2020-01-02", None, "2020-01-01", None, "2020-01-02"])]
    orders = run_orders(members, 5)
    assert len({tuple(o) for o in orders}) > 1  # each run its own order
    backwards = members[::-1]  # the same articles given in another order: the same runs
    assert [[members[i].id for i in o] for o in orders] == \
        [[backwards[i].id for i in o] for o in run_orders(backwards, 5)]
    undated_places = {tuple(n for n, i in enumerate(o) if not members[i].date) for o in orders}
    assert len(undated_places) > 1  # undated articles dealt in, not always put first
    for order in orders:
        dated = [members[i].date for i in order if members[i].date]
        assert dated == sorted(dated) and sorted(order) == list(range(5))


def test_majority_groups():
    runs = [[0, 0, 1, 1, 2], [0, 0, 0, 1, 2], [0, 0, 1, 1, 1]]
    # 0-1 in all three, 2-3 in two of three: together; 1-2, 3-4 in one of three: apart
    assert majority_groups(runs, 5) == [[0, 1], [2, 3], [4]]


def _majority_by_pairs(labels, n):
    """The definition, article pair by article pair (what majority_groups must equal)."""
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(n):
        for b in range(a + 1, n):
            if 2 * sum(run[a] == run[b] for run in labels) > len(labels):
                parent[max(find(a), find(b))] = min(find(a), find(b))
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


@pytest.mark.parametrize("seed", range(30))
def test_majority_groups_equal_the_pairwise_definition(seed):
    rnd = random.Random(seed)
    n, runs = rnd.randint(1, 40), rnd.choice([2, 3, 5, 9])
    base = [rnd.randrange(6) for _ in range(n)]  # runs mostly agree, as real ones do
    labels = [[b if rnd.random() < 0.8 else rnd.randrange(6) for b in base] for _ in range(runs)]
    assert majority_groups(labels, n) == _majority_by_pairs(labels, n)


def test_adopt_makes_the_given_stories_and_keeps_ids():
    texts = {"q1": "Earthquake hits Aceh province in Indonesia, killing five.",
             "q2": "Aceh earthquake: rescuers search rubble as Indonesia counts dead.",
             "q3": "Earthquake strikes Chile near Santiago, buildings collapse.",
             "q4": "Chile earthquake near Santiago leaves buildings in ruins."}
    clusterer = OnlineClusterer(keep_vectors=True)
    for aid, text in texts.items():
        clusterer.add(Doc(aid, text))
    clusterer.adopt([["q1", "q2"], ["q3", "q4"]])
    first = clusterer.assignments()
    assert first["q1"] == first["q2"] != first["q3"] == first["q4"]
    before = dict(first)
    moved = clusterer.adopt([["q1", "q2", "q3"], ["q4"]])
    after = clusterer.assignments()
    assert moved == 1 and after["q1"] == before["q1"]  # the majority's story keeps its id
    assert after["q4"] == before["q4"]  # left alone in its story, q4 keeps the id too
    assert set(clusterer.stories) == {before["q1"], before["q4"]}
    assert clusterer.stories[before["q1"]].members == ["q1", "q2", "q3"]
    # the candidate index was rebuilt: a new article finds the adopted stories
    found = clusterer.add(Doc("q5", "Aceh earthquake in Indonesia: more dead found."))
    assert found == before["q1"]


def stored_rebuilds(tmp_path, **settings) -> list[list[list[str]]]:
    """The stories of a stored rebuild of the demo excerpt, ingested forwards and backwards."""
    lines = (EXAMPLES / "ecbplus" / "excerpt.jsonl").read_text().splitlines()
    got = []
    for name, rows in (("file", lines), ("reversed", lines[::-1])):
        src = tmp_path / f"{name}.jsonl"
        src.write_text("\n".join(rows) + "\n")
        db = str(tmp_path / f"{name}.db")
        config = Settings(db=db, **settings)
        with open_store(db) as store:
            ingest([str(src)], store, config)
            update_stories(store, config, rebuild=True)
            got.append(sorted(sorted(s.article_ids) for s in store.list_stories()))
    return got


def test_stored_rebuild_gives_the_same_stories_whatever_the_ingest_order(tmp_path):
    got = stored_rebuilds(tmp_path)
    assert got[0] == got[1] and len(got[0]) >= 4


def test_a_rebuild_reports_progress(tmp_path, make_db):
    db = make_db("p.db")
    settings = Settings(db=db, story_rebuild_runs=3)
    heard = []
    with open_store(db) as store:
        ingest([str(EXAMPLES / "ecbplus" / "excerpt.jsonl")], store, settings)
        update_stories(store, settings, rebuild=True, listener=lambda k, p: heard.append((k, p)))
    assert heard[-1] == ("batch run", (3, 3))
    assert ("clustered", (16, 16)) in heard and [k for k, _ in heard].count("batch run") == 3
