"""The one interface every stage and face uses to reach stored data.

Implementations are chosen by name (see :func:`parallax.store.open_store`): SQLite is the
default; another backend implements this class and nothing above it changes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

from ..records import Article, CanonicalEntity, Story
from .lineage import LineageIndex


class Outcome(str, Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same article is already stored: nothing written
    NEW_VERSION = "new_version"  # same URL, changed text: stored as a new version


@dataclass(frozen=True, slots=True)
class AddResult:
    outcome: Outcome
    article_id: str
    previous_id: str | None = None  # for NEW_VERSION: the version it supersedes


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Which story an article belongs to, and the lineage group inside the story."""

    article_id: str
    story_id: str
    lineage_id: str | None = None
    is_origin: bool = True


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """How many current articles one outlet (as stored) gave one story in one month."""

    outlet: str | None
    credited_source: str | None
    story_id: str | None
    month: str | None  # YYYY-MM of the article's date, None when undated
    articles: int


@dataclass(frozen=True)
class StoryFilter:
    """What a story listing asks: ``text`` (full-text terms one article of the story must
    all match), an outlet name part, a date range the story overlaps, bounds on its
    independent sources and articles, a sort (recent | size | sources, largest first) and a
    page."""

    text: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "recent"
    offset: int = 0
    limit: int = 20
    min_sources: int = 0  # at least this many independent sources
    min_size: int = 0  # at least this many articles (0: any)
    max_size: int = 0  # at most this many articles (0: any)


