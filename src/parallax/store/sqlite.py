"""SQLite store: one file, WAL mode, FTS5 full-text search, versioned migrations. The queries
both backends share are in :mod:`parallax.store.sql`; this module holds what only SQLite says."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError
from ..textutil import safe_text
from .migrations import LATEST, MIGRATIONS
from .sql import CorpusVocabulary, Dialect, SQLStore, TextMatch

SQLITE = Dialect(contains="instr({0}, {1}) > 0", nulls_last="")  # NULL sorts lowest in SQLite


class SQLiteStore(SQLStore):
    dialect = SQLITE

    def __init__(self, path: str | Path):
        self.path = self.name = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=5000")
            self._migrate()
            self._fill_missing_story_stats()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}", code="E201",
                             advice="is it a Parallax SQLite file? pass another --db") from None

    def _run(self, sql: str, params: Sequence = ()):
        return self.conn.execute(sql, params)

    def _run_many(self, sql: str, rows: Iterable[Sequence]) -> None:
        self.conn.executemany(sql, rows)

    # -- schema ----------------------------------------------------------------------------------
    def _migrate(self) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current > LATEST:
            raise StoreError(f"{self.path}: schema version {current} is newer than this Parallax "
                             f"({LATEST})", code="E202", advice="upgrade Parallax")
        for version, _name, sql in MIGRATIONS:
            if version <= current:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={version}")
                self.conn.execute("COMMIT")
            except Exception:
                self.conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _text_match(self, text: str) -> TextMatch | None:
        match = _match(text)
        if not match:
            return None
        return TextMatch(source="articles_fts f JOIN articles a ON a.seq=f.rowid",
                         condition="articles_fts MATCH ?", params=[match], rank="f.rank")

    def vocabulary(self) -> CorpusVocabulary:
        return CorpusVocabulary(self._has_word, self._texts_with)

    def _has_word(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles_vocab WHERE term=? LIMIT 1",
                                 (key,)).fetchone() is not None

    def _texts_with(self, key: str, limit: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.text FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY articles_fts.rowid LIMIT ?",
            (f'text:"{key}"', limit)).fetchall()
        return [r[0] for r in rows]

    def data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def _fill_missing_story_stats(self) -> None:
        """Stories saved before their row kept its numbers (an older store) get them once."""
        missing = [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE size IS NULL")]
        if missing:
            with self._writing("cannot update story listings"):
                self._save_story_stats(self._stories(ids=set(missing)))

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """One write transaction; inside an open one (see :meth:`transaction`) it joins it."""
        c = self.conn
        if c.in_transaction:
            yield
            return
        c.execute("BEGIN IMMEDIATE")
        try:
            yield
        except sqlite3.Error as exc:
            c.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {what}: {exc}") from None
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def _match(query: str) -> str:
    """An FTS5 query: every word of ``query`` as a quoted term (all must match)."""
    return " ".join('"' + tok.replace('"', '""') + '"' for tok in safe_text(query).split())


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements, current = [], []
    for line in sql.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements
