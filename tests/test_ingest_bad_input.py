"""Bad input never breaks the batch: one clear line per problem, everything valid stored."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from parallax.ingest.json import JsonReader
from parallax.ingest.text import TextReader
from parallax.pipeline import ingest
from parallax.records import Problem, RawArticle
from parallax.store import open_store


@pytest.fixture
def messy_folder(tmp_path):
    d = tmp_path / "inbox"
    d.mkdir()
    (d / "good.txt").write_text("Quake hits Aceh\nA strong quake struck Aceh on Tuesday.\n")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (d / "empty.txt").write_bytes(b"")
    (d / "latin1.txt").write_bytes("Caf\xe9 owner charged\nThe caf\xe9 was closed.\n".encode("latin-1"))
    (d / "feed.jsonl").write_text(
        json.dumps({"title": "Line one", "text": "First JSON article."}) + "\n"
        + '{"title": "broken", "text": \n'
        + json.dumps({"title": "Line three", "text": "Third JSON article."}) + "\n"
        + json.dumps({"title": "No text"}) + "\n")
    return d


def test_folder_with_bad_files_stores_every_valid_article(messy_folder, cli):
    code, out, err = cli("ingest", str(messy_folder))
    assert code == 1  # something failed, the rest was stored
    lines = [ln for ln in err.splitlines() if ln.startswith("skipped:")]
    text = "\n".join(lines)
    assert f"{messy_folder / 'photo.jpg'}: binary file" in text
    assert f"{messy_folder / 'empty.txt'}: empty file" in text
    assert f"{messy_folder / 'latin1.txt'}: not valid utf-8 (byte 0xe9" in text
    assert f"{messy_folder / 'feed.jsonl'}:2: malformed JSON line" in text
    assert f"{messy_folder / 'feed.jsonl'}:4: no article text" in text
    assert len(lines) == 5
    assert "3 stored" in err and "5 problem(s)" in err
    code, out, _ = cli("articles", "--json")
    assert {r["title"] for r in json.loads(out)["items"]} == {"Quake hits Aceh", "Line one", "Line three"}


def test_encoding_option_reads_latin1(messy_folder, cli):
    code, _, err = cli("ingest", "--encoding", "cp1252", str(messy_folder / "latin1.txt"))
    assert code == 0, err
    code, out, _ = cli("articles", "--json")
    assert json.loads(out)["items"][0]["title"] == "Café owner charged"


def test_oversized_and_missing_files(tmp_path, cli, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text("Big article\n" + "word " * 5000)
    monkeypatch.setenv("PARALLAX_MAX_BYTES", "1000")
    code, _, err = cli("ingest", str(big), str(tmp_path / "nope.txt"))
    assert code == 1
    assert f"{big}: too large (over 1,000 bytes)" in err
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in err


def test_json_problems_as_json(messy_folder, cli):
    code, out, _ = cli("ingest", "--json", str(messy_folder / "feed.jsonl"))
    data = json.loads(out)
    assert code == 1
    assert len(data["stored"]) == 2
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(2, "E110"), (4, "E111")]


def test_interrupt_mid_batch_keeps_what_was_reported(tmp_path, db, settings):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(5):
        (d / f"{i}.txt").write_text(f"Headline number {i}\nBody of article {i} is here.\n")
    reported = []

    def listener(kind, payload):
        if kind == "result":
            reported.append(payload[0].article_id)
            if len(reported) == 3:
                raise KeyboardInterrupt

    with open_store(db) as store:
        report = ingest([str(d)], store, settings, listener=listener)
    assert report.interrupted
    with open_store(db) as store:  # a fresh connection sees every reported article
        assert {a.id for a in store.iter_articles()} == set(reported)


@given(st.text(max_size=400))
@hsettings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_text_reader_never_crashes(text):
    from parallax.errors import InputError

    try:
        items = list(TextReader().read(text, "h.txt"))
    except InputError:
        return
    for item in items:
        assert isinstance(item, RawArticle)
        assert item.text.strip()


_json_obj = st.dictionaries(
    st.sampled_from(["title", "text", "date", "source", "url", "x"]),
    st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
    max_size=4).map(json.dumps)


@given(st.lists(st.one_of(st.text(max_size=60), _json_obj), max_size=6))
@hsettings(max_examples=200)
def test_json_lines_reader_reports_instead_of_raising(lines):
    items = list(JsonReader().read("\n".join(lines), "h.jsonl"))
    for item in items:
        assert isinstance(item, (RawArticle, Problem))
        if isinstance(item, Problem):
            assert item.line is not None and item.source == "h.jsonl"
