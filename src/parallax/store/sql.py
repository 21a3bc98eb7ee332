"""What the SQL backends share: every query that SQLite and PostgreSQL answer alike.

The queries are written once, in standard SQL with ``?`` placeholders (upserts with
``ON CONFLICT``, ``CASE`` rather than boolean arithmetic). A backend subclasses
:class:`SQLStore` and supplies its connection (``_run``, ``_run_many``), its write
transactions (``_writing``), its full-text search (``_text_match``), its corpus vocabulary and
the few spellings that differ (:class:`Dialect`).
"""

from __future__ import annotations

import hashlib
import json
from abc import abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import NotFoundError, StoreError
from ..outlets import Speaker, count_voices, outlet_names
from ..records import Article, CanonicalEntity as Canonical, Edit, LineageMember, Story
from ..textutil import count_cases
from .base import AddResult, CoverageRow, Outcome, Store, StoryAssignment, StoryFilter
from .lineage import LineageIndex

COLUMNS = ("id", "url", "outlet", "credited_source", "author", "title", "text", "raw_text",
           "raw", "raw_format", "origin", "date", "date_source", "date_confidence", "lang",
           "version", "supersedes", "metadata", "edits", "ingested_at", "analysis")

# Every table a store keeps, in an order that satisfies the foreign keys, with its columns:
# what `parallax migrate` copies (the same names in every backend).
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("seq", *COLUMNS, "latest"),
    "entities": ("id", "name", "label", "aliases", "alias_counts"),
    "entity_names": ("entity_id", "name_key", "last_token", "first_token"),
    "article_entities": ("article_id", "local_key", "entity_id"),
    "stories": ("id", "title", "size", "sources", "first_date", "last_date", "outlets"),
    "story_articles": ("article_id", "story_id", "lineage_id", "is_origin"),
    "lineage_members": ("article_id", "group_id", "arrival", "date", "outlet", "credited_source",
                        "length", "is_origin"),
    "lineage_bands": ("band", "key", "article_id"),
    "stage_state": ("name", "value"),
    "story_reports": ("story_id", "key", "report"),
}
TABLE_ORDER: dict[str, str] = {"articles": "seq", "entities": "id", "entity_names": "entity_id, name_key",
                               "article_entities": "article_id, local_key", "stories": "id",
                               "story_articles": "article_id", "lineage_members": "article_id",
                               "lineage_bands": "article_id, band", "stage_state": "name",
                               "story_reports": "story_id"}

PAGE = 500  # rows read at a time by the iterators (bounded memory on any archive)


@dataclass(frozen=True)
class TextMatch:
    """How a backend finds the articles whose title or text hold every term: ``source`` is a
    FROM fragment that names the articles ``a``; ``condition`` and ``rank`` (best first) are
    SQL over it, with their parameters."""

    source: str
    condition: str
    params: list = field(default_factory=list)
    rank: str = "a.seq"
    rank_params: list = field(default_factory=list)


@dataclass(frozen=True)
class Dialect:
    contains: str  # SQL for "{0} contains {1}"
    nulls_last: str  # appended to a descending sort so that NULLs come last


