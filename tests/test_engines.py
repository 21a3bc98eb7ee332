"""The Dask engine (issue 26) against a real Dask cluster on 127.0.0.1: the same articles and
stories as the local engine, a worker killed mid-run, and clear errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from parallax.engines import LocalEngine, open_engine
from parallax.errors import ConfigError
from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.store import open_store
from parallax.stories.rebuild import batch_member
from parallax.stories.consensus import consensus_groups
from parallax.stories.features import Doc
from parallax.stories.online import ClusterParams, doc_counts
from parallax.stories.pairsignals import SIGNALS, PairSignals
from parallax.stories.pairwise import pair_groups

from .conftest import EXAMPLES, ROOT, SHARED
from .pg import wait_for

pytest.importorskip("distributed")

ECB = SHARED / "data" / "ecbplus" / "articles.jsonl"


@pytest.fixture(scope="module")
def dask_engine():
    engine = open_engine("dask", workers=2)
    yield engine
    engine.close()


def snapshot(db: str) -> tuple:
    with open_store(db) as store:
        articles = sorted((a.id, a.text, json.dumps(a.analysis, sort_keys=True), a.date)
                          for a in store.iter_articles())
        stories = sorted(sorted(s.article_ids) for s in store.list_stories())
    return articles, stories


def test_ingest_and_rebuild_on_dask_equal_the_local_engine(dask_engine, tmp_path):
    assert "dashboard http://" in dask_engine.describe()
    results = []
    for name, engine in (("local", LocalEngine()), ("dask", dask_engine)):
        db = str(tmp_path / f"{name}.db")
        settings = Settings(db=db)
        with open_store(db) as store:
            report = ingest([str(EXAMPLES)], store, settings, engine=engine)
            assert len(report.stored) == 18 and not report.problems
            update_stories(store, settings)
            online = snapshot(db)
            update_stories(store, settings, rebuild=True, engine=engine)
        results.append((online, snapshot(db)))
    assert results[0] == results[1]


def test_the_batch_runs_on_dask_give_the_local_stories_on_ecbplus(dask_engine):
    if not ECB.exists():
        pytest.skip(f"{ECB} not found")
    rows = [json.loads(line) for line in ECB.read_text().splitlines()][:400]
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date")) for r in rows]
    members = [batch_member(d, doc_counts(d), "consensus") for d in docs]
    params = ClusterParams()
    here = consensus_groups(members, params, 5)
    there = consensus_groups(members, params, 5, engine=dask_engine)
    assert here == there and len(here) > 10


def test_the_pair_mode_on_dask_gives_the_local_stories_on_ecbplus(dask_engine):
    """story_batch 'auto' runs the pair mode on most archives: its per-article and per-block
    work (features, candidate search, local cosines) goes to the workers, the same values
    come back."""
    if not ECB.exists():
        pytest.skip(f"{ECB} not found")
    rows = [json.loads(line) for line in ECB.read_text().splitlines()][:400]
    docs = [Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date")) for r in rows]
    params = ClusterParams()
    here = PairSignals(docs, params)
    there = PairSignals(docs, params, engine=dask_engine)
    assert np.array_equal(here.iu, there.iu) and len(here.iu) > 1000
    assert np.array_equal(here.matrix(SIGNALS), there.matrix(SIGNALS))
    groups = pair_groups(docs, params, engine=dask_engine)
    assert groups == pair_groups(docs, params) and len(groups) > 10


def test_a_rebuild_in_windows_on_dask_gives_the_local_stories(dask_engine, monkeypatch):
    """Above one pair run's size a rebuild runs in time windows: each window's run goes to a
    worker (at most one window in flight per worker), the stitching stays here."""
    from parallax.stories import windows
    from parallax.stories.windows import Dated, windowed_groups

    from .test_stories_windows import recurring

    monkeypatch.setattr(windows, "WINDOW_ARTICLES", 80)
    docs, _gold = recurring()
    by_id = {d.id: d for d in docs}
    dated = [Dated(d.day, k, d.id) for k, d in enumerate(docs)]
    heard = []
    there = windowed_groups(dated, lambda ids: [by_id[i] for i in ids], ClusterParams(),
                            engine=dask_engine, notify=lambda k, p: heard.append(p))
    here = windowed_groups(dated, lambda ids: [by_id[i] for i in ids], ClusterParams())
    assert there == here and len(here) > 20
    assert heard[-1][0] == heard[-1][1] >= 3


def _slow_square(x: int, pause: float) -> int:
    time.sleep(pause)
    return x * x


def test_a_worker_killed_mid_run_is_replaced_and_the_run_completes(dask_engine):
    client = dask_engine.client
    pids = client.run(os.getpid)  # worker address -> its process id
    results = dask_engine.map(_slow_square, range(40), pause=0.1)
    got = [next(results) for _ in range(6)]
    os.kill(sorted(pids.values())[0], signal.SIGKILL)  # dies holding tasks in flight
    got += list(results)
    assert got == [x * x for x in range(40)]
    # the nanny started a new worker in its place
    assert wait_for(lambda: len(client.run(os.getpid)) == len(pids), timeout=30)
    assert sorted(pids.values())[0] not in client.run(os.getpid).values()


def test_a_scheduler_that_does_not_answer_is_one_line(tmp_path):
    from .pg import _free_port

    db = str(tmp_path / "x.db")
    result = subprocess.run([sys.executable, "-m", "parallax", "--db", db, "ingest",
                             str(EXAMPLES / "seeds"), "--engine", "dask", "--scheduler",
                             f"tcp://127.0.0.1:{_free_port()}"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 2 and "E005" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_engine():
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        open_engine("spark")
