"""The understanding stage on the seeds: entities with aliases, quotes with speakers, numbers
with bounds, times on the calendar, and canonical entities across articles."""

from __future__ import annotations

import pytest

from parallax.ingest.text import TextReader
from parallax.pipeline import build_article, ingest
from parallax.settings import Settings
from parallax.store import SQLiteStore
from parallax.understand import analyze
from parallax.understand.names import same_person

from .conftest import SEEDS


def seed_analysis(name: str):
    path = next(SEEDS.glob(f"{name}*.txt"))
    (raw,) = TextReader().read(path.read_text(), path.name)
    art = build_article(raw, Settings())
    from parallax.understand.records import Analysis

    return art, Analysis.from_dict(art.analysis)


@pytest.fixture(scope="module")
def efe():
    return seed_analysis("000")


@pytest.fixture(scope="module")
def lavoz():
    return seed_analysis("004")


def entity(analysis, alias):
    found = [e for e in analysis.entities if alias in e.aliases]
    assert found, f"no entity with alias {alias!r}: {[e.aliases for e in analysis.entities]}"
    return found[0]


def test_sentences_point_into_the_text(efe):
    art, an = efe
    assert an.lang == "en" and an.entity_tagged
    for s in an.sentences:
        assert art.text[s.start:s.end] == s.text
    assert an.sentences[0].text.startswith("The American Secretary of State")


def test_entities_and_aliases(efe, lavoz):
    _, a = efe
    lavrov = entity(a, "Segéi Lavrov")
    assert {"Lavrov", "Sergei Victorovich (Lavrov)"} <= set(lavrov.aliases)
    assert lavrov.label == "PERSON"
    assert {"Antony Blinken", "Blinken"} <= set(entity(a, "Antony Blinken").aliases)
    assert entity(a, "New START").label == "LAW"
    _, b = lavoz
    assert {"Narendra Modi", "Modi"} <= set(entity(b, "Modi").aliases)
    assert "STAR-3" in entity(b, "Treaty on Strategic Offensive Weapons").aliases
    assert "Paul Whelan" in entity(b, "Paul Whelan").aliases  # not 'Paul Whelan American'


def test_quote_speakers(efe, lavoz):
    _, a = efe
    by_start = {q.text[:20]: q for q in a.quotes}
    zakharova = by_start["Blinken requested to"]
    assert zakharova.speaker == "Maria Zakharova" and zakharova.verb == "told"
    assert zakharova.role == "Russian Foreign Affairs spokeswoman"
    assert by_start["There are no plans t"].speaker == "Antony Blinken"
    partial = by_start["for as long as it ta"]
    assert partial.partial and partial.speaker == "Antony Blinken"
    assert "New START" not in by_start  # a name in quotation marks is not a quote
    _, b = lavoz
    by_start = {q.text[:20]: q for q in b.quotes}
    assert by_start["There is almost 95% "].speaker == "Subrahmanyam Jaishankar"
    assert by_start["Don’t let the proble"].speaker == "Narendra Modi"
    assert by_start["whatever is necessar"].speaker == "Antony Blinken"


def test_numbers_with_what_they_count_and_bounds(efe, lavoz):
    _, a = efe
    nums = {n.text: n for n in a.numbers}
    assert nums["1,550"].value == 1550 and nums["1,550"].counted == "nuclear warheads"
    assert nums["700"].value == 700 and nums["700"].counted == "ballistic systems"
    _, b = lavoz
    nums = {n.text: n for n in b.numbers}
    assert nums["95%"].value == 95 and nums["95%"].unit == "percent"
    assert "clauses" in nums["95%"].counted
    ten = nums["ten minutes"]
    assert (ten.value, ten.unit, ten.upper, ten.lower) == (10, "minute", 10, None)
    assert not any(n.text == "3" for n in b.numbers)  # 'STAR-3' is a name


def test_times_on_the_calendar(efe):
    _, a = efe
    got = {t.text: (t.value, t.precision) for t in a.times}
    assert got["on Thursday"] == ("2023-03-02", "day")
    assert got["on Tuesday"] == ("2023-02-28", "day")
    assert got["this Wednesday"] == ("2023-03-01", "day")
    assert got["last month"] == ("2023-02", "month")
    assert got["In August last year"] == ("2022-08", "month")
    assert got["February 21"] == ("2023-02-21", "day")
    assert got["April 8, 2010"] == ("2010-04-08", "day")
    sources = {t.text: t.resolved_from for t in a.times}
    assert sources["April 8, 2010"] == "absolute" and sources["last month"] == "publication date"


def test_undated_article_leaves_relative_times_unresolved(lavoz):
    _, b = lavoz
    (week,) = [t for t in b.times if t.text == "last week"]
    assert week.value is None and week.resolved_from.startswith("unresolved")