class SQLStore(Store):
    """The shared body of the SQL backends (see the module docstring)."""

    dialect: Dialect
    name: str  # how errors name the database (a path, or a URL without its password)

    # -- what a backend supplies -------------------------------------------------------------
    @abstractmethod
    def _run(self, sql: str, params: Sequence = ()):
        """Execute one statement (``?`` placeholders); returns a cursor whose rows answer both
        ``row[0]`` and ``row["column"]``."""

    @abstractmethod
    def _run_many(self, sql: str, rows: Iterable[Sequence]) -> None: ...

    @abstractmethod
    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """One write transaction (joined when one is open); database errors become a
        StoreError naming ``what``."""

    @abstractmethod
    def _text_match(self, text: str) -> TextMatch | None:
        """The full-text search for every word of ``text``; None when it holds no searchable
        word."""

    # -- articles --------------------------------------------------------------------------------
    def add_article(self, article: Article) -> AddResult:
        if self.has_article(article.id):
            return AddResult(Outcome.DUPLICATE, article.id)
        with self._writing(f"cannot store article {article.id}"):
            previous = None
            version = 1
            if article.url:
                row = self._run("SELECT id, version FROM articles WHERE url=? AND latest=1 "
                                "ORDER BY version DESC LIMIT 1", (article.url,)).fetchone()
                if row:
                    previous, version = row["id"], row["version"] + 1
            values = row_values(article, version=version, supersedes=previous)
            inserted = self._run(
                f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)}) "
                "ON CONFLICT(id) DO NOTHING RETURNING seq", values).fetchall()
            if not inserted:  # another process stored it since the check above
                return AddResult(Outcome.DUPLICATE, article.id)
            if previous:
                self._run("UPDATE articles SET latest=0 WHERE id=?", (previous,))
        if previous:
            return AddResult(Outcome.NEW_VERSION, article.id, previous)
        return AddResult(Outcome.STORED, article.id)

    def has_article(self, article_id: str) -> bool:
        return self._run("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def get_article(self, id_or_prefix: str) -> Article:
        rows = self._run("SELECT * FROM articles WHERE id=?", (id_or_prefix,)).fetchall() \
            or self._run("SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY seq LIMIT 2",
                         prefix_range(id_or_prefix)).fetchall()
        if not rows:
            raise NotFoundError(f"no article {id_or_prefix!r}",
                                advice="`parallax articles` lists the ids")
        if len(rows) > 1 and rows[0]["id"] != id_or_prefix:
            raise NotFoundError(f"article id prefix {id_or_prefix!r} is ambiguous",
                                advice="give more characters", code="E205")
        return to_article(rows[0])

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        found: dict[str, Article] = {}
        unique = list(dict.fromkeys(article_ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            for row in self._run(f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                 chunk):
                found[row["id"]] = to_article(row)
        missing = [aid for aid in unique if aid not in found]
        if missing:
            raise NotFoundError(f"no article {missing[0]!r}", advice="`parallax articles` lists the ids")
        return [found[aid] for aid in article_ids]

    def iter_articles(self, *, latest_only: bool = True) -> Iterator[Article]:
        for _seq, article in self._pages(0, None, latest_only=latest_only):
            yield article

    def iter_articles_since(self, seq: int, *, upto: int | None = None
                            ) -> Iterator[tuple[int, Article]]:
        return self._pages(seq, upto, latest_only=True)

    def _pages(self, seq: int, upto: int | None, *, latest_only: bool
               ) -> Iterator[tuple[int, Article]]:
        """Articles after ``seq`` in arrival order, read a page at a time by their sequence
        number: no cursor stays open between pages, and memory holds one page."""
        latest = "latest=1 AND " if latest_only else ""
        while True:
            rows = self._run(f"SELECT * FROM articles WHERE {latest}seq>? AND seq<=? ORDER BY seq "
                             "LIMIT ?", (seq, upto if upto is not None else 2**62, PAGE)).fetchall()
            for row in rows:
                yield row["seq"], to_article(row)
            if len(rows) < PAGE:
                return
            seq = rows[-1]["seq"]

    def list_articles(self, *, limit: int | None = None, offset: int = 0,
                      latest_only: bool = True, full: bool = True) -> list[Article]:
        where = "WHERE latest=1" if latest_only else ""
        rows = self._run(f"SELECT {columns(full, 'articles')} FROM articles {where} "
                         "ORDER BY seq DESC LIMIT ? OFFSET ?",
                         (2**62 if limit is None else limit, offset))
        return [(to_article if full else to_summary)(r) for r in rows]

    def last_seq(self) -> int:
        return self._run("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]

    def count_articles(self, *, latest_only: bool = True, upto: int | None = None) -> int:
        where = ["latest=1"] if latest_only else []
        params: tuple = ()
        if upto is not None:
            where.append("seq<=?")
            params = (upto,)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self._run(f"SELECT count(*) FROM articles {clause}", params).fetchone()[0]

    def search_articles(self, query: str, *, limit: int = 50, full: bool = True) -> list[Article]:
        match = self._text_match(query)
        if match is None:
            return []
        rows = self._run(
            f"SELECT {columns(full, 'a')} FROM {match.source} WHERE {match.condition} AND "
            f"a.latest=1 ORDER BY {match.rank}, a.seq LIMIT ?",
            [*match.params, *match.rank_params, limit])
        return [(to_article if full else to_summary)(r) for r in rows]

    # -- canonical entities ------------------------------------------------------------------
    def entity_candidates(self, name_keys: list[str], last_tokens: list[str]) -> list[Canonical]:
        return self.entity_candidates_many([(name_keys, last_tokens)])[0]

    def entity_candidates_many(self, queries: Sequence[tuple[list[str], list[str]]]) -> list[list[Canonical]]:
        """One query for every name of the batch, then each query's rows picked out here by
        the same three conditions :meth:`entity_candidates` asks the database."""
        wanted = [(set(keys), set(lasts), {k.split()[0] for k in keys if k}) for keys, lasts in queries]
        all_keys = sorted(set().union(*(k for k, _l, _f in wanted))) if wanted else []
        all_lasts = sorted(set().union(*(l for _k, l, _f in wanted))) if wanted else []
        all_firsts = sorted(set().union(*(f for _k, _l, f in wanted))) if wanted else []
        if not all_keys and not all_lasts:
            return [[] for _ in queries]
        keys_in, p1 = self._in("n.name_key", all_keys)
        lasts_in, p2 = self._in("n.last_token", all_lasts)
        firsts_in, p3 = self._in("n.first_token", all_firsts)
        rows = self._run(
            "SELECT e.id, e.name, e.label, e.aliases, e.alias_counts, n.name_key, n.last_token, "
            f"n.first_token FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE "
            f"{keys_in} OR {lasts_in} OR {firsts_in}", [*p1, *p2, *p3]).fetchall()
        out = []
        for (keys, lasts, firsts), (qkeys, qlasts) in zip(wanted, queries):
            if not qkeys and not qlasts:
                out.append([])
                continue
            hit = {r[0]: r for r in rows if r[5] in keys or r[6] in lasts or r[7] in firsts}
            out.append([canonical(*hit[i][:5]) for i in sorted(hit)])
        return out

    def _in(self, column: str, values: Sequence) -> tuple[str, list]:
        """``column IN (values)`` and its parameters (never matching for no values)."""
        if not values:
            return "1=0", []
        return f"{column} IN ({','.join('?' * len(values))})", list(values)

    def entity_cooccurrence(self, entity_ids: list[str], context_ids: list[str]) -> dict[str, int]:
        if not entity_ids or not context_ids:
            return {}
        q = ("SELECT a.entity_id, COUNT(DISTINCT a.article_id) FROM article_entities a "
             "WHERE a.entity_id IN ({}) AND a.article_id IN (SELECT article_id FROM "
             "article_entities WHERE entity_id IN ({})) GROUP BY a.entity_id").format(
                 ",".join("?" * len(entity_ids)), ",".join("?" * len(context_ids)))
        return {r[0]: r[1] for r in self._run(q, [*entity_ids, *context_ids]).fetchall()}

    def save_entity_links(self, article_id: str, links: list[tuple[str, Canonical]]) -> None:
        with self._writing("cannot save entities"):
            for local_key, ent in links:
                self._save_entity(ent)
                self._run("INSERT INTO article_entities(article_id, local_key, entity_id) "
                          "VALUES (?, ?, ?) ON CONFLICT(article_id, local_key) DO UPDATE SET "
                          "entity_id=excluded.entity_id", (article_id, local_key, ent.id))

    def merge_entities(self, old_id: str, into: Canonical) -> None:
        with self._writing("cannot merge entities"):
            self._save_entity(into)
            self._run("UPDATE article_entities SET entity_id=? WHERE entity_id=?", (into.id, old_id))
            self._run("DELETE FROM entity_names WHERE entity_id=?", (old_id,))
            self._run("DELETE FROM entities WHERE id=?", (old_id,))

    def _save_entity(self, ent: Canonical) -> None:
        self._run("INSERT INTO entities(id, name, label, aliases, alias_counts) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET aliases=excluded.aliases, name=excluded.name, "
                  "alias_counts=excluded.alias_counts",
                  (ent.id, ent.name, ent.label, json.dumps(list(ent.aliases), ensure_ascii=False),
                   json.dumps(dict(ent.counts), ensure_ascii=False)))
        self._run("DELETE FROM entity_names WHERE entity_id=?", (ent.id,))
        self._run_many("INSERT INTO entity_names(entity_id, name_key, last_token, first_token) "
                       "VALUES (?, ?, ?, ?)",
                       [(ent.id, k, last, k.split()[0] if k else "") for k, last in ent.lookup])

    def article_entity_ids(self, article_id: str) -> dict[str, Canonical]:
        rows = self._run(
            "SELECT a.local_key, e.id, e.name, e.label, e.aliases, e.alias_counts FROM article_entities a "
            "JOIN entities e ON e.id = a.entity_id WHERE a.article_id=?", (article_id,))
        return {r[0]: canonical(*r[1:]) for r in rows}

    def count_entities(self) -> int:
        return self._run("SELECT COUNT(*) FROM entities").fetchone()[0]

    def clear_entity_links(self) -> None:
        with self._writing("cannot clear entities"):
            for table in ("article_entities", "entity_names", "entities"):
                self._run(f"DELETE FROM {table}")

    def update_analysis(self, article_id: str, analysis: dict) -> None:
        with self._writing("cannot save the analysis"):
            self._run("UPDATE articles SET analysis=? WHERE id=?",
                      (json.dumps(analysis, ensure_ascii=False), article_id))

    # -- stories ---------------------------------------------------------------------------------
    def save_assignments(self, assignments: Sequence[StoryAssignment], titles: dict[str, str],
                         *, replace_all: bool = False) -> None:
        with self._writing("cannot save stories"):
            touched = None if replace_all else (
                {a.story_id for a in assignments} | set(titles)
                | set(self.stories_of([a.article_id for a in assignments]).values()))
            if replace_all:
                self._run("DELETE FROM story_articles")
                self._run("DELETE FROM stories")
            self._run_many("INSERT INTO stories(id, title) VALUES (?, ?) "
                           "ON CONFLICT(id) DO UPDATE SET title=excluded.title", titles.items())
            self._run_many(
                "INSERT INTO story_articles(article_id, story_id, lineage_id, is_origin) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "story_id=excluded.story_id, lineage_id=excluded.lineage_id, "
                "is_origin=excluded.is_origin",
                [(a.article_id, a.story_id, a.lineage_id, int(a.is_origin)) for a in assignments])
            self._run("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)")
            self._run("DELETE FROM story_reports WHERE story_id NOT IN (SELECT id FROM stories)")
            self._save_story_stats(self._stories(ids=touched))

    def _save_story_stats(self, stories: list[Story]) -> None:
        self._run_many(
            "UPDATE stories SET size=?, sources=?, first_date=?, last_date=?, outlets=? WHERE id=?",
            [(st.size, st.independent_sources, st.first_date, st.last_date,
              "\n".join(st.outlets), st.id) for st in stories])

    def coverage(self) -> list[CoverageRow]:
        rows = self._run(
            "SELECT a.outlet, a.credited_source, sa.story_id, substr(a.date, 1, 7), count(*) "
            "FROM articles a LEFT JOIN story_articles sa ON sa.article_id=a.id WHERE a.latest=1 "
            "GROUP BY 1, 2, 3, 4")
        return [CoverageRow(*r) for r in rows]

    def report_key(self, story_id: str) -> str | None:
        row = self._run("SELECT key FROM story_reports WHERE story_id=?", (story_id,)).fetchone()
        return row[0] if row else None

    def get_report(self, story_id: str, key: str) -> bytes | None:
        row = self._run("SELECT report FROM story_reports WHERE story_id=? AND key=?",
                        (story_id, key)).fetchone()
        return bytes(row[0]) if row else None

    def put_report(self, story_id: str, key: str, report: bytes) -> None:
        with self._writing("cannot save a story report"):
            self._run("INSERT INTO story_reports(story_id, key, report) VALUES (?, ?, ?) "
                      "ON CONFLICT(story_id) DO UPDATE SET key=excluded.key, "
                      "report=excluded.report", (story_id, key, report))

    def clear_reports(self) -> None:
        with self._writing("cannot clear story reports"):
            self._run("DELETE FROM story_reports")

    def count_stories(self) -> int:
        return self._run("SELECT count(*) FROM stories").fetchone()[0]

    def query_stories(self, query: StoryFilter) -> tuple[int, list[Story]]:
        where, params = [], []
        match = self._text_match(query.text or "")
        if match is not None:
            where.append(f"s.id IN (SELECT sa.story_id FROM {match.source} JOIN story_articles sa "
                         f"ON sa.article_id=a.id WHERE {match.condition} AND a.latest=1)")
            params.extend(match.params)
        elif query.text and query.text.strip():
            return 0, []  # terms that hold no searchable word match nothing
        contains = self.dialect.contains.format("lower(s.outlets)", "lower(?)")
        for value, condition in ((query.outlet, contains),
                                 (query.min_sources, "s.sources >= ?"),
                                 (query.min_size, "s.size >= ?"),
                                 (query.max_size, "s.size <= ?"),
                                 (query.date_from, "coalesce(s.last_date, '') >= ?"),
                                 (query.date_to, "s.first_date IS NOT NULL AND s.first_date <= ?")):
            if value:
                where.append(condition)
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        last = self.dialect.nulls_last  # undated stories come last
        order = {"recent": f"s.last_date DESC{last}, s.size DESC, s.id DESC",
                 "size": "s.size DESC, s.sources DESC, s.id DESC",
                 "sources": "s.sources DESC, s.size DESC, s.id DESC"}.get(query.sort)
        if order is None:
            raise StoreError(f"unknown sort {query.sort!r}", advice="recent, size or sources",
                             code="E206")
        total = self._run(f"SELECT count(*) FROM stories s {clause}", params).fetchone()[0]
        ids = [r[0] for r in self._run(
            f"SELECT s.id FROM stories s {clause} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset])]
        found = {st.id: st for st in self._stories(ids=set(ids))}
        return total, [found[i] for i in ids if i in found]

    def assignments(self, story_id: str | None = None) -> list[StoryAssignment]:
        where, params = ("WHERE s.story_id=?", (story_id,)) if story_id else ("", ())
        rows = self._run(
            "SELECT s.article_id, s.story_id, s.lineage_id, s.is_origin FROM story_articles s "
            f"JOIN articles a ON a.id=s.article_id {where} ORDER BY a.seq", params)
        return [StoryAssignment(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def count_unassigned(self) -> int:
        return self._run(
            "SELECT count(*) FROM articles a WHERE a.latest=1 AND NOT EXISTS "
            "(SELECT 1 FROM story_articles sa WHERE sa.article_id=a.id)").fetchone()[0]

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return self._pairs_by_id("SELECT article_id, story_id FROM story_articles "
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
            where, params = ("WHERE s.id >= ? AND s.id < ?", prefix_range(prefix)) \
                if prefix is not None else ("", ())
        rows = self._run(
            "SELECT s.id AS story_id, s.title AS story_title, a.id, a.outlet, a.credited_source, "
            "a.origin, a.date, sa.lineage_id FROM stories s "
            "JOIN story_articles sa ON sa.story_id=s.id JOIN articles a ON a.id=sa.article_id "
            f"{where} ORDER BY a.seq", params)
        groups: dict[str, list] = defaultdict(list)
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
    def lineage_index(self) -> "SQLLineageIndex":
        return SQLLineageIndex(self)

    def get_state(self, name: str) -> bytes | None:
        row = self._run("SELECT value FROM stage_state WHERE name=?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def put_state(self, name: str, value: bytes) -> None:
        with self._writing("cannot save the stage state"):
            self._run("INSERT INTO stage_state(name, value) VALUES (?, ?) ON CONFLICT(name) "
                      "DO UPDATE SET value=excluded.value", (name, value))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writing("cannot save"):
            yield

    # -- whole tables (parallax migrate) -----------------------------------------------------
    def table_rows(self, table: str) -> Iterator[tuple]:
        """Every row of one of :data:`TABLES`, in a stable order, a page at a time."""
        cols, order = TABLES[table], TABLE_ORDER[table]
        offset = 0
        while True:
            rows = self._run(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order} "
                             "LIMIT ? OFFSET ?", (PAGE * 4, offset)).fetchall()
            for r in rows:
                yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
            if len(rows) < PAGE * 4:
                return
            offset += len(rows)

    def load_rows(self, table: str, rows: Iterable[tuple]) -> None:
        """Write rows of one of :data:`TABLES` as they are (inside :meth:`transaction`)."""
        cols = TABLES[table]
        self._run_many(f"INSERT INTO {table} ({', '.join(cols)}) "
                       f"VALUES ({', '.join('?' for _ in cols)})", rows)

    def count_rows(self, table: str) -> int:
        if table not in TABLES:
            raise StoreError(f"no table {table!r}")
        return self._run(f"SELECT count(*) FROM {table}").fetchone()[0]

    def articles_checksum(self) -> str:
        """sha256 over every stored version's id and text, in arrival order."""
        digest = hashlib.sha256()
        for _seq, article in self._pages(0, None, latest_only=False):
            digest.update(article.id.encode())
            digest.update(b"\0")
            digest.update(article.text.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    # -- helpers -------------------------------------------------------------------------------
    def _pairs_by_id(self, query: str, ids: Sequence[str]) -> dict[str, str]:
        """``query`` (two columns, ``IN ({})`` for the ids) over the ids in chunks that stay
        under the bound-parameter limits, as one dict."""
        unique = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            out.update((r[0], r[1]) for r in self._run(
                query.format(",".join("?" * len(chunk))), chunk).fetchall())
        return out


class SQLLineageIndex(LineageIndex):
    """Lineage band keys and groups in the store's tables."""

    def __init__(self, store: SQLStore):
        self.store = store

    def candidates(self, keys: Sequence[int]) -> set[str]:
        if not keys:
            return set()
        # one query, one indexed lookup per band
        where = " OR ".join("(band=? AND key=?)" for _ in keys)
        params = [v for band, key in enumerate(keys) for v in (band, key)]
        return {r[0] for r in self.store._run(
            f"SELECT article_id FROM lineage_bands WHERE {where}", params)}

    def candidate_groups(self, keys: Sequence[int]) -> set[str]:
        if not keys:
            return set()
        # one article a bucket: its group is the bucket's (LineageIndex.candidate_groups)
        first = " UNION ALL ".join("SELECT * FROM (SELECT article_id FROM lineage_bands "
                                   "WHERE band=? AND key=? LIMIT 1) AS b" + str(band)
                                   for band in range(len(keys)))
        params = [v for band, key in enumerate(keys) for v in (band, key)]
        return {r[0] for r in self.store._run(
            f"SELECT DISTINCT m.group_id FROM lineage_members m WHERE m.article_id IN ({first})",
            params)}

    def insert(self, member: LineageMember, keys: Sequence[int], group_id: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.store._run(
                "INSERT INTO lineage_members(article_id, group_id, arrival, date, outlet, "
                "credited_source, length) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO "
                "UPDATE SET group_id=excluded.group_id, arrival=excluded.arrival, date=excluded.date, "
                "outlet=excluded.outlet, credited_source=excluded.credited_source, "
                "length=excluded.length, is_origin=0",
                (member.article_id, group_id, member.arrival, member.date, member.outlet,
                 member.credited_source, member.length))
            self.store._run_many("INSERT INTO lineage_bands(band, key, article_id) VALUES (?, ?, ?)",
                                 [(band, key, member.article_id) for band, key in enumerate(keys)])

    def groups_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return self.store._pairs_by_id("SELECT article_id, group_id FROM lineage_members "
                                       "WHERE article_id IN ({})", article_ids)

    def members(self, group_id: str) -> list[LineageMember]:
        rows = self.store._run("SELECT article_id, arrival, date, outlet, credited_source, length "
                               "FROM lineage_members WHERE group_id=? ORDER BY arrival", (group_id,))
        return [LineageMember(*r) for r in rows]

    # A group's origin from a few rows, not all of its members (a group can hold thousands)
    def origin_pool(self, group_id: str) -> list[LineageMember]:
        cols = "article_id, arrival, date, outlet, credited_source, length"
        earliest = self.store._run("SELECT MIN(date) FROM lineage_members WHERE group_id=? "
                                   "AND date > ''", (group_id,)).fetchone()[0]  # index seeks
        rows = self.store._run(
            f"SELECT {cols} FROM lineage_members WHERE group_id=? AND date=? ORDER BY arrival",
            (group_id, earliest)) if earliest else self.store._run(
            f"SELECT {cols} FROM lineage_members WHERE group_id=? ORDER BY arrival", (group_id,))
        return [LineageMember(*r) for r in rows]

    def credited(self, group_id: str) -> set[str]:
        rows = self.store._run("SELECT DISTINCT credited_source FROM lineage_members WHERE "
                               "group_id=? AND credited_source > ''", (group_id,))
        return {r[0].casefold() for r in rows}

    def member_ids(self, group_id: str) -> list[str]:
        rows = self.store._run("SELECT article_id FROM lineage_members WHERE group_id=? "
                               "ORDER BY arrival", (group_id,))
        return [r[0] for r in rows]

    def regroup(self, old_group: str, new_group: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.store._run("UPDATE lineage_members SET group_id=?, is_origin=0 WHERE group_id=?",
                            (new_group, old_group))

    def origin(self, group_id: str) -> str | None:
        row = self.store._run("SELECT article_id FROM lineage_members WHERE group_id=? AND "
                              "is_origin=1", (group_id,)).fetchone()
        return row[0] if row else None

    def set_origin(self, group_id: str, article_id: str) -> None:
        with self.store._writing("cannot save lineage"):
            self.store._run("UPDATE lineage_members SET is_origin=CASE WHEN article_id=? THEN 1 "
                            "ELSE 0 END WHERE group_id=?", (article_id, group_id))

    def clear(self) -> None:
        with self.store._writing("cannot reset lineage"):
            self.store._run("DELETE FROM lineage_members")
            self.store._run("DELETE FROM lineage_bands")


class CorpusVocabulary:
    """The corpus as the cleaner asks of it (see :mod:`parallax.clean.lexicon`): ``word in
    vocabulary`` (lower-cased) and ``cases(word)``, counted in a sample of the stored texts
    that hold the word. A backend supplies the two queries; words found are remembered (a
    stored article is never unsaid), so a word costs one query per ingest run."""

    SAMPLE = 40  # texts read to count how the corpus writes a word
    KEEP = 50_000  # words remembered

    def __init__(self, has_word, texts_with):
        self._has_word, self._texts_with = has_word, texts_with
        self._known: set[str] = set()
        self._cases: dict[str, tuple[int, int]] = {}

    def cases(self, word: str) -> tuple[int, int]:
        if not word.isalpha():
            return 0, 0
        key = word.lower()
        if key in self._cases:
            return self._cases[key]
        capital = lower = 0
        texts = self._texts_with(key, self.SAMPLE)
        for text in texts:
            c, low = count_cases(text, {key})
            capital += c[key]
            lower += low[key]
        if len(texts) == self.SAMPLE and len(self._cases) < self.KEEP:
            # a full sample is the first SAMPLE texts in arrival order: later articles
            # cannot change it, so the answer is kept
            self._cases[key] = (capital, lower)
        return capital, lower

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = word.lower()
        if key in self._known:
            return True
        found = self._has_word(key)
        if found and len(self._known) < self.KEEP:
            self._known.add(key)
        return found


def prefix_range(value: str) -> tuple[str, str]:
    """Bounds of the ids that start with ``value`` exactly (an index range: no pattern, so
    '%' and '_' are plain characters)."""
    return value, value + "\U0010ffff"


def row_values(a: Article, *, version: int, supersedes: str | None) -> tuple:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return (a.id, a.url, a.outlet, a.credited_source, a.author, a.title, a.text, a.raw_text,
            a.raw, a.raw_format, a.origin, a.date, a.date_source, a.date_confidence, a.lang,
            version, supersedes, json.dumps(a.metadata, ensure_ascii=False, default=str),
            json.dumps([e.as_dict() for e in a.edits], ensure_ascii=False),
            a.ingested_at or now,
            json.dumps(a.analysis, ensure_ascii=False) if a.analysis is not None else None)


SUMMARY = ("id", "url", "outlet", "credited_source", "author", "title", "text", "origin", "date",
           "date_source", "date_confidence", "lang", "version", "supersedes", "ingested_at")


def columns(full: bool, table: str) -> str:
    return f"{table}.*" if full else ", ".join(f"{table}.{c}" for c in SUMMARY)


def to_summary(r) -> Article:
    """An article for a listing: no raw input, edits, analysis or metadata."""
    return Article(
        id=r["id"], text=r["text"], raw_text="", origin=r["origin"], title=r["title"],
        url=r["url"], outlet=r["outlet"], credited_source=r["credited_source"],
        author=r["author"], date=r["date"], date_source=r["date_source"],
        date_confidence=r["date_confidence"], lang=r["lang"], version=r["version"],
        supersedes=r["supersedes"], ingested_at=r["ingested_at"])


def to_article(r) -> Article:
    return Article(
        id=r["id"], text=r["text"], raw_text=r["raw_text"], origin=r["origin"], raw=r["raw"],
        raw_format=r["raw_format"], title=r["title"], url=r["url"], outlet=r["outlet"],
        credited_source=r["credited_source"], author=r["author"], date=r["date"],
        date_source=r["date_source"], date_confidence=r["date_confidence"], lang=r["lang"],
        version=r["version"], supersedes=r["supersedes"], metadata=json.loads(r["metadata"]),
        edits=tuple(Edit(**e) for e in json.loads(r["edits"])), ingested_at=r["ingested_at"],
        analysis=json.loads(r["analysis"]) if r["analysis"] else None)


def canonical(id_: str, name: str, label: str, aliases: str, counts: str | None) -> Canonical:
    return Canonical(id_, name, label, tuple(json.loads(aliases)),
                     counts=tuple(json.loads(counts or "{}").items()))
