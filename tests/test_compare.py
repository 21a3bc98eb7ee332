"""Comparison of the seeds' story: facts with status, differences a reader must see, a cited
brief and a cited timeline; and the export formats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parallax.compare import date_flag
from parallax.compare.checks import wording_of_quotes
from parallax.compare.relate import RelateParams, compare_quotes
from parallax.compare.places import demonym_links, is_demonym_of
from parallax.compare.report import brief_flag, finding_label, shown_finding
from parallax.compare.statements import Statement, split_clauses
from parallax.pipeline import ingest, update_stories
from parallax.reports import story_report
from parallax.store import open_store

from .conftest import module_db

from .conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden" / "seeds_story.json"

# What the issue asks of the seeds and Parallax does not yet do: the paraphrases share too few
# words for the alignment (docs/benchmarks.md, 'Comparison'). Strict: a change that makes one
# of them pass must turn it into a plain test.
MISSING = pytest.mark.xfail(strict=True, reason="paraphrase beyond content-word alignment")
# Corroborations the word-coverage comparison (issue 21: a member must hold most of the fact's
# informative words) no longer makes on the seeds: machine-translated paraphrases ('free' /
# 'release', 'failed to reach an agreement' / 'ended without an agreement') and the treaty's
# exit ('broke last month' / 'signed a law suspending ... two days after'). The sentence-pair
# model of issue 22 scores some of them high, but not high enough to count a source at the
# precision the comparison keeps (docs/benchmarks.md): it shows them as 'told similarly'.
PARAPHRASE = pytest.mark.xfail(strict=True, reason="paraphrase: the shipped sentence-pair model is not precise enough to count a source (issue 22)")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeds_story(request, tmp_path_factory):
    """The seeds' story and its report, on each backend (the golden file holds for both)."""
    from parallax.settings import Settings

    db = module_db(request, tmp_path_factory, "cmp")
    settings = Settings(db=db)
    with open_store(db) as store:
        ingest([str(SEEDS)], store, settings)
        update_stories(store, settings)
        (story,) = store.list_stories()
        return story_report(store, story.id, settings), db, story.id


def fact(result, words):
    """The fact one of whose statements (the shown one or another source's) has the words."""
    found = [f for f in result["facts"]
             if any(all(w in t for w in words) for t in [f["text"]] + [e["text"] for e in f["evidence"]])]
    assert found, f"no fact with {words}"
    return found[0]