def test_spans_counted_from_publication_or_from_another_event():
    from datetime import date

    from parallax.understand.times import extract

    text = ("The petition comes just two days after Putin signed a law. He left three weeks ago. "
            "A year later it ended. The vote was held 10 days ago.")
    got = {t.text: t for t in extract(text, lambda o: 0, date(2023, 3, 2), "publication date")}
    assert (got["three weeks ago"].value, got["three weeks ago"].precision) == ("2023-02-09", "week")
    assert got["10 days ago"].value == "2023-02-20"
    for anchored in ("two days after", "A year later"):  # counted from an event, not a date
        assert got[anchored].value is None and got[anchored].kind == "event"
        assert got[anchored].resolved_from.startswith("unresolved: counted from another event")
    # a compound number is not a span of its last word ('eighty-four days after' is not 'four')
    assert extract("Five hundred and eighty-four days after descending", lambda o: 0,
                   date(2017, 1, 20), "publication date") == []
    undated = {t.text: t for t in extract(text, lambda o: 0, None, "")}
    assert undated["10 days ago"].value is None
    assert undated["10 days ago"].resolved_from.startswith("unresolved: relative")


def test_dateline_gives_an_inferred_date():
    an = analyze("July 03, 2013 6: 22AM A strong quake hit Aceh on Tuesday, officials said.")
    assert an.inferred_date["value"] == "2013-07-03"
    (tue,) = [t for t in an.times if t.text == "on Tuesday"]
    assert tue.value == "2013-07-02" and tue.resolved_from.startswith("inferred publication date")


def test_non_english_is_not_entity_tagged():
    an = analyze("El secretario de Estado de Estados Unidos se reunió el jueves con el ministro "
                 "ruso en Nueva Delhi. Hablaron menos de diez minutos.")
    assert an.lang == "es" and not an.entity_tagged and an.entities == []
    assert an.sentences


def test_canonical_entities_across_articles(db, settings):
    with SQLiteStore(db) as store:
        ingest([str(SEEDS)], store, settings)
        ids = {}
        for a in store.iter_articles():
            links = store.article_entity_ids(a.id)
            ids[a.id] = {c.name: c.id for c in links.values()}
    first, second = ids.values()
    common = set(first.values()) & set(second.values())
    lavrov = {v for k, v in {**first, **second}.items() if "Lavrov" in k}
    assert len(lavrov) == 1 and lavrov <= common  # 'Segéi Lavrov' and 'Sergey Lavrov'
    assert first.get("Antony Blinken") == second.get("Antony Blinken")


@pytest.mark.parametrize("a,b,same", [
    ("Sergei Lavrov", "Sergey Lavrov", True), ("Sergei Lavrov", "Segéi Lavrov", True),
    ("Joe Biden", "Hunter Biden", False), ("J. Smith", "John Smith", True),
    ("Maria Zakharova", "Maria Sharapova", False),
])
def test_same_person(a, b, same):
    assert same_person(a, b) is same


def test_article_json_keys(cli):
    import json

    cli("ingest", str(SEEDS))
    _, out, _ = cli("articles", "--json")
    aid = [r for r in json.loads(out)["items"] if r["date"]][0]["id"]
    _, out, _ = cli("article", aid, "--json")
    data = json.loads(out)
    assert {"sentences", "entities", "quotes", "numbers", "times"} <= set(data)
    assert {"id", "name", "aliases"} <= set(data["entities"][0])
    assert {"text", "speaker", "sentence"} <= set(data["quotes"][0])
    assert {"value", "unit", "text", "sentence"} <= set(data["numbers"][0])
    assert {"text", "value", "precision", "resolved_from", "sentence"} <= set(data["times"][0])


@pytest.mark.parametrize("text, where, told", [
    ("a Bukit Sama village resident told AP", (2, 7), True),
    ("in the southern city of Khan Younis.", (24, 35), True),
    ("the Bureij refugee camp was shelled", (4, 10), True),
    ("Barack Obama said on Monday", (0, 12), False),
    ("Ted Cruz campaign staff said", (0, 8), False),
])
def test_words_around_a_name_tell_it_as_a_place(text, where, told):
    from parallax.understand.placecues import told_as_place

    assert told_as_place(text, *where) is told


def test_a_village_is_never_a_quotes_speaker():
    text = ('People ran out of their homes when the quake hit. "I see many houses were damaged and '
            'their roofs fell onto some people," a Bukit Sama village resident told AP. "The army '
            'is here," said Ahmad Yani, the district head.')
    speakers = {q.text[:12]: q.speaker for q in analyze(text).quotes}
    assert speakers == {"I see many h": None, "The army is ": "Ahmad Yani"}


def test_several_dozen_is_a_range():
    from parallax.understand.numbers import extract

    (n,) = extract("Several dozen people were wounded.", lambda i: 0)
    assert (n.lower, n.upper) == (24.0, 99.0) and n.approximate
