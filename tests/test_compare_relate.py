"""How two statements of a story relate, on sentences analysed by the real pipeline: what a
fact-checker must be shown (a number conflict, a date conflict, a misattributed quote) and
what must not be shown as one (two scopes, two subjects, an earlier event, rounding)."""

from __future__ import annotations

import json

import pytest

from parallax.compare import story_statements
from parallax.compare.quantities import compatible
from parallax.compare.relate import RelateParams, StoryWeights, coverage, relate
from parallax.pipeline import ingest
from parallax.settings import Settings
from parallax.store import open_store


@pytest.fixture(scope="module")
def related(tmp_path_factory):
    """relate(text_a, text_b, date=...) -> (Relation, statement a, statement b): the two texts
    as two articles of two outlets, analysed and stored, first statement of each."""
    counter = iter(range(10_000))

    def run(text_a: str, text_b: str, date: str = "2013-07-03", date_b: str | None = None):
        d = tmp_path_factory.mktemp(f"pair{next(counter)}")
        for name, text, source, day in (("a", text_a, "Outlet A", date), ("b", text_b, "Outlet B", date_b or date)):
            (d / f"{name}.json").write_text(json.dumps({"title": "", "text": text, "source": source,
                                                        "date": day}))
        db = str(d / "p.db")
        with open_store(db) as store:
            ingest([str(d)], store, Settings(db=db))
            arts = sorted(store.iter_articles(), key=lambda a: a.outlet)
            sts = story_statements(store, arts, [a.outlet for a in arts], [a.outlet for a in arts])
        a = next(s for s in sts if s.source == "Outlet A")
        b = next(s for s in sts if s.source == "Outlet B")
        w = StoryWeights(sts)
        i, j = sts.index(a), sts.index(b)
        return relate(a, b, coverage(w, i, j, a, b), RelateParams(), w.content(a, b), w.said_words(a, b)), a, b

    return run


def test_a_different_death_toll_is_a_number_conflict(related):
    rel, _a, _b = related("The floods killed 12 people in the valley on Tuesday, officials said.",
                          "Officials said 19 people were killed when the river burst its banks.")
    assert rel.kind == "conflict" and rel.finding["type"] == "number"
    assert {rel.finding["a"]["value"], rel.finding["b"]["value"]} == {12, 19}
    assert "Outlet A “12”" in rel.finding["why"] and "Outlet B “19”" in rel.finding["why"]


@pytest.mark.parametrize("a, b, values", [
    # 'one person' is a count of people
    ("The floods killed five people in the valley on Tuesday, officials said.",
     "Officials said the floods in the valley killed one person on Tuesday.", {5, 1}),
    # the place named by one side is where the other side's story happens: one count
    ("Five people died and seven were injured in Aceh in the quake and its aftershocks.",
     "A 6.1 magnitude earthquake hit Aceh province on Tuesday, leaving 24 dead and over 200 injured.", {5, 24}),
    # 'in the province' on both sides: the same part of the place, one count
    ("Seven people were killed in the province by the flood, officials said.",
     "Officials said the flood killed 12 people in the province.", {7, 12}),
    # '120, 000' as text rebuilt from tokens writes it: 120,000, not 120 and 0
    ("The quake struck Qeshm island, home to 120, 000 people, officials said.",
     "Officials said the quake struck Qeshm island, home to 200, 000 people.", {120_000, 200_000}),
])
def test_what_is_a_number_conflict(related, a, b, values):
    rel, _a, _b = related(a, b)
    assert rel.kind == "conflict" and rel.finding["type"] == "number"
    assert {rel.finding["a"]["value"], rel.finding["b"]["value"]} == values


def test_a_toll_needs_no_other_words_in_common(related):
    rel, _a, _b = related("Ten dead in southern Iran quake.",
                          "The governor of Qeshm island in Iran told the AFP news agency three people were killed.")
    assert rel.kind == "conflict" and rel.finding["type"] == "number"


