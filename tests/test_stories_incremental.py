"""Stories are kept up to date incrementally: each run reads only the articles stored since the
last one, resumed from the saved stage state, and gives what one replay of the archive gives."""

from __future__ import annotations

import json
import zlib

import pytest

from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.stories.assign import STATE_NAME, fingerprint
from parallax.store import SQLiteStore, open_store

from .conftest import SHARED

ECB = SHARED / "data" / "ecbplus" / "articles.jsonl"


def _rows(n: int) -> list[dict]:
    rows = [json.loads(line) for line in ECB.read_text().splitlines()[:n]]
    # Syndicated copies arriving later, one of them bridging into an existing lineage group.
    for i in (3, 40, 41):
        copy = dict(rows[i], id=f"copy-{i}", source="wire.example", url=f"https://wire.example/{i}",
                    text=rows[i]["text"].replace(".", " .", 1))
        rows.append(copy)
    return rows


def _chunks(tmp_path, rows: list[dict], parts: int) -> list[str]:
    size = -(-len(rows) // parts)
    paths = []
    for k in range(parts):
        p = tmp_path / f"chunk{k}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[k * size:(k + 1) * size]))
        paths.append(str(p))
    return paths


def _snapshot(store: SQLiteStore) -> tuple:
    assignments = sorted((a.article_id, a.story_id, a.lineage_id, a.is_origin)
                         for a in store.assignments())
    titles = sorted((s.id, s.title, s.independent_sources) for s in store.list_stories())
    return assignments, titles


def _saved(store: SQLiteStore) -> dict:
    return json.loads(zlib.decompress(store.get_state(STATE_NAME)))


@pytest.fixture
def quick(tmp_path) -> Settings:
    return Settings(understand=0, per_host_delay=0.0)


@pytest.mark.skipif(not ECB.exists(), reason="needs ../shared/data")
def test_runs_after_each_batch_equal_one_replay(make_db, tmp_path, quick):
    chunks = _chunks(tmp_path, _rows(150), 3)
    with open_store(make_db("steps.db")) as steps:
        for path in chunks:
            ingest([path], steps, quick)
            update_stories(steps, quick)
        stepwise = _snapshot(steps)
    with open_store(make_db("once.db")) as once:
        ingest(chunks, once, quick)
        update_stories(once, quick)
        replay = _snapshot(once)
        lineage = {a.article_id: a.lineage_id for a in once.assignments()}
        by_text = {}
        for a in once.iter_articles():
            by_text.setdefault(a.text.replace(" .", ".", 1), []).append(a.id)
    assert stepwise == replay
    assignments, titles = replay
    assert len(assignments) == 153 and 10 < len(titles) < 153
    twins = [ids for ids in by_text.values() if len(ids) == 2]
    assert len(twins) == 3  # each copy is in its original's lineage group: one source
    assert all(lineage[x] == lineage[y] for x, y in twins)


@pytest.mark.skipif(not ECB.exists(), reason="needs ../shared/data")
def test_a_run_reads_only_the_new_articles(tmp_path, quick):
    first, second = _chunks(tmp_path, _rows(60), 2)

    class Counting(SQLiteStore):
        read: list[int] = []

        def iter_articles_since(self, seq, *, upto=None):
            for item in super().iter_articles_since(seq, upto=upto):
                self.read.append(item[0])
                yield item

    with Counting(tmp_path / "c.db") as store:
        ingest([first], store, quick)
        update_stories(store, quick)
        after_first = store.last_seq()
        assert store.get_state(STATE_NAME) is not None
        Counting.read.clear()
        ingest([second], store, quick)
        assert update_stories(store, quick) >= store.last_seq() - after_first
        assert Counting.read and min(Counting.read) == after_first + 1
        Counting.read.clear()
        assert update_stories(store, quick) == 0 and Counting.read == []  # nothing new


def test_new_version_or_other_settings_replay_the_archive(make_db, tmp_path, quick):
    a = {"url": "https://news.example/a", "title": "Quake hits Aceh", "date": "2013-07-02",
         "text": "A magnitude 6.1 earthquake struck Aceh province in Indonesia on Tuesday, "
                 "killing at least twenty people, officials said."}
    b = {"url": "https://news.example/b", "title": "Budget passes", "date": "2013-07-02",
         "text": "Parliament passed the budget in Canberra after a long night of debate."}
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(a) + "\n" + json.dumps(b) + "\n")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(dict(a, text=a["text"] + " Rescuers searched the rubble.")) + "\n")
    with open_store(make_db("v.db")) as store:
        ingest([str(first)], store, quick)
        update_stories(store, quick)
        ingest([str(second)], store, quick)  # a new version of the quake article
        update_stories(store, quick)
        stories = store.list_stories()
        latest = {x.id for x in store.iter_articles()}
        assert {aid for s in stories for aid in s.article_ids} == latest
        assert len(stories) == 2
        before = _snapshot(store)
        other = Settings(understand=0, story_threshold=0.99)
        update_stories(store, other)  # other settings: the saved state is not used
        assert _saved(store)["fingerprint"] == fingerprint(other)
        update_stories(store, quick)
        assert _snapshot(store) == before
        store.put_state(STATE_NAME, b"not a saved state")  # unreadable: replayed, not trusted
        assert update_stories(store, quick) == 0 and _snapshot(store) == before


