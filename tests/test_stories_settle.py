"""Settling (stories/assign.py, ``settles``): an update of a store of 100 to
``story_settle_small`` articles that brings its new articles since the last batch to 1% of
it, or one that brings them to a quarter of a store of up to ``story_settle_max`` articles,
clusters the whole store again in batch, so a folder or an archive ingested at once, and any
stream into a small store, gets the batch's stories; a feed's few new articles into a larger
store are placed online, and a store outside the bounds is never settled."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from parallax.cli.app import app
from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.store import open_store

from .test_stories_batch import ecb_rows

TOPICS = ("22", "25", "37", "40", "41", "42")  # 134 articles, two similar events a topic


def write(path, rows) -> str:
    path.write_text("".join(json.dumps({k: r.get(k) for k in ("id", "title", "text", "date", "story")})
                            + "\n" for r in rows), encoding="utf-8")
    return str(path)


def stories(store) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in store.list_stories())


def stored(tmp_path, name: str, rows, db: str | None = None, **settings):
    db = db or str(tmp_path / f"{name}.db")
    config = Settings(db=db, **settings)
    heard: list = []
    with open_store(db) as store:
        ingest([write(tmp_path / f"{name}.jsonl", rows)], store, config)
        update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
        return db, config, heard, stories(store)


def test_settles_counts_from_the_last_batch_within_the_bounds():
    from parallax.stories.assign import settles

    config = Settings(story_settle_small=0)  # the quarter rule alone
    assert settles(config, 99) is None  # too few for the batch's pair model
    assert settles(config, 100) == "100 new of 100 articles"
    assert settles(config, 134, at_batch=114, at_last_run=114) is None  # 20 new: under a quarter
    assert settles(config, 140, at_batch=100, at_last_run=120) == \
        "40 new of 140 articles: 20 in this update, 20 placed online before"
    assert settles(config, 30_000) is None  # past story_settle_max
    assert settles(Settings(story_settle_max=0), 500) is None
    default = Settings()  # up to 1,000 articles an update settles once 1% of the store is new
    assert settles(default, 99) is None
    assert settles(default, 134, at_batch=114, at_last_run=114) == \
        "20 new of 134 articles (a store of up to 1,000 articles settles once 1/100 of it is new)"
    assert settles(default, 134, at_batch=134, at_last_run=134) is None  # nothing new
    assert settles(default, 134, at_batch=133, at_last_run=133) is None  # one: under 1%
    assert settles(default, 134, at_batch=132, at_last_run=133) is not None  # two
    assert settles(default, 1_000, at_batch=991) is None  # articles posted one at a time
    assert settles(default, 1_000, at_batch=990, at_last_run=999) == (
        "10 new of 1,000 articles: 1 in this update, 9 placed online before"
        " (a store of up to 1,000 articles settles once 1/100 of it is new)")
    assert settles(default, 1_001, at_batch=981) is None  # past it, the quarter rule
    assert settles(default, 1_400, at_batch=1_000, at_last_run=1_380) == \
        "400 new of 1,400 articles: 20 in this update, 380 placed online before"


def test_an_archive_ingested_at_once_gets_the_batch_stories(tmp_path, make_db):
    rows = ecb_rows(TOPICS)
    assert len(rows) >= 100
    db, config, heard, got = stored(tmp_path, "settled", rows, make_db("settled.db"))
    kinds = dict(heard)
    assert kinds["settle"] == f"{len(rows)} new of {len(rows)} articles"
    assert kinds["batch method"][0] == "pairs"
    with open_store(db) as store:  # what `cluster --rebuild` makes of the same store
        update_stories(store, config, rebuild=True)
        assert stories(store) == got
    _db, _c, heard_off, online = stored(tmp_path, "online", rows, make_db("online.db"),
                                        story_settle_max=0)
    assert "settle" not in dict(heard_off) and online != got


def test_a_few_new_articles_are_placed_online_and_small_stores_never_settle(tmp_path):
    rows = ecb_rows(TOPICS)
    first, rest = rows[:-20], rows[-20:]  # 20 new of 134: less than a quarter
    db, config, heard, _got = stored(tmp_path, "feed", first, story_settle_small=0)
    assert "settle" in dict(heard)
    with open_store(db) as store:
        before = {x.article_id: x.story_id for x in store.assignments()}
        heard.clear()
        ingest([write(tmp_path / "more.jsonl", rest)], store, config)
        update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
        after = {x.article_id: x.story_id for x in store.assignments()}
    assert "settle" not in dict(heard) and "batch method" not in dict(heard)
    assert {a: after[a] for a in before} == before  # the stories already shown stay as they were
    _db, _c, small, _s = stored(tmp_path, "small", rows[:60])  # fewer than 100 articles
    assert "settle" not in dict(small)
    _db, _c, capped, _s = stored(tmp_path, "capped", rows, story_settle_max=100)
    assert "settle" not in dict(capped)


def test_the_cli_says_when_an_ingest_settled_the_stories(tmp_path):
    rows = ecb_rows(TOPICS)
    src = write(tmp_path / "archive.jsonl", rows)
    runner = CliRunner()
    got = runner.invoke(app, ["--db", str(tmp_path / "cli.db"), "ingest", src])
    assert got.exit_code == 0, got.output
    n = len(rows)
    assert f"stories settled in batch ({n} new of {n} articles; batch: pairs;" in got.output
    again = runner.invoke(app, ["--db", str(tmp_path / "json.db"), "ingest", src, "--json"])
    data = json.loads(again.stdout)
    assert data["stories_settled"]["method"] == "pairs"
    assert data["stories_settled"]["why"] == f"{n} new of {n} articles"


def test_cluster_after_an_ingest_without_stories_settles_and_says_so(tmp_path):
    rows = ecb_rows(TOPICS)
    src = write(tmp_path / "archive.jsonl", rows)
    db = str(tmp_path / "later.db")
    runner = CliRunner()
    got = runner.invoke(app, ["--db", db, "ingest", "--no-stories", src])
    assert got.exit_code == 0, got.output
    got = runner.invoke(app, ["--db", db, "cluster"])
    assert got.exit_code == 0, got.output
    n = len(rows)
    assert "article(s) assigned; " in got.output
    assert f"(settled in batch: {n} new of {n} articles; batch: pairs;" in got.output


def test_a_stream_of_small_ingests_settles_each_time_it_has_grown_the_store_by_a_quarter(tmp_path):
    """A feed's items arrive a few at a time: none of its ingests is a quarter of the store,
    but the articles placed online since the last batch add up. Each time they reach a
    quarter of the store it settles, so a stream gets the batch's stories too, at a cost of a
    few times its own articles."""
    rows = sorted(ecb_rows(TOPICS), key=lambda r: (r.get("date") or "", r["id"]))
    db = str(tmp_path / "stream.db")
    config = Settings(db=db, story_settle_small=0)  # the quarter rule alone
    settled_at = []
    with open_store(db) as store:
        for k in range(0, len(rows), 20):  # 20 at a time: 20, 40, ... 120, 134
            heard: list = []
            ingest([write(tmp_path / f"part{k}.jsonl", rows[k:k + 20])], store, config)
            update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
            if "settle" in dict(heard):
                settled_at.append((min(k + 20, len(rows)), dict(heard)["settle"]))
        streamed = stories(store)
        update_stories(store, config, rebuild=True)
        rebuilt = stories(store)
    # 100 articles: all of them new since no batch; 120: 20 since the batch at 100, too few;
    # 134: 34 since, a quarter of 134
    assert settled_at == [(100, "100 new of 100 articles: 20 in this update, 80 placed online before"),
                          (134, "34 new of 134 articles: 14 in this update, 20 placed online before")]
    assert streamed == rebuilt  # the last ingest settled: what `cluster --rebuild` makes


def test_a_state_saved_before_batch_count_counts_from_its_last_run(tmp_path):
    """A stories state saved by a version without ``batch_count`` settles as that version did:
    counting only the articles since its last run, not the store's whole online history."""
    import zlib

    from parallax.stories.assign import STATE_NAME

    rows = sorted(ecb_rows(TOPICS), key=lambda r: (r.get("date") or "", r["id"]))
    got = {}
    for old in (False, True):
        db = str(tmp_path / f"state{old}.db")
        config = Settings(db=db, story_settle_small=0)
        with open_store(db) as store:
            ingest([write(tmp_path / f"first{old}.jsonl", rows[:90])], store, config)
            update_stories(store, config)  # 90 articles: too few to settle, placed online
            if old:
                state = json.loads(zlib.decompress(store.get_state(STATE_NAME)))
                del state["batch_count"]
                store.put_state(STATE_NAME, zlib.compress(json.dumps(state).encode()))
            heard: list = []
            ingest([write(tmp_path / f"more{old}.jsonl", rows[90:110])], store, config)
            update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
            got[old] = dict(heard).get("settle")
    assert got[False] == "110 new of 110 articles: 20 in this update, 90 placed online before"
    assert got[True] is None  # 20 new since its last run, of 110: less than a quarter