@pytest.mark.parametrize("a, b", [
    # a bound the other respects
    ("At least 10 people were killed in the quake.", "The quake killed 12 people, officials said."),
    # rounding
    ("The storm caused damage estimated at $1.5 billion.", "The storm caused damage estimated at $1.52 billion."),
    # two scopes: this operation, the total so far
    ("During the operation, six rifles and 12 magazines were seized by the navy.",
     "So far, the navy has seized 14 rifles and 31 magazines in five operations."),
    # two subjects
    ("Richard Carter scored 14 points for the Bulldogs.", "Seth VanDeest scored 13 points for the Bulldogs."),
    # an earlier event the report recalls
    ("The quake killed 10 people on the island on Sunday.",
     "In February, a quake in the south killed 612 people."),
    # a part, not the whole
    ("He spent his first 11 seasons as a player with the 76ers.", "He has spent 19 seasons with the 76ers."),
    # 'dozens' is a range that 40 falls in, not the number 24
    ("The quake injured dozens of people in the town, officials said.",
     "Officials said at least 40 people were injured in the town by the quake."),
    # the whole of a part: three victims, two of whom died, against one who died
    ("One victim died in the Monday morning attack, police said.",
     "Police said the three victims were taken to hospital after the Monday morning attack and "
     "two of the three victims died."),
    # counts twenty times apart are two counts: this quake's dead, the 2004 tsunami's
    ("The quake killed five people in Aceh province on Sunday.",
     "The quake revived memories of the tsunami that killed 168,000 people in Aceh province."),
    # a place's share against the event's total: a district named before the count, a region
    # named only by the words around it, 'alone'
    ("In the neighbouring Lindu district, 10 people were killed by the flood, officials said.",
     "Officials said at least 24 people were killed by the flood on Tuesday."),
    ("Seven people were killed in the province, officials said.",
     "Officials said the flood killed 12 people across the country."),
    ("The tsunami killed 170, 000 people in Sumatra alone, officials said.",
     "Officials said the tsunami killed 230, 000 people around the Indian Ocean."),
    # two places, one the tagger took for a person ('the southern city of Khan Younis')
    ("Two people were killed when a shell hit a school in the southern city of Khan Younis.",
     "A shell hit a school in Gaza City, killing 40 people, officials said."),
    # a camp's count against the whole attack's (the camp named before the count)
    ("Shelling of houses in the Maghazi refugee camp left 16 people injured, medics said.",
     "Medics said 55 people were wounded in the shelling on Tuesday."),
    # a part of a sum: two women and a man are three dead
    ("A petrol bomb hurled at a bank killed two women and a man on Wednesday.",
     "Three people were killed on Wednesday when a petrol bomb hit a bank."),
    # 'several dozen' is a range, like 'dozens'
    ("Officials said several dozen people were wounded in the attack.",
     "The attack wounded 55 people, officials said."),
])
def test_what_is_not_a_number_conflict(related, a, b):
    rel, _a, _b = related(a, b, date="2013-09-10")
    assert not (rel.kind == "conflict" and rel.finding["type"] == "number"), rel.finding


def test_a_date_conflict_needs_one_fact(related):
    same, _a, _b = related("Palmer voters in 2009 approved a $3 million bond to buy the property.",
                           "Palmer voters in 2010 approved a $3 million bond to buy the property.")
    assert same.kind == "conflict" and same.finding["type"] == "date"
    other, _a, _b = related("In June he was escorted from his FBI office after the report was released.",
                            "He testified last month after the release of the inspector general report.",
                            date="2018-08-01")
    assert other.kind != "conflict"


def test_today_and_monday_a_day_apart_are_time_zones(related):
    rel, _a, _b = related("The gunman walked into the office at about 10am today, police said.",
                          "The gunman walked into the office at about 10 a.m. Monday, police said.",
                          date="2007-04-10", date_b="2007-04-09")
    assert rel.kind != "conflict"


def test_a_quote_given_to_two_speakers_named_in_both(related):
    rel, _a, _b = related("“We will rebuild every home,” Governor Smith said on Tuesday.",
                          "“We will rebuild every home,” Mayor Jones said on Tuesday.")
    assert rel.kind == "conflict" and rel.finding["type"] == "attribution"


def test_a_pronoun_speaker_is_no_attribution_conflict(related):
    rel, _a, _b = related("He added: “We must never allow political violence to take root.”",
                          "“We must never allow political violence to take root,” Trump said.")
    assert rel.kind != "conflict"


def test_the_same_fact_agrees_with_what_it_agrees_on(related):
    rel, _a, _b = related("The floods killed 12 people in the valley on Tuesday.",
                          "Floods killed 12 people in the valley on Tuesday, the ministry said.")
    assert rel.kind == "agree"
    assert any(x.startswith("number: 12") for x in rel.agrees_on)
    assert any(x.startswith("date: 2013-07-02") for x in rel.agrees_on)


def test_a_topic_is_corroborated_not_the_figure(related):
    """The detailed report states the short one (the valley was flooded on Tuesday); the short
    one does not state the death toll, so the fact shown as corroborated is the short one's."""
    from parallax.compare.align import align

    rel, a, b = related("The floods killed 12 people in the valley on Tuesday.",
                        "The valley was hit by floods on Tuesday.")
    assert rel.kind == "agree"
    (group,) = [g for g in align([a, b]) if len(g.members) > 1]
    assert group.lead == 1 and [m.role for m in group.members] == ["states", "states"]


def test_not_x_but_y_is_no_denial(related):
    rel, _a, _b = related(
        "He said the source was probably a combination of several people.",
        "He said the source was not one person, but probably a combination of several people.")
    assert not (rel.kind == "conflict" and rel.finding["type"] == "polarity")


@pytest.mark.parametrize("x, y, ok", [
    ({"value": 10, "upper": 10}, {"value": 9}, True),  # 'less than ten' / 'nine'
    ({"value": 10, "upper": 10}, {"value": 30}, False),
    ({"value": 4, "lower": 4}, {"value": 5}, True),  # 'at least four' / 'five'
    ({"value": 100}, {"value": 104}, True),  # within 5%
    ({"value": 100}, {"value": 110}, False),
    ({"value": 100, "approximate": True}, {"value": 109}, True),  # 'about 100'
    ({"value": 2.6, "unit": "USD"}, {"value": 2.6e6, "unit": "USD"}, True),  # '$2.6' / '$2.6 million'
])
def test_compatible_numbers(x, y, ok):
    assert compatible(x, y) is ok
