"""Generated hostile inputs: malformed files of many kinds mixed with valid articles, for the
fuzz tests and ``bench/hostile_bench.py``. Each kind writes one file and says how many
articles Parallax should store from it (0 for most; a repaired lone surrogate stores one)."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path

import zstandard

PLACES = ["Eastvale", "Northport", "Brindle", "Ashford", "Corran", "Velmont", "Oakridge", "Tarsk"]
EVENTS = ["a flood", "a fire", "a strike", "an election", "a storm", "a protest", "a merger"]


def valid_text(rng: random.Random, n: int) -> str:
    place, event = rng.choice(PLACES), rng.choice(EVENTS)
    return (f"title: Report {n} on {event} in {place}\ndate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
            f"source: outlet{n % 13}.example\n\n"
            f"Officials in {place} said on Monday that {event} affected {rng.randint(2, 900)} "
            f"residents, report number {n}. The mayor, {rng.choice(['Ana Ruiz', 'Tom Bell'])}, "
            f"said help would arrive within {rng.randint(2, 48)} hours.\n"
            f"Local reporters counted {rng.randint(1, 50)} damaged buildings (ref {n}-{rng.random():.6f}).\n")


def _json_article(rng: random.Random, n: int, **extra) -> dict:
    body = valid_text(rng, n).split("\n\n", 1)[1]
    return {"title": f"Report {n}", "text": body, "source": f"outlet{n % 13}.example", **extra}


# -- the kinds: (path, rng, n) -> articles to store -------------------------------------------
def empty(p, rng, n): p.with_suffix(".txt").write_bytes(b""); return 0
def whitespace(p, rng, n): p.with_suffix(".txt").write_bytes(b" \n\t\n" * rng.randint(1, 50)); return 0
def bom_only(p, rng, n): p.with_suffix(".json").write_bytes(b"\xef\xbb\xbf"); return 0
def binary(p, rng, n): p.with_suffix(".txt").write_bytes(rng.randbytes(rng.randint(10, 5000))); return 0
def png_as_jsonl(p, rng, n):
    p.with_suffix(".jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + rng.randbytes(3000)); return 0
def invalid_utf8(p, rng, n):
    p.with_suffix(".txt").write_bytes(b"Title here\n\nThe caf\xe9 \xff\xfe closed " * 20); return 0
def truncated_gzip(p, rng, n):
    data = gzip.compress(json.dumps(_json_article(rng, n)).encode())
    p.with_suffix(".jsonl.gz").write_bytes(data[: len(data) // 2]); return 0
def gzip_bomb_text(p, rng, n):
    p.with_suffix(".txt.gz").write_bytes(gzip.compress(b"A" * 12_000_000, 9)); return 0
def zstd_garbage(p, rng, n):
    p.with_suffix(".jsonl.zst").write_bytes(b"\x28\xb5\x2f\xfd" + rng.randbytes(500)); return 0
def json_malformed(p, rng, n):
    p.with_suffix(".json").write_text('{"text": "unterminated, "title": }' + "}" * rng.randint(0, 3)); return 0
def json_truncated_array(p, rng, n):
    text = json.dumps([{"title": "no text here"}] * 3 + [_json_article(rng, n)])
    p.with_suffix(".json").write_text(text[: -rng.randint(5, 40)]); return 0
def json_wrong_types(p, rng, n):
    p.with_suffix(".json").write_text(json.dumps([1, "text", None, [], {"text": 5},
                                                  {"text": ["a", "b"]}, {"text": {"x": 1}},
                                                  {"text": "   "}, True]))
    return 0
def json_deep(p, rng, n):
    depth = rng.choice([100, 5000, 200_000])
    p.with_suffix(rng.choice([".json", ".jsonl"])).write_text("[" * depth + "]" * depth + "\n"); return 0
def jsonl_bad_lines(p, rng, n):
    lines = ['{"text": ', "\x00\x00\x00", '{"title": "no text"}', "[1, 2", "nul\x00l",
             '{"text": "' + "\\ud800" * 3 + f' {n}"}}', '{"text": 1e400}', "{" * 3000]
    rng.shuffle(lines)
    p.with_suffix(".jsonl").write_text("\n".join(lines) + "\n", errors="surrogatepass"); return 1
def jsonl_surrogate_title(p, rng, n):
    art = _json_article(rng, n)
    line = json.dumps(art).replace('"title": "', '"title": "\\udc80\\u0000', 1)
    p.with_suffix(".jsonl").write_text(line + "\n"); return 1
def jsonl_invalid_utf8_line(p, rng, n):
    p.with_suffix(".jsonl").write_bytes(b'{"text": "caf\xe9 \xed\xa0\x80 closed"}\n'); return 0
def jsonl_huge_line(p, rng, n):
    p.with_suffix(".jsonl").write_text('{"text": "' + "word " * 2_200_000 + '"}\n'); return 0
def billion_laughs(p, rng, n):
    ents = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "lol"}">' for i in range(10))
    p.with_suffix(rng.choice([".xml", ".rss", ".atom"])).write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [{ents}]><rss><channel><item><title>&l9;</title>'
        f'<link>http://example.invalid/&l9;</link></item></channel></rss>')
    return 0
def feed_broken(p, rng, n):
    p.with_suffix(".rss").write_text("<rss><channel><item><title>x</ti" + "<" * rng.randint(1, 9)); return 0
def feed_private_links(p, rng, n):
    links = ["http://127.0.0.1:9/a", "http://169.254.169.254/latest/meta-data/",
             "http://[::1]:9/b", "http://10.0.0.1/c", "file:///etc/passwd", "ftp://x/y",
             "http://localhost:9/d", "http://0.0.0.0:9/e"]
    items = "".join(f"<item><title>t{i}</title><link>{u}</link></item>" for i, u in enumerate(links))
    p.with_suffix(".rss").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                     f"<title>Evil</title>{items}</channel></rss>")
    return 0
def html_no_text(p, rng, n):
    p.with_suffix(".html").write_text("<html><head><title>x</title><script>" + "a=1;" * 500 +
                                      "</script></head><body><div><img src=x></div></body></html>")
    return 0
def html_deep(p, rng, n):
    depth = rng.choice([500, 20_000])
    p.with_suffix(".html").write_text("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>")
    return 0
def yaml_bomb(p, rng, n):
    lines = ["---", "a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, cur in zip("abcdefg", "bcdefgh"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines += ["title: *h", "---", "The body of an article about nothing much at all today."]
    p.with_suffix(".txt").write_text("\n".join(lines)); return 0
def yaml_bad(p, rng, n):
    p.with_suffix(".md").write_text("---\ntitle: [unclosed\ndate: :::\n---\nBody text here.\n"); return 0
def metadata_only(p, rng, n):
    p.with_suffix(".txt").write_text("title: Only a title\ndate: 2024-01-01\nsource: x.example\n"); return 0
def control_chars(p, rng, n):
    p.with_suffix(".txt").write_bytes(bytes(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) for _ in range(400))); return 0
def weird_dates(p, rng, n):
    arts = [_json_article(rng, n, date=d) for d in ("99999-99-99", "2024-02-30", "-1", "1e400",
                                                    "0000-00-00", "2024-13-45T99:99:99Z")]
    for i, a in enumerate(arts):
        a["text"] += f" (variant {i})"
    p.with_suffix(".jsonl").write_text("\n".join(json.dumps(a) for a in arts) + "\n")
    return len(arts)


KINDS: dict[str, Callable[[Path, random.Random, int], int]] = {
    f.__name__: f for f in (empty, whitespace, bom_only, binary, png_as_jsonl, invalid_utf8,
                            truncated_gzip, gzip_bomb_text, zstd_garbage, json_malformed,
                            json_truncated_array, json_wrong_types, json_deep, jsonl_bad_lines,
                            jsonl_surrogate_title, jsonl_invalid_utf8_line, jsonl_huge_line,
                            billion_laughs, feed_broken, feed_private_links, html_no_text,
                            html_deep, yaml_bomb, yaml_bad, metadata_only, control_chars,
                            weird_dates)
}
HEAVY = {"gzip_bomb_text", "jsonl_huge_line"}  # large on disk: a few copies suffice


def write_corpus(root: Path, *, bad: int, good: int, seed: int = 0) -> int:
    """``bad`` hostile files (every kind, in turn) and ``good`` valid ones, shuffled into
    ``root``; returns how many articles should be stored."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    names = [k for k in KINDS]
    expected, made = 0, 0
    jobs = [("good", i) for i in range(good)]
    heavy_left = {k: 2 for k in HEAVY}
    i = 0
    while made < bad:
        kind = names[i % len(names)]
        i += 1
        if kind in heavy_left:
            if not heavy_left[kind]:
                continue
            heavy_left[kind] -= 1
        jobs.append((kind, made))
        made += 1
    rng.shuffle(jobs)
    for n, (kind, k) in enumerate(jobs):
        path = root / f"{n:06d}-{kind}"
        if kind == "good":
            path.with_suffix(".txt").write_text(valid_text(rng, 100_000 + k))
            expected += 1
        else:
            expected += KINDS[kind](path, rng, 200_000 + k)
    return expected
