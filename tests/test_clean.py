"""The cleaning stage: rules, metadata recovery, glued words, audit trail, the seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from parallax.clean import clean_text, rule_names
from parallax.clean.glue import repair_string
from parallax.errors import ConfigError
from parallax.ingest.text import TextReader
from parallax.pipeline import build_article
from parallax.settings import Settings
from parallax.views import cleaning

from .conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden"


def seed(name: str):
    path = next(SEEDS.glob(f"{name}*.txt"))
    (raw,) = TextReader().read(path.read_text(), path.name)
    return raw, build_article(raw, Settings())


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("name", ["000", "004"])
def test_seed_matches_golden(name):
    _raw, art = seed(name)
    got = cleaning(art)
    golden = GOLDEN / f"clean_{name}.json"
    assert got == json.loads(golden.read_text()), f"regenerate with: parallax clean --json > {golden}"


def test_seed_000_efe_and_glue():
    raw, art = seed("000")
    assert art.credited_source == "EFE" and art.metadata["wire"] == "EFE"
    assert "Paul Whelan an incarcerated" in art.text
    assert "nuclear weapons with a maximum" in art.text
    assert not art.text.rstrip().endswith("EFE")
    # Nothing else changes except whitespace: the text is the raw text minus the wire line.
    assert squash(art.text) == squash(raw.text)[: -len("EFE")]


def test_seed_004_caption_bio_source_glue():
    raw, art = seed("004")
    assert art.credited_source == "La Voz de Galicia"
    assert art.author == "Amelia James"
    assert art.metadata["author_bio"].startswith("I am Amelia James")
    (caption,) = art.metadata["captions"]
    assert caption["credit"] == "Olivier Douliery | Reuters"
    assert caption["text"].endswith("during the G20 summit in New Delhi")
    assert "I am Amelia James" not in art.text and "Douliery" not in art.text
    assert "Source:" not in art.text
    assert "Narendra Modi who intervened" in art.text
    assert "Paul Whelan American imprisoned" in art.text
    # Nothing else changes except whitespace: raw minus caption, headline, credit line and bio.
    expected = raw.text
    for e in sorted((e for e in art.edits if e.rule in ("caption", "title", "credits", "bio")),
                    key=lambda e: -e.start):
        expected = expected[: e.start] + expected[e.end:]
    assert squash(art.text) == squash(expected)


@pytest.mark.parametrize("name", ["000", "004"])
def test_edit_offsets_point_into_the_raw_text(name):
    raw, art = seed(name)
    for e in art.edits:
        if e.rule != "whitespace":
            assert raw.text[e.start:e.end] == e.before


@pytest.mark.parametrize("glued,fixed", [
    ("Paul Whelanan incarcerated", "Paul Whelan an incarcerated"),
    ("strategic nuclear weaponswith a maximum", "strategic nuclear weapons with a maximum"),
    ("President Narendra Modiwho intervened", "President Narendra Modi who intervened"),
    ("La Vozde Galicia", "La Voz de Galicia"),
    ("the American asked to release Paul WhelanAmerican imprisoned",
     "the American asked to release Paul Whelan American imprisoned"),
    ("Lavrov met Blinken. Later Lavrovsaid nothing", "Lavrov met Blinken. Later Lavrov said nothing"),
    ("talks withRussia on Tuesday", "talks with Russia on Tuesday"),
])
def test_glued_words_are_repaired(glued, fixed):
    assert repair_string(glued) == fixed


def test_weekday_glued_to_a_preposition_and_camel_glue_against_the_corpus():
    assert repair_string("She died peacefully Thursdayin Beverly Hills") == \
        "She died peacefully Thursday in Beverly Hills"
    # 'anew' is a word the corpus knows; 'aNew Bedford' is still glue
    assert repair_string("two women found in aNew Bedford home", lexicon={"anew"}) == \
        "two women found in a New Bedford home"


@pytest.mark.parametrize("word", [
    "weaponsmith", "Zelensky", "Netanyahu", "Jaishankar", "Tashkent", "Subrahmanyam", "Douliery",
    "Segéi", "Victorovich", "Callanan", "Newsham", "McDonald", "DeSantis", "iPhone", "YouTube",
    "PlayStation", "LinkedIn", "OpenAI", "ChatGPT", "JPMorgan", "MacBook", "LeBron", "eBay",
    "Coca-Cola", "Rolls-Royce", "SpaceX", "BioNTech", "GoFundMe", "Medvedev", "Zakharova",
    "Freshworks", "Smartsheets", "Snapdeals", "Goldstock", "Palmerites", "Winifred", "Siegfried",
    "monthslong",
])
def test_correct_words_and_brands_are_never_split(word):
    assert repair_string(f"The {word} case was discussed.") == f"The {word} case was discussed."


def test_glue_never_touches_urls_handles_or_repeated_spellings():
    text = "See www.weaponswith.com or @weaponswith. Kellyan said Kellyan would go."
    assert repair_string(text) == text


def test_rules_are_ordered_and_can_be_switched_off():
    assert rule_names() == ["unicode", "boilerplate", "caption", "bio", "credits", "repeated",
                            "title", "glued_words", "spaced_numbers", "whitespace"]
    raw, _ = seed("004")
    kept = clean_text(raw.text, title=raw.title, disabled=["bio", "glued_words"])
    assert "I am Amelia James" in kept.text and "Modiwho" in kept.text
    assert "author_bio" not in kept.metadata
    with pytest.raises(ConfigError, match="unknown cleaning rule"):
        clean_text("x", disabled=["nope"])


def test_disabling_rules_by_environment(monkeypatch):
    monkeypatch.setenv("PARALLAX_CLEAN_DISABLED", "caption,credits")
    s = Settings.load()
    assert s.clean_disabled == ("caption", "credits")


SCRAPED = """Home | World | Business | Sport | Culture
By Jane Reporter
Ministers meet in Delhi
Foreign ministers met in New Delhi on Thursday and failed to agree on a joint statement.
Advertisement
The talks were overshadowed by the war in Ukraine, officials said.
Read more: Blinken and Lavrov talk for ten minutes
Share this article
The talks were overshadowed by the war in Ukraine, officials said.
The CafÃ© owner said the meeting was â€œtenseâ€\x9d.
Subscribe to our newsletter for the latest news
© 2023 Example Media. All rights reserved.
Jane Reporter is a senior correspondent covering South Asia for Example Media.
"""


def test_scraped_page_rules():
    r = clean_text(SCRAPED, title="Ministers meet in Delhi")
    assert r.text == (
        "Foreign ministers met in New Delhi on Thursday and failed to agree on a joint statement.\n"
        "The talks were overshadowed by the war in Ukraine, officials said.\n"
        "The Café owner said the meeting was “tense”.")
    assert r.metadata["author"] == "Jane Reporter"
    by_rule = {e.rule for e in r.edits}
    assert {"boilerplate", "bio", "title", "credits", "repeated", "unicode"} <= by_rule


@pytest.mark.parametrize("text,wire", [
    ("Body sentence one.\nBody two.\n(AFP)", "AFP"),
    ("Body sentence one.\nBody two ends here. (Reuters)", "Reuters"),
    ("MOSCOW (Reuters) - Russia said on Monday it would talk.\nMore.", "Reuters"),
    ("Body sentence one.\nBody two.\nEFE/AFP", "EFE/AFP"),
    ("Body sentence one.\nBody two.\n-- The Associated Press", "AP"),
])
def test_wire_signatures(text, wire):
    r = clean_text(text)
    assert r.metadata["wire"] == wire and r.metadata["credited_source"] == wire


def test_dateline_wire_keeps_text():
    r = clean_text("MOSCOW (Reuters) - Russia said on Monday it would talk.\nMore.")
    assert r.text.startswith("MOSCOW (Reuters) - Russia said")


def test_body_sentences_that_look_like_furniture_stay():
    body = ("Home prices rose 5% in March, the agency said.\n"
            "Share prices fell sharply after the announcement on Tuesday.\n"
            "Source: the ministry did not respond to questions about the figures sent on Friday evening by reporters.\n"
            "Watch out for falling prices, the minister warned in a speech to parliament.\n")
    assert clean_text(body).text == body.strip()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
       st.one_of(st.none(), st.text(max_size=30)))
@hsettings(max_examples=300, deadline=None)
def test_cleaning_never_crashes_and_edits_are_consistent(text, title):
    r = clean_text(text, title=title)
    assert isinstance(r.text, str)
    for e in r.edits:
        assert 0 <= e.start <= e.end <= len(text)


@pytest.mark.parametrize("text,expected", [
    # between two readings, the name the article uses on its own ('Aceh', not 'Ace has')
    ("The quake hit Banda Acehas the sea rose. Aceh was hit hard.",
     "The quake hit Banda Aceh as the sea rose. Aceh was hit hard."),
    # a function word is never a capitalised head ('An dyes' for 'Andyes'); opening a
    # sentence, the token is read in lower case ('and' + 'yes')
    ("It is an outrage. Andyes, it is late.", "It is an outrage. And yes, it is late."),
    ("He was Andyes Moreau, a baker.", "He was Andyes Moreau, a baker."),
    # opening a sentence: a function word or a verb's particle, never a brand or a name
    ("The fire spread fast.\nAhuge crowd watched. Police sealed the area.",
     "The fire spread fast.\nA huge crowd watched. Police sealed the area."),
    ("The roads were shut.\nNoinjuries were reported. Theseguys are tough.",
     "The roads were shut.\nNo injuries were reported. These guys are tough."),
    ("Later in theday she went herway.", "Later in the day she went her way."),
    ("A Bloomingtonman was held. Bloomington police said so.",
     "A Bloomington man was held. Bloomington police said so."),
    ("He is director ofDevOps at a firm that hired the escapeeArcade Comeaux.",
     "He is director of DevOps at a firm that hired the escapee Arcade Comeaux."),
    ("Leaks came from WikiLeaksDuring the war and from iPhone users.",
     "Leaks came from WikiLeaksDuring the war and from iPhone users."),
    ("It grew.\nOpenweb posted a loss. Cybersmart did too.",
     "It grew.\nOpenweb posted a loss. Cybersmart did too."),
    ("The hearing was short.\nRafaat Hindy, a lawyer, spoke.",
     "The hearing was short.\nRafaat Hindy, a lawyer, spoke."),
    ("She said the singer cameout of rehab and steppedup her work.",
     "She said the singer came out of rehab and stepped up her work."),
    # the same link glued twice: plain glue still splits, a repeated name does not
    ("Ships in the Gulf ofAden. Pirates roam the Gulf ofAden, Sinha said.",
     "Ships in the Gulf of Aden. Pirates roam the Gulf of Aden, Sinha said."),
    ("Hillis ran. Hillis scored twice.", "Hillis ran. Hillis scored twice."),
    # a function word glued to a dotted abbreviation; glue beside a hyphen
    ("Critics of theU.S. embassy said so.", "Critics of the U.S. embassy said so."),
    ("The Ukrainian-bornfighter won again.", "The Ukrainian-born fighter won again."),
    ("The worm is not wormable, she said, after the guiltyplea.",
     "The worm is not wormable, she said, after the guilty plea."),
    ("He emerged from a walkup apartment after a handoff.",
     "He emerged from a walkup apartment after a handoff."),
    # a follower no name ends with, whatever the head; a short one ('is') still needs evidence
    ("He works for Swiss firm Chopardthat sells watches. Rossis here.",
     "He works for Swiss firm Chopard that sells watches. Rossis here."),
    ("He told Parliamentthat \"a demonstration\" was due.",
     "He told Parliament that \"a demonstration\" was due."),
    # two-letter function words: 'ata', 'isa', 'upwith', 'iton'; not 'Ina' (a name)
    ("A bomb exploded ata West Coast bank. He says he isa Christian. Ina Garten cooked.",
     "A bomb exploded at a West Coast bank. He says he is a Christian. Ina Garten cooked."),
    ("Police caught upwith the driver. Say iton the radio.",
     "Police caught up with the driver. Say it on the radio."),
    ("A gold watchand $9,587 in cash; the Chargers wonan NFL award; nothing shortof that.",
     "A gold watch and $9,587 in cash; the Chargers won an NFL award; nothing short of that."),
    ("He drove over Johnson, hittingher, and seesits power wane.",
     "He drove over Johnson, hitting her, and sees its power wane."),
    # ordinals, decades, versions and acronyms after a function word
    ("He hosted the 79thOscars. In the late 1950sPage rose. It hits all versions ofIE6 and theIRTC.",
     "He hosted the 79th Oscars. In the late 1950s Page rose. It hits all versions of IE6 and the "
     "IRTC."),
    # a possessive spaced by a tokenizer and glued to the next word
    ("The Superior Court ’ sDivision 3 met. She ’ sin rehab.",
     "The Superior Court ’ s Division 3 met. She ’ s in rehab."),
    # the pronoun 'I'; a clock's am/pm; glue wordfreq has met ('totake', 'founda')
    ("\"WhenI see him, I cheer.\" Yesterday Iwas stopped. Iran and Isis stay.",
     "\"When I see him, I cheer.\" Yesterday I was stopped. Iran and Isis stay."),
    ("Posted 2: 00pmEDT. She declined totake sides; a judge founda former aide guilty.",
     "Posted 2: 00pm EDT. She declined to take sides; a judge found a former aide guilty."),
    ("It was ripped off fromher. I have never takenit seriously. He wenton to win.",
     "It was ripped off from her. I have never taken it seriously. He went on to win."),
    # a sentence's opening words; an auxiliary before "n't" (never a name before "’s")
    ("It rained.\nButthis is odd. Theman left. Eightdays passed. Thiswasn’t fun.",
     "It rained.\nBut this is odd. The man left. Eight days passed. This wasn’t fun."),
    ("It rained.\nBrandon’s car and London’s mayor; Aman spoke.",
     "It rained.\nBrandon’s car and London’s mayor; Aman spoke."),
    # the same name glued twice to a short follower
    ("Tara Reidhas left. Reid said so. Tara Reidhas gone.",
     "Tara Reid has left. Reid said so. Tara Reid has gone."),
    # 'and' / 'of' between names; a name the article uses, then a short clause opener
    ("The film starred James Francoand Anne Hathaway, and Dan Coatsof Indiana watched.",
     "The film starred James Franco and Anne Hathaway, and Dan Coats of Indiana watched."),
    ("Trump spoke. They voted against Trumpif the claim held. Rahman fell; Rahmanback on his heels.",
     "Trump spoke. They voted against Trump if the claim held. Rahman fell; Rahman back on his "
     "heels."),
    # a title glued inside a name: the bad head 'Telecomspokesm' does not veto the good one
    ("France Telecom cut lines, said France Telecomspokesman Louis Bon.",
     "France Telecom cut lines, said France Telecom spokesman Louis Bon."),
    # two long words; a function word before a long rarer word; never a prefix ('in', 'a')
    ("It held overwhelmingly prejudicialmaterial, the work of anarsonist, at a height "
     "inapproachable to crews.",
     "It held overwhelmingly prejudicial material, the work of an arsonist, at a height "
     "inapproachable to crews."),
    # no name or brand ends in a verb's past tense: the head needs no voucher ('Gibsonretired'),
    # but it must be the word the token starts with ('House dangled', never 'Housed angled')
    ("The house where Mel Gibsonretired to. Opponentsconsidered it.",
     "The house where Mel Gibson retired to. Opponents considered it."),
    ("Allegations that the White Housedangled a post. The White House denied it.",
     "Allegations that the White Housedangled a post. The White House denied it."),
    ("It is the mission that three menemptied the vault and the vanbelonged to a friend.",
     "It is the mission that three men emptied the vault and the van belonged to a friend."),
    # followers no name ends with ('was', 'of', 'for', 'who', 'has')
    ("Near the Champs-Elyseewas a crowd. The Rev. Larry Kroonof the church spoke to the "
     "Organisationfor Security. The Mafiosowho fled and Costas Karamanlishas gone.",
     "Near the Champs-Elysee was a crowd. The Rev. Larry Kroon of the church spoke to the "
     "Organisation for Security. The Mafioso who fled and Costas Karamanlis has gone."),
    # a subject pronoun and the verb agreeing with it; an adverb or a past opening a sentence
    ("It rained.\nItis unclear why. Theywere told. Weis spoke.",
     "It rained.\nIt is unclear why. They were told. Weis spoke."),
    ("It rained.\nLiterallytens of them came. Armedthieves fled. Nothingbad happened.",
     "It rained.\nLiterally tens of them came. Armed thieves fled. Nothing bad happened."),
    # 'an' before a silent h; a weekday after 'on' is not a name's next word
    ("It rained.\nHalfan hour later the Athens Acropolison Tuesday was shut.",
     "It rained.\nHalf an hour later the Athens Acropolis on Tuesday was shut."),
    # the reading one letter off: 'Mets and', not 'Met sand'; 'The son' or nothing, never
    # 'Thes on'; between 'a stop' and 'as top', no guess
    ("He left to join the New York Metsand failing to sign. He met them.",
     "He left to join the New York Mets and failing to sign. He met them."),
    ("It sold.\nTheson sold one of their mines. It was a pivotal run astop - seeded teams fell.",
     "It sold.\nTheson sold one of their mines. It was a pivotal run astop - seeded teams fell."),
    # a misspelt word is not glue ('a rested'); a brand whose halves are inner words of names
    # ('Mine Action', 'Advanced Micro Devices'), or whose head is a function word, stays
    ("Police arested him. The United Nations Mine Action office hired MineTech International.",
     "Police arested him. The United Nations Mine Action office hired MineTech International."),
    ("Advanced Micro Devices bought it. SuperMicro is doing well. ForAmerica, a group in "
     "America, objected.",
     "Advanced Micro Devices bought it. SuperMicro is doing well. ForAmerica, a group in "
     "America, objected."),
    # two very common words wordfreq has met glued only rarely
    ("They will switch their votes nextweek.", "They will switch their votes next week."),
    # a site's name before '. com' stays whole
    ("According to Earthquaketrack. com, the earthquake was the largest.",
     "According to Earthquaketrack. com, the earthquake was the largest."),
])
def test_glue_picks_the_reading_the_article_supports(text, expected):
    assert clean_text(text).text == expected


def test_the_headline_spells_the_names():
    text = "He represents the Marylanddistrict."
    assert clean_text(text, title="Maryland votes").text == "He represents the Maryland district."
    assert clean_text(text, title="Votes are in").text == text  # no evidence: left alone


def test_a_name_the_corpus_writes_capitalised_is_evidence_for_a_split():
    from parallax.clean import Lexicon

    corpus = Lexicon(["He flew to Washington on Monday.", "The governor of Washington spoke.",
                      "Rain is expected in Washington today.", "The price of gold rose.",
                      "They struck gold in the hills.", "He bought gold and silver from Gold Stock."])
    assert corpus.cases("washington") == (3, 0)
    text = "Rain fell across Washingtonstate on Friday. Goldstock shares rose."
    assert clean_text(text).text == text  # without the corpus: no evidence
    assert clean_text(text, lexicon=corpus).text == \
        "Rain fell across Washington state on Friday. Goldstock shares rose."
    # seen capitalised only, once: weak evidence, enough for a head the token does not explain
    corpus.add("The governor of Maryland spoke.")
    assert clean_text("He represents the Marylanddistrict.", lexicon=corpus).text == \
        "He represents the Maryland district."
    assert clean_text("He represents the Marylanddistrict.").text == \
        "He represents the Marylanddistrict."


def test_fast_zipf_agrees_with_wordfreq():
    """glue.zipf looks plain words up in wordfreq's table itself: the same values."""
    from wordfreq import zipf_frequency

    from parallax.clean.glue import zipf

    words = ("the with weapons whelan zelensky xqzt la voz galicia retired housed a i "
             "monthslong thehouse nextweek café naïve ofthe").split()
    for lang in ("en", "es"):
        for w in words:
            assert zipf(w, lang) == zipf_frequency(w, lang), (w, lang)


