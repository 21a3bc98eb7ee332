"""Which statement pairs are about one thing is computed by blocks of rows (a large story never
holds an n x n matrix); whatever the blocks, every pair and every coverage is the same, and so
is the alignment."""

from __future__ import annotations

import pytest

from parallax.compare import coverage
from parallax.compare.align import align
from parallax.compare.coverage import scan
from parallax.compare.relate import StoryWeights
from parallax.compare.statements import Statement
from parallax.stories.features import terms

SEEDS = [
    ("efe", "Blinken asked his Russian counterpart to sign the New START treaty."),
    ("efe", "The G20 foreign ministers failed on Thursday to reach a joint agreement."),
    ("efe", "The treaty limited each power to 1,550 nuclear warheads and 700 systems."),
    ("efe", "Russia should free Paul Whelan, an incarcerated US citizen."),
    ("voz", "Blinken asked the interlocutor to review Russia's involvement in the treaty."),
    ("voz", "The G20 foreign ministers failed on Thursday to reach a joint agreement, officials said."),
    ("voz", "Blinken called on Moscow to release Paul Whelan, imprisoned in Russia."),
    ("voz", "The heads of diplomacy met for less than ten minutes."),
    ("copy", "The G20 foreign ministers failed on Thursday to reach a joint agreement."),
    ("copy", "Both clauses were rejected by representatives of Russia and China."),
    ("ap", "Nuclear warheads were capped at 1,550 by the treaty signed in 2010."),
    ("ap", "Lavrov held talks with his counterparts from China, Brazil and India."),
]


def statements() -> list[Statement]:
    out = []
    for n, (source, text) in enumerate(SEEDS):
        out.append(Statement(f"{source}:{n}", source, source, "efe" if source == "copy" else source,
                             n, 0, len(text), text, dict(terms(text))))
    return out


def brute_force(sts, w, min_small, min_common=2):
    found = []
    for i in range(len(sts)):
        for j in range(i + 1, len(sts)):
            common = [t for t in sts[i].terms if t in sts[j].terms]
            shared = sum(w.idf[t] for t in common)
            lo, hi = sorted((w.mass[i], w.mass[j]))
            small = shared / lo if lo else 0.0
            if small >= min_small and len(common) >= min_common:
                found.append((i, j, round(small, 9), round(shared / hi if hi else 0.0, 9), len(common)))
    return sorted(found, key=lambda p: (-p[2], -p[3], p[0], p[1]))


@pytest.fixture(params=[1, 5, 13, 10_000], ids=lambda c: f"block{c}")
def block_cells(request, monkeypatch):
    monkeypatch.setattr(coverage, "BLOCK_CELLS", request.param)
    return request.param


def test_blocks_find_every_pair_a_full_scan_finds(block_cells):
    sts = statements()
    w = StoryWeights(sts)
    got = [(p.i, p.j, round(p.small, 9), round(p.large, 9), p.common) for p in scan(sts, w, 0.3)]
    assert got == brute_force(sts, w, 0.3) and got


def test_a_scan_among_some_statements_names_them_by_their_place_in_the_story(block_cells):
    sts = statements()
    w = StoryWeights(sts)
    only = [9, 1, 4, 8, 0, 5]  # any order: pairs are named by story index, i < j in the subset
    got = [(p.i, p.j, round(p.small, 9), round(p.large, 9), p.common)
           for p in scan(sts, w, 0.3, only=only)]
    every = brute_force(sts, w, 0.3)
    pos = {k: r for r, k in enumerate(only)}
    want = [p for p in every if p[0] in pos and p[1] in pos and pos[p[0]] < pos[p[1]]]
    want += [(j, i, s, g, c) for i, j, s, g, c in every
             if i in pos and j in pos and pos[j] < pos[i]]
    assert got == sorted(want, key=lambda p: (-p[2], -p[3], p[0], p[1])) and len(got) >= 2


def test_a_copy_covers_its_original_and_never_corroborates_it():
    sts = statements()
    w = StoryWeights(sts)
    pair = next(p for p in scan(sts, w, 0.3) if (p.i, p.j) == (1, 8))
    assert pair.small == pytest.approx(1.0)  # a copy of the same report holds every word
    for g in align(sts):  # ... but one voice (EFE and its copy) never corroborates itself
        voices = [sts[m.index].group for m in g.members if m.role == "states"]
        assert len(voices) == len(set(voices))


def test_alignment_does_not_depend_on_the_blocks(monkeypatch):
    sts = statements()
    monkeypatch.setattr(coverage, "BLOCK_CELLS", 10_000)
    big = [(g.lead, [(m.index, m.role) for m in g.members]) for g in align(sts)]
    monkeypatch.setattr(coverage, "BLOCK_CELLS", 1)
    small = [(g.lead, [(m.index, m.role) for m in g.members]) for g in align(sts)]
    assert big == small and any(len(m) > 1 for _l, m in big)


def test_empty_story():
    assert align([]) == [] and scan([], StoryWeights([]), 0.3) == []
