"""PostgreSQL store, for a team sharing one archive: ``--db postgresql://user@host:port/name``.

psycopg 3 with its connection pool (one pool per URL and process; a store holds one pooled
connection while it is open). The queries are the SQLite store's (:mod:`parallax.store.sql`);
this module holds what only PostgreSQL says: full-text search over a stored ``tsvector``
(GIN), the corpus vocabulary from that index, versioned migrations, and how concurrent
writers stay correct:

* every article is stored once: content ids and ``INSERT ... ON CONFLICT (id) DO NOTHING``;
* every write transaction first takes one transaction-level advisory lock (the lock SQLite's
  ``BEGIN IMMEDIATE`` takes), so an update of the stories (read the saved state, assign the
  new articles, save) never interleaves with another writer's: no lost updates, and arrival
  numbers (``seq``) are committed in the order they are handed out, so a stories update that
  has read up to ``seq`` N never meets a later commit below N. Readers (the web) are never
  blocked (MVCC).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from ..errors import ConfigError, StoreError
from ..textutil import safe_text
from . import shown_name
from .pg_migrations import LATEST, MIGRATIONS
from .sql import CorpusVocabulary, Dialect, SQLStore, TextMatch

POSTGRES = Dialect(contains="strpos({0}, {1}) > 0", nulls_last=" NULLS LAST")
WRITE_LOCK = 0x50_41_52_41  # 'PARA': the advisory lock every write transaction takes
MIGRATE_LOCK = WRITE_LOCK + 1
MAX_TERMS = 100  # words of a search that count (each is one tsquery)
POOL_SIZE = int(os.environ.get("PARALLAX_PG_POOL", "40"))  # connections per URL and process
VERSION_TTL = 0.05  # seconds a change counter read from the server is trusted in this process
_versions: dict[str, tuple[int, float]] = {}  # url -> (change counter, when read)

try:  # an optional dependency: `pip install 'parallax-news[postgres]'`
    import psycopg
except ImportError:  # pragma: no cover - exercised where the extra is missing
    psycopg = None


class PostgresStore(SQLStore):
    dialect = POSTGRES
    versions_shared = True  # parallax_changes is one sequence for every connection

    def __init__(self, url: str):
        self.url = url
        self.name = shown_name(url)
        self._pool = pool_for(url)
        try:
            self.conn = self._pool.getconn(timeout=30)
        except Exception as exc:  # PoolTimeout: every connection is in use
            raise StoreError(f"{self.name}: no free connection ({exc})", code="E210",
                             advice="raise PARALLAX_PG_POOL or the server's max_connections") from None
        self._depth = 0
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    # -- connection --------------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence = ()):
        try:
            return self.conn.execute(_pg(sql), params)
        except psycopg.Error as exc:
            raise _store_error(self.name, exc) from None

    def _run_many(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if rows:
            try:
                with self.conn.cursor() as cur:
                    cur.executemany(_pg(sql), rows)
            except psycopg.Error as exc:
                raise _store_error(self.name, exc) from None

    @contextmanager
    def _writing(self, what: str, *, pipelined: bool = True) -> Iterator[None]:
        if self._depth:
            yield
            return
        self._depth += 1
        try:  # pipelined: writes go out without waiting for each answer
            with (self.conn.pipeline() if pipelined else nullcontext()), self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: {what}: {_first_line(exc)}") from None
        finally:
            self._depth -= 1
        # after the commit: a reader that sees the new number also sees the new data
        version = self.conn.execute("SELECT nextval('parallax_changes')").fetchone()[0]
        _versions[self.url] = (version, time.monotonic())

    def _migrate(self) -> None:
        if self._applied() == LATEST:  # the usual open: no lock, two small reads
            return
        with self._writing("cannot create the tables", pipelined=False):
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            self.conn.execute("CREATE TABLE IF NOT EXISTS parallax_schema (version INTEGER NOT NULL)")
            current = self._applied()  # again, under the lock: another process may have run them
            for version, _name, sql in MIGRATIONS:
                if version > current:
                    self.conn.execute(sql)
                    self.conn.execute("INSERT INTO parallax_schema(version) VALUES (%s)", (version,))

    def _applied(self) -> int:
        """The schema version applied (0 for an empty database); a newer one is an error."""
        if self.conn.execute("SELECT to_regclass('parallax_schema')").fetchone()[0] is None:
            return 0
        current = self.conn.execute("SELECT max(version) FROM parallax_schema").fetchone()[0] or 0
        if current > LATEST:
            raise StoreError(f"{self.name}: schema version {current} is newer than this "
                             f"Parallax ({LATEST})", code="E202", advice="upgrade Parallax")
        return current

    @property
    def schema_version(self) -> int:
        return self._applied()

    def close(self) -> None:
        conn, self.conn = getattr(self, "conn", None), None
        if conn is not None:
            self._pool.putconn(conn)

    # -- what only PostgreSQL says ------------------------------------------------------------
    def _text_match(self, text: str) -> TextMatch | None:
        terms = safe_text(text).split()[:MAX_TERMS]
        if not terms:
            return None
        query = "(" + " && ".join("phraseto_tsquery('simple', ?)" for _ in terms) + ")"
        return TextMatch(source="articles a", condition=f"a.tsv @@ {query}", params=list(terms),
                         rank=f"ts_rank(a.tsv, {query}) DESC", rank_params=list(terms))

    def vocabulary(self) -> CorpusVocabulary:
        return CorpusVocabulary(self._has_word, self._texts_with)

    def _has_word(self, key: str) -> bool:
        return self._run("SELECT 1 FROM articles WHERE tsv @@ phraseto_tsquery('simple', ?) "
                         "LIMIT 1", (key,)).fetchone() is not None

    def _texts_with(self, key: str, limit: int) -> list[str]:
        rows = self._run("SELECT text FROM articles WHERE tsv @@ phraseto_tsquery('simple', ?) "
                         "ORDER BY seq LIMIT ?", (key, limit)).fetchall()
        return [r[0] for r in rows]

    def data_version(self) -> int:
        """The change counter, asked of the server at most every VERSION_TTL seconds per
        process (a busy web server answers most requests from its cache after this one
        check): another process's write shows within that time, this process's at once."""
        now = time.monotonic()
        hit = _versions.get(self.url)
        if hit is not None and now - hit[1] < VERSION_TTL:
            return hit[0]
        version = self._run("SELECT last_value FROM parallax_changes").fetchone()[0]
        _versions[self.url] = (version, now)
        return version

    def load_rows(self, table: str, rows: Iterable[tuple]) -> None:
        super().load_rows(table, rows)
        if table == "articles":  # rows kept their arrival numbers: the next one follows them
            self._run("SELECT setval(pg_get_serial_sequence('articles', 'seq'), "
                      "greatest(coalesce(max(seq), 0), 1), max(seq) IS NOT NULL) FROM articles")


# -- connections -------------------------------------------------------------------------------
_pools: dict[tuple[int, str], object] = {}
_pools_lock = threading.Lock()


def pool_for(url: str):
    """The process's connection pool for ``url``; the first time, one plain connection is
    made first, so that a wrong host, password or database name is one clear error."""
    if psycopg is None:
        raise ConfigError("PostgreSQL support is not installed", code="E213",
                          advice="pip install 'parallax-news[postgres]'")
    key = (os.getpid(), url)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            from psycopg_pool import ConnectionPool

            probe(url)
            pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=True, timeout=30,
                                  kwargs={"autocommit": True, "row_factory": _rows},
                                  name="parallax")
            _pools[key] = pool
        return pool


def probe(url: str) -> None:
    """Connect once, turning what failed into one line with advice (exit 3)."""
    name = shown_name(url)
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.ProgrammingError as exc:
        raise ConfigError(f"--db: not a PostgreSQL URL ({_first_line(exc)})",
                          advice="use postgresql://USER@HOST:PORT/DBNAME") from None
    except psycopg.OperationalError as exc:
        message = _first_line(exc).removeprefix("connection is bad: ")
        low = str(exc).lower()
        if low.startswith("connection is bad: invalid"):  # libpq could not read the URL
            raise ConfigError(f"--db: not a usable PostgreSQL URL ({message})",
                              advice="use postgresql://USER@HOST:PORT/DBNAME") from None
        if "does not exist" in low and "database" in low:
            raise StoreError(f"{name}: {message}", code="E212",
                             advice="create it (createdb NAME) or name another database") from None
        if "authentication" in low or "password" in low or "role" in low:
            raise StoreError(f"{name}: {message}", code="E211",
                             advice="check the user and password in the URL (or ~/.pgpass)") from None
        raise StoreError(f"{name}: cannot connect: {message}", code="E210",
                         advice="is the server running? check the host and port") from None


@lru_cache(maxsize=512)
def _pg(sql: str) -> str:
    """The shared SQL's ``?`` placeholders as psycopg's ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


def _store_error(name: str, exc: BaseException) -> StoreError:
    """A database error as one line (exit 3): a lost connection says what to check."""
    if isinstance(exc, psycopg.OperationalError):
        return StoreError(f"{name}: {_first_line(exc)}", code="E210",
                          advice="is the server still running?")
    return StoreError(f"{name}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


class _Row(tuple):
    """A row that answers ``row[0]`` and ``row["name"]`` (as sqlite3.Row does)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor):
    return _row_type(tuple(c.name for c in cursor.description or ()))


@lru_cache(maxsize=1024)
def _row_type(names: tuple[str, ...]) -> type:
    return type("Row", (_Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def close_pool(url: str) -> None:
    """Close this process's pool for ``url`` (its connections end)."""
    with _pools_lock:
        pool = _pools.pop((os.getpid(), url), None)
    if pool is not None:
        pool.close()
