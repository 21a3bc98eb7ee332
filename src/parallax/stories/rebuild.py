"""The batch pass of a rebuild (``cluster --rebuild``): what it keeps of each article, which
method it runs, and running it.

Two methods give stories that do not depend on the order the archive arrived in: the
consensus of several online runs (``stories.consensus``) and the pair model with average
link (``stories.pairwise``). ``story_batch`` names one, or 'auto' (the default) lets the
archive choose (``choose_method``); the rebuild says which ran and why. Above
PAIRS_MAX_ARTICLES the pair mode runs in time windows (``stories.windows``), decided before
the archive is read (``in_windows``): that pass then keeps no vectors and no texts.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engines import Engine
from ..errors import ConfigError
from .features import Doc
from .online import OnlineClusterer

# ("batch method", (method, why)); the consensus: ("batch run", (done, runs)); the pair mode:
# ("pair features" | "pair candidates" | "pair neighbours", (done, total))
Progress = Callable[[str, object], None]


@dataclass(frozen=True, slots=True)
class Member:
    """What a batch run needs of one article: its id, date, words and names (see
    ``online.doc_counts``) and its embedding (or None). The counts are kept packed (a tuple
    of interned terms and an array of counts: 40% of a Counter's memory), since
    a rebuild holds one per article of the archive; ``counts`` unpacks them in their order."""

    id: str
    date: str | None
    words: tuple[str, ...]
    word_counts: array
    names: tuple[str, ...]
    name_counts: array
    embedding: Any = None
    text: str | None = None  # kept only where the pair mode may run

    @classmethod
    def of(cls, id: str, date: str | None, counts: tuple[Counter[str], Counter[str]],
           embedding: Any = None, text: str | None = None) -> "Member":
        words, names = counts
        return cls(id, date, tuple(words), array("I", words.values()), tuple(names),
                   array("I", names.values()), embedding, text)

    @property
    def counts(self) -> tuple[Counter[str], Counter[str]]:
        return (Counter(dict(zip(self.words, self.word_counts))),
                Counter(dict(zip(self.names, self.name_counts))))

    def doc(self) -> Doc:
        return Doc(self.id, self.text or "", self.date, embedding=self.embedding)


def batch_member(doc: Doc, counts: tuple[Counter[str], Counter[str]], mode: str) -> Member:
    """What the batch pass keeps of an article: its text only where the pair mode may run
    ('pairs'; 'auto' unless the article carries an embedding, which keeps 'auto' on the
    consensus, see ``choose_method``). Past PAIRS_MAX_ARTICLES a rebuild runs in windows and
    keeps no members at all (``in_windows``)."""
    keep = mode == "pairs" or (mode == "auto" and doc.embedding is None)
    return Member.of(doc.id, doc.date, counts, doc.embedding, doc.text if keep else None)


BATCH_MODES = ("auto", "consensus", "pairs")
# 'auto' (the default) runs the pair mode where it was measured to win, the consensus
# elsewhere. Chosen on ECB+ train+dev (docs/benchmarks.md, "The batch default"):
# - below PAIRS_MIN_ARTICLES the archive's IDF misleads the pair model: on archives of one
#   or two ECB+ topics (16-60 articles) consensus wins or ties, from four topics on (~90) the
#   pair mode wins;
# - archives of headlines and of first paragraphs go to the pair mode too: its model is
#   fitted on all three forms (2026-12-07, latest), and out of fold on train+dev it gives
#   headlines 0.904 against the consensus's 0.872, first paragraphs 0.731 against 0.706
#   (until then, fitted on full texts only, headlines went to the consensus: 0.849 / 0.872);
# - where the articles carry embeddings (a story_embedder is configured) the consensus runs,
#   the method that reads them: a setting the user chose is not silently ignored;
# - above PAIRS_MAX_ARTICLES one pair run's memory passes 4 GB (bench/results/scale_pairs.json:
#   2.0 GB at 50k, 3.1 GB at 100k, 5.6 GB at 200k; the consensus 1.8 GB at 50k, about 20 KB an
#   article in every process): there the pair mode runs in time windows (``in_windows``,
#   ``stories.windows``), which a caller decides before it reads the archive.
PAIRS_MIN_ARTICLES = 100
PAIRS_MAX_ARTICLES = 100_000


def headline_only(member: Member) -> bool:
    """A member with a title and no body (its text is 'title\\nbody')."""
    return member.text is not None and not member.text.partition("\n")[2].strip()


def choose_method(mode: str, members: Sequence[Member]) -> tuple[str, str]:
    """The batch method a mode runs on these members, and why (said to the user)."""
    check_mode(mode)
    if mode != "auto":
        return mode, f"story_batch = {mode!r}"
    n = len(members)
    if n < PAIRS_MIN_ARTICLES:
        return "consensus", f"auto: {n} articles, fewer than {PAIRS_MIN_ARTICLES} for the pair model"
    if n > PAIRS_MAX_ARTICLES:  # (a caller that can window decides so first: in_windows)
        return "consensus", f"auto: {n} articles, more than the pair mode's {PAIRS_MAX_ARTICLES}"
    if any(m.embedding is not None for m in members):  # story_embedder is set: honour it
        return "consensus", "auto: the articles carry embeddings (story_embedder), which only " \
            "the consensus reads"
    heads = sum(headline_only(m) for m in members)
    return "pairs", f"auto: {n} articles" + (f", {heads} of them headlines with no body"
                                              if heads else "")


def in_windows(mode: str, n: int, embedded: bool) -> tuple[str, str] | None:
    """("windows", why) where a rebuild of ``n`` articles runs the pair mode in time windows:
    'pairs', or 'auto' without embeddings (a configured story_embedder keeps the consensus,
    which reads them), above PAIRS_MAX_ARTICLES. None: the method is chosen on the members
    (``choose_method``)."""
    check_mode(mode)
    if n <= PAIRS_MAX_ARTICLES or mode == "consensus" or (mode == "auto" and embedded):
        return None
    from .windows import WINDOW_ARTICLES

    return "windows", (f"{'auto' if mode == 'auto' else 'story_batch = ' + repr(mode)}: {n} "
                       f"articles, more than one pair run's {PAIRS_MAX_ARTICLES}: the pair mode "
                       f"in time windows of {WINDOW_ARTICLES}")


def check_mode(mode: str) -> None:
    if mode not in BATCH_MODES:
        raise ConfigError(f"setting story_batch: unknown batch mode {mode!r}",
                          advice=f"use one of: {', '.join(BATCH_MODES)}")


def batch(clusterer: OnlineClusterer, members: list[Member], runs: int,
          notify: Progress | None = None, mode: str = "auto",
          engine: Engine | None = None) -> int:
    """The batch pass over a clusterer that has seen ``members`` in arrival order. ``mode``
    'pairs': adopt the stories of the pair model (``stories.pairwise``; members carry their
    text). 'consensus': with one run, refine that order; with more, adopt the stories a
    majority of runs agree on. 'auto': one of the two, see ``choose_method``; ``notify``
    hears ("batch method", (method, why)). Returns the number of articles moved."""
    method, why = choose_method(mode, members)
    if notify:
        notify("batch method", (method, why))
    if method == "pairs":
        from .pairwise import pair_groups

        return clusterer.adopt(pair_groups([m.doc() for m in members], clusterer.p,
                                           engine=engine, notify=notify))
    if runs <= 1:
        return clusterer.refine([m.id for m in members])
    from .consensus import consensus_groups  # (it reads Member from here)

    return clusterer.adopt(consensus_groups(members, clusterer.p, runs, notify, engine))
