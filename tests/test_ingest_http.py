"""HTML pages, URLs and feeds over a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from parallax.errors import FetchError
from parallax.ingest.fetch import Fetcher
from parallax.pipeline import ingest
from parallax.store import SQLiteStore

from .conftest import FIXTURES


def test_html_file_through_trafilatura(db, settings):
    with SQLiteStore(db) as store:
        report = ingest([str(FIXTURES / "pages" / "quake.html")], store, settings)
        (art,) = store.list_articles()
    assert report.stored and not report.problems
    assert art.title == "Strong quake hits Indonesia's Aceh province"
    assert art.date == "2013-07-02" and art.date_source == "html"
    assert art.outlet == "Example Times"
    assert art.author == "Jane Reporter"
    assert "6.1-magnitude earthquake" in art.text
    assert "Subscribe" not in art.text and "Home" not in art.text
    assert art.raw.startswith("<!DOCTYPE html>")


def test_url_ingest(http_server, db, settings):
    url = http_server.base + "/murder.html"
    with SQLiteStore(db) as store:
        ingest([url], store, settings)
        (art,) = store.list_articles()
    assert art.url == url
    assert art.title == "Man charged over Millom double murder"
    assert art.date == "2013-06-10"
    assert "John Jenkin" in art.text
    assert http_server.user_agents[-1].startswith("Parallax/")


def test_rss_feed_fetches_each_entry_and_reports_dead_links(http_server, cli):
    code, _, err = cli("ingest", http_server.base + "/feed.rss")
    assert code == 1  # one entry's page is gone
    assert f"{http_server.base}/gone.html: HTTP 404 Not Found" in err
    code, out, _ = cli("articles", "--json")
    rows = {r["title"]: r for r in json.loads(out)["items"]}
    assert set(rows) == {"Strong quake hits Indonesia's Aceh province", "Man charged over Millom double murder"}
    quake = rows["Strong quake hits Indonesia's Aceh province"]
    assert (quake["date"], quake["date_source"], quake["url"]) == (
        "2013-07-02", "feed", http_server.base + "/quake.html")
    code, out, _ = cli("article", quake["id"], "--json")
    assert "Bener Meriah" in json.loads(out)["text"]


def test_atom_feed_from_a_file(http_server, tmp_path, db, settings):
    feed = tmp_path / "local.atom"
    feed.write_text((FIXTURES / "pages" / "feed.atom").read_text().replace("{base}", http_server.base))
    with SQLiteStore(db) as store:
        report = ingest([str(feed)], store, settings)
        (art,) = store.list_articles()
    assert not report.problems
    assert art.date == "2013-07-02" and art.date_source == "feed"


def test_broken_feed_is_one_problem(http_server, cli):
    http_server.add("/broken.rss", "<rss><channel><title>x</title><item><title>", "application/rss+xml")
    code, _, err = cli("ingest", http_server.base + "/broken.rss")
    assert code == 1
    assert f"{http_server.base}/broken.rss: " in err and "feed" in err


def test_dead_host_is_one_problem(cli):
    code, _, err = cli("ingest", "http://127.0.0.1:9/nothing.html")
    assert code == 1
    assert "http://127.0.0.1:9/nothing.html: connection failed" in err


def test_retries_with_backoff_then_succeeds(http_server, settings):
    page = (FIXTURES / "pages" / "quake.html").read_bytes()
    http_server.add("/flaky.html", lambda n: (503, "text/plain", b"busy") if n < 3 else (200, "text/html", page))
    slept = []
    with Fetcher(settings, sleep=slept.append) as f:
        got = f.get(http_server.base + "/flaky.html")
    assert got.body == page
    assert http_server.hits["/flaky.html"] == 3
    assert slept == [0.01, 0.02]  # exponential backoff


def test_gives_up_after_retries(http_server, settings):
    http_server.add("/down.html", "busy", status=503)
    with Fetcher(settings, sleep=lambda s: None) as f, pytest.raises(FetchError) as exc:
        f.get(http_server.base + "/down.html")
    assert "HTTP 503 (after 3 tries)" in str(exc.value)
    assert http_server.hits["/down.html"] == 3


def test_size_cap_and_per_host_delay(http_server, settings):
    http_server.add("/huge.html", "x" * 5000)
    small = settings.replace(max_bytes=1000, per_host_delay=2.0)
    slept = []
    clock = iter([0.0, 0.0, 0.5, 0.5]).__next__
    with Fetcher(small, sleep=slept.append, clock=clock) as f:
        with pytest.raises(FetchError, match="too large"):
            f.get(http_server.base + "/huge.html")
        f.get(http_server.base + "/murder.html")
    assert slept == [1.5]  # second request to the same host waited out the delay
