"""The sentence-pair model: it ships, loads and scores without torch; a missing or corrupt
model file is one clear line and a visible fallback to the word comparison, never a silent
change of results."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from parallax.compare.pairmodel import BUILTIN, load
from parallax.errors import ModelError
from parallax.pipeline import ingest, update_stories
from parallax.reports import story_report
from parallax.settings import Settings
from parallax.store import SQLiteStore

from .conftest import SEEDS

PARAPHRASE = ("Russia should free Paul Whelan an incarcerated US citizen.",
              "Blinken is also in the process of talking called on Moscow to release Paul Whelan "
              "American imprisoned in Russia.")
UNRELATED = ("The treaty limited each power to 1,550 nuclear warheads.",
             "The meeting of the G20 foreign ministers ended without an agreement.")


def test_the_shipped_model_scores_without_torch():
    code = f"""
import sys, json
sys.modules["torch"] = None  # any import of torch fails
from parallax.compare.pairmodel import load
m = load("builtin")
print(json.dumps([float(x) for x in m.score({[PARAPHRASE, UNRELATED]!r})]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    para, unrelated = json.loads(out.stdout)
    assert 0.0 <= unrelated < para <= 1.0 and para - unrelated > 0.3
    card = json.loads((BUILTIN / "card.json").read_text())
    # the shipped card lets the model show what is told similarly, never count a source
    assert card["threshold"] is None and unrelated < card["similar_threshold"] < 1.0


def test_scores_do_not_depend_on_order_or_neighbours():
    """A pair's score is the same whatever is scored with it (the int8 model quantises per
    run, so the model must be run one pair at a time for this to hold)."""
    m = load("builtin")
    pairs = [PARAPHRASE, UNRELATED, PARAPHRASE[::-1], (UNRELATED[0], PARAPHRASE[1])] * 3
    whole = m.score(pairs).tolist()
    assert m.score(pairs[::-1]).tolist()[::-1] == whole
    assert [float(m.score([p])[0]) for p in pairs] == whole


# The three paraphrase pairs of the seeds that issue 22 names (EFE, La Voz de Galicia), and two
# pairs of the seeds that are not one fact.
SEED_PARAPHRASES = [
    ("At the meeting, Blinken asked his Russian counterpart to sign the “New START” treaty",
     "Blinken, Secretary of State of the United States, asked the interlocutor to review Russia’s "
     "involvement in the Treaty on Strategic Offensive Weapons (STAR-3)."),
    ("Blinken said this Wednesday for his part in Uzbekistan, before traveling to India, he did not "
     "plan to meet Lavrov at the G20", "Despite the fact that just a few days ago, the American "
     "diplomat said that he did not plan to speak with Lavrov in New Delhi"),
    ("The American Secretary of State, Antony Blinken, and the Russian Foreign Minister, Segéi "
     "Lavrov, had a brief conversation on the sidelines of the G20 summit",
     "The heads of Russian and American diplomacy met face to face for less than ten minutes g20 "
     "summit in India."),
]
SEED_UNRELATED = [
    ("The treaty limited the number of strategic nuclear weapons with a maximum of 1,550 nuclear "
     "warheads and 700 ballistic systems for each of the two powers.",
     "The meeting attended by the foreign ministers of the G20 countries ended without an agreement."),
    ("“This is not a negotiation or a meeting,” Russian Foreign Affairs spokeswoman Maria Zakharova "
     "told reporters.", "Criticism of international law and multilateralism is part of Russia’s usual "
     "strategy in approaching international organizations."),
]


def test_the_seed_paraphrases_score_above_what_is_not_one_fact():
    """The model ranks each of the seeds' three paraphrase pairs above both unrelated pairs
    (0.91, 0.85, 0.35 against 0.22, 0.19 when shipped). Whether they count as corroboration is
    the comparison's threshold: tests/test_compare.py holds that as a strict xfail."""
    m = load("builtin")
    para = m.score(SEED_PARAPHRASES)
    unrelated = m.score(SEED_UNRELATED)
    assert para.min() > unrelated.max()
    assert sum(para >= m.card["similar_threshold"]) >= 1  # the sign / review pair is a hint


def test_switched_off():
    assert load("none") is None and load("") is None


def test_missing_file_is_one_clear_line(tmp_path):
    with pytest.raises(ModelError) as err:
        load(str(tmp_path / "nowhere"))
    line = err.value.one_line()
    assert "\n" not in line and "model.onnx" in line and "pair_model" in line and line.endswith("[E301]")


def test_corrupt_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "model.onnx").write_bytes(b"not a model at all")
    shutil.copy(BUILTIN / "tokenizer.json", bad / "tokenizer.json")
    with pytest.raises(ModelError) as err:
        load(str(bad))
    assert err.value.code == "E303" and str(bad / "model.onnx") in err.value.one_line()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("pm") / "s.db")
    with SQLiteStore(db) as store:
        ingest([str(SEEDS)], store, Settings(db=db))
        update_stories(store, Settings(db=db))
    return db


