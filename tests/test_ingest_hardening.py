"""Archives stream in (no whole-file cap, gzip and zstd, a per-record cap), text is repaired at
the reader boundary, re-runs skip what is stored, and outbound fetching reaches only public
addresses unless told otherwise."""

from __future__ import annotations

import gzip
import ipaddress
import json

import pytest
import zstandard

from parallax.errors import FetchError
from parallax.ingest.fetch import Fetcher
from parallax.ingest.netguard import is_public
from parallax.pipeline import ingest
from parallax.settings import Settings
from parallax.store import SQLiteStore


def _articles(n: int, start: int = 0, pad: int = 0) -> list[dict]:
    return [{"title": f"Bridge report {i}", "source": f"outlet{i % 5}.example",
             "date": "2024-05-0%d" % (1 + i % 9),
             "text": f"The council of Riverton opened bridge number {i} on Monday, officials "
                     f"said. Traffic resumed within {i % 24 + 1} hours." + " More words." * pad}
            for i in range(start, start + n)]


def _jsonl(items: list[dict]) -> bytes:
    return "".join(json.dumps(a) + "\n" for a in items).encode()


@pytest.fixture
def quick(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "q.db"), understand=0)


def _run(paths, settings):
    with SQLiteStore(settings.db) as store:
        report = ingest([str(p) for p in paths], store, settings)
        return report, store.count_articles()


def test_a_lone_surrogate_is_repaired_not_fatal(tmp_path, cli):
    good = _articles(3)
    bad = '{"title": "x\\udc00y", "text": "The mayor \\ud800 of Riverton said the bridge opened on Monday."}'
    (tmp_path / "s.jsonl").write_bytes(_jsonl(good[:2]) + bad.encode() + b"\n" + _jsonl(good[2:]))
    code, out, err = cli("ingest", "--json", str(tmp_path / "s.jsonl"))
    assert code == 0, err
    assert len(json.loads(out)["stored"]) == 4
    code, out, _ = cli("articles", "--search", "mayor", "--json")
    art = json.loads(cli("article", json.loads(out)["items"][0]["id"], "--json")[1])
    assert "\ufffd" in art["text"] and art["title"] == "x\ufffdy"
    assert {r["field"] for r in art["metadata"]["input_repairs"]} >= {"text", "title"}


def test_a_nul_line_skips_that_line_only(tmp_path, quick):
    path = tmp_path / "n.jsonl"
    path.write_bytes(_jsonl(_articles(60)) + b"\x00\x00\x00\n" + _jsonl(_articles(40, 60)))
    report, stored = _run([path], quick)
    assert stored == 100
    assert [(p.line, p.code) for p in report.problems] == [(61, "E110")]


def test_no_whole_file_cap_for_json_lines_but_a_record_cap(tmp_path, quick):
    small = quick.replace(max_bytes=2_000, max_record_bytes=1_500)
    items = _articles(30)
    items[7] = _articles(1, 7, pad=300)[0]  # ~3.6 kB: over the record cap
    path = tmp_path / "big.jsonl"
    path.write_bytes(_jsonl(items))
    assert path.stat().st_size > 4 * small.max_bytes
    report, stored = _run([path], small)
    assert stored == 29
    assert [(p.line, p.code) for p in report.problems] == [(8, "E104")]
    assert "max_record_bytes" in report.problems[0].message


def test_gzip_zstd_and_json_arrays_stream(tmp_path, quick):
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(_jsonl(_articles(10))))
    (tmp_path / "b.ndjson.zst").write_bytes(zstandard.ZstdCompressor().compress(_jsonl(_articles(10, 10))))
    (tmp_path / "c.json").write_text(json.dumps({"feed": "x", "articles": _articles(10, 20)}, indent=2))
    (tmp_path / "d.json.gz").write_bytes(gzip.compress(json.dumps(_articles(10, 30)).encode()))
    (tmp_path / "e.json").write_text(json.dumps(_articles(5, 40))[:-30])  # cut short
    report, stored = _run(sorted(tmp_path.glob("[a-e].*")), quick)
    assert stored == 40 + 4  # the cut array keeps the records before the break
    assert [p.code for p in report.problems] == ["E110"]
    assert "after record 4" in report.problems[0].message


