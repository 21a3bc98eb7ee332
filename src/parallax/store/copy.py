"""Copy a whole store into another (``parallax migrate``): SQLite to PostgreSQL and back.

Table by table, rows as they are (arrival numbers, ids, saved stage state and reports), in
one transaction on the target: an interrupted copy leaves the target as it was, and the
command can be run again. The target must hold no articles. Afterwards the row counts of
every table and a checksum of every article's id and text are compared on both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from ..errors import StoreError
from .base import Store
from .sql import TABLES

BATCH = 1000  # rows written at a time


@dataclass
class CopyReport:
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (source, target)
    source_checksum: str = ""
    target_checksum: str = ""

    @property
    def same(self) -> bool:
        return self.source_checksum == self.target_checksum and all(
            a == b for a, b in self.tables.values())


def copy_store(source: Store, target: Store,
               notify: Callable[[str, object], None] | None = None) -> CopyReport:
    """Copy ``source`` into the empty ``target``; ``notify`` hears ("copied", (done, total))
    in rows."""
    notify = notify or (lambda kind, payload: None)
    if target.count_rows("articles"):
        raise StoreError("the target store already holds articles", code="E214",
                         advice="copy into a new, empty database")
    counts = {table: source.count_rows(table) for table in TABLES}
    total, done = sum(counts.values()), 0
    with target.transaction():
        for table in TABLES:
            rows = source.table_rows(table)
            while batch := list(islice(rows, BATCH)):
                target.load_rows(table, batch)
                done += len(batch)
                notify("copied", (done, total))
    report = CopyReport(tables={t: (counts[t], target.count_rows(t)) for t in TABLES})
    report.source_checksum = source.articles_checksum()
    report.target_checksum = target.articles_checksum()
    return report
