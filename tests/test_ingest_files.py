"""Ingestion of files: the seeds, text headers, JSON, directories, globs, gzip, stdin."""

from __future__ import annotations

import gzip
import json

from parallax.ingest.text import TextReader
from parallax.pipeline import ingest
from parallax.store import open_store

from .conftest import EXAMPLES, SEEDS


def test_seeds_store_two_then_none(cli):
    code, out, err = cli("ingest", str(SEEDS))
    assert code == 0, err
    assert "2 stored" in err
    code, out, err = cli("ingest", str(SEEDS))
    assert code == 0
    assert "0 stored" in err and "2 already stored" in err


def test_seed_date_comes_from_header(db, settings):
    with open_store(db) as store:
        ingest([str(SEEDS / "000_96e0e1f202357a58.txt")], store, settings)
        (art,) = store.list_articles()
    assert art.date == "2023-03-02"
    assert art.date_source == "header"
    assert art.date_confidence == 1.0
    assert art.raw_text.startswith("The American Secretary of State")
    assert "date 2023-03-02" in art.raw  # the input is kept as received


def test_seed_without_date_takes_headline_after_caption(db, settings):
    with open_store(db) as store:
        ingest([str(SEEDS / "004_90bc411de8858b1e.txt")], store, settings)
        (art,) = store.list_articles()
    assert art.date is None and art.date_source is None
    assert art.title == "At the G20 summit, the American demanded that Moscow continue in START"


def _read(text: str):
    return list(TextReader().read(text, "x.txt"))


def test_header_lines_and_title():
    (art,) = _read("title: Quake hits Aceh\nsource: Example Times\nurl: https://e.x/a\n"
                   "date: 2013-07-02\n\nA quake struck. It was strong.\n")
    assert (art.title, art.outlet, art.url, art.date) == (
        "Quake hits Aceh", "Example Times", "https://e.x/a", "2013-07-02")
    assert art.text == "A quake struck. It was strong."


def test_yaml_front_matter():
    (art,) = _read("---\ntitle: Quake\ndate: 2013-07-02\nsource: Wire\nauthor: J. Doe\n---\n"
                   "Body text here.\nMore.\n")
    assert (art.title, art.date, art.date_source, art.outlet, art.author) == (
        "Quake", "2013-07-02", "front-matter", "Wire", "J. Doe")


def test_first_line_is_title_only_when_it_looks_like_one():
    (a,) = _read("Quake hits Aceh province\nA quake struck on Tuesday. Five died.\n")
    assert a.title == "Quake hits Aceh province"
    assert a.text.startswith("A quake struck")
    (b,) = _read("A quake struck on Tuesday, killing five. Officials said more may die.\nMore.\n")
    assert b.title is None
    assert b.text.startswith("A quake struck")


def test_a_body_line_starting_with_date_word_is_not_a_header():
    (art,) = _read("date night is cancelled, the mayor said.\nMore text.\n")
    assert art.date is None
    assert art.text.startswith("date night")


def test_json_lines_with_default_and_mapped_fields(tmp_path, db, settings):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"headline": "H1", "body": "Text one.", "published_at": "2020-01-02T10:00:00Z",
                             "site": "A"}) + "\n" +
                 json.dumps({"title": "H2", "content": "Text two.", "pubDate": "Jan 3 2020"}) + "\n")
    with open_store(db) as store:
        report = ingest([str(f)], store, settings)
        arts = {a.title: a for a in store.list_articles()}
    assert len(report.stored) == 2
    assert arts["H1"].date == "2020-01-02" and arts["H1"].outlet == "A"
    assert arts["H2"].date is None and arts["H2"].metadata["pubDate"] == "Jan 3 2020"


def test_headlines_without_a_body_are_stored_and_clustered_as_headlines(tmp_path, db, settings):
    """A feed's or an aggregator's items are often a headline alone: stored with the headline as
    their text (never cleaned away as 'the title repeated'), each its own report for lineage,
    and clustered as headlines (short texts, the consensus in a rebuild)."""
    from parallax.pipeline import update_stories
    from parallax.stories import article_doc

    heads = ["Sources: Sox May Not Be Out Of Teixeira Chase",  # a 'credit' line, kept
             "Magnitude 6.1 quake strikes Indonesia's Aceh province",
             "Strong earthquake hits Aceh, Indonesia, killing at least five",
             "Aceh earthquake: rescuers search rubble after 6.1 tremor",
             "Lindsay Lohan checks into Betty Ford Center",
             "Lindsay Lohan enters rehab at Betty Ford clinic"]
    f = tmp_path / "heads.jsonl"
    f.write_text("".join(json.dumps({"title": h, "text": "", "date": "2013-07-02"}) + "\n"
                         for h in heads) + json.dumps({"title": "Live updates"}) + "\n")
    with open_store(db) as store:
        report = ingest([str(f)], store, settings)
        assert len(report.stored) == 6
        assert [(p.line, p.code) for p in report.problems] == [(7, "E111")]  # too short a title
        assert "no title of 4 words or more" in report.problems[0].message
        arts = {a.title: a for a in store.list_articles()}
        update_stories(store, settings, rebuild=True)
        groups = sorted(sorted(store.get_article(x).title[:6] for x in s.article_ids)
                        for s in store.list_stories())
        lineage = {x.lineage_id for x in store.assignments()}
    quake = arts[heads[1]]
    assert quake.text == heads[1] and quake.metadata["headline_only"] is True
    assert article_doc(quake).text == heads[1] + "\n"  # read as a headline, not title + body
    assert arts[heads[0]].text == heads[0]  # never cleaned away
    assert len(lineage) == 6  # six headlines, six reports: no empty body makes them copies
    assert ["Lindsa", "Lindsa"] in groups and ["Aceh e", "Magnit", "Strong"] in groups


def test_json_map_option(tmp_path, cli):
    f = tmp_path / "a.json"
    f.write_text(json.dumps([{"hed": "Mapped", "article_body": "Mapped text.", "pubDate": "2020-05-06"}]))
    code, _, err = cli("ingest", "--map", "title=hed,text=article_body,date=pubDate", str(f))
    assert code == 0, err
    code, out, _ = cli("articles", "--json")
    (row,) = json.loads(out)["items"]
    assert (row["title"], row["date"], row["date_source"]) == ("Mapped", "2020-05-06", "json")


def test_bad_map_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("ingest", "--map", "nonsense", str(tmp_path))
    assert code == 2
    assert "--map" in err


def test_gzip_glob_and_stdin(tmp_path, cli):
    (tmp_path / "one.txt.gz").write_bytes(gzip.compress(b"Quake hits Aceh\nA strong quake struck Aceh.\n"))
    (tmp_path / "two.txt").write_text("Murder charge in Millom\nA man was charged.\n")
    code, _, err = cli("ingest", str(tmp_path / "*.gz"), str(tmp_path / "two.txt"))
    assert code == 0, err
    assert "2 stored" in err
    code, _, err = cli("ingest", "-", input="From stdin\nSome article text that arrived on stdin.\n")
    assert code == 0 and "1 stored" in err
    code, out, _ = cli("articles", "--json")
    assert {r["title"] for r in json.loads(out)["items"]} == {
        "Quake hits Aceh", "Murder charge in Millom", "From stdin"}


def test_example_corpus_ingests_cleanly(cli):
    code, _, err = cli("ingest", str(EXAMPLES))
    assert code == 0, err
    assert "18 stored" in err