def test_share_rows_with_a_colon_are_furniture():
    text = ("Officials said the river rose overnight.\nShare this article: Facebook Twitter Email\n"
            "Share this:\nShare via: Email, Print\nShare prices fell 3% on Monday.")
    assert clean_text(text).text == "Officials said the river rose overnight.\nShare prices fell 3% on Monday."


@pytest.mark.parametrize("text, title", [
    ("Sources: Sox May Not Be Out Of Teixeira Chase", None),  # a 'credit' line, alone
    ("Paris thieves nab $2. 5 million worth of jewellery",  # the title repeated, alone
     "Paris thieves nab $2. 5 million worth of jewellery"),
])
def test_no_rule_removes_the_whole_text(text, title):
    """A headline stored as its own text (ingest.json, headline_only) is one line that a line
    rule may take for a credit or for the title repeated: the runner keeps a text that a rule
    would empty, and the other rules' repairs still apply."""
    got = clean_text(text, title=title)
    assert got.text.strip()
    assert "Sources:" in got.text or "$2.5 million" in got.text
    assert {e.rule for e in got.edits} <= {"spaced_numbers"}
    # a body that has more than the repeated title still loses it
    longer = clean_text(f"{text}\nThe store was robbed on Tuesday, police said.", title=text)
    if title:
        assert not longer.text.startswith("Paris thieves")


@pytest.mark.parametrize("raw, kept", [
    ("It killed 230, 000 people and about 1, 500 houses.", "It killed 230,000 people and about 1,500 houses."),
    ("It cost $1, 099; 5, 184, 000 watched.", "It cost $1,099; 5,184,000 watched."),
    # a height and weight, a day of a month, a list: two numbers each
    ("Bell (5 - foot - 11, 220 pounds) played.", "Bell (5 - foot - 11, 220 pounds) played."),
    ("On Jan. 1, 100 people were arrested.", "On Jan. 1, 100 people were arrested."),
    ("The scores were 1, 2, 3 and 10, 20.", "The scores were 1, 2, 3 and 10, 20."),
])
def test_a_number_split_by_a_stray_space_is_joined_only_where_it_is_one(raw, kept):
    assert clean_text(raw).text == kept
