"""Hardening benchmarks (issue 24): hostile inputs, kill -9 during ingest, an archive in
constant memory, and the API under 50 concurrent clients.

    python bench/fault_bench.py hostile [--bad 10000 --good 1000]
    python bench/fault_bench.py kill [--articles 10000 --kills 10]    # keeps its store for `load`
    python bench/fault_bench.py archive [--gb 2 --minutes 5]        # --gb: gzipped size
    python bench/fault_bench.py load [--db bench/results/fault-10k.db --clients 50 --seconds 30]

Each writes bench/results/fault-<name>.json. Everything runs `parallax` as a subprocess, as a
user would; peak memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.scale_bench import stream  # noqa: E402
from parallax.records import article_id  # noqa: E402
from tests.hostile import write_corpus  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PARALLAX = [sys.executable, "-m", "parallax"]


def _save(name: str, data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"fault-{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(data, indent=2))


def _child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _articles(n: int, seed: int = 11, gold: list[str] | None = None):
    """Real ECB+ and BASIL articles resampled with light edits (bench/scale_bench.py; ``gold``
    receives each one's true event)."""
    for i, d in enumerate(stream(n, seed=seed, gold=gold)):
        title, text = d.text.split("\n", 1)
        yield {"title": title or None, "text": text, "date": d.date,
               "source": f"outlet{i % 50}.example"}


def _write_jsonl(path: Path, n: int, seed: int = 11) -> int:
    """The articles as JSON Lines; returns how many distinct articles they are."""
    ids = set()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for a in _articles(n, seed):
            ids.add(article_id(a["text"], None, a["source"]))
            fh.write(json.dumps(a) + "\n")
    return len(ids)


def hostile(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        expected = write_corpus(root, bad=args.bad, good=args.good, seed=1)
        db = Path(tmp) / "h.db"
        t = time.perf_counter()
        try:
            proc = subprocess.run([*PARALLAX, "--db", str(db), "ingest", "--json", str(root)],
                                  capture_output=True, text=True, timeout=args.timeout)
            hung = False
        except subprocess.TimeoutExpired as exc:
            proc, hung = exc, True
        wall = time.perf_counter() - t
        out = json.loads(proc.stdout) if not hung and proc.stdout else {}
        stderr = proc.stderr or ""
        stderr = stderr if isinstance(stderr, str) else stderr.decode(errors="replace")
        codes: dict[str, int] = {}
        for p in out.get("problems", []):
            codes[p["code"]] = codes.get(p["code"], 0) + 1
        _save("hostile", {
            "bad_files": args.bad, "good_files": args.good, "expected_stored": expected,
            "stored": len(out.get("stored", [])), "exit_code": None if hung else proc.returncode,
            "hung": hung, "tracebacks": stderr.count("Traceback"), "problems": sum(codes.values()),
            "problem_codes": dict(sorted(codes.items())), "internal_errors_E190": codes.get("E190", 0),
            "wall_s": round(wall, 1), "peak_rss_mb": round(_child_peak_mb(), 1),
        })


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill(args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    src = RESULTS / "fault-10k.jsonl"
    expected = _write_jsonl(src, args.articles)
    db = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    rng = random.Random(5)
    points = sorted(rng.sample(range(50, expected - 50), args.kills))
    log = []
    t0 = time.perf_counter()
    for point in points:
        proc = subprocess.Popen([*PARALLAX, "--db", str(db), "-q", "ingest", str(src)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while proc.poll() is None and _count(db) < point:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        log.append({"kill_at": point, "stored_when_killed": _count(db)})
        print(log[-1], flush=True)
    t = time.perf_counter()
    final = subprocess.run([*PARALLAX, "--db", str(db), "ingest", "--json", str(src)],
                           capture_output=True, text=True)
    finish_s = time.perf_counter() - t
    report = json.loads(final.stdout)
    t = time.perf_counter()
    again = subprocess.run([*PARALLAX, "--db", str(db), "ingest", "--json", str(src)],
                           capture_output=True, text=True)
    rerun_s = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([*PARALLAX, "--version"], capture_output=True)
    startup_s = time.perf_counter() - t
    with sqlite3.connect(db) as c:
        stored = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        distinct = c.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        unassigned = c.execute("SELECT count(*) FROM articles a WHERE latest=1 AND NOT EXISTS "
                               "(SELECT 1 FROM story_articles s WHERE s.article_id=a.id)").fetchone()[0]
        integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    skipped = len(json.loads(again.stdout)["duplicates"])
    _save("kill", {
        "articles": args.articles, "distinct_expected": expected, "kills": log,
        "stored": stored, "lost": expected - stored, "duplicated": stored - distinct,
        "without_story": unassigned, "integrity_check": integrity,
        "final_run": {"exit_code": final.returncode, "stored": len(report["stored"]),
                      "already_stored": len(report["duplicates"]), "wall_s": round(finish_s, 1)},
        "rerun_all_stored": {"articles": skipped, "wall_s": round(rerun_s, 2),
                             "process_start_s": round(startup_s, 2),
                             "ms_per_article": round(1000 * (rerun_s - startup_s) / max(1, skipped), 3)},
        "total_wall_s": round(time.perf_counter() - t0, 1),
    })


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def archive_run(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.jsonl.gz"
        target = int(args.gb * 1e9)  # compressed bytes
        written, n = 0, 0
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
            seed = 0
            while path.stat().st_size < target:
                for a in _articles(20_000, seed=seed):
                    line = json.dumps(a) + "\n"
                    fh.write(line)
                    written += len(line)
                    n += 1
                seed += 1
                print(f"writing the archive: {path.stat().st_size / 1e9:.2f} GB", flush=True)
        size = path.stat().st_size
        db = Path(tmp) / "a.db"
        proc = subprocess.Popen([*PARALLAX, "--db", str(db), "-q", "ingest", "--no-stories",
                                 str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples, t0 = [], time.perf_counter()
        while proc.poll() is None and time.perf_counter() - t0 < args.minutes * 60:
            time.sleep(5)
            samples.append({"s": round(time.perf_counter() - t0), "rss_mb": round(_rss_mb(proc.pid), 1),
                            "stored": _count(db)})
            print(samples[-1], flush=True)
        proc.kill()
        proc.wait()
        rss = [s["rss_mb"] for s in samples if s["rss_mb"]]
        done = samples[-1]["stored"] if samples else 0
        _save("archive", {
            "uncompressed_bytes": written, "gz_bytes": size, "articles_in_archive": n,
            "minutes_run": args.minutes, "stored_in_that_time": done,
            "articles_per_s": round(done / max(1, samples[-1]["s"]), 1) if samples else 0,
            "rss_mb_first_sample": rss[0] if rss else None, "rss_mb_max": max(rss) if rss else None,
            "rss_mb_last": rss[-1] if rss else None, "samples": samples[::max(1, len(samples) // 20)],
        })


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client_process(base: str, paths: list[str], threads: int, stop_at: float, seed: int):
    """One load process: ``threads`` clients, each sending its next request as soon as the
    last one is answered, until ``stop_at`` (time.time())."""
    import httpx

    times: list[tuple[str, float, bool]] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.time() < stop_at:
                path = rng.choice(paths)
                base_path = path.split("?")[0]
                kind = "/api/stories/ID" if base_path.startswith("/api/stories/") else base_path
                t = time.perf_counter()
                try:
                    ok = c.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    times.append((kind, time.perf_counter() - t, ok))

    pool = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return times


def _hammer(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` concurrent clients for ``seconds``, spread over processes (one Python
    process cannot drive 50 clients without becoming the bottleneck itself)."""
    from concurrent.futures import ProcessPoolExecutor

    procs = 5 if clients >= 10 else 1
    stop_at = time.time() + seconds + 2  # the processes start within 2 s
    with ProcessPoolExecutor(procs) as ex:
        parts = list(ex.map(_client_process, [base] * procs, [paths] * procs,
                            [clients // procs + (i < clients % procs) for i in range(procs)],
                            [stop_at] * procs, range(procs)))
    times: dict[str, list[float]] = {}
    errors = 0
    for part in parts:
        for kind, dt, ok in part:
            times.setdefault(kind, []).append(dt)
            errors += not ok

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return round(1000 * xs[min(len(xs) - 1, int(q * len(xs)))], 1)

    every = [x for v in times.values() for x in v]
    return {"requests": len(every), "requests_per_s": round(len(every) / seconds, 1),
            "errors": errors, "p50_ms": pct(every, 0.5), "p99_ms": pct(every, 0.99),
            "by_endpoint": {k: {"n": len(v), "p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95),
                                "p99_ms": pct(v, 0.99)} for k, v in sorted(times.items())}}


LOAD_WORDS = ["police", "fire", "election", "earthquake", "Obama", "court", "storm", "killed",
              "president", "minister"]


def load_paths(story_ids: list[str]) -> tuple[list[str], list[str]]:
    """(the request mix, the story pages): the three endpoints equally often, each over many
    instances."""
    groups = [[f"/api/stories?page={p}&sort={s}" for p in range(1, 11)
               for s in ("recent", "size", "sources")],
              [f"/api/stories/{s}" for s in story_ids], [f"/api/search?q={w}" for w in LOAD_WORDS]]
    return [p for g in groups for p in g * (len(story_ids) // len(g))], groups[1]


@contextmanager
def serving(db: str, workers: int, story_pages: list[str]):
    """`parallax serve` on a free port over ``db``, up and warmed (every story compared once
    in each worker, likely); yields its base URL, stops it after."""
    import httpx

    port = _free_port()
    server = subprocess.Popen([*PARALLAX, "--db", db, "serve", "--port", str(port),
                               "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/api/stories", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        for _ in range(8):
            for path in story_pages:
                httpx.get(base + path, timeout=120)
        yield base
    finally:
        server.terminate()
        server.wait()


def load(args) -> None:
    db = Path(args.db)
    with sqlite3.connect(db) as c:
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        story_ids = [r[0] for r in c.execute("SELECT id FROM stories ORDER BY random() LIMIT 200")]
    paths, story_pages = load_paths(story_ids)
    with serving(str(db), args.workers, story_pages) as base:
        quiet = _hammer(base, paths, args.clients, args.seconds)
        extra = RESULTS / "fault-load-extra.jsonl"
        _write_jsonl(extra, 3000, seed=99)
        ingest = subprocess.Popen([*PARALLAX, "--db", str(db), "-q", "ingest", str(extra)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        busy = _hammer(base, paths, args.clients, args.seconds)
        ingest_running = ingest.poll() is None
        ingest.kill()
        ingest.wait()
    _save("load", {"articles_in_store": articles, "clients": args.clients, "workers": args.workers,
                   "seconds_each": args.seconds, "without_ingest": quiet,
                   "with_ingest": busy, "ingest_still_running_at_end": ingest_running})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hostile")
    h.add_argument("--bad", type=int, default=10_000)
    h.add_argument("--good", type=int, default=1_000)
    h.add_argument("--timeout", type=int, default=3600)
    k = sub.add_parser("kill")
    k.add_argument("--articles", type=int, default=10_000)
    k.add_argument("--kills", type=int, default=10)
    k.add_argument("--db", default=str(RESULTS / "fault-10k.db"))
    a = sub.add_parser("archive")
    a.add_argument("--gb", type=float, default=2.0)
    a.add_argument("--minutes", type=float, default=5.0)
    lo = sub.add_parser("load")
    lo.add_argument("--db", default=str(RESULTS / "fault-10k.db"))
    lo.add_argument("--clients", type=int, default=50)
    lo.add_argument("--seconds", type=float, default=30.0)
    lo.add_argument("--workers", type=int, default=3)
    args = ap.parse_args()
    {"hostile": hostile, "kill": kill, "archive": archive_run, "load": load}[args.cmd](args)


if __name__ == "__main__":
    main()