def test_a_decompression_bomb_is_refused(tmp_path, quick, monkeypatch):
    from parallax.ingest import sources

    monkeypatch.setattr(sources, "BOMB_FLOOR", 1_000_000)
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(b'{"title": "' + b"a" * 50_000_000, 9))
    report, stored = _run([tmp_path / "bomb.jsonl.gz"], quick)
    assert stored == 0 and report.problems[0].code == "E105"
    assert "decompression bomb" in report.problems[0].message


def test_a_rerun_skips_stored_articles_before_cleaning(tmp_path, quick, monkeypatch):
    path = tmp_path / "r.jsonl"
    path.write_bytes(_jsonl(_articles(20)))
    _run([path], quick)
    import parallax.pipeline as pipeline

    def boom(*a, **k):
        raise AssertionError("an already-stored article was cleaned again")

    monkeypatch.setattr(pipeline, "build_article", boom)
    report, stored = _run([path], quick)
    assert stored == 20 and len(report.duplicates) == 20 and not report.problems


def test_ingest_finishes_stories_left_by_an_interrupted_run(tmp_path, cli):
    path = tmp_path / "i.jsonl"
    path.write_bytes(_jsonl(_articles(8)))
    assert cli("ingest", "--no-stories", str(path))[0] == 0  # as if killed before stories
    assert json.loads(cli("stories", "--json")[1])["items"] == []
    assert cli("ingest", str(path))[0] == 0  # nothing new, but the stories are made
    stories = json.loads(cli("stories", "--json")[1])["items"]
    assert sum(s["size"] for s in stories) == 8


def test_one_articles_unexpected_error_is_one_problem(tmp_path, quick, monkeypatch):
    import parallax.pipeline as pipeline

    real = pipeline.clean_text

    def flaky(text, **kw):
        if "bridge number 3 " in text:
            raise ValueError("boom\nwith a second line")
        return real(text, **kw)

    monkeypatch.setattr(pipeline, "clean_text", flaky)
    path = tmp_path / "f.jsonl"
    path.write_bytes(_jsonl(_articles(6)))
    report, stored = _run([path], quick)
    assert stored == 5
    (problem,) = report.problems
    assert problem.code == "E190" and "\n" not in str(problem) and problem.source.endswith(":4")


# -- outbound fetching -------------------------------------------------------------------
@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False),
    ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False), ("240.0.0.1", False),
    ("255.255.255.255", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("::ffff:8.8.8.8", True), ("64:ff9b::7f00:1", False), ("2001:db8::1", False),
])
def test_which_addresses_are_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.network
def test_private_addresses_are_refused_by_default(http_server, settings):
    url = http_server.add("/secret", "<html><body><p>internal</p></body></html>")
    guarded = settings.replace(allow_private_urls=0)
    for target in (url, url.replace("127.0.0.1", "localhost")):
        with Fetcher(guarded, sleep=lambda s: None) as f, pytest.raises(FetchError) as exc:
            f.get(target)
        assert exc.value.code == "E154" and "non-public" in exc.value.message
    assert http_server.hits.get("/secret", 0) == 0  # refused before connecting
    with Fetcher(settings) as f:  # allow_private_urls=1 (the fixture's): fetched
        assert b"internal" in f.get(url).body


