from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner

from parallax.settings import Settings

# Property tests check outcomes, not speed: a shared 2-core CI box must not fail them on time.
hypothesis_settings.register_profile("parallax", deadline=None)
hypothesis_settings.load_profile("parallax")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples"


# Modules whose tests run on both stores (issue 26): every test in them that uses the `db`
# fixture (directly or through `settings` / `cli`) runs once per backend. A test that is about
# SQLite files themselves is marked `sqlite_only`.
BOTH_BACKENDS = {
    "test_store", "test_ingest_files", "test_ingest_bad_input", "test_stories",
    "test_stories_incremental", "test_stories_batch", "test_compare",
    "test_voices", "test_names", "test_cli", "test_cli_listing",
    "test_api", "test_story_page", "test_stories_settle",
}


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    both = module in BOTH_BACKENDS and not metafunc.definition.get_closest_marker("sqlite_only")
    metafunc.parametrize("backend", ["sqlite", "postgresql"] if both else ["sqlite"],
                         indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def pg_cluster():
    """A real PostgreSQL server for the session (started on first use)."""
    from . import pg

    if not pg.available():
        if os.environ.get("PARALLAX_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL (initdb, pg_ctl) is not installed")
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl)")
    cluster = pg.Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh empty PostgreSQL database (dropped after the test)."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture
def make_db(backend, tmp_path, request):
    """``make_db(name)``: a further fresh store location for the test's backend."""
    made: list[str] = []

    def make(name: str) -> str:
        if backend == "postgresql":
            made.append(request.getfixturevalue("pg_cluster").new_database())
            return made[-1]
        return str(tmp_path / name)

    yield make
    for url in made:
        request.getfixturevalue("pg_cluster").drop_database(url)


def module_db(request, tmp_path_factory, name: str) -> str:
    """For a module-scoped fixture parametrised by backend name: a fresh store location."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_cluster").new_database()
    return str(tmp_path_factory.mktemp(name) / f"{name}.db")


@pytest.fixture
def db(backend, tmp_path, request) -> str:
    """Where the test's store lives: a SQLite file, or a fresh PostgreSQL database."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "test.db")


@pytest.fixture
def settings(db) -> Settings:
    # No politeness delays against our own test server, which is on 127.0.0.1.
    return Settings(db=db, per_host_delay=0.0, fetch_backoff=0.01, fetch_timeout=5.0,
                    allow_private_urls=1)


@pytest.fixture
def cli(db, monkeypatch):
    """Run ``parallax`` in-process against a fresh SQLite file; returns (exit_code, stdout, stderr)."""
    from parallax.cli import app

    monkeypatch.setenv("PARALLAX_PER_HOST_DELAY", "0")
    monkeypatch.setenv("PARALLAX_FETCH_BACKOFF", "0.01")
    monkeypatch.setenv("PARALLAX_ALLOW_PRIVATE_URLS", "1")  # the test server is on 127.0.0.1
    monkeypatch.delenv("PARALLAX_DB", raising=False)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        result = runner.invoke(app, ["--db", db, *args], input=input, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


class _Server:
    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: dict[str, int] = {}
        self.user_agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                server.user_agents.append(self.headers.get("User-Agent", ""))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                status, ctype, body = route
                if callable(body):
                    status, ctype, body = body(server.hits[self.path])
                self.send_response(status)
                if 300 <= status < 400:  # a redirect: the body is the Location
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def add(self, path: str, body, ctype: str = "text/html; charset=utf-8", status: int = 200):
        if isinstance(body, str):
            body = body.replace("{base}", self.base).encode("utf-8")
        self.routes[path] = (status, ctype, body)
        return self.base + path

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1 serving the fixture pages and feeds."""
    server = _Server()
    pages = FIXTURES / "pages"
    server.add("/quake.html", (pages / "quake.html").read_text())
    server.add("/murder.html", (pages / "murder.html").read_text())
    server.add("/feed.rss", (pages / "feed.rss").read_text(), "application/rss+xml")
    server.add("/feed.atom", (pages / "feed.atom").read_text(), "application/atom+xml")
    yield server
    server.stop()


def corpus_cases(path: Path) -> list[dict]:
    """Gold cases that point into the corpora of ../shared/data (``source``: 'basil:<id>' or
    'ecbplus:<id>', ``span``: where the sentence is; ``quote_span``: where the quotation is in
    it), with ``text`` (and ``quote``) read from there: the repository holds no news text."""
    import json

    wanted = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, str] = {}
    for corpus in sorted({c["source"].split(":")[0] for c in wanted}):
        for line in (SHARED / "data" / corpus / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[f"{corpus}:{row['id']}"] = row["text"]
    for c in wanted:
        a, b = c["span"]
        c["text"] = texts[c["source"]][a:b]
        if "quote_span" in c:
            c["quote"] = c["text"][c["quote_span"][0]:c["quote_span"][1]]
    return wanted