class Store(ABC):
    # -- articles -----------------------------------------------------------------------------
    @abstractmethod
    def add_article(self, article: Article) -> AddResult:
        """Store one article durably (committed before returning)."""

    @abstractmethod
    def has_article(self, article_id: str) -> bool:
        """Whether an article with exactly this id is stored (a cheap check before the
        expensive stages)."""

    @abstractmethod
    def get_article(self, id_or_prefix: str) -> Article:
        """One article by id or unique id prefix; raises NotFoundError."""

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        """Articles by their exact ids, in that order (a backend answers in few queries;
        an unknown id raises NotFoundError)."""
        return [self.get_article(aid) for aid in article_ids]

    @abstractmethod
    def iter_articles(self, *, latest_only: bool = True) -> Iterator[Article]:
        """All articles in arrival order."""

    @abstractmethod
    def list_articles(self, *, limit: int | None = None, offset: int = 0,
                      latest_only: bool = True, full: bool = True) -> list[Article]:
        """A page of articles, newest arrival first; ``full=False`` for listings leaves out
        what only one article's page shows (raw input, edits, analysis, metadata)."""

    @abstractmethod
    def iter_articles_since(self, seq: int, *, upto: int | None = None
                            ) -> Iterator[tuple[int, Article]]:
        """(sequence number, article) for the latest versions that arrived after ``seq`` (and
        not after ``upto``), in arrival order; read a page at a time, with no read left open
        between pages, so the caller may write while it iterates."""

    @abstractmethod
    def last_seq(self) -> int:
        """The sequence number of the newest arrival (0 for an empty store)."""

    @abstractmethod
    def count_articles(self, *, latest_only: bool = True, upto: int | None = None) -> int:
        """How many articles (that arrived up to sequence number ``upto``)."""

    @abstractmethod
    def search_articles(self, query: str, *, limit: int = 50, full: bool = True) -> list[Article]:
        """Full-text search over titles and texts, best match first (``full`` as in
        :meth:`list_articles`)."""

    @abstractmethod
    def vocabulary(self) -> Container[str]:
        """The stored corpus as the cleaner asks of it: ``word in store.vocabulary()`` (lower
        case), and, where the backend can count them, ``cases(word)``: how often the stored
        texts write the word capitalised inside a sentence and how often in lower case (see
        :mod:`parallax.clean.lexicon`)."""

    # -- canonical entities ------------------------------------------------------------------
    @abstractmethod
    def entity_candidates(self, name_keys: list[str], last_tokens: list[str]) -> list:
        """Stored canonical entities with one of these folded names or last words."""

    def entity_candidates_many(self, queries: Sequence[tuple[list[str], list[str]]]) -> list[list]:
        """:meth:`entity_candidates` for several (name keys, last words) at once, in one
        round trip where the backend can."""
        return [self.entity_candidates(keys, lasts) for keys, lasts in queries]

    @abstractmethod
    def merge_entities(self, old_id: str, into: "CanonicalEntity") -> None:
        """Two canonical entities are one: every link to ``old_id`` moves to ``into`` (saved with
        its aliases), and ``old_id`` is gone."""

    @abstractmethod
    def save_entity_links(self, article_id: str, links: list) -> None:
        """Record (local key, canonical entity) pairs for an article, creating or updating
        the canonical entities (their aliases)."""

    def entity_cooccurrence(self, entity_ids: list[str], context_ids: list[str]) -> dict[str, int]:
        """For each of ``entity_ids``: in how many stored articles it appears beside one of
        ``context_ids``. A backend without it answers {} (bare surnames then link only when
        one stored person has them)."""
        return {}

    @abstractmethod
    def article_entity_ids(self, article_id: str) -> dict:
        """Local key -> canonical entity, for one article."""

    @abstractmethod
    def count_entities(self) -> int:
        """How many canonical entities the store holds."""

    @abstractmethod
    def clear_entity_links(self) -> None:
        """Forget every canonical entity and link (before relinking the whole store)."""

    @abstractmethod
    def update_analysis(self, article_id: str, analysis: dict) -> None:
        """Replace one stored article's analysis (its text and everything else stay)."""

    # -- stories ------------------------------------------------------------------------------
    @abstractmethod
    def save_assignments(self, assignments: Sequence[StoryAssignment],
                         titles: dict[str, str], *, replace_all: bool = False) -> None:
        """Record story membership (and story titles); ``replace_all`` rebuilds from scratch."""

    @abstractmethod
    def assignments(self, story_id: str | None = None) -> list[StoryAssignment]:
        """Every article's story (or only one story's articles), in arrival order."""

    @abstractmethod
    def count_unassigned(self) -> int:
        """Current articles in no story (left so by an interrupted run)."""

    @abstractmethod
    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> story id, for these articles only."""

    @abstractmethod
    def list_stories(self) -> list[Story]: ...

    @abstractmethod
    def count_stories(self) -> int: ...

    # whether data_version() is one number for every connection (so answers cached under it
    # may be shared between connections), or each connection's own count
    versions_shared = False

    @abstractmethod
    def data_version(self) -> int:
        """A number that changes when another connection has changed the data (answers
        cached on this connection are stale then)."""

    # -- saved story reports ------------------------------------------------------------------
    @abstractmethod
    def report_key(self, story_id: str) -> str | None:
        """The key the story's saved report was made for, or None."""

    @abstractmethod
    def get_report(self, story_id: str, key: str) -> bytes | None:
        """The story's saved report when it was made for ``key``, else None."""

    @abstractmethod
    def put_report(self, story_id: str, key: str, report: bytes) -> None: ...

    @abstractmethod
    def clear_reports(self) -> None:
        """Forget every saved report (after a change the keys cannot see, e.g. a relink)."""

    @abstractmethod
    def coverage(self) -> list[CoverageRow]:
        """Article counts by outlet, story and month (the coverage view's input)."""

    @abstractmethod
    def query_stories(self, query: StoryFilter) -> tuple[int, list[Story]]:
        """(how many stories match, the page of them), filtered, sorted and paged by the
        store: the cost follows the page, not the archive."""

    @abstractmethod
    def get_story(self, id_or_prefix: str) -> Story:
        """One story by id or unique prefix; raises NotFoundError."""

    # -- stage state ---------------------------------------------------------------------------
    @abstractmethod
    def lineage_index(self) -> LineageIndex:
        """The lineage stage's band keys and groups, kept in this store."""

    @abstractmethod
    def get_state(self, name: str) -> bytes | None:
        """A stage's saved state (opaque bytes), or None."""

    @abstractmethod
    def put_state(self, name: str, value: bytes) -> None: ...

    # -- whole tables (`parallax migrate`, see :mod:`parallax.store.copy`) ---------------------
    def table_rows(self, table: str) -> Iterator[tuple]:
        """Every row of one of the store's tables (``store.sql.TABLES``), in a stable order."""
        raise NotImplementedError(f"{type(self).__name__} cannot be copied")

    def load_rows(self, table: str, rows: Iterable[tuple]) -> None:
        """Write rows as :meth:`table_rows` gave them (inside :meth:`transaction`)."""
        raise NotImplementedError(f"{type(self).__name__} cannot be copied")

    def count_rows(self, table: str) -> int:
        raise NotImplementedError(f"{type(self).__name__} cannot be copied")

    def articles_checksum(self) -> str:
        """A digest of every stored version's id and text, in arrival order."""
        raise NotImplementedError(f"{type(self).__name__} cannot be copied")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside is kept together or not at all (a backend without
        transactions may leave this as is)."""
        yield

    # -- lifecycle ----------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