@pytest.mark.network
def test_every_redirect_is_checked(http_server, settings):
    port = http_server.base.rsplit(":", 1)[1]
    start = http_server.add("/start", f"http://127.0.0.2:{port}/inner", status=302)
    only_first = settings.replace(allow_private_urls=0)
    allowed = lambda ip: str(ip) == "127.0.0.1"  # stands for "public" in this test  # noqa: E731
    with Fetcher(only_first, sleep=lambda s: None, allowed=allowed) as f, \
            pytest.raises(FetchError) as exc:
        f.get(start)
    assert exc.value.code == "E154" and "127.0.0.2" in exc.value.message
    assert http_server.hits["/start"] == 1


@pytest.mark.network
def test_a_feed_entry_pointing_inside_is_refused(http_server, tmp_path, db):
    page = http_server.add("/internal", "<html><body><article><p>" + "Secret text. " * 30 +
                           "</p></article></body></html>")
    feed = tmp_path / "evil.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>E</title>'
                    f"<item><title>x</title><link>{page}</link></item>"
                    f"<item><title>y</title><link>file:///etc/passwd</link></item></channel></rss>")
    with SQLiteStore(db) as store:
        report = ingest([str(feed)], store, Settings(db=db, per_host_delay=0))
        assert store.count_articles() == 0
    assert sorted(p.code for p in report.problems) == ["E153", "E154"]
    assert http_server.hits.get("/internal", 0) == 0


def test_kill_9_during_ingest_then_rerun_loses_and_duplicates_nothing(tmp_path):
    """A real process killed with SIGKILL part way through, then run again."""
    import random
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    items = _articles(160)
    path = tmp_path / "k.jsonl"
    path.write_bytes(_jsonl(items))
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "parallax", "--db", str(db), "-q", "ingest", str(path)]

    def count() -> int:
        try:
            with sqlite3.connect(db, timeout=30) as c:
                return c.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            return 0

    rng = random.Random(4)
    for point in sorted(rng.sample(range(10, 150), 2)):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while proc.poll() is None and count() < point and time.time() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    killed_at = count()
    assert 0 < killed_at < 160
    assert subprocess.run(cmd, timeout=300).returncode == 0
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (160, 160)
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                         "story_articles s WHERE s.article_id=a.id)").fetchone()[0] == 0


def test_an_ingest_report_stays_bounded_but_counts_everything():
    from parallax.pipeline import Tally

    t = Tally(keep=3)
    for i in range(10):
        t.append(i)
    assert list(t) == [0, 1, 2] and t.total == 10 and t.truncated and bool(t)


@pytest.mark.network
def test_a_feed_file_streams_entry_by_entry(http_server, tmp_path, settings):
    page = ("<html><body><article><h1>Bridge {n}</h1><p>The council of Riverton opened bridge "
            "number {n} on Monday, officials said, after two years of works.</p><p>Traffic "
            "resumed within hours and the mayor thanked the crews.</p></article></body></html>")
    items = []
    for n in range(6):
        url = http_server.add(f"/b{n}", page.format(n=n))
        pad = "x" * (3000 if n == 2 else 200)  # entry 3 is over the record cap
        items.append(f"<item><title>Bridge {n}</title><link>{url}</link>"
                     f"<pubDate>Mon, 0{n + 1} Apr 2024 10:00:00 GMT</pubDate>"
                     f"<description>{pad}</description></item>")
    feed = tmp_path / "big.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Riverton Post'
                    "</title>" + "".join(items) + "<item><title>cut")  # broken at the end
    small = settings.replace(max_bytes=1_000, max_record_bytes=2_000, understand=0)
    assert feed.stat().st_size > 3 * small.max_bytes
    with SQLiteStore(small.db) as store:
        report = ingest([str(feed)], store, small)
        stored = store.list_articles()
    assert len(stored) == 5 and {a.title for a in stored} == {f"Bridge {n}" for n in (0, 1, 3, 4, 5)}
    assert {a.date for a in stored} >= {"2024-04-01", "2024-04-06"}
    assert sorted(p.code for p in report.problems) == ["E104", "E120"]
    assert "after entry 6" in [p for p in report.problems if p.code == "E120"][0].message
