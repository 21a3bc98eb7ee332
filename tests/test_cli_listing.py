"""Daily use of the CLI over a store of many stories: filters, sorting and paging with totals,
search across stories and articles, global options anywhere, and one-line refusals."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from parallax.cli.app import hoist_global_options

from .conftest import EXAMPLES


@pytest.fixture
def filled(cli):
    code, _, err = cli("ingest", str(EXAMPLES))
    assert code == 0, err
    return cli


def test_stories_pages_with_totals(filled):
    everything = json.loads(filled("stories", "--limit", "0", "--json")[1])
    total = everything["total"]
    assert total == len(everything["items"]) > 5 and everything["more"] is False
    first = json.loads(filled("stories", "--limit", "3", "--json")[1])
    second = json.loads(filled("stories", "--limit", "3", "--offset", "3", "--json")[1])
    assert first["total"] == total and first["more"] is True and first["returned"] == 3
    assert [s["id"] for s in first["items"] + second["items"]] == \
        [s["id"] for s in everything["items"][:6]]
    sources = [s["independent_sources"] for s in everything["items"]]
    assert sources == sorted(sources, reverse=True)  # the default order


def test_stories_filters(filled):
    def ids(*args):
        return {s["id"] for s in json.loads(filled("stories", "--limit", "0", *args, "--json")[1])["items"]}

    every = json.loads(filled("stories", "--limit", "0", "--json")[1])["items"]
    some_outlet = every[0]["outlets"][0]
    assert ids("--outlet", some_outlet) == {s["id"] for s in every
                                           if any(some_outlet.lower() in o.lower() for o in s["outlets"])}
    assert ids("--min-sources", "2") == {s["id"] for s in every if s["independent_sources"] >= 2}
    dated = [s for s in every if s["first_date"]]
    year = dated[0]["first_date"][:4]
    assert ids("--since", year, "--until", year) == {
        s["id"] for s in every if s["first_date"] and s["first_date"] <= f"{year}-12-31"
        and (s["last_date"] or "") >= year}
    assert ids("--entity", "Zakharova") and ids("--entity", "Zakharova") < {s["id"] for s in every}
    recent = json.loads(filled("stories", "--limit", "0", "--sort", "recent", "--json")[1])["items"]
    assert [s["last_date"] or "" for s in recent] == sorted((s["last_date"] or "" for s in recent), reverse=True)


def test_search_finds_stories_and_articles(filled):
    data = json.loads(filled("search", "Zakharova", "--json")[1])
    assert data["stories"]["total"] >= 1 and data["articles"]["items"]
    story_ids = {s["id"] for s in data["stories"]["items"]}
    assert {a["story"] for a in data["articles"]["items"]} <= story_ids
    code, out, _ = filled("search", "Zakharova")
    assert code == 0 and "stories" in out and "articles" in out


def test_articles_json_says_when_it_is_cut(filled):
    data = json.loads(filled("articles", "--limit", "2", "--json")[1])
    assert data["returned"] == 2 and data["more"] is True and data["total"] > 2
    data = json.loads(filled("articles", "--search", "the", "--limit", "1", "--json")[1])
    assert data["returned"] == 1 and data["more"] is True


@pytest.mark.parametrize("args,code,words", [
    (("stories", "--since", "yesterday"), 2, "not a date"),
    (("stories", "--until", "2024-02-30"), 2, "not a date"),
    (("stories", "--sort", "best"), 2, "unknown order"),
    (("stories", "--outlet", "No Such Outlet Anywhere"), 2, "no story has an outlet"),
    (("stories", "--entity", "Qwxyzzy"), 2, "no article names"),
])
def test_bad_filters_are_one_line(filled, args, code, words):
    got, out, err = filled(*args)
    assert got == code and words in err and len(err.strip().splitlines()) == 1 and not out


def test_read_commands_refuse_a_missing_database(tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["show", "x"], ["stories"], ["article", "x"], ["search", "x"], ["articles"]):
        proc = subprocess.run([sys.executable, "-m", "parallax", "--db", str(missing), *args],
                              capture_output=True, text=True)
        assert proc.returncode == 3 and "no such database" in proc.stderr, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1
    assert not missing.exists()


def test_an_empty_store_says_so(cli, tmp_path):
    (tmp_path / "e.jsonl").write_text('{"title": "no text"}\n')
    cli("ingest", str(tmp_path / "e.jsonl"))  # creates the store, stores nothing
    code, out, err = cli("stories")
    assert code == 3 and "no articles yet" in err and not out


def test_global_options_after_the_command(tmp_path):
    assert hoist_global_options(["ingest", "--db", "x.db", "f", "-q"]) == ["--db", "x.db", "-q", "ingest", "f"]
    assert hoist_global_options(["show", "--db=x.db", "--", "--db"]) == ["--db=x.db", "show", "--", "--db"]
    db = tmp_path / "after.db"
    proc = subprocess.run([sys.executable, "-m", "parallax", "ingest", str(EXAMPLES / "seeds"),
                           "--db", str(db), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert db.exists() and len(json.loads(proc.stdout)["stored"]) == 2


def test_tables_as_csv_and_parquet(filled, tmp_path):
    import csv

    import pyarrow.parquet as pq

    assert filled("export", "-f", "csv", "-o", str(tmp_path / "csv"))[0] == 0
    assert filled("export", "-f", "parquet", "-o", str(tmp_path / "pq"))[0] == 0
    listed = json.loads(filled("stories", "--limit", "0", "--json")[1])
    stories = list(csv.DictReader((tmp_path / "csv" / "stories.csv").open(encoding="utf-8")))
    facts = list(csv.DictReader((tmp_path / "csv" / "facts.csv").open(encoding="utf-8")))
    articles = list(csv.DictReader((tmp_path / "csv" / "articles.csv").open(encoding="utf-8")))
    assert len(stories) == listed["total"]
    assert sum(int(s["articles"]) for s in stories) == len(articles) == \
        sum(s["size"] for s in listed["items"])
    assert {f["status"] for f in facts} <= {"corroborated", "single_source", "conflict", "differs"}
    assert all(f["status_label"] != f["status"] for f in facts if f["status"] == "single_source")
    assert all(f["article_id"] and f["sentence"] != "" for f in facts)  # provenance on every row
    for name, rows in (("stories", stories), ("facts", facts), ("articles", articles)):
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert table.num_rows == len(rows) and table.column_names == list(rows[0])
    one = listed["items"][0]["id"]
    assert filled("export", one, "-f", "csv", "-o", str(tmp_path / "one"))[0] == 0
    assert {r["story_id"] for r in csv.DictReader((tmp_path / "one" / "facts.csv").open())} == {one}


def test_markdown_and_html_exports_use_human_labels(filled):
    story = json.loads(filled("stories", "--json")[1])["items"][0]["id"]
    for fmt in ("md", "html"):
        code, out, _ = filled("export", story, "-f", fmt)
        shown = re.sub(r'<style>.*?</style>|class="[^"]*"', "", out, flags=re.S)
        assert code == 0 and "single source" in shown and "single_source" not in shown