def test_a_stream_into_a_small_store_settles_at_each_update_of_one_percent_whatever_the_order(tmp_path):
    """Up to ``story_settle_small`` articles an update settles once the articles new since the
    last batch are 1% of the store, so the stories a stream leaves do not depend on the order
    its articles came in: two arrival orders, 20 articles at a time, give the stories
    `cluster --rebuild` gives. With the quarter rule alone the last 25 articles are placed
    online (125: 25 new since the batch at 100), and the stories differ. Articles that come
    one at a time (as posted to the API) settle once they add up to 1%."""
    import random

    rows = ecb_rows(TOPICS)
    rows, later = rows[:125], rows[125:127]
    orders = [sorted(rows, key=lambda r: (r.get("date") or "", r["id"])), list(rows)]
    random.Random(7).shuffle(orders[1])

    def stream(name, order, small):
        db = str(tmp_path / f"{name}.db")
        config = Settings(db=db, story_settle_small=small)
        settled = []
        with open_store(db) as store:
            for k in range(0, len(order), 20):
                heard: list = []
                ingest([write(tmp_path / f"{name}-{k}.jsonl", order[k:k + 20])], store, config)
                update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
                settled.append(dict(heard).get("settle"))
            return settled, stories(store), db, config

    settled, first, db, config = stream("first", orders[0], 1_000)
    assert [bool(x) for x in settled] == [False, False, False, False, True, True, True]
    assert settled[-1] == "5 new of 125 articles (a store of up to 1,000 articles settles once 1/100 of it is new)"
    with open_store(db) as store:
        update_stories(store, config, rebuild=True)
        assert stories(store) == first
        one_by_one = []
        for k, row in enumerate(later):  # 1 of 126: under 1%, placed online; 2 of 127: settles
            heard: list = []
            ingest([write(tmp_path / f"one{k}.jsonl", [row])], store, config)
            update_stories(store, config, listener=lambda kind, x: heard.append((kind, x)))
            one_by_one.append(dict(heard).get("settle"))
    assert one_by_one == [None, "2 new of 127 articles: 1 in this update, 1 placed online before"
                                " (a store of up to 1,000 articles settles once 1/100 of it is new)"]
    assert stream("second", orders[1], 1_000)[1] == first
    settled, quarter, _db, _c = stream("quarter", orders[1], 0)
    assert [bool(x) for x in settled] == [False, False, False, False, True, False, False]
    assert quarter != first