def coarse(value):
    """``value`` with every 'score' rounded to two decimals."""
    if isinstance(value, dict):
        return {k: (round(v, 2) if k == "score" and isinstance(v, float) else coarse(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [coarse(v) for v in value]
    return value


def test_seeds_story_matches_golden(seeds_story):
    """The whole comparison of the seeds (brief, facts, timeline), so any change to what a
    reader sees shows in review. After a deliberate change, regenerate with
    PARALLAX_REGEN_GOLDEN=1 pytest tests/test_compare.py -k golden, and read the diff."""
    result, _, _ = seeds_story
    keys = ("id", "title", "outlets", "independent_sources", "first_date", "last_date",
            "brief", "facts", "timeline")
    got = json.loads(json.dumps({k: result[k] for k in keys}, ensure_ascii=False))
    if os.environ.get("PARALLAX_REGEN_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # the model's scores to two decimals: int8 kernels may round the last digits differently
    # on another CPU; what a reader sees (statuses, hints, text) must not change
    assert coarse(got) == coarse(json.loads(GOLDEN.read_text(encoding="utf-8"))), (
        "the seeds' story changed; if deliberately, regenerate (see this test's docstring)")


@pytest.mark.parametrize("words", [
    ["Blinken who requested the meeting"],
    pytest.param(["Paul Whelan"], marks=PARAPHRASE),
    pytest.param(["G20 foreign ministers", "agreement"], marks=PARAPHRASE),
    pytest.param(["continue to support Ukraine"], marks=PARAPHRASE),
])
def test_corroborated_by_both(seeds_story, words):
    f = fact(seeds_story[0], words)
    assert f["status"] == "corroborated" and f["independent_sources"] == 2
    assert set(f["sources"]) == {"EFE", "La Voz de Galicia"}
    # each source listed states the fact: the member says what it agrees on
    assert all(e["agrees"] for e in f["evidence"] if e["role"] == "states")


def test_nothing_is_corroborated_by_a_source_that_does_not_state_it(seeds_story):
    """'Blinken requested to contact Lavrov' is not stated by 'Conversation between Lavrov and
    Blinken ended the absence of contacts' (judged N in tests/fixtures/compare_gold.jsonl)."""
    f = fact(seeds_story[0], ["Blinken requested to contact Lavrov"])
    assert f["status"] == "single_source" and f["sources"] == ["EFE"]




@MISSING
@pytest.mark.parametrize("words", [["asked his Russian counterpart to sign"],
                                   ["did not plan to meet Lavrov"],
                                   ["had a brief conversation"]])
def test_paraphrased_facts_corroborated_by_both(seeds_story, words):
    f = fact(seeds_story[0], words)
    assert f["status"] == "corroborated" and f["independent_sources"] == 2


@MISSING
def test_sign_or_review_is_flagged_for_a_reader(seeds_story):
    f = fact(seeds_story[0], ["asked his Russian counterpart to sign"])
    assert shown_finding(f) is not None and any(
        "review" in side["text"] for side in (shown_finding(f)["a"], shown_finding(f)["b"]))


@PARAPHRASE
def test_support_for_ukraine_shows_the_wording_difference(seeds_story):
    result, _, _ = seeds_story
    f = fact(result, ["continue to support Ukraine"])
    assert f["conflict"] is None  # a translation variant, not a conflict
    diff = f["difference"]
    assert diff["type"] == "wording"
    assert {diff["a"]["value"], diff["b"]["value"]} == {"for as long as it takes",
                                                        "whatever is necessary"}


@pytest.mark.parametrize("demonym, place, fits", [
    ("Russian", "Russia", True), ("Ukrainian", "Ukraine", True), ("Chinese", "China", True),
    ("Turkish", "Turkey", True), ("Uzbek", "Uzbekistan", True), ("Pakistani", "Pakistan", True),
    ("American", "United States", True), ("French", "France", True), ("Swiss", "Switzerland", True),
    ("Russians", "Russia", True), ("Israelis", "Israel", True), ("Americans", "US", True),
    ("Australian", "Austria", False), ("Austrian", "Australia", False),
    ("Indonesian", "India", False), ("Iranian", "Iraq", False), ("Nigerien", "Niger", False),
])
def test_demonym_of_a_place(demonym, place, fits):
    assert is_demonym_of(demonym, place) is fits


def test_demonym_links_only_an_unambiguous_place():
    from parallax.records import CanonicalEntity as C

    ents = [C("n1", "Russian", "NORP", ("Russian",)), C("g1", "Russia", "GPE", ("Russia",)),
            C("n2", "Indian", "NORP", ("Indian",)), C("g2", "India", "GPE", ("India",)),
            C("g3", "Indiana", "GPE", ("Indiana",)), C("n3", "Greek", "NORP", ("Greek",))]
    assert demonym_links(ents) == {"n1": "g1"}  # 'Indian' fits two places, 'Greek' none


def test_single_source_facts(seeds_story):
    result, _, _ = seeds_story
    assert fact(result, ["less than ten minutes"])["sources"] == ["La Voz de Galicia"]
    assert fact(result, ["95%"])["status"] == "single_source"
    assert fact(result, ["1,550 nuclear warheads"])["sources"] == ["EFE"]
    assert fact(result, ["Zakharova"])["status"] == "single_source"


@PARAPHRASE
def test_treaty_exit_is_flagged_for_a_reader(seeds_story):
    result, _, _ = seeds_story
    f = fact(result, ["Putin broke last month"])
    finding = f["conflict"] or f["difference"]
    assert finding["type"] == "date"
    assert "last month" in finding["why"] and "two days after" in finding["why"]
    assert {finding["a"]["source"], finding["b"]["source"]} == {"EFE", "La Voz de Galicia"}
    # and on the timeline: EFE's 'last month' entry says the accounts differ (La Voz's 'two days'
    # cannot be placed: its article is undated, so this is a difference, not a certain conflict)
    entry = next(t for t in result["timeline"] if t["date"] == "2023-02")
    assert entry["conflict"]["type"] == "date" and entry["conflict"]["certain"] is False
    assert date_flag(entry).startswith("dates differ") and "two days" in date_flag(entry)
    assert all(t["conflict"] is None for t in result["timeline"] if t["date"] != "2023-02")
    # a reader sees which source says what, in the brief and on the timeline
    said = "EFE “last month” / La Voz de Galicia “two days after”"
    (flagged,) = [b for b in result["brief"] if b["flag"]]
    assert flagged["flag"] == "dates differ" and flagged["why"] == said
    assert brief_flag(flagged) == f"dates differ: {said}" and date_flag(entry).endswith(said)
    assert all(b["why"] is None for b in result["brief"] if not b["flag"])


def test_putins_suspension_told_similarly_with_its_dates_to_check(seeds_story):
    """EFE's 'on February 21 Putin announced ... freeze its participation' and La Voz's 'two
    days after Putin signed a law suspending' (in an undated article): the model shows them
    side by side, never counted as one fact, and says that their dates differ, to check."""
    from parallax.compare.report import similar_label

    result, _, _ = seeds_story
    f = fact(result, ["two days after Vladimir Putin signed a law"])
    assert f["status"] == "single_source"
    (near,) = [n for n in f["told_similarly"] if "February 21" in n["text"]]
    diff = near["difference"]
    assert diff["type"] == "date" and diff["certain"] is False
    assert diff["why"] == "La Voz de Galicia “two days after” / EFE “February 21”"
    assert (diff["a"]["value"], diff["b"]["value"]) == (None, "2023-02-21")
    assert similar_label(near).endswith("the dates differ, check them: " + diff["why"])
    # a hint whose dates agree, or that has none, carries no difference
    assert all(n["difference"] is None for g in result["facts"] for n in g["told_similarly"]
               if "February 21" not in n["text"] and "two days after" not in n["text"])


def test_brief_and_timeline_cite_every_line(seeds_story):
    result, _, _ = seeds_story
    assert result["brief"] and all(b["citations"] for b in result["brief"])
    for b in result["brief"]:
        assert all({"source", "article", "sentence"} <= set(c) for c in b["citations"])
    # each date an event a source's sentence places there, not only a publication
    events = {t["date"]: t for t in result["timeline"] if t["kind"] == "event"}
    for d in ("2010-04-08", "2022-08", "2023-02-21", "2023-03-02"):
        assert d in events and events[d]["citations"], d
        assert all(c["sentence"] is not None for c in events[d]["citations"]), d
    assert events["2022-08"]["precision"] == "month"
    assert all(t["citations"] for t in result["timeline"])


@PARAPHRASE
def test_the_brief_says_where_its_sources_disagree(seeds_story):
    result, _, _ = seeds_story
    flags = {b["text"]: b["flag"] for b in result["brief"]}
    treaty = [t for t in flags if "two days after Vladimir Putin" in t]
    assert treaty and flags[treaty[0]] == "dates differ"
    # the other lines: no disagreement (the support line's wording variant is no reason)
    assert all(f is None for t, f in flags.items() if t not in treaty)


@pytest.mark.parametrize("finding, label", [
    ({"type": "date", "certain": False}, "dates differ"),
    ({"type": "number"}, "number conflict"),
    ({"type": "polarity", "certain": False}, "accounts differ"),
    ({"type": "wording"}, None), (None, None),
])
def test_finding_label(finding, label):
    assert finding_label(finding) == label


def test_every_fact_quotes_a_source(seeds_story):
    result, db, _ = seeds_story
    with open_store(db) as store:
        for f in result["facts"]:
            for e in f["evidence"]:
                assert e["text"] in store.get_article(e["article"]).text


def test_show_json_and_exports(seeds_story, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from parallax.cli import app

    _, db, story_id = seeds_story
    runner = CliRunner()
    out = runner.invoke(app, ["--db", db, "show", story_id, "--json"]).stdout
    data = json.loads(out)
    assert {"brief", "facts", "timeline", "articles"} <= set(data)
    assert {"text", "status", "sources", "independent_sources", "evidence", "conflict"} <= set(data["facts"][0])
    assert {"date", "precision", "text", "citations"} <= set(data["timeline"][0])
    for fmt in ("md", "html", "json"):
        path = tmp_path / f"r.{fmt}"
        res = runner.invoke(app, ["--db", db, "export", story_id, "--format", fmt, "-o", str(path)])
        assert res.exit_code == 0
        text = path.read_text()
        assert "Blinken who requested the meeting" in text
    assert "<script" not in (tmp_path / "r.html").read_text()
    bad = runner.invoke(app, ["--db", db, "export", story_id, "--format", "pdf"])
    assert bad.exit_code == 2
    shown = runner.invoke(app, ["--db", db, "show", story_id]).stdout
    for text in (shown, (tmp_path / "r.md").read_text(), (tmp_path / "r.html").read_text()):
        assert "2 independent sources" in " ".join(text.split())


@PARAPHRASE
def test_show_and_exports_flag_the_treaty_exit(seeds_story, tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app

    _, db, story_id = seeds_story
    runner = CliRunner()
    for fmt in ("md", "html"):
        runner.invoke(app, ["--db", db, "export", story_id, "--format", fmt, "-o", str(tmp_path / f"r.{fmt}")])
    shown = runner.invoke(app, ["--db", db, "show", story_id]).stdout
    for text in (shown, (tmp_path / "r.md").read_text(), (tmp_path / "r.html").read_text()):
        # the treaty's exit, flagged in the brief and on the timeline with who says what
        text = " ".join(text.split())
        assert text.count("dates differ") >= 2
        assert "EFE “last month” / La Voz de Galicia “two days after”" in text
    for text in (shown, (tmp_path / "r.md").read_text(), (tmp_path / "r.html").read_text()):
        # a reader sees the quotes' wording difference, not the term-by-term ones
        assert "for as long as it takes" in text and "whatever is necessary" in text
        assert "the accounts differ:" not in text


def test_shown_finding_keeps_quote_wording_only():
    quote = {"type": "wording", "why": "X: “a” vs “b”", "a": {"value": "a"}, "b": {"value": "b"}}
    terms = {"type": "wording", "why": "the accounts differ: ...", "a": {"value": None},
             "b": {"value": None}}
    date = {"type": "date", "why": "...", "a": {"value": None}, "b": {"value": None}}
    assert shown_finding({"conflict": None, "difference": quote}) is quote
    assert shown_finding({"conflict": None, "difference": terms}) is None
    assert shown_finding({"conflict": date, "difference": None}) is date


def test_clause_split_keeps_offsets():
    text = "Blinken made three points: the treaty; that the US will support Ukraine; and? free Paul Whelan now."
    spans = split_clauses(text, 100)
    assert len(spans) == 3
    assert all(text[a - 100:b - 100].strip() for a, b in spans)


def _st(**kw):
    base = dict(id="x", article="a", source="A", group="g", sentence=0, start=0, end=1, text="t")
    base.update(kw)
    return Statement(**base)


def test_quote_wording_and_attribution():
    blinken = {"text": "for as long as it takes", "speaker": "Antony Blinken", "how": "after"}
    a = _st(text="“The US will support Ukraine for as long as it takes,” Blinken said.", quotes=[blinken])
    b = _st(article="b", text="Blinken said support would go on “whatever is necessary”.",
            quotes=[{"text": "whatever is necessary", "speaker": "Antony Blinken", "how": "before"}])
    assert wording_of_quotes(a, [b])["type"] == "wording"
    c = _st(article="c", text="“For as long as it takes,” Biden said.",
            quotes=[{"text": "for as long as it takes", "speaker": "Joe Biden", "how": "after"}])
    agree, differ = compare_quotes(a, c, RelateParams())
    assert not agree and len(differ) == 1  # the same words given to two speakers, each named


def test_html_report_escapes_every_source_value():
    from parallax import export

    evil = '<script>alert("x")</script>'
    cite = {"source": evil, "article": "a1", "sentence": 0}
    d = {"title": evil, "size": 1, "independent_sources": 1, "first_date": None, "last_date": None,
         "brief": [{"text": evil, "citations": [cite]}],
         "facts": [{"text": evil, "status": "conflict", "sources": [evil], "independent_sources": 2,
                    "conflict": {"type": "number", "why": evil, "a": {"source": evil, "text": evil},
                                 "b": {"source": evil, "text": evil}}, "difference": None}],
         "timeline": [{"date": "2023-03-02", "precision": "day", "text": evil, "citations": [cite],
                       "conflict": {"type": "date", "why": evil, "certain": False}}],
         "articles": [{"outlet": evil, "credited_source": None, "origin": "x", "date": None,
                       "title": evil}]}
    page = export.html(d)
    assert "<script" not in page and page.count("&lt;script&gt;") >= 10
    assert page.startswith("<!doctype html>") and "dates differ" in page


def test_show_counts_the_single_source_facts_it_does_not_list():
    from rich.console import Console

    from parallax.cli import render

    def fact(n, status):
        return {"text": f"fact number {n}", "status": status, "sources": ["A"],
                "independent_sources": 1, "conflict": None, "difference": None}

    story = {"title": "t", "id": "s1", "size": 1, "independent_sources": 1, "first_date": None,
             "last_date": None, "brief": [], "timeline": [], "sources": [],
             "facts": [fact(0, "corroborated")] + [fact(n, "single_source") for n in range(1, 6)]}
    for limit, listed, note in ((2, 2, "… and 3 more reported by one source only"), (None, 5, None)):
        console = Console(record=True, width=120)
        render.story_detail(console, story, single_limit=limit)
        text = console.export_text()
        assert sum(f"fact number {n}" in text for n in range(1, 6)) == listed
        assert "fact number 0" in text and (note in text if note else "more reported" not in text)


def test_timeline_entry_cites_only_sources_of_its_fact():
    """Two facts on one day are two entries; one fact told by two sources that day is one
    entry citing both; the day's publications are one entry naming every outlet."""
    from parallax.compare.report import timeline

    tuesday = [{"value": "2023-02-28", "precision": "day", "text": "on Tuesday"}]
    arrived_a = _st(id="a:0", article="a", source="A", sentence=0, text="Lavrov arrived on Tuesday.",
                    times=tuesday)
    arrived_b = _st(id="b:3", article="b", source="B", group="h", sentence=3,
                    text="Lavrov landed in New Delhi on Tuesday.", times=tuesday)
    talks = _st(id="b:5", article="b", source="B", group="h", sentence=5,
                text="Blinken spoke in Tashkent on Tuesday.", times=tuesday)
    fact_list = [{"_members": [0, 1], "_all": [0, 1], "evidence": [], "conflict": None, "difference": None},
                 {"_members": [2], "_all": [2], "evidence": [], "conflict": None, "difference": None}]
    out = timeline([arrived_a, arrived_b, talks], fact_list,
                   [("2023-02-28", "A", "a"), ("2023-02-28", "B", "b")])
    events = [e for e in out if e["kind"] == "event"]
    assert [e["text"] for e in events] == ["Lavrov arrived on Tuesday.",
                                           "Blinken spoke in Tashkent on Tuesday."]
    assert [(c["source"], c["sentence"]) for c in events[0]["citations"]] == [("A", 0), ("B", 3)]
    assert [(c["source"], c["sentence"]) for c in events[1]["citations"]] == [("B", 5)]
    (pub,) = [e for e in out if e["kind"] == "publication"]
    assert pub["text"] == "Published by A, B" and len(pub["citations"]) == 2


def test_the_brief_never_says_one_thing_twice():
    from types import SimpleNamespace

    from parallax.compare.report import brief

    texts = ["Many people were injured but it is difficult to evacuate them",
             "Many people were injured, but it is difficult to evacuate them",  # a near-copy
             "The quake struck off the coast at 7:15 am local time",
             "Rescuers reached the town on Monday"]
    facts = [{"text": t, "status": "corroborated" if i < 3 else "single_source", "_all": [i]}
             for i, t in enumerate(texts)]
    statements = [SimpleNamespace(source=f"s{i}", article=f"a{i}", sentence=0) for i in range(4)]
    lines = [b["text"] for b in brief(facts, statements, 6)]
    assert lines == [texts[0], texts[2], texts[3]]
