"""CLI listings and their stable JSON keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT, SEEDS

ARTICLE_KEYS = {"id", "title", "outlet", "credited_source", "url", "date", "date_source", "lang"}
STORY_KEYS = {"id", "title", "size", "outlets", "first_date", "last_date"}


def test_articles_and_stories_json(cli):
    cli("ingest", str(SEEDS))
    code, out, _ = cli("articles", "--json")
    rows = json.loads(out)["items"]
    assert code == 0 and len(rows) == 2
    assert all(ARTICLE_KEYS <= set(r) for r in rows)
    dated = [r for r in rows if r["date"]]
    assert [(r["date"], r["date_source"]) for r in dated] == [("2023-03-02", "header")]
    code, out, _ = cli("stories", "--json")
    stories = json.loads(out)["items"]
    assert code == 0 and stories
    assert all(STORY_KEYS <= set(s) for s in stories)
    assert sum(s["size"] for s in stories) == 2
    code, out, _ = cli("show", stories[0]["id"], "--json")
    shown = json.loads(out)
    assert STORY_KEYS <= set(shown)
    assert {a["id"] for a in shown["articles"]} <= {r["id"] for r in rows}
    assert all(ARTICLE_KEYS <= set(a) for a in shown["articles"])


def test_relink_json(cli):
    cli("ingest", str(SEEDS))
    code, out, _ = cli("relink", "--json")
    report = json.loads(out)
    assert code == 0 and report["articles"] == 2 and report["analyses_changed"] == 0
    assert report["entities_before"] == report["entities_after"] > 10


def test_article_detail_and_errors(cli):
    cli("ingest", str(SEEDS))
    code, out, _ = cli("articles", "--json")
    aid = json.loads(out)["items"][0]["id"]
    code, out, _ = cli("article", aid[:8], "--json")
    assert code == 0 and json.loads(out)["id"] == aid
    code, out, _ = cli("article", aid[:8])
    assert code == 0 and aid in out
    code, _, err = cli("article", "doesnotexist")
    assert code == 3 and "no article 'doesnotexist'" in err
    code, _, err = cli("show", "nope")
    assert code == 3 and "no story 'nope'" in err


def test_search_listing(cli):
    cli("ingest", str(SEEDS))
    code, out, _ = cli("articles", "--search", "Zakharova", "--json")
    rows = json.loads(out)["items"]
    assert len(rows) == 1 and rows[0]["date"] == "2023-03-02"


def test_console_script_and_env_db(tmp_path):
    env = dict(os.environ, PARALLAX_DB=str(tmp_path / "env.db"))
    exe = os.path.join(os.path.dirname(sys.executable), "parallax")
    proc = subprocess.run([exe, "--quiet", "ingest", str(SEEDS)], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "env.db").exists()
    proc = subprocess.run([sys.executable, "-m", "parallax", "articles", "--json"], env=env,
                          capture_output=True, text=True, cwd=tmp_path)
    assert len(json.loads(proc.stdout)["items"]) == 2


def test_default_db_in_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PARALLAX_DB"}
    proc = subprocess.run([sys.executable, "-m", "parallax", "-q", "ingest", str(SEEDS)],
                          env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "parallax.db").exists()


def test_config_file_and_bad_setting(tmp_path, cli):
    cfg = tmp_path / "p.toml"
    cfg.write_text("[parallax]\nmax_bytes = 10\n")
    code, _, err = cli("--config", str(cfg), "ingest", str(SEEDS))
    assert code == 1 and "too large" in err
    cfg.write_text("bogus = 1\n")
    code, _, err = cli("--config", str(cfg), "ingest", str(SEEDS))
    assert code == 2 and "unknown setting(s): bogus" in err
