"""Storage behind one interface. ``open_store`` picks the backend by the database setting's
scheme, from a registry (like the embedder registry): a path (or ``sqlite:///path``) opens
SQLite, ``postgresql://`` PostgreSQL; another backend registers its scheme."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ConfigError
from .base import AddResult, Outcome, Store, StoryAssignment, StoryFilter
from .sqlite import SQLiteStore

__all__ = ["AddResult", "Outcome", "Store", "StoryAssignment", "StoryFilter", "SQLiteStore",
           "open_store", "register_backend", "backend_of", "shown_name"]


def _sqlite(db: str) -> Store:
    return SQLiteStore(db[len("sqlite:///"):] if db.startswith("sqlite:///") else db)


def _postgres(db: str) -> Store:
    from .postgres import PostgresStore  # psycopg is an optional dependency

    return PostgresStore(db)


BACKENDS: dict[str, Callable[[str], Store]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "postgres": _postgres,
}


def register_backend(scheme: str, opener: Callable[[str], Store]) -> None:
    BACKENDS[scheme] = opener


def backend_of(db: str) -> str:
    """The scheme that picks the backend: ``sqlite`` for a plain path."""
    return db.split("://", 1)[0].lower() if "://" in db else "sqlite"


def shown_name(db: str) -> str:
    """The database as messages show it: a URL without its password."""
    if "@" in db and "://" in db:
        scheme, rest = db.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return db


def open_store(db: str) -> Store:
    scheme = backend_of(db)
    opener = BACKENDS.get(scheme)
    if opener is None:
        raise ConfigError(f"no store for {scheme!r} databases",
                          advice="use a SQLite path such as parallax.db or a "
                                 "postgresql://USER@HOST:PORT/DBNAME URL", code="E002")
    return opener(db)
