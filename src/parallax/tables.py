"""Stories, facts and articles as flat tables for pandas, R and spreadsheets: CSV (always)
or Parquet (with pyarrow). One row per story, per fact, per article; every fact row keeps
the article and sentence it came from. Statuses are given twice: the stable machine value
(``status``: single_source) and the label people read (``status_label``: single source)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ConfigError

FORMATS = ("csv", "parquet")
STORY_COLUMNS = ("story_id", "title", "articles", "independent_sources", "outlets",
                 "first_date", "last_date", "facts", "corroborated", "conflicts",
                 "single_source")
FACT_COLUMNS = ("story_id", "fact", "status", "status_label", "independent_sources", "sources",
                "text", "article_id", "sentence", "finding", "finding_why", "told_similarly")
ARTICLE_COLUMNS = ("story_id", "article_id", "outlet", "credited_source", "title", "date",
                   "date_source", "url", "lang", "origin", "source")  # source: the independent source (voice) it counts for


def story_row(d: dict[str, Any]) -> dict[str, Any]:
    statuses = [f["status"] for f in d.get("facts", [])]
    return {"story_id": d["id"], "title": d["title"], "articles": d["size"],
            "independent_sources": d["independent_sources"], "outlets": "; ".join(d["outlets"]),
            "first_date": d["first_date"], "last_date": d["last_date"], "facts": len(statuses),
            "corroborated": statuses.count("corroborated"), "conflicts": statuses.count("conflict"),
            "single_source": statuses.count("single_source")}


def fact_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    from .compare.report import findings_shown, status_label

    rows = []
    for n, f in enumerate(d.get("facts", [])):
        first = (f.get("evidence") or [{}])[0]
        shown = findings_shown(f)
        rows.append({
            "story_id": d["id"], "fact": n, "status": f["status"], "status_label": status_label(f),
            "independent_sources": f["independent_sources"], "sources": "; ".join(f["sources"]),
            "text": f["text"], "article_id": first.get("article"), "sentence": first.get("sentence"),
            "finding": shown[0]["type"] if shown else None,
            "finding_why": shown[0].get("why") if shown else None,
            "told_similarly": len(f.get("told_similarly") or [])})
    return rows


def article_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    source_of = {m["id"]: ", ".join(s["names"]) for s in d.get("sources", [])
                 for m in s.get("articles", [])}
    return [{"story_id": d["id"], "article_id": a["id"], "outlet": a.get("outlet"),
             "credited_source": a.get("credited_source"), "title": a.get("title"),
             "date": a.get("date"), "date_source": a.get("date_source"), "url": a.get("url"),
             "lang": a.get("lang"), "origin": a.get("origin"), "source": source_of.get(a["id"])}
            for a in d.get("articles", [])]


class TableWriter:
    """Writes the three tables into a folder, a story at a time (a Parquet file is written
    in row groups, so an archive's tables never sit whole in memory)."""

    def __init__(self, folder: str | Path, fmt: str):
        if fmt not in FORMATS:
            raise ConfigError(f"unknown table format {fmt!r}", advice="use csv or parquet")
        self.folder, self.fmt = Path(folder), fmt
        if fmt == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise ConfigError("Parquet needs pyarrow", code="E003",
                                  advice="pip install 'parallax[parquet]' (or use --format csv)") from None
        self.folder.mkdir(parents=True, exist_ok=True)
        self._sinks: dict[str, Any] = {}
        self.paths: list[Path] = []

    def add(self, report: dict[str, Any]) -> None:
        self._write("stories", STORY_COLUMNS, [story_row(report)])
        self._write("facts", FACT_COLUMNS, fact_rows(report))
        self._write("articles", ARTICLE_COLUMNS, article_rows(report))

    def close(self) -> list[Path]:
        for name, columns in (("stories", STORY_COLUMNS), ("facts", FACT_COLUMNS),
                              ("articles", ARTICLE_COLUMNS)):
            if name not in self._sinks:  # an empty table still has its header
                self._write(name, columns, [])
        for sink in self._sinks.values():
            sink.close()
        return self.paths

    def _write(self, name: str, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
        rows = list(rows)
        sink = self._sinks.get(name)
        if sink is None:
            path = self.folder / f"{name}.{self.fmt}"
            sink = self._sinks[name] = (_CsvSink if self.fmt == "csv" else _ParquetSink)(path, columns)
            self.paths.append(path)
        sink.write(rows)


class _CsvSink:
    def __init__(self, path: Path, columns: tuple[str, ...]):
        self.fh = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.fh, fieldnames=columns)
        self.writer.writeheader()

    def write(self, rows: list[dict]) -> None:
        self.writer.writerows(rows)

    def close(self) -> None:
        self.fh.close()


class _ParquetSink:
    TYPES = {"articles": "int64", "independent_sources": "int64", "facts": "int64",
             "corroborated": "int64", "conflicts": "int64", "single_source": "int64",
             "fact": "int64", "sentence": "int64", "told_similarly": "int64"}

    def __init__(self, path: Path, columns: tuple[str, ...]):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema([(c, pa.int64() if c in self.TYPES else pa.string())
                                 for c in columns])
        self.writer = pq.ParquetWriter(path, self.schema)

    def write(self, rows: list[dict]) -> None:
        table = self.pa.Table.from_pylist(rows, schema=self.schema) if rows else \
            self.schema.empty_table()
        self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()
