"""Loading the labelled corpora of ../shared/data (read-only; never copied into the repo)."""

from __future__ import annotations

import json
import os
from pathlib import Path

DATA = Path(os.environ.get("PARALLAX_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def load(name: str) -> list[dict]:
    path = DATA / name
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_of(row: dict, index: int) -> str:
    """ECB+ has train/dev/test; BASIL has none, so its stories alternate dev/test by story."""
    if row.get("split"):
        return "test" if row["split"] == "test" else "dev"
    story = str(row.get("story", index))
    return "test" if sum(map(ord, story)) % 2 else "dev"


def news_articles(split: str = "all") -> list[dict]:
    rows = [dict(r, corpus="basil") for r in load("basil/articles.jsonl")]
    rows += [dict(r, corpus="ecbplus") for r in load("ecbplus/articles.jsonl")]
    if split == "all":
        return rows
    return [r for i, r in enumerate(rows) if split_of(r, i) == split]


def write_source(rows: list[dict], path: Path) -> str:
    """Rows as a JSONL file Parallax ingests, each its own outlet (source = the row id)."""
    path.write_text("".join(json.dumps({"id": r["id"], "title": r.get("title"), "text": r["text"],
                                        "date": r.get("date"), "source": r["id"]}) + "\n"
                            for r in rows))
    return str(path)
