"""Independent sources are outlets after lineage: one outlet's articles are one voice (its later
article is a revision, never a conflict with itself), copies of one wire report are one
voice, and every face reports the same count."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.outlets import Speaker, count_voices, outlet_key, voices
from parallax.pipeline import ingest, update_stories
from parallax.reports import story_report
from parallax.settings import Settings
from parallax.store import open_store

FLOOD = ("Floods swept through the Ebro valley on Tuesday, killing {dead} people and forcing "
         "{evacuated} residents from their homes, regional officials said. {extra}")


def write(d, name, **kw):
    (d / f"{name}.json").write_text(json.dumps(kw), encoding="utf-8")


@pytest.fixture
def flood(tmp_path, make_db):
    d = tmp_path / "in"
    d.mkdir()
    # El Diario: two articles (an update raises the toll), NYT and a verbatim copy of NYT
    write(d, "a1", title="Floods kill 4 in Ebro valley", source="El Diario", date="2013-07-02",
          text=FLOOD.format(dead=4, evacuated=300, extra="Rescue teams searched the riverbanks."))
    write(d, "a2", title="Ebro flood toll rises", source="El Diario", date="2013-07-03",
          text=FLOOD.format(dead=7, evacuated=300, extra="The army sent 200 soldiers to help."))
    nyt = FLOOD.format(dead=9, evacuated=300, extra="The regional president visited the area.")
    write(d, "b1", title="Deadly floods in Spain", source="nytimes.com", date="2013-07-03", text=nyt)
    write(d, "b2", title="Deadly floods in Spain", source="www.NYTimes.com", date="2013-07-03", text=nyt)
    write(d, "c1", title="Spain floods", source="The Local", date="2013-07-03", url="https://thelocal.es/x",
          text=nyt)  # a copy of the NYT report published by another outlet
    db = make_db("p.db")
    settings = Settings(db=db)
    with open_store(db) as store:
        ingest([str(d)], store, settings)
        update_stories(store, settings)
        (story,) = store.list_stories()
        report = story_report(store, story.id, settings)
    return db, story, report


def test_voices_are_outlets_after_lineage(flood):
    _db, story, report = flood
    # El Diario (2 articles), nytimes.com (2 spellings), The Local's copy of NYT: 2 voices
    assert story.independent_sources == 2 and report["independent_sources"] == 2
    assert len(report["sources"]) == 2
    conflicts = [c for f in report["facts"] for c in f["conflicts"]]
    assert conflicts and all(c["a"]["source"] != c["b"]["source"] for c in conflicts)
    # El Diario's 4 then 7 dead is a revision of one voice, never a conflict
    assert not any({c["a"]["value"], c["b"]["value"]} == {4, 7} for c in conflicts)
    revisions = [r for f in report["facts"] for r in f["revisions"]]
    assert any({r["a"]["value"], r["b"]["value"]} == {4, 7} for r in revisions)
    # the toll El Diario and NYT disagree on is a number conflict with both sentences
    assert any(c["type"] == "number" and {c["a"]["value"], c["b"]["value"]} & {9} for c in conflicts)


def test_every_face_gives_the_same_count(flood):
    from fastapi.testclient import TestClient

    from parallax.export import html, markdown
    from parallax.web.app import create_app

    db, story, report = flood
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["--db", db, "stories", "--json"]).stdout)["items"]
    shown = json.loads(runner.invoke(app, ["--db", db, "show", story.id, "--json"]).stdout)
    with TestClient(create_app(Settings(db=db))) as client:
        api_list = client.get("/api/stories").json()["items"]
        api_story = client.get(f"/api/stories/{story.id}").json()
        page = client.get(f"/stories/{story.id}").text
    counts = {listed[0]["independent_sources"], shown["independent_sources"],
              api_list[0]["independent_sources"], api_story["independent_sources"]}
    assert counts == {2}
    assert "2 independent sources" in markdown(report) and "2 independent sources" in html(report)
    assert "2 independent sources" in " ".join(page.split())


def test_one_outlet_says_it_cannot_corroborate(tmp_path, make_db):
    d = tmp_path / "in"
    d.mkdir()
    write(d, "a1", title="Floods", source="El Diario", date="2013-07-02",
          text=FLOOD.format(dead=4, evacuated=300, extra=""))
    write(d, "a2", title="Floods update", source="El Diario", date="2013-07-03",
          text=FLOOD.format(dead=7, evacuated=300, extra="Rescue teams searched the riverbanks."))
    db = make_db("p.db")
    with open_store(db) as store:
        ingest([str(d)], store, Settings(db=db))
        update_stories(store, Settings(db=db))
        (story,) = store.list_stories()
        report = story_report(store, story.id, Settings(db=db))
    assert report["independent_sources"] == 1
    assert [n["code"] for n in report["notices"]] == ["one_outlet"]
    assert all(f["status"] != "corroborated" and not f["conflicts"] for f in report["facts"])


@pytest.mark.parametrize("a, b, same", [
    ("nytimes.com", "www.NYTimes.com", True), ("https://www.bbc.co.uk/", "bbc.co.uk", True),
    ("El Diario", "el diario", True), ("nytimes.com", "nypost.com", False),
])
def test_outlet_keys(a, b, same):
    assert (outlet_key(a) == outlet_key(b)) is same


def test_voices_join_outlets_and_copies():
    sp = [Speaker("1", "A", None, "g1"), Speaker("2", "B", None, "g1"),  # B copies A's report
          Speaker("3", "B", None, "3"), Speaker("4", None, "EFE", "4"), Speaker("5", None, None, "5"),
          Speaker("6", None, None, "6")]
    v = voices(sp)
    assert v["1"] == v["2"] == v["3"]  # B's own article joins B, which copied A
    assert v["4"] != v["1"] and v["5"] != v["6"]  # unknown outlets are never merged
    assert count_voices(sp) == 4


def test_the_outlet_matrix_says_who_said_what(flood):
    """Facts x independent sources: the toll El Diario and NYT disagree on shows a conflict
    in the other source's cell; a fact only one source reports leaves the other silent; the
    NYT's two spellings and The Local's copy are one column; shared facts come first."""
    _db, _story, report = flood
    m = report["matrix"]
    assert len(m["sources"]) == report["independent_sources"] == 2
    assert m["sources"][0] == "El Diario" and m["sources"][1].endswith("(+2)")
    statuses = [r["status"] for r in m["rows"]]
    assert statuses == sorted(statuses, key=lambda s: s == "single_source")  # shared first
    facts = report["facts"]
    for row in m["rows"]:
        fact = facts[row["fact"]]
        assert row["text"] == fact["text"] and len(row["cells"]) == 2
        if fact["status"] == "single_source":
            assert sorted(row["cells"]) == ["silent", "states"]
        if fact["status"] == "conflict":  # one source states it, the other tells it otherwise
            assert sorted(row["cells"]) == ["conflicts", "states"], row
    assert sum(r["status"] == "conflict" for r in m["rows"]) >= 1
    assert m["more"] == len(facts) - len(m["rows"])


def test_show_and_exports_print_the_matrix(flood):
    from parallax.export import html, markdown

    db, story, report = flood
    shown = CliRunner().invoke(app, ["--db", db, "show", story.id]).stdout
    assert "Which outlet said what" in shown and "✕" in shown
    assert "| fact |" in markdown(report) and "✕" in markdown(report)
    assert 'class="matrix"' in html(report) and 'class="conflicts"' in html(report)


def test_saved_reports_follow_their_story(flood, monkeypatch):
    """A story's report is saved and reused while its members and settings stay; a change
    to either makes it again; a relink clears them."""
    import parallax.compare as compare_module
    from parallax.pipeline import relink
    from parallax.reports import story_report
    from parallax.store.base import StoryAssignment

    db, story, report = flood
    settings = Settings(db=db)
    with open_store(db) as store:
        story_report(store, story.id, settings)  # saved (the fixture's was too)
        assert store.report_key(story.id)

        def no_compare(*a, **k):
            raise AssertionError("compared again")

        monkeypatch.setattr(compare_module, "compare", no_compare)
        again = story_report(store, story.id, settings)
        assert again["facts"] == json.loads(json.dumps(report["facts"]))
        with pytest.raises(AssertionError):  # other settings: made again
            story_report(store, story.id, settings.replace(align_threshold=0.5))
        moved = story.article_ids[-1]
        store.save_assignments([StoryAssignment(moved, "s-out")], {"s-out": "x"})
        with pytest.raises(AssertionError):  # other members: made again
            story_report(store, story.id, settings)
        monkeypatch.undo()
        relink(store)
        assert store.report_key(story.id) is None


def test_ingest_compares_large_stories_at_once(make_db, tmp_path, monkeypatch):
    from parallax.reports import report_key

    monkeypatch.setenv("PARALLAX_REPORT_PRECOMPUTE_SIZE", "3")
    d = tmp_path / "in"
    d.mkdir()
    for n, source in enumerate(["A", "B", "C"]):
        write(d, f"x{n}", title="Ebro floods", source=source, date="2013-07-02",
              text=FLOOD.format(dead=4, evacuated=300, extra=f"Report {n}."))
    db = make_db("pre.db")
    result = CliRunner().invoke(app, ["--db", db, "ingest", str(d)])
    assert result.exit_code == 0, result.stderr
    with open_store(db) as store:
        (story,) = store.list_stories()
        assert store.report_key(story.id) == report_key(story, store.assignments(story.id),
                                                        Settings.load(db=db))
