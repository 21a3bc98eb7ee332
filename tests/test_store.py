"""The store on both backends (SQLite and PostgreSQL): migrations, full-text search,
duplicates and versions; and what only SQLite files do (WAL, garbage files)."""

from __future__ import annotations

import sqlite3

import pytest

from parallax.errors import NotFoundError, StoreError
from parallax.records import Article, article_id
from parallax.store import Outcome, SQLiteStore, StoryAssignment, open_store
from parallax.store.migrations import LATEST
from parallax.store.pg_migrations import LATEST as PG_LATEST


def make(text: str, url: str | None = None, title: str = "T", **kw) -> Article:
    return Article(id=article_id(text, url), text=text, raw_text=text, origin="t", url=url,
                   title=title, **kw)


def test_wal_schema_version_and_reopen(db, backend):
    with open_store(db) as s:
        if backend == "sqlite":
            assert s.schema_version == LATEST
            assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        else:
            assert s.schema_version == PG_LATEST
        s.add_article(make("one"))
    with open_store(db) as s:  # migrations are not re-run
        assert s.count_articles() == 1


def test_refuses_newer_schema_and_garbage_files(tmp_path):
    newer = tmp_path / "newer.db"
    c = sqlite3.connect(newer)
    c.execute(f"PRAGMA user_version={LATEST + 1}")
    c.close()
    with pytest.raises(StoreError, match="newer than this Parallax"):
        SQLiteStore(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        SQLiteStore(junk)


def test_duplicates_and_versions(db):
    with open_store(db) as s:
        first = s.add_article(make("Text v1", url="https://e.x/a"))
        assert first.outcome == Outcome.STORED
        assert s.add_article(make("Text v1", url="https://e.x/a")).outcome == Outcome.DUPLICATE
        second = s.add_article(make("Text v2 changed", url="https://e.x/a"))
        assert second.outcome == Outcome.NEW_VERSION and second.previous_id == first.article_id
        assert s.count_articles() == 1 and s.count_articles(latest_only=False) == 2
        latest = s.get_article(second.article_id)
        assert (latest.version, latest.supersedes) == (2, first.article_id)
        assert [a.id for a in s.iter_articles()] == [second.article_id]


def test_same_text_from_two_outlets_are_two_articles(db):
    with open_store(db) as s:
        s.add_article(make("Wire copy", outlet="A"))
        s.add_article(make("Wire copy", url="https://b.example/x"))
        assert s.count_articles() == 2


def test_full_text_search(db):
    with open_store(db) as s:
        s.add_article(make("A strong earthquake struck Aceh.", title="Quake"))
        s.add_article(make("A man was charged with murder in Millom.", title="Murder"))
        assert [a.title for a in s.search_articles("earthquake")] == ["Quake"]
        assert [a.title for a in s.search_articles("Millom murder")] == ["Murder"]
        assert s.search_articles('"unbalanced') == []  # user quotes are escaped, not an error


def test_prefix_lookup_and_not_found(db):
    with open_store(db) as s:
        a = make("only one")
        s.add_article(a)
        assert s.get_article(a.id[:6]).id == a.id
        with pytest.raises(NotFoundError):
            s.get_article("zzzz")


def test_story_assignments_and_summaries(db):
    with open_store(db) as s:
        a = make("alpha", outlet="Outlet A", date="2023-03-01")
        b = make("beta", outlet="Outlet B", date="2023-03-02")
        c = make("gamma", credited_source="EFE", date="2023-03-05")
        for x in (a, b, c):
            s.add_article(x)
        s.save_assignments([StoryAssignment(a.id, "s1", "g1"), StoryAssignment(b.id, "s1", "g1", False),
                            StoryAssignment(c.id, "s1", "g2")], {"s1": "Story one"})
        (story,) = s.list_stories()
        assert story.size == 3 and story.independent_sources == 2
        assert story.outlets == ("EFE", "Outlet A", "Outlet B")
        assert (story.first_date, story.last_date) == ("2023-03-01", "2023-03-05")
        s.save_assignments([StoryAssignment(a.id, "s2")], {"s2": "Two"}, replace_all=True)
        assert [st.id for st in s.list_stories()] == ["s2"]


def test_open_store_by_name(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(store, SQLiteStore)
    store.close()
    from parallax.errors import ConfigError

    with pytest.raises(ConfigError, match="no store for 'mongodb'"):
        open_store("mongodb://localhost/x")


def test_targeted_story_lookups(db):
    with open_store(db) as s:
        a, b, c = make("one"), make("two"), make("three")
        for x in (a, b, c):
            s.add_article(x)
        s.save_assignments([StoryAssignment(a.id, "s1", "g1"), StoryAssignment(b.id, "s2"),
                            StoryAssignment(c.id, "s1", "g1", False)], {"s1": "One", "s2": "Two"})
        assert [x.article_id for x in s.assignments("s1")] == [a.id, c.id]
        assert len(s.assignments()) == 3
        assert s.stories_of([c.id, "missing"]) == {c.id: "s1"}


def test_vocabulary_knows_words_and_how_the_corpus_writes_them(db):
    from parallax.clean import clean_text

    with open_store(db) as s:
        s.add_article(make("Officials in Washington said the storm hit Washington hard. "
                           "The price of gold rose."))
        s.add_article(make("Crowds gathered in Washington on Sunday, and gold traders waited."))
        vocab = s.vocabulary()
        assert "washington" in vocab and "Gold" in vocab and "goldstock" not in vocab
        assert vocab.cases("Washington") == (3, 0)
        assert vocab.cases("gold") == (0, 2)
        assert vocab.cases("absent") == (0, 0)
        text = "Rain fell across Washingtonstate on Friday, and Goldstock shares rose."
        assert clean_text(text, lexicon=vocab).text == \
            "Rain fell across Washington state on Friday, and Goldstock shares rose."


def test_story_listing_is_a_store_query_that_matches_the_python_one(tmp_path):
    """query_stories filters, sorts and pages in SQL what list_stories holds; the numbers on
    each story's row follow every save, and an older store gets them when it opens."""
    import random

    from parallax.store import StoryAssignment, StoryFilter

    rng = random.Random(2)
    db = str(tmp_path / "q.db")
    with open_store(db) as s:
        for i in range(60):
            s.add_article(Article(id=f"a{i:03d}", text=f"text {i} " + ("flood" if i % 3 else "fire"),
                                  raw_text="x", origin="t", outlet=f"Outlet{i % 7}",
                                  date=f"2024-0{1 + i % 9}-1{i % 10}" if i % 11 else None))
        s.save_assignments([StoryAssignment(f"a{i:03d}", f"s{rng.randrange(15):02d}") for i in range(60)],
                           {f"s{k:02d}": f"Story {k}" for k in range(15)})
        # a later save moves articles: both stories' numbers change
        s.save_assignments([StoryAssignment("a000", "s99"), StoryAssignment("a001", "s99")],
                           {"s99": "Moved"})
        every = s.list_stories()

        def python(f: StoryFilter) -> list[str]:
            out = [st for st in every
                   if (not f.outlet or any(f.outlet.lower() in o.lower() for o in st.outlets))
                   and (not f.date_from or (st.last_date or "") >= f.date_from)
                   and (not f.date_to or (st.first_date and st.first_date <= f.date_to))
                   and st.size >= f.min_size and (not f.max_size or st.size <= f.max_size)]
            key = {"recent": lambda x: (x.last_date or "", x.size, x.id),
                   "size": lambda x: (x.size, x.independent_sources, x.id),
                   "sources": lambda x: (x.independent_sources, x.size, x.id)}[f.sort]
            out.sort(key=key, reverse=True)
            return [x.id for x in out]

        for f in (StoryFilter(), StoryFilter(sort="size", limit=5, offset=5),
                  StoryFilter(sort="sources", limit=100), StoryFilter(outlet="outlet3", limit=100),
                  StoryFilter(date_from="2024-05-01", date_to="2024-07-30", limit=100),
                  StoryFilter(min_size=4, max_size=5, sort="size", limit=100)):
            total, page = s.query_stories(f)
            expected = python(f)
            assert total == len(expected)
            assert [x.id for x in page] == expected[f.offset:f.offset + f.limit]
        total, page = s.query_stories(StoryFilter(text="fire", limit=100))
        assert {x.id for x in page} == {st.id for st in every
                                       if any(int(a[1:]) % 3 == 0 for a in st.article_ids)}
        assert s.query_stories(StoryFilter(text="\x00")) == (0, [])
        s.conn.execute("UPDATE stories SET size=NULL, sources=NULL")  # as an older store
    with open_store(db) as s:
        assert s.conn.execute("SELECT count(*) FROM stories WHERE size IS NULL").fetchone()[0] == 0
        assert [x.id for x in s.query_stories(StoryFilter(sort="size", limit=100))[1]] \
            == python(StoryFilter(sort="size", limit=100))
