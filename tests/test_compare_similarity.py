"""The statement similarity is computed by blocks of rows (a large story never holds an n x n
matrix); whatever the blocks, every value, every aligned pair and every closeness is the same."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.compare import similarity
from parallax.compare.align import AlignParams, align
from parallax.compare.similarity import Similarity
from parallax.compare.statements import Statement
from parallax.stories.features import terms

SEEDS = [
    ("efe", "Blinken asked his Russian counterpart to sign the New START treaty.", {"blinken", "russia"}, []),
    ("efe", "The G20 foreign ministers failed on Thursday to reach a joint agreement.", {"g20"}, []),
    ("efe", "The treaty limited each power to 1,550 nuclear warheads and 700 systems.", set(), [1550, 700]),
    ("efe", "Russia should free Paul Whelan, an incarcerated US citizen.", {"russia", "whelan"}, []),
    ("voz", "Blinken asked the interlocutor to review Russia's involvement in the treaty.", {"blinken", "russia"}, []),
    ("voz", "The meeting of the G20 foreign ministers ended without an agreement.", {"g20"}, []),
    ("voz", "Blinken called on Moscow to release Paul Whelan, imprisoned in Russia.", {"blinken", "whelan", "russia"}, []),
    ("voz", "The heads of diplomacy met for less than ten minutes.", set(), [10]),
    ("copy", "The G20 foreign ministers failed on Thursday to reach a joint agreement.", {"g20"}, []),
    ("copy", "Both clauses were rejected by representatives of Russia and China.", {"russia", "china"}, []),
    ("ap", "Nuclear warheads were capped at 1,550 by the treaty signed in 2010.", set(), [1550]),
    ("ap", "Lavrov held talks with his counterparts from China, Brazil and India.", {"lavrov", "china"}, []),
]


def statements() -> list[Statement]:
    out = []
    for n, (source, text, entities, numbers) in enumerate(SEEDS):
        st = Statement(f"{source}:{n}", source, source, "efe" if source == "copy" else source,
                       n, 0, len(text), text, dict(terms(text)))
        st.entities = entities
        st.numbers = [{"value": v} for v in numbers]
        out.append(st)
    return out


@pytest.fixture(params=[1, 5, 13, 10_000], ids=lambda c: f"block{c}")
def block_cells(request, monkeypatch):
    monkeypatch.setattr(similarity, "BLOCK_CELLS", request.param)
    return request.param


def test_blocks_and_pairs_match_the_whole_matrix(block_cells):
    sts = statements()
    sim = Similarity(sts, AlignParams())
    whole = sim.matrix()
    n = len(sts)
    assert whole.shape == (n, n) and np.array_equal(whole, whole.T)
    rows, cols = [3, 0, 7], [11, 2, 3, 5]
    assert np.array_equal(sim.block(rows, cols), whole[np.ix_(rows, cols)])
    assert all(sim[i, j] == whole[i, j] for i in range(n) for j in range(n))
    pairs = sim.scan(0.30, [s.group for s in sts])
    expected = sorted(((whole[i, j], i, j) for i in range(n) for j in range(i + 1, n)
                       if whole[i, j] >= 0.30 and sts[i].group != sts[j].group),
                      key=lambda x: (-x[0], x[1], x[2]))
    assert pairs == [(i, j) for _s, i, j in expected] and pairs
    assert np.array_equal(sim.closeness, whole.sum(axis=1) - np.diag(whole))


def test_values_read_as_intended():
    sts = statements()
    sim = Similarity(sts, AlignParams())
    # a copy of the same report is as similar as can be; the copies never align (one group)
    assert sim[1, 8] > 0.99
    assert (1, 8) not in sim.scan(0.30, [s.group for s in sts])
    # a shared number adds the bonus: 1,550 warheads in EFE and AP
    bonus = Similarity(sts, AlignParams(number_bonus=0.0))
    assert sim[2, 10] == pytest.approx(bonus[2, 10] + 0.1)
    assert sim[1, 7] == bonus[1, 7]


def test_alignment_does_not_depend_on_the_blocks(monkeypatch):
    sts = statements()
    monkeypatch.setattr(similarity, "BLOCK_CELLS", 10_000)
    groups, sim = align(sts)
    monkeypatch.setattr(similarity, "BLOCK_CELLS", 1)
    groups_small, sim_small = align(sts)
    assert groups == groups_small and any(len(g) > 1 for g in groups)
    assert np.array_equal(sim.closeness, sim_small.closeness)


def test_empty_story():
    groups, sim = align([])
    assert groups == [] and sim.matrix().shape == (0, 0) and len(sim.closeness) == 0


def test_within_groups_matches_blocks(block_cells):
    sim = Similarity(statements(), AlignParams())
    groups = [[0, 4], [1, 5, 8], [2, 10], [3, 6, 9, 11], [7]]
    got = sim.within(groups)
    assert len(got) == len(groups)
    for g, block in zip(groups, got):
        assert np.array_equal(block, sim.block(g, g))
