"""The PostgreSQL store for teams (issue 26), against a real server the tests start: copying an
archive to PostgreSQL and back, team use (two ingests and a server at once, real processes),
and clear errors for wrong URLs, refused connections, unknown users and databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import httpx
import pytest

from parallax.pipeline import update_stories
from parallax.settings import Settings
from parallax.store import open_store
from parallax.stories.assign import STATE_NAME

from .conftest import EXAMPLES, ROOT
from .pg import _free_port, wait_for

PARALLAX = [sys.executable, "-m", "parallax"]


def run(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*PARALLAX, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def stories_of(db: str) -> list[tuple]:
    with open_store(db) as store:
        return sorted((st.id, st.title, st.article_ids, st.independent_sources)
                      for st in store.list_stories())


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("arch") / "demo.db")
    result = run("--db", db, "ingest", str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    return db


def test_migrate_to_postgresql_and_back_loses_nothing(sqlite_archive, pg_url, tmp_path):
    result = run("migrate", "--from", sqlite_archive, "--to", pg_url, "--json")
    assert result.returncode == 0, result.stderr
    copied = json.loads(result.stdout)
    assert copied["same"] and copied["tables"]["articles"]["target"] == 18
    assert copied["tables"]["entities"]["target"] > 0 and copied["tables"]["lineage_bands"]["target"] > 0
    assert stories_of(pg_url) == stories_of(sqlite_archive)
    # the copy is a working store: search, a story's report, and new articles go on from it
    shown = run("--db", pg_url, "search", "Zakharova", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout), shown.stderr
    back = str(tmp_path / "back.db")
    result = run("migrate", "--from", pg_url, "--to", back, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["target_checksum"] == copied["source_checksum"]
    assert stories_of(back) == stories_of(sqlite_archive)
    # into a store that already holds articles: refused, one line, exit 3, nothing written
    again = run("migrate", "--from", sqlite_archive, "--to", pg_url)
    assert again.returncode == 3 and "E214" in again.stderr and "Traceback" not in again.stderr


def test_an_interrupted_migrate_leaves_the_target_empty_and_can_be_rerun(sqlite_archive, pg_url,
                                                                        monkeypatch):
    from parallax.store import copy as copy_module
    from parallax.store.postgres import PostgresStore

    real = PostgresStore.load_rows
    calls = []

    def dying(self, table, rows):
        calls.append(table)
        if table == "stories":
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C half-way
        return real(self, table, rows)

    monkeypatch.setattr(PostgresStore, "load_rows", dying)
    with open_store(sqlite_archive) as src, open_store(pg_url) as dst:
        with pytest.raises(KeyboardInterrupt):
            copy_module.copy_store(src, dst)
        assert "articles" in calls and dst.count_rows("articles") == 0
        assert dst.count_rows("entities") == 0
    monkeypatch.setattr(PostgresStore, "load_rows", real)
    with open_store(sqlite_archive) as src, open_store(pg_url) as dst:
        assert copy_module.copy_store(src, dst).same


def test_two_ingests_and_a_server_at_once(pg_url, tmp_path):
    """A team on one PostgreSQL store: two `parallax ingest` processes with overlapping inputs
    and a `parallax serve` answering throughout. Every article is stored once, every article is
    in a story, and the stories equal a replay of the archive in its stored order."""
    rows = (EXAMPLES / "ecbplus" / "excerpt.jsonl").read_text().splitlines()
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "part.jsonl").write_text("\n".join(rows[:11]) + "\n")  # rows 5-10 in both
    (b / "part.jsonl").write_text("\n".join(rows[5:]) + "\n")
    for seed in (EXAMPLES / "seeds").iterdir():
        (a / seed.name).write_bytes(seed.read_bytes())
        (b / seed.name).write_bytes(seed.read_bytes())
    port = _free_port()
    server = subprocess.Popen([*PARALLAX, "--db", pg_url, "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    answers: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                answers.append(httpx.get(base + "/api/stories", timeout=10).status_code)
            except httpx.TransportError:
                answers.append(0)
            time.sleep(0.05)

    try:
        assert wait_for(lambda: _up(base), timeout=60), server.stderr.read1().decode()
        poller = threading.Thread(target=poll)
        poller.start()
        ingests = [subprocess.Popen([*PARALLAX, "--db", pg_url, "ingest", str(d)], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for d in (a, b)]
        outs = [p.communicate(timeout=600) for p in ingests]
        assert [p.returncode for p in ingests] == [0, 0], outs
        time.sleep(0.3)
        stop.set()
        poller.join()
    finally:
        stop.set()
        server.terminate()
        server.wait(10)
    assert answers and set(answers) == {200}, sorted(set(answers))
    with open_store(pg_url) as store:
        ids = [x.id for x in store.iter_articles(latest_only=False)]
        assert len(ids) == len(set(ids)) == len(rows) + 2  # each article once
        assert store.count_unassigned() == 0
        assert {x.article_id for x in store.assignments()} == set(ids)
        team = sorted(sorted(st.article_ids) for st in store.list_stories())
        # no lost update: the stories the two processes built, run after run, are those of one
        # replay of the archive in the order it was stored (the saved state made unreadable)
        store.put_state(STATE_NAME, b"forgotten")
        update_stories(store, Settings(db=pg_url))
        replay = sorted(sorted(st.article_ids) for st in store.list_stories())
    assert team == replay


def _up(base: str) -> bool:
    try:
        return httpx.get(base + "/api/stories", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.parametrize("what, url, code", [
    ("refused", "postgresql://parallax@127.0.0.1:{free}/x", "E210"),
    ("no database", "{base}/no_such_db", "E212"),
    ("unknown user", "postgresql://nobody_here@127.0.0.1:{port}/postgres", "E211"),
    ("not a URL", "postgresql://127.0.0.1:{port}/x?sslmode=sometimes", "E0"),
])
def test_bad_postgresql_urls_are_one_line(pg_cluster, what, url, code):
    url = url.format(free=_free_port(), base=pg_cluster.base, port=pg_cluster.port)
    result = run("--db", url, "stories", timeout=60)
    assert result.returncode in (2, 3), result.stderr
    assert code in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert ("E0" in code) == (result.returncode == 2)


def test_a_newer_schema_is_refused_in_one_line(pg_url):
    import psycopg

    from parallax.errors import StoreError

    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO parallax_schema(version) VALUES (999)")
    with pytest.raises(StoreError, match="newer than this Parallax"):
        open_store(pg_url)