@pytest.mark.skipif(not ECB.exists(), reason="needs ../shared/data")
def test_runs_after_a_rebuild_go_on_from_it(make_db, tmp_path, quick):
    first, second = _chunks(tmp_path, _rows(60), 2)
    with open_store(make_db("r.db")) as store:
        ingest([first], store, quick)
        update_stories(store, quick, rebuild=True)  # the batch pass saves its state too
        rebuilt = dict((a.article_id, a.story_id) for a in store.assignments())
        seen = store.last_seq()
        ingest([second], store, quick)
        since = []
        read = store.iter_articles_since
        store.iter_articles_since = lambda seq, **kw: since.append(seq) or read(seq, **kw)
        update_stories(store, quick)
        after = {a.article_id: a.story_id for a in store.assignments()}
        assert since == [seen]  # resumed where the rebuild stopped, no replay
        assert set(after) == {a.id for a in store.iter_articles()}
        kept = sum(after[k] == v for k, v in rebuilt.items())
    assert kept >= 0.9 * len(rebuilt)  # only merges move earlier articles


def test_closed_stories_are_not_candidates(monkeypatch):
    """A story closed for age can take no article, so it is no candidate and leaves the saved
    index: it would take a candidate place from an open story (on a long stream that cost a
    third of the recall, bench/scale_bench.py)."""
    from parallax.stories import ClusterParams, OnlineClusterer, online
    from parallax.stories.features import Doc

    monkeypatch.setattr(online, "RECENT", 1)  # the stream has moved on: one recent date
    cl = OnlineClusterer(ClusterParams(max_candidates=1), keep_vectors=False)
    text = "Volcano erupts near Reykjavik, lava flows toward the Icelandic town of Grindavik."
    for i, day in enumerate(["2020-01-01", "2020-01-02"]):
        cl.add(Doc(f"old{i}", text, day))
    closed = cl.story_of["old0"]
    cl.add(Doc("new0", text, "2021-06-01"))  # the same words, a year and a half later
    fresh = cl.story_of["new0"]
    assert fresh != closed
    cl._close_old_stories()  # runs every 1,000 articles on a stream
    assert not cl.stories[closed].content and cl.story_of["old1"] == closed  # members kept
    # the closed story shares more index terms and is older, so it would rank first
    cl.add(Doc("new1", text, "2021-06-02"))
    assert cl.story_of["new1"] == fresh
    saved = cl.state()["index"]
    assert not any(closed in postings for postings in saved.values())
    assert any(fresh in postings for postings in saved.values())


def test_an_old_archive_ingested_after_a_new_one_keeps_its_stories_open(monkeypatch):
    """Closing goes by the dates arriving lately, not by the newest date ever seen: an archive
    of 2012 ingested after one of 2019 keeps its stories open while its articles arrive (by
    the newest date alone, each 2012 story closed after CLOSE_EVERY arrivals and its later
    reports started new stories: a shuffled mixed archive fell from 0.89 to 0.78)."""
    from parallax.stories import ClusterParams, OnlineClusterer, online
    from parallax.stories.features import Doc

    monkeypatch.setattr(online, "CLOSE_EVERY", 4)
    monkeypatch.setattr(online, "RECENT", 4)
    cl = OnlineClusterer(ClusterParams(), keep_vectors=False)
    topics = ["budget vote parliament", "football final stadium", "storm coast flooding",
              "election ballots counted", "rocket launch orbit", "museum painting stolen"]
    for i, words in enumerate(topics):
        cl.add(Doc(f"new{i}", f"{words} {words} reported", f"2019-03-0{i + 1}"))
    text = "Volcano erupts near Reykjavik, lava flows toward the Icelandic town of Grindavik."
    cl.add(Doc("old0", text, "2012-05-01"))
    for i, words in enumerate(topics):  # more of the old archive: the closing pass runs
        cl.add(Doc(f"old_other{i}", f"{words} {words} archive", f"2012-05-0{i + 2}"))
    cl.add(Doc("old1", text, "2012-05-09"))
    assert cl.story_of["old1"] == cl.story_of["old0"]
    resumed = OnlineClusterer.from_state(json.loads(json.dumps(cl.state())))
    assert list(resumed.recent) == list(cl.recent)