def _report(db, **kw):
    settings = Settings(db=db, **kw)
    with SQLiteStore(db) as store:
        (story,) = store.list_stories()
        return story_report(store, story.id, settings)


def test_a_broken_model_falls_back_visibly(seeds_db, tmp_path, capsys):
    words = _report(seeds_db, pair_model="none")
    broken = _report(seeds_db, pair_model=str(tmp_path / "missing"))
    notice = [n for n in broken["notices"] if n["code"] == "pair_model_unavailable"]
    assert notice and "compared on words alone" in notice[0]["text"] and "model.onnx" in notice[0]["text"]
    assert "model.onnx" in capsys.readouterr().err  # said once, on stderr
    assert broken["facts"] == words["facts"] and broken["compared_with"]["pair_model"] is None
    modelled = _report(seeds_db)
    assert modelled["compared_with"]["pair_model"] and not any(
        n["code"] == "pair_model_unavailable" for n in modelled["notices"])


def test_each_member_says_how_it_joined(seeds_db):
    # a lower threshold than the card's, so that the model joins some members here
    report = _report(seeds_db, pair_model_threshold=0.5)
    assert report["compared_with"]["pair_model_threshold"] == 0.5
    members = [e for f in report["facts"] for e in f["evidence"] if e["role"] == "states"]
    assert {e["joined_by"] for e in members} <= {None, "words", "model"}
    by_model = [e for e in members if e["joined_by"] == "model"]
    assert by_model and all(e["score"] >= report["compared_with"]["pair_model_threshold"] for e in by_model)


def test_told_similarly_is_shown_and_never_counted(seeds_db, tmp_path):
    """What the model finds close to a fact but the checks do not take as stating it is
    listed beside the fact for a reader, with its score, and never counted as a source."""
    report = _report(seeds_db)
    floor = report["compared_with"]["told_similarly_threshold"]
    near = [(f, n) for f in report["facts"] for n in f["told_similarly"]]
    assert near, "the seeds have paraphrases the model finds"
    for f, n in near:
        assert n["source"] not in f["sources"] and n["score"] >= floor
        assert {"article", "sentence", "text"} <= set(n)
    words = _report(seeds_db, pair_model="none")
    assert all(f["told_similarly"] == [] for f in words["facts"])
    # the shipped card lets the model count no source: every fact, its status and its
    # sources are what the words alone make of the story
    def counted(r):
        return [(f["text"], f["status"], f["sources"], f["independent_sources"]) for f in r["facts"]]

    assert counted(report) == counted(words)


def test_exports_show_what_is_told_similarly(seeds_db):
    from parallax.export import html, markdown

    data = _report(seeds_db)
    assert "told similarly" in markdown(data) and "not counted as a source" in html(data)
