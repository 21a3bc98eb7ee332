"""The README's demo output, made by a real run (cog-style), so it cannot go stale.

    python scripts/readme_demo.py          # rewrite the block in README.md
    python scripts/readme_demo.py --check  # exit 1 when README.md differs from a real run

The block sits between the markers <!-- demo:begin --> and <!-- demo:end -->. Each command runs
`parallax` on examples/ in a temporary folder; long outputs are cut at a fixed number of lines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN, END = "<!-- demo:begin -->", "<!-- demo:end -->"


def run(db: Path, *args: str) -> str:
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1", TERM="dumb")
    env.pop("PARALLAX_DB", None)
    proc = subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"parallax {' '.join(args)} failed: {proc.stderr}")
    return (proc.stdout + proc.stderr).rstrip("\n")


def cut(text: str, lines: int) -> str:
    rows = text.splitlines()
    return "\n".join(rows[:lines] + (["..."] if len(rows) > lines else []))


def demo() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        ingest = run(db, "ingest", "examples/")
        stories = run(db, "stories")
        seeds = json.loads(run(db, "search", "Zakharova", "--json"))["stories"]["items"][0]["id"]
        show = run(db, "show", seeds)
    blocks = [("ingest examples/", ingest, 20), ("stories", stories, 14),
              (f"show {seeds}", show, 24)]
    out = ["```"]
    for i, (cmd, text, lines) in enumerate(blocks):
        out += [""] * bool(i) + [f"$ parallax --db demo.db {cmd}", cut(text, lines)]
    return "\n".join(out + ["```"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    fresh = text[:start] + "\n" + demo() + "\n" + text[end:]
    if args.check:
        if fresh != text:
            sys.exit("README.md's demo output differs from a real run: "
                     "run `python scripts/readme_demo.py`")
        return
    README.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
