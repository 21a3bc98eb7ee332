"""The Dask engine's throughput for cleaning and understanding (issue 26): the ECB+ and BASIL
articles (about 1,300) built on a LocalCluster of 1 and of 2 single-threaded workers on this
machine, and the outputs compared.

    python bench/engine_bench.py [--limit N] [--out bench/results/engine.json]

What is timed is the work an ingest sends to the engine (``pipeline._build``: clean, then
understand), from the first chunk out to the last result back; reading happens before, storing
is the client's and is not part of it. Both runs get the same empty corpus vocabulary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from parallax.engines import open_engine  # noqa: E402
from parallax.ingest import Ingestor  # noqa: E402
from parallax.pipeline import BUILD_CHUNK, _build  # noqa: E402
from parallax.records import Problem  # noqa: E402
from parallax.settings import Settings  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CORPORA = [DATA / "ecbplus" / "articles.jsonl", DATA / "basil" / "articles.jsonl"]


def raw_articles(limit: int | None) -> list:
    settings = Settings(db=":memory:")
    out = []
    ingestor = Ingestor(settings)
    try:
        for source in ingestor.sources([str(p) for p in CORPORA]):
            if isinstance(source, Problem):
                continue
            out.extend(r for r in ingestor.read(source) if not isinstance(r, Problem))
    finally:
        ingestor.close()
    return out[:limit] if limit else out


def digest(results) -> str:
    h = hashlib.sha256()
    for _read, article in results:
        h.update(json.dumps([article.id, article.text, article.analysis], sort_keys=True).encode())
    return h.hexdigest()


def run(workers: int, raws: list, settings: Settings) -> dict:
    with open_engine("dask", workers=workers) as engine:
        # warm: each worker loads spaCy and the models once, as a long ingest would
        list(engine.map(_build, raws[:4 * workers], chunk=2, settings=settings, lexicon=frozenset()))
        start = time.perf_counter()
        results = list(engine.map(_build, raws, chunk=BUILD_CHUNK, settings=settings,
                                  lexicon=frozenset()))
        seconds = time.perf_counter() - start
    return {"workers": workers, "articles": len(results), "seconds": round(seconds, 1),
            "articles_per_s": round(len(results) / seconds, 2), "digest": digest(results)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "engine.json"))
    args = ap.parse_args()
    raws = raw_articles(args.limit)
    settings = Settings(db=":memory:")
    one = run(1, raws, settings)
    print(json.dumps(one), flush=True)
    two = run(2, raws, settings)
    print(json.dumps(two), flush=True)
    result = {"one_worker": one, "two_workers": two,
              "speedup": round(one["seconds"] / two["seconds"], 2),
              "same_output": one["digest"] == two["digest"]}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("speedup", "same_output")}))


if __name__ == "__main__":
    main()
