"""One Settings object: defaults < config file < environment < CLI flags.

The config file is TOML (``parallax.toml`` in the working directory, or the path in
``PARALLAX_CONFIG`` / ``--config``) with keys named like the fields below, optionally under a
``[parallax]`` table. Every field can be set from the environment as ``PARALLAX_<FIELD>``
(``PARALLAX_DB``, ``PARALLAX_FETCH_TIMEOUT`` ...). Lists are comma-separated there.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_type_hints

from . import __version__
from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    # -- store ---------------------------------------------------------------------------
    db: str = "parallax.db"  # SQLite path, or postgresql://USER@HOST:PORT/DBNAME

    # -- where batch work runs (engines/) ----------------------------------------------
    engine: str = "local"  # local | dask: cleaning and understanding at ingest, rebuild runs
    scheduler: str = ""  # a Dask scheduler (tcp://HOST:8786); empty: a LocalCluster here
    engine_workers: int = 0  # LocalCluster worker processes; 0 = one per core

    # -- ingestion -----------------------------------------------------------------------
    max_bytes: int = 10_000_000  # larger single inputs (a text, an HTML or fetched page) are refused (E104)
    # JSON, JSON Lines and feed files are streamed, with no cap on the whole: a record (a line,
    # an array item, a feed entry) over this many bytes is skipped (E104); the rest goes on.
    max_record_bytes: int = 10_000_000
    # Outbound fetching (URLs, feed entries) refuses loopback, private, link-local, multicast
    # and reserved addresses, after DNS and on every redirect, unless this is 1 (an intranet).
    allow_private_urls: int = 0
    encoding: str = "utf-8"  # expected text encoding of files; BOMs are honoured
    fetch_timeout: float = 15.0  # seconds, per request
    fetch_retries: int = 2  # retries after the first try, on timeouts, 429 and 5xx
    fetch_backoff: float = 0.5  # seconds before the first retry; doubles each retry
    per_host_delay: float = 1.0  # seconds between two requests to the same host
    user_agent: str = f"Parallax/{__version__} (news comparison; +https://example.org/parallax)"

    # -- cleaning ------------------------------------------------------------------------
    clean_disabled: tuple[str, ...] = ()  # names of cleaning rules to switch off

    # -- understanding -------------------------------------------------------------------
    understand: int = 1  # 1: analyse articles at ingest (entities, quotes, numbers, times); 0: skip
    spacy_model: str = "en_core_web_sm"  # a spaCy pipeline name or path

    # -- stories -------------------------------------------------------------------------
    # Chosen on ECB+ train+dev only (bench/tune_clusters.py); see docs/benchmarks.md.
    story_threshold: float = 0.28  # an article joins a story at this similarity or more
    story_entity_weight: float = 0.5  # weight of names against content words
    story_time_window_days: float = 7.0  # no time penalty within this distance
    story_time_scale_days: float = 30.0  # beyond the window the similarity decays this fast
    story_time_bonus: float = 1.6  # both dated within the window: similarity times this
    story_merge_threshold: float = 0.7  # two stories this similar are merged
    # An article with fewer distinct content words than this (a headline, a snippet) joins a
    # story at story_threshold x sqrt(words / story_short_terms); 0 = the same threshold for all.
    story_short_terms: int = 80  # chosen on ECB+ train+dev as text, headlines and leads (bench/story_variants.py --tune)
    # Batch mode (cluster --rebuild): runs in this many tie-breaking orders, whose majority
    # decides (stories/consensus.py); 1 = one pass in arrival order, then refined.
    story_rebuild_runs: int = 9
    # The batch mode's method: 'consensus' (the majority of story_rebuild_runs online runs),
    # 'pairs' (a pair model learned on ECB+ train+dev with average-link, stories/pairwise.py:
    # better at telling two similar events apart; holds every article's text while it runs),
    # or 'auto': pairs for 100 to 100,000 articles that are mostly more than headlines,
    # consensus otherwise (stories/rebuild.py, choose_method; the rebuild says which). Past
    # 100,000 articles 'auto' and 'pairs' run the pair mode in time windows of 25,000
    # articles (stories/windows.py: a bounded memory per process at any size).
    story_batch: str = "auto"
    # After an ingest, the stories of a store of 100 to this many articles are 'settled': the
    # whole store is clustered again in batch (story_batch; what `cluster --rebuild` does)
    # when the articles new since the last batch are at least a quarter of it, so a folder or
    # an archive ingested at once, and a feed as its items add up, get the batch's stories
    # (ECB+ test 0.932 ingested at once or 20 at a time, against 0.846 online), at a cost
    # of a few times their own articles. Between settles a feed's items are placed online.
    # 0 = never settle (stories/assign.py, settles).
    story_settle_max: int = 20_000
    # Up to this many articles (from 100) a store is small: an update settles once the
    # articles new since the last batch are 1% of it (any feed's update; articles posted one
    # at a time, every tenth at 1,000): a batch over 1,000 articles takes about 5 s here, and
    # the stories of a small store then do not depend on the order its articles came in (the
    # batch is order-free; online placement is not). Past it the quarter rule above holds.
    # 0 = the quarter rule alone.
    story_settle_small: int = 1_000
    # Optional dense embeddings (stories/embeddings.py, DEVELOPERS.md): '' for none, or a
    # registered embedder, 'NAME' or 'NAME:MODEL' ('sentence-transformers:all-MiniLM-L6-v2').
    story_embedder: str = ""
    story_embedding_weight: float = 0.3  # embedding cosine against words and names
    story_embedding_threshold: float = 0.40  # replaces story_threshold when embeddings are on
    lineage_threshold: float = 0.5  # MinHash Jaccard (5-shingles) for copies of one report

    # -- comparison ----------------------------------------------------------------------
    # A statement states another's fact when it holds this share of the other's informative
    # words (and the checkable parts agree; compare/relate.py). Chosen on the dev judgements,
    # tests/fixtures/compare_dev.jsonl (bench/compare_gold.py devtune).
    align_threshold: float = 0.65
    brief_sentences: int = 6  # length of a story's brief
    # The sentence-pair model for facts told in other words (compare/pairmodel.py): 'builtin'
    # (shipped), a directory with model.onnx and tokenizer.json, or 'none' (words alone).
    pair_model: str = "builtin"
    # Its score from which a statement of another source counts as stating a fact told in
    # other words; 0 = the model card's (the shipped card: never; its model only shows close
    # statements as 'told similarly', never counted; see docs/benchmarks.md).
    pair_model_threshold: float = 0.0
    pair_model_threads: int = 1  # onnxruntime threads (1: the same speed on any machine)
    # After an ingest, stories of this many articles or more are compared at once (their report
    # is saved), so their first view is quick; 0 = only when first viewed.
    report_precompute_size: int = 20

    # -- web ---------------------------------------------------------------------------
    web_token: str = ""  # the JSON ingest endpoint is off unless this is set
    web_max_body: int = 16_000_000  # bytes: a larger request body is refused (413) unread

    @classmethod
    def load(cls, config: str | os.PathLike[str] | None = None,
             env: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        path = config or env.get("PARALLAX_CONFIG")
        if path is None and Path("parallax.toml").is_file():
            path = "parallax.toml"
        if path is not None:
            values.update(_read_config(Path(path)))
        hints = get_type_hints(cls)
        for f in fields(cls):
            raw = env.get(f"PARALLAX_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.name, raw, hints[f.name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}",
                              advice="see `parallax --help` or docs for the list of settings")
        for name, value in list(values.items()):
            values[name] = _coerce(name, value, hints[name])
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return dict(data.get("parallax", data))


def _coerce(name: str, value: Any, hint: Any) -> Any:
    text = str(hint)
    try:
        if "tuple" in text:
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        if hint is int or text == "int":
            return int(value)
        if hint is float or text == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: cannot use {value!r}",
                          advice=f"expected {text}") from None
