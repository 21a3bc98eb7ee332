"""Storage behind one interface. ``open_store`` picks the backend from the database setting:
a path (or ``sqlite:///path``) opens SQLite; other URL schemes are for other backends."""

from __future__ import annotations

from ..errors import ConfigError
from .base import AddResult, Outcome, Store, StoryAssignment, StoryFilter
from .sqlite import SQLiteStore

__all__ = ["AddResult", "Outcome", "Store", "StoryAssignment", "StoryFilter", "SQLiteStore", "open_store"]


def open_store(db: str) -> Store:
    if db.startswith("sqlite:///"):
        return SQLiteStore(db[len("sqlite:///"):])
    if "://" in db:
        scheme = db.split("://", 1)[0]
        raise ConfigError(f"no store for {scheme!r} databases in this version",
                          advice="use a SQLite path such as parallax.db", code="E002")
    return SQLiteStore(db)
