"""Page and API response times on the demo corpus, against a real server on 127.0.0.1.

    python bench/web_bench.py [--repeat 20]

Writes bench/results/web.json: the median and worst time per page (target: every page under
200 ms on the project's machine).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parallax.pipeline import ingest, update_stories  # noqa: E402
from parallax.settings import Settings  # noqa: E402
from parallax.store import SQLiteStore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    import uvicorn

    from parallax.web import create_app

    db = str(Path(tempfile.mkdtemp()) / "demo.db")
    settings = Settings(db=db)
    with SQLiteStore(db) as store:
        ingest([str(ROOT / "examples")], store, settings)
        update_stories(store, settings)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=8765,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = "http://127.0.0.1:8765"
    with httpx.Client(base_url=base) as client:
        story = client.get("/api/search", params={"q": "Zakharova"}).json()["items"][0]
        pages = ["/", "/?q=earthquake&sort=size", f"/stories/{story['story']}",
                 f"/articles/{story['id']}", "/api/stories", f"/api/stories/{story['story']}",
                 f"/api/articles/{story['id']}", "/docs"]
        results = {}
        for path in pages:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            results[path] = {"median_ms": round(statistics.median(times), 1),
                             "max_ms": round(max(times), 1)}
            print(f"{path:45s} median {results[path]['median_ms']:6.1f} ms   max {results[path]['max_ms']:6.1f} ms")
    server.should_exit = True
    (ROOT / "bench" / "results" / "web.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
