"""SQLite store: one file, WAL mode, FTS5 full-text search, versioned migrations."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..errors import NotFoundError, StoreError
from ..outlets import Speaker, count_voices, outlet_names
from ..records import Article, CanonicalEntity as Canonical, Edit, LineageMember, Story
from ..textutil import count_cases, safe_text
from .base import AddResult, CoverageRow, Outcome, Store, StoryAssignment, StoryFilter
from .lineage import LineageIndex
from .migrations import LATEST, MIGRATIONS

_COLUMNS = ("id", "url", "outlet", "credited_source", "author", "title", "text", "raw_text",
            "raw", "raw_format", "origin", "date", "date_source", "date_confidence", "lang",
            "version", "supersedes", "metadata", "edits", "ingested_at", "analysis")


class SQLiteStore(Store):
    def __init__(self, path: str | Path):
        self.path = str(path)
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

    # -- articles --------------------------------------------------------------------------------
    def add_article(self, article: Article) -> AddResult:
        c = self.conn
        if c.execute("SELECT 1 FROM articles WHERE id=?", (article.id,)).fetchone():
            return AddResult(Outcome.DUPLICATE, article.id)
        previous = None
        version = 1
        if article.url:
            row = c.execute("SELECT id, version FROM articles WHERE url=? AND latest=1 "
                            "ORDER BY version DESC LIMIT 1", (article.url,)).fetchone()
            if row:
                previous, version = row["id"], row["version"] + 1
        values = _row_values(article, version=version, supersedes=previous)
        with self._writing(f"cannot store article {article.id}"):
            if previous:
                c.execute("UPDATE articles SET latest=0 WHERE id=?", (previous,))
            c.execute(f"INSERT INTO articles ({', '.join(_COLUMNS)}) "
                      f"VALUES ({', '.join('?' for _ in _COLUMNS)})", values)
        if previous:
            return AddResult(Outcome.NEW_VERSION, article.id, previous)
        return AddResult(Outcome.STORED, article.id)

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?",
                                 (article_id,)).fetchone() is not None

    def get_article(self, id_or_prefix: str) -> Article:
        rows = self.conn.execute("SELECT * FROM articles WHERE id=?", (id_or_prefix,)).fetchall() \
            or self.conn.execute("SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY seq "
                                 "LIMIT 2", _prefix_range(id_or_prefix)).fetchall()
        if not rows:
            raise NotFoundError(f"no article {id_or_prefix!r}",
                                advice="`parallax articles` lists the ids")
        if len(rows) > 1 and rows[0]["id"] != id_or_prefix:
            raise NotFoundError(f"article id prefix {id_or_prefix!r} is ambiguous",
                                advice="give more characters", code="E205")
        return _to_article(rows[0])

    def iter_articles(self, *, latest_only: bool = True) -> Iterator[Article]:
        where = "WHERE latest=1" if latest_only else ""
        for row in self.conn.execute(f"SELECT * FROM articles {where} ORDER BY seq"):
            yield _to_article(row)

    def list_articles(self, *, limit: int | None = None, offset: int = 0,
                      latest_only: bool = True, full: bool = True) -> list[Article]:
        where = "WHERE latest=1" if latest_only else ""
        rows = self.conn.execute(f"SELECT {_columns(full, 'articles')} FROM articles {where} "
                                 "ORDER BY seq DESC LIMIT ? OFFSET ?",
                                 (-1 if limit is None else limit, offset))
        return [(_to_article if full else _to_summary)(r) for r in rows]

    def iter_articles_since(self, seq: int, *, upto: int | None = None
                            ) -> Iterator[tuple[int, Article]]:
        rows = self.conn.execute("SELECT * FROM articles WHERE latest=1 AND seq>? AND seq<=? "
                                 "ORDER BY seq", (seq, upto if upto is not None else 2**62))
        for row in rows:
            yield row["seq"], _to_article(row)

    def last_seq(self) -> int:
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]

    def count_articles(self, *, latest_only: bool = True, upto: int | None = None) -> int:
        where = ["latest=1"] if latest_only else []
        params: tuple = ()
        if upto is not None:
            where.append("seq<=?")
            params = (upto,)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.conn.execute(f"SELECT count(*) FROM articles {clause}", params).fetchone()[0]

    def search_articles(self, query: str, *, limit: int = 50, full: bool = True) -> list[Article]:
        match = _match(query)
        if not match:
            return []
        rows = self.conn.execute(
            f"SELECT {_columns(full, 'a')} FROM articles_fts f JOIN articles a ON a.seq=f.rowid "
            "WHERE articles_fts MATCH ? AND a.latest=1 ORDER BY f.rank LIMIT ?", (match, limit))
        return [(_to_article if full else _to_summary)(r) for r in rows]

    # -- canonical entities ------------------------------------------------------------------
    def entity_candidates(self, name_keys: list[str], last_tokens: list[str]) -> list[Canonical]:
        if not name_keys and not last_tokens:
            return []
        firsts = sorted({k.split()[0] for k in name_keys if k})
        q = ("SELECT DISTINCT e.id, e.name, e.label, e.aliases, e.alias_counts FROM entity_names n "
             "JOIN entities e ON e.id = n.entity_id WHERE n.name_key IN ({}) OR n.last_token IN ({}) "
             "OR n.first_token IN ({}) ORDER BY e.id").format(
                 ",".join("?" * len(name_keys)) or "NULL", ",".join("?" * len(last_tokens)) or "NULL",
                 ",".join("?" * len(firsts)) or "NULL")
        rows = self.conn.execute(q, [*name_keys, *last_tokens, *firsts]).fetchall()
        return [_canonical(*r) for r in rows]

    def entity_cooccurrence(self, entity_ids: list[str], context_ids: list[str]) -> dict[str, int]:
        if not entity_ids or not context_ids:
            return {}
        q = ("SELECT a.entity_id, COUNT(DISTINCT a.article_id) FROM article_entities a "
             "WHERE a.entity_id IN ({}) AND a.article_id IN (SELECT article_id FROM "
             "article_entities WHERE entity_id IN ({})) GROUP BY a.entity_id").format(
                 ",".join("?" * len(entity_ids)), ",".join("?" * len(context_ids)))
        return dict(self.conn.execute(q, [*entity_ids, *context_ids]).fetchall())

    def save_entity_links(self, article_id: str, links: list[tuple[str, Canonical]]) -> None:
        c = self.conn
        with self._writing("cannot save entities"):
            for local_key, ent in links:
                self._save_entity(ent)
                c.execute("INSERT OR REPLACE INTO article_entities(article_id, local_key, entity_id) "
                          "VALUES (?, ?, ?)", (article_id, local_key, ent.id))

    def merge_entities(self, old_id: str, into: Canonical) -> None:
        c = self.conn
        with self._writing("cannot merge entities"):
            self._save_entity(into)
            c.execute("UPDATE article_entities SET entity_id=? WHERE entity_id=?", (into.id, old_id))
            c.execute("DELETE FROM entity_names WHERE entity_id=?", (old_id,))
            c.execute("DELETE FROM entities WHERE id=?", (old_id,))

    def _save_entity(self, ent: Canonical) -> None:
        c = self.conn
        c.execute("INSERT INTO entities(id, name, label, aliases, alias_counts) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET aliases=excluded.aliases, name=excluded.name, "
                  "alias_counts=excluded.alias_counts",
                  (ent.id, ent.name, ent.label, json.dumps(list(ent.aliases), ensure_ascii=False),
                   json.dumps(dict(ent.counts), ensure_ascii=False)))
        c.execute("DELETE FROM entity_names WHERE entity_id=?", (ent.id,))
        c.executemany("INSERT INTO entity_names(entity_id, name_key, last_token, first_token) "
                      "VALUES (?, ?, ?, ?)",
                      [(ent.id, k, last, k.split()[0] if k else "") for k, last in ent.lookup])

    def article_entity_ids(self, article_id: str) -> dict[str, Canonical]:
        rows = self.conn.execute(
            "SELECT a.local_key, e.id, e.name, e.label, e.aliases, e.alias_counts FROM article_entities a "
            "JOIN entities e ON e.id = a.entity_id WHERE a.article_id=?", (article_id,))
        return {r[0]: _canonical(*r[1:]) for r in rows}

    def count_entities(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]

    def clear_entity_links(self) -> None:
        with self._writing("cannot clear entities"):
            for table in ("article_entities", "entity_names", "entities"):
                self.conn.execute(f"DELETE FROM {table}")

    def update_analysis(self, article_id: str, analysis: dict) -> None:
        with self._writing("cannot save the analysis"):
            self.conn.execute("UPDATE articles SET analysis=? WHERE id=?",
                              (json.dumps(analysis, ensure_ascii=False), article_id))

    def vocabulary(self) -> "_Vocabulary":
        return _Vocabulary(self.conn)

    # -- stories ---------------------------------------------------------------------------------
    def save_assignments(self, assignments: Sequence[StoryAssignment], titles: dict[str, str],
                         *, replace_all: bool = False) -> None:
        c = self.conn
        with self._writing("cannot save stories"):
            touched = None if replace_all else (
                {a.story_id for a in assignments} | set(titles) | set(_pairs_by_id(
                    c, "SELECT story_id, 1 FROM story_articles WHERE article_id IN ({})",
                    [a.article_id for a in assignments])))
            if replace_all:
                c.execute("DELETE FROM story_articles")
                c.execute("DELETE FROM stories")
            c.executemany("INSERT INTO stories(id, title) VALUES (?, ?) "
                          "ON CONFLICT(id) DO UPDATE SET title=excluded.title", titles.items())
            c.executemany(
                "INSERT INTO story_articles(article_id, story_id, lineage_id, is_origin) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "story_id=excluded.story_id, lineage_id=excluded.lineage_id, "
                "is_origin=excluded.is_origin",
                [(a.article_id, a.story_id, a.lineage_id, int(a.is_origin)) for a in assignments])
            c.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)")
            c.execute("DELETE FROM story_reports WHERE story_id NOT IN (SELECT id FROM stories)")
            self._save_story_stats(self._stories(ids=touched))

    def _save_story_stats(self, stories: list[Story]) -> None:
        self.conn.executemany(
            "UPDATE stories SET size=?, sources=?, first_date=?, last_date=?, outlets=? WHERE id=?",
            [(st.size, st.independent_sources, st.first_date, st.last_date,
              "\n".join(st.outlets), st.id) for st in stories])

    def _fill_missing_story_stats(self) -> None:
        """Stories saved before their row kept its numbers (an older store) get them once."""
        missing = [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE size IS NULL")]
        if missing:
            with self._writing("cannot update story listings"):
                self._save_story_stats(self._stories(ids=set(missing)))

    def coverage(self) -> list[CoverageRow]:
        rows = self.conn.execute(
            "SELECT a.outlet, a.credited_source, sa.story_id, substr(a.date, 1, 7), count(*) "
            "FROM articles a LEFT JOIN story_articles sa ON sa.article_id=a.id WHERE a.latest=1 "
            "GROUP BY 1, 2, 3, 4")
        return [CoverageRow(*r) for r in rows]

    def report_key(self, story_id: str) -> str | None:
        row = self.conn.execute("SELECT key FROM story_reports WHERE story_id=?", (story_id,)).fetchone()
        return row[0] if row else None

    def get_report(self, story_id: str, key: str) -> bytes | None:
        row = self.conn.execute("SELECT report FROM story_reports WHERE story_id=? AND key=?",
                                (story_id, key)).fetchone()
        return bytes(row[0]) if row else None

    def put_report(self, story_id: str, key: str, report: bytes) -> None:
        with self._writing("cannot save a story report"):
            self.conn.execute("INSERT INTO story_reports(story_id, key, report) VALUES (?, ?, ?) "
                              "ON CONFLICT(story_id) DO UPDATE SET key=excluded.key, "
                              "report=excluded.report", (story_id, key, report))

    def clear_reports(self) -> None:
        with self._writing("cannot clear story reports"):
            self.conn.execute("DELETE FROM story_reports")

    def data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def count_stories(self) -> int:
        return self.conn.execute("SELECT count(*) FROM stories").fetchone()[0]

    def query_stories(self, query: StoryFilter) -> tuple[int, list[Story]]:
        where, params = [], []
        match = _match(query.text or "")
        if match:
            where.append("s.id IN (SELECT sa.story_id FROM articles_fts f JOIN articles a ON "
                         "a.seq=f.rowid JOIN story_articles sa ON sa.article_id=a.id WHERE "
                         "articles_fts MATCH ? AND a.latest=1)")
            params.append(match)
        elif query.text and query.text.strip():
            return 0, []  # terms that hold no searchable word match nothing
        for value, condition in ((query.outlet, "instr(lower(s.outlets), lower(?)) > 0"),
                                 (query.min_sources, "s.sources >= ?"),
                                 (query.min_size, "s.size >= ?"),
                                 (query.max_size, "s.size <= ?"),
                                 (query.date_from, "coalesce(s.last_date, '') >= ?"),
                                 (query.date_to, "s.first_date IS NOT NULL AND s.first_date <= ?")):
            if value:
                where.append(condition)
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        # NULL sorts below every date, so undated stories come last (the index serves it)
        order = {"recent": "s.last_date DESC, s.size DESC, s.id DESC",
                 "size": "s.size DESC, s.sources DESC, s.id DESC",
                 "sources": "s.sources DESC, s.size DESC, s.id DESC"}.get(query.sort)
        if order is None:
            raise StoreError(f"unknown sort {query.sort!r}", advice="recent, size or sources",
                             code="E206")
        total = self.conn.execute(f"SELECT count(*) FROM stories s {clause}", params).fetchone()[0]
        ids = [r[0] for r in self.conn.execute(
            f"SELECT s.id FROM stories s {clause} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset])]
        found = {st.id: st for st in self._stories(ids=set(ids))}
        return total, [found[i] for i in ids if i in found]

    def assignments(self, story_id: str | None = None) -> list[StoryAssignment]:
        where, params = ("WHERE s.story_id=?", (story_id,)) if story_id else ("", ())
        rows = self.conn.execute(
            "SELECT s.article_id, s.story_id, s.lineage_id, s.is_origin FROM story_articles s "
            f"JOIN articles a ON a.id=s.article_id {where} ORDER BY a.seq", params)
        return [StoryAssignment(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def count_unassigned(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM articles a WHERE a.latest=1 AND NOT EXISTS "
            "(SELECT 1 FROM story_articles sa WHERE sa.article_id=a.id)").fetchone()[0]

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return _pairs_by_id(self.conn, "SELECT article_id, story_id FROM story_articles "
                                       "WHERE article_id IN ({})", article_ids)

    def list_stories(self) -> list[Story]:
        return self._stories(None)

    def get_story(self, id_or_prefix: str) -> Story:
        found = self._stories(ids={id_or_prefix}) or self._stories(id_or_prefix)
        if not found:
            raise NotFoundError(f"no story {id_or_prefix!r}", advice="`parallax stories` lists them")
        if len(found) > 1:
            exact = [s for s in found if s.id == id_or_prefix]
            if not exact:
                raise NotFoundError(f"story id prefix {id_or_prefix!r} is ambiguous",
                                    advice="give more characters", code="E205")
            return exact[0]
        return found[0]

    def _stories(self, prefix: str | None = None, *, ids: set[str] | None = None) -> list[Story]:
        """Stories with their members: all, those whose id starts with ``prefix``, or those
        in ``ids`` (None: no restriction; empty: none)."""
        if ids is not None and not ids:
            return []
        if ids is not None and len(ids) > 500:
            chunks = sorted(ids)
            return [st for i in range(0, len(chunks), 500)
                    for st in self._stories(ids=set(chunks[i:i + 500]))]
        if ids is not None:
            where, params = f"WHERE s.id IN ({','.join('?' * len(ids))})", tuple(sorted(ids))
        else:
            where, params = ("WHERE s.id >= ? AND s.id < ?", _prefix_range(prefix)) \
                if prefix is not None else ("", ())
        rows = self.conn.execute(
            "SELECT s.id AS story_id, s.title AS story_title, a.id, a.outlet, a.credited_source, "
            "a.origin, a.date, sa.lineage_id FROM stories s "
            "JOIN story_articles sa ON sa.story_id=s.id JOIN articles a ON a.id=sa.article_id "
            f"{where} ORDER BY a.seq", params)
        groups: dict[str, list[sqlite3.Row]] = defaultdict(list)
        titles: dict[str, str] = {}
        for r in rows:
            groups[r["story_id"]].append(r)
            titles[r["story_id"]] = r["story_title"]
        stories = []
        for sid, members in groups.items():
            speakers = [Speaker(m["id"], m["outlet"], m["credited_source"], m["lineage_id"])
                        for m in members]
            dates = sorted(m["date"] for m in members if m["date"])
            stories.append(Story(
                id=sid, title=titles[sid], article_ids=tuple(m["id"] for m in members),
                outlets=tuple(outlet_names(speakers)), first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
                independent_sources=count_voices(speakers)))
        return stories

    # -- stage state ------------------------------------------------------------------------------
    def lineage_index(self) -> "SQLiteLineageIndex":
        return SQLiteLineageIndex(self)

    def get_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM stage_state WHERE name=?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def put_state(self, name: str, value: bytes) -> None:
        with self._writing("cannot save the stage state"):
            self.conn.execute("INSERT INTO stage_state(name, value) VALUES (?, ?) ON CONFLICT(name) "
                              "DO UPDATE SET value=excluded.value", (name, value))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writing("cannot save"):
            yield

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


class SQLiteLineageIndex(LineageIndex):
    """Lineage band keys and groups in the store's tables (migration 4)."""

    def __init__(self, store: SQLiteStore):
        self.store, self.conn = store, store.conn

    def candidates(self, keys: Sequence[int]) -> set[str]:
        found: set[str] = set()
        for band, key in enumerate(keys):  # one indexed lookup per band
            found.update(r[0] for r in self.conn.execute(
                "SELECT article_id FROM lineage_bands WHERE band=? AND key=?", (band, key)))
        return found

    def insert(self, member: LineageMember, keys: Sequence[int], group_id: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.conn.execute(
                "INSERT OR REPLACE INTO lineage_members(article_id, group_id, arrival, date, "
                "outlet, credited_source, length) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (member.article_id, group_id, member.arrival, member.date, member.outlet,
                 member.credited_source, member.length))
            self.conn.executemany("INSERT INTO lineage_bands(band, key, article_id) VALUES (?, ?, ?)",
                                  [(band, key, member.article_id) for band, key in enumerate(keys)])

    def groups_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return _pairs_by_id(self.conn, "SELECT article_id, group_id FROM lineage_members "
                                       "WHERE article_id IN ({})", article_ids)

    def members(self, group_id: str) -> list[LineageMember]:
        rows = self.conn.execute("SELECT article_id, arrival, date, outlet, credited_source, length "
                                 "FROM lineage_members WHERE group_id=? ORDER BY arrival", (group_id,))
        return [LineageMember(*r) for r in rows]

    def regroup(self, old_group: str, new_group: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.conn.execute("UPDATE lineage_members SET group_id=?, is_origin=0 WHERE group_id=?",
                              (new_group, old_group))

    def origin(self, group_id: str) -> str | None:
        row = self.conn.execute("SELECT article_id FROM lineage_members WHERE group_id=? AND "
                                "is_origin=1", (group_id,)).fetchone()
        return row[0] if row else None

    def set_origin(self, group_id: str, article_id: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.conn.execute("UPDATE lineage_members SET is_origin=(article_id=?) WHERE group_id=?",
                              (article_id, group_id))

    def clear(self) -> None:
        with self.store._writing("cannot reset lineage"):
            self.conn.execute("DELETE FROM lineage_members")
            self.conn.execute("DELETE FROM lineage_bands")


class _Vocabulary:
    """The corpus as the cleaner asks of it (see :mod:`parallax.clean.lexicon`): ``word in
    vocabulary`` (the FTS5 vocabulary, lower-cased) and ``cases(word)``, counted in a sample of
    the stored texts that hold the word."""

    SAMPLE = 40  # texts read to count how the corpus writes a word

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def cases(self, word: str) -> tuple[int, int]:
        if not word.isalpha():
            return 0, 0
        key = word.lower()
        rows = self.conn.execute(
            "SELECT a.text FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY articles_fts.rowid LIMIT ?",
            (f'text:"{key}"', self.SAMPLE)).fetchall()
        capital = lower = 0
        for (text,) in rows:
            c, low = count_cases(text, {key})
            capital += c[key]
            lower += low[key]
        return capital, lower

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return self.conn.execute("SELECT 1 FROM articles_vocab WHERE term=? LIMIT 1",
                                 (word.lower(),)).fetchone() is not None


def _pairs_by_id(conn: sqlite3.Connection, query: str, ids: Sequence[str]) -> dict[str, str]:
    """``query`` (two columns, ``IN ({})`` for the ids) run over the ids in chunks that stay
    under SQLite's bound-parameter limit, as one dict."""
    unique = list(dict.fromkeys(ids))
    out: dict[str, str] = {}
    for i in range(0, len(unique), 500):
        chunk = unique[i:i + 500]
        out.update(conn.execute(query.format(",".join("?" * len(chunk))), chunk).fetchall())
    return out


def _match(query: str) -> str:
    """An FTS5 query: every word of ``query`` as a quoted term (all must match)."""
    return " ".join('"' + tok.replace('"', '""') + '"' for tok in safe_text(query).split())


def _prefix_range(value: str) -> tuple[str, str]:
    """Bounds of the ids that start with ``value`` exactly (an index range: no pattern, so
    '%' and '_' are plain characters)."""
    return value, value + "\U0010ffff"


def _row_values(a: Article, *, version: int, supersedes: str | None) -> tuple:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return (a.id, a.url, a.outlet, a.credited_source, a.author, a.title, a.text, a.raw_text,
            a.raw, a.raw_format, a.origin, a.date, a.date_source, a.date_confidence, a.lang,
            version, supersedes, json.dumps(a.metadata, ensure_ascii=False, default=str),
            json.dumps([e.as_dict() for e in a.edits], ensure_ascii=False),
            a.ingested_at or now,
            json.dumps(a.analysis, ensure_ascii=False) if a.analysis is not None else None)


_SUMMARY = ("id", "url", "outlet", "credited_source", "author", "title", "text", "origin", "date",
            "date_source", "date_confidence", "lang", "version", "supersedes", "ingested_at")


def _columns(full: bool, table: str) -> str:
    return f"{table}.*" if full else ", ".join(f"{table}.{c}" for c in _SUMMARY)


def _to_summary(r: sqlite3.Row) -> Article:
    """An article for a listing: no raw input, edits, analysis or metadata."""
    return Article(
        id=r["id"], text=r["text"], raw_text="", origin=r["origin"], title=r["title"],
        url=r["url"], outlet=r["outlet"], credited_source=r["credited_source"],
        author=r["author"], date=r["date"], date_source=r["date_source"],
        date_confidence=r["date_confidence"], lang=r["lang"], version=r["version"],
        supersedes=r["supersedes"], ingested_at=r["ingested_at"])


def _to_article(r: sqlite3.Row) -> Article:
    return Article(
        id=r["id"], text=r["text"], raw_text=r["raw_text"], origin=r["origin"], raw=r["raw"],
        raw_format=r["raw_format"], title=r["title"], url=r["url"], outlet=r["outlet"],
        credited_source=r["credited_source"], author=r["author"], date=r["date"],
        date_source=r["date_source"], date_confidence=r["date_confidence"], lang=r["lang"],
        version=r["version"], supersedes=r["supersedes"], metadata=json.loads(r["metadata"]),
        edits=tuple(Edit(**e) for e in json.loads(r["edits"])), ingested_at=r["ingested_at"],
        analysis=json.loads(r["analysis"]) if r["analysis"] else None)


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


def _canonical(id_: str, name: str, label: str, aliases: str, counts: str | None) -> Canonical:
    return Canonical(id_, name, label, tuple(json.loads(aliases)),
                     counts=tuple(json.loads(counts or "{}").items()))
