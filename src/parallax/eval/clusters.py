"""``parallax eval clusters``: cluster a labelled JSON Lines file and score it against gold."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..stories import cluster_docs
from ..stories.features import Doc
from .metrics import all_metrics


def load_labelled(path: str | Path, gold_field: str = "story") -> tuple[list[Doc], list[str]]:
    docs, gold = [], []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"malformed JSON line: {exc.msg}", line=lineno,
                                 code="E110") from None
            if gold_field not in row:
                raise InputError(str(path), f"no gold field {gold_field!r}", line=lineno,
                                 code="E111", advice="pick the field with --gold")
            text = f"{row.get('title') or ''}\n{row.get('text') or ''}"
            docs.append(Doc(str(row.get("id", lineno)), text, row.get("date")))
            gold.append(str(row[gold_field]))
    return docs, gold


def arrival_order(docs: list[Doc]) -> list[int]:
    """Date order; an undated article keeps its place after the dated one before it in the file
    (file order when nothing is dated)."""
    keys, current = [], ""
    for i, d in enumerate(docs):
        if d.date:
            current = d.date[:10]
        keys.append((d.date[:10] if d.date else current, i))
    return [i for _k, i in sorted(keys)]


def evaluate(path: str | Path, gold_field: str = "story", *, settings=None,
             order: list[int] | None = None, rebuild: bool = False) -> dict[str, Any]:
    """Cluster the labelled articles (in ``order``, else date order) and score them against
    gold; with ``rebuild``, ``batch_method`` and ``batch_method_why`` say which batch method
    ran."""
    docs, gold = load_labelled(path, gold_field)
    order = order if order is not None else arrival_order(docs)
    ordered = [docs[i] for i in order]
    method: dict[str, str] = {}

    def heard(kind: str, payload) -> None:
        if kind == "batch method":
            method.update(batch_method=payload[0], batch_method_why=payload[1])

    start = time.perf_counter()
    assigned = cluster_docs(ordered, settings, rebuild=rebuild, notify=heard)
    elapsed = time.perf_counter() - start
    pred = [assigned[d.id] for d in ordered]
    result = all_metrics([gold[i] for i in order], pred)
    result.update(docs=len(docs), seconds=elapsed,
                  docs_per_second=len(docs) / elapsed if elapsed else float("inf"), **method)
    return result
