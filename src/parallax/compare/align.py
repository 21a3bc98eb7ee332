"""Fact groups: the statements of several voices that state one fact, with the statements
that tell the same thing differently attached to it.

1. Candidate pairs come from :func:`coverage.scan` (statements about one thing share most of
   the lighter one's informative words) and :func:`coverage.toll_pairs` (two tolls of one
   story: 'killing 10' / 'three people killed').
2. Each pair is related (:func:`relate.relate`): ``agree`` (one states what the other
   states), ``conflict`` (a checkable part differs: number, date, speaker, yes/no),
   ``differ`` (a date one side cannot place), or nothing.
3. Groups grow from the strongest ``agree`` pairs of two voices, one statement per voice, and
   only while every member states what the group's *lead* states (the lead is the member
   with the least to say, the core the others all hold), so a fact shown as corroborated is
   stated by each source listed.
4. Within one voice (an outlet's articles, copies of one report), the same sentence again is
   a *repeat* (it adds no source), and a later article that changes a number or a date is a
   *revision* of that voice, never a conflict.
5. A statement of another voice that conflicts with (or differs from) a group's lead joins it
   as a conflicting member, shown with what it says; when both sides are facts of their own,
   each keeps its sources and both show the conflict.
6. Every other statement is its own group (single-source); groups whose lead states no fact
   (a dateline, a list item) are dropped."""

from __future__ import annotations

from dataclasses import dataclass, field


from .coverage import Pair, scan, toll_pairs
from .quantities import kinds
from .relate import RelateParams, Relation, StoryWeights, coverage, relate, time_difference
from .statements import Statement

REPEAT = 0.9  # both coverages of two statements of one voice that are one sentence again


@dataclass(frozen=True)
class AlignParams:
    relate: RelateParams = field(default_factory=RelateParams)
    # which pairs the sentence-pair model is asked about (when there is one): those the words
    # left undecided with at least this coverage, each statement's best covered ones first
    model_floor: float = 0.15
    model_top_k: int = 3  # per statement, its best covered statements of other voices
    # a score at which a statement of another voice is shown beside a fact as told similarly
    # (for a reader to check; not a source of the fact)
    model_similar: float = 0.8
    # pairs the model scores per story, at most (the cost is per pair, 6-10 ms on one core):
    # this many per article, never fewer than the floor, the best covered first; 8 per
    # article keeps a 20-article story under 2 s and 300 long articles under 30 s
    model_pairs_per_article: int = 8
    model_min_pairs: int = 40


@dataclass
class Member:
    index: int
    role: str  # 'states' | 'conflicts' | 'differs' | 'revision' | 'repeats'
    relation: Relation | None = None  # how it relates to the lead (None: the lead itself)


@dataclass
class Group:
    lead: int
    members: list[Member]
    strength: float = 0.0  # the sum of its agreeing pairs' coverage (how central it is)
    # conflicts with statements that belong to another fact: (this fact's statement, the
    # other statement, their relation); the other stays where it is, both facts show it
    across: list[tuple[int, int, Relation]] = field(default_factory=list)
    # a later article of one voice that changes a number or date of a member of another fact
    revised: list[tuple[int, int, Relation]] = field(default_factory=list)
    # statements of other voices the sentence-pair model found close to this fact but that
    # did not join it: (statement, score), shown for a reader to check, never counted
    # statements of other voices told similarly: (index, model score, date difference or None)
    similar: list[tuple[int, float, dict | None]] = field(default_factory=list)

    def indices(self, *roles: str) -> list[int]:
        return [m.index for m in self.members if not roles or m.role in roles]


class Aligner:
    """Relations between a story's statements, computed once per pair; with a sentence-pair
    model (compare/pairmodel.py), its scores of the pairs it was asked about."""

    def __init__(self, statements: list[Statement], p: AlignParams | None = None, model=None):
        self.s = statements
        self.p = p or AlignParams()
        self.w = StoryWeights(statements)
        self.model = model
        self.cache: dict[tuple[int, int], Relation] = {}
        self.scores: dict[tuple[int, int], float] = {}
        articles = len({st.article for st in statements})
        self.budget = max(self.p.model_min_pairs, self.p.model_pairs_per_article * articles)

    def rel(self, i: int, j: int) -> Relation:
        """How statement ``j`` relates to ``i`` (computed once, either order)."""
        k = (i, j) if i < j else (j, i)
        if k not in self.cache:
            a, b = self.s[k[0]], self.s[k[1]]
            self.cache[k] = relate(a, b, coverage(self.w, k[0], k[1], a, b), self.p.relate,
                                   lambda: self.w.content(a, b), lambda: self.w.said_words(a, b),
                                   self.scores.get(k))
        return self.cache[k]

    def score(self, keys: list[tuple[int, int]]) -> None:
        """Ask the model about these pairs (i < j) it was not asked about yet; their cached
        relations are recomputed with the score. Within the story's budget of pairs, in the
        order given (the callers give the most promising first)."""
        if self.model is None:
            return
        todo = list(dict.fromkeys(k for k in keys if k not in self.scores))
        todo = todo[:max(0, self.budget - len(self.scores))]
        if not todo:
            return
        probs = self.model.score([(self.s[i].text, self.s[j].text) for i, j in todo])
        for k, v in zip(todo, probs):
            self.scores[k] = round(float(v), 4)
            self.cache.pop(k, None)

    def model_candidates(self, decided: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs of two voices the words left undecided that the model is asked about:
        each statement's ``model_top_k`` best covered (at least ``model_floor``), at most
        the best covered first (``score`` keeps to the story's budget)."""
        sts, p = self.s, self.p
        best: dict[int, list[Pair]] = {}
        for q in scan(sts, self.w, p.model_floor, min_common=1):
            a, b = sts[q.i], sts[q.j]
            if a.group == b.group or not (a.fact and b.fact) or (q.i, q.j) in decided:
                continue
            for k in (q.i, q.j):
                best.setdefault(k, []).append(q)
        chosen: dict[tuple[int, int], float] = {}
        for pairs in best.values():  # scan gives them best covered first
            for q in pairs[:p.model_top_k]:
                chosen[(q.i, q.j)] = q.small
        return sorted(chosen, key=lambda k: (-chosen[k], k))

    def pairs(self) -> list[Pair]:
        r = self.p.relate
        sts = self.s
        found = scan(sts, self.w, r.same_thing)
        # less in common than that: only a number (or a date, where date_thing is lower) can
        # differ, so only the statements that have one are scanned further
        for floor, has, related in ((r.number_thing, lambda s: bool(s.numbers),
                                     lambda a, b: kinds(a) & kinds(b)),
                                    (r.date_thing, lambda s: bool(s.times), lambda a, b: True)):
            if floor < r.same_thing:
                only = [k for k, s in enumerate(sts) if has(s)]
                found += [q for q in scan(sts, self.w, floor, only=only)
                          if q.small < r.same_thing and related(sts[q.i], sts[q.j])]
        seen: set[tuple[int, int]] = set()
        unique = []
        for q in found:
            if (q.i, q.j) not in seen:
                seen.add((q.i, q.j))
                unique.append(q)
        return unique + toll_pairs(sts, self.w, seen)


@dataclass
class _Relations:
    agree: list[Pair] = field(default_factory=list)
    against: list[tuple[Pair, Relation]] = field(default_factory=list)
    repeats: list[Pair] = field(default_factory=list)
    revisions: list[tuple[Pair, Relation]] = field(default_factory=list)


def _relations(al: Aligner) -> _Relations:
    out = _Relations()
    sts = al.s
    pairs = al.pairs()
    for pair in pairs:
        a, b = sts[pair.i], sts[pair.j]
        al.cache[(pair.i, pair.j)] = relate(a, b, pair.cov, al.p.relate, lambda: al.w.content(a, b),
                                            lambda: al.w.said_words(a, b))
    if al.model is not None:
        # what the words left undecided between two voices, the model is asked about
        decided = {k for k, r in al.cache.items() if r.kind != "none"}
        # three quarters of the budget; the rest for the pairs a join needs (lead and member)
        al.score(al.model_candidates(decided)[:al.budget * 3 // 4])
        modelled = sorted((k for k, v in al.scores.items() if v >= al.p.relate.model_agree),
                          key=lambda k: (-al.scores[k], k))
        seen = {(q.i, q.j) for q in pairs}
        for i, j in modelled:
            if (i, j) not in seen:
                pairs.append(Pair(i, j, *coverage(al.w, i, j, sts[i], sts[j])))
                seen.add((i, j))
    for pair in pairs:
        a, b = sts[pair.i], sts[pair.j]
        r = al.rel(pair.i, pair.j)
        if a.group == b.group:
            if a.article == b.article:
                continue
            if r.kind == "conflict" and r.finding["type"] in ("number", "date"):
                out.revisions.append((pair, r))
            elif r.kind == "agree" and pair.small >= REPEAT and pair.large >= REPEAT:
                out.repeats.append(pair)
        elif r.kind == "agree":
            out.agree.append(pair)
        elif r.kind in ("conflict", "differ"):
            out.against.append((pair, r))
    return out


class _Grouping:
    """The groups as they grow: ``group_of[i]`` is the key of statement i's group."""

    def __init__(self, al: Aligner):
        self.al = al
        self.s = al.s
        self.group_of = list(range(len(self.s)))
        self.groups: dict[int, Group] = {i: Group(i, [Member(i, "states")]) for i in range(len(self.s))}

    def voices(self, g: Group, *roles: str) -> set[str]:
        return {self.s[m.index].group for m in g.members if not roles or m.role in roles}

    def alone(self, i: int) -> bool:
        return len(self.groups[self.group_of[i]].members) == 1

    def attach(self, host: int, i: int, member: Member) -> None:
        """Statement ``i`` (alone in its group) joins group ``host``."""
        guest = self.group_of[i]
        g = self.groups[host]
        g.members.append(member)
        g.across += self.groups[guest].across
        g.revised += self.groups[guest].revised
        del self.groups[guest]
        self.group_of[i] = host

    def join(self, pair: Pair) -> None:
        """Two voices that state one fact: one group, if every member states its lead."""
        gi, gj = self.group_of[pair.i], self.group_of[pair.j]
        if gi == gj:
            self.groups[gi].strength += pair.small
            return
        g1, g2 = self.groups[gi], self.groups[gj]
        if self.voices(g1) & self.voices(g2):
            return  # one statement per voice
        lead = min((g1.lead, g2.lead), key=lambda x: (self.al.w.mass[x], x))
        merged = g1.members + g2.members
        self.al.score([(min(lead, m.index), max(lead, m.index)) for m in merged if m.index != lead
                       and self.al.rel(lead, m.index).kind == "none"])  # the model, where words fall short
        relations = {m.index: (self.al.rel(lead, m.index) if m.index != lead else None) for m in merged}
        if any(r is not None and r.kind != "agree" for r in relations.values()):
            return  # a member that does not state what the lead states
        keep, drop = (gi, gj) if self.groups[gi].lead == lead else (gj, gi)
        g = Group(lead, [Member(x.index, "states", relations[x.index]) for x in merged],
                  g1.strength + g2.strength + pair.small, g1.across + g2.across, g1.revised + g2.revised)
        g.members.sort(key=lambda m: (m.index != lead, m.index))
        self.groups[keep] = g
        del self.groups[drop]
        for m in g.members:
            self.group_of[m.index] = keep

    def _earlier_later(self, pair: Pair) -> tuple[int, int]:
        a, b = self.s[pair.i], self.s[pair.j]
        if (a.date or "", a.article) <= (b.date or "", b.article):
            return pair.i, pair.j
        return pair.j, pair.i

    def repeat(self, pair: Pair) -> None:
        """One voice's sentence again (a copy, an update that keeps it): it joins the fact of
        its twin and adds no source."""
        early, late = self._earlier_later(pair)
        if self.group_of[early] == self.group_of[late]:
            return
        if not self.alone(late):
            early, late = late, early
            if not self.alone(late):
                return
        self.attach(self.group_of[early], late, Member(late, "repeats", self.al.rel(early, late)))

    def revise(self, pair: Pair, r: Relation) -> None:
        """A later article of one voice that changes a number or date: a revision of that
        voice, shown with the earlier statement's fact."""
        early, late = self._earlier_later(pair)
        host = self.group_of[early]
        if self.group_of[late] == host:
            return
        if self.alone(late):
            self.attach(host, late, Member(late, "revision", r))
        else:
            self.groups[host].revised.append((early, late, r))

    def oppose(self, pair: Pair, r: Relation) -> None:
        """Two voices that tell one thing differently."""
        gi, gj = self.group_of[pair.i], self.group_of[pair.j]
        if gi == gj:
            return
        g1, g2 = self.groups[gi], self.groups[gj]
        # the side that is a lone statement joins the other's group; the group with more
        # voices keeps its place
        n1, n2 = len(self.voices(g1, "states")), len(self.voices(g2, "states"))
        host, guest = (gi, gj) if n1 >= n2 else (gj, gi)
        other = pair.j if guest == gj else pair.i
        if len(self.groups[guest].members) == 1 and self.s[other].group not in self.voices(self.groups[host]):
            lead_rel = self.al.rel(self.groups[host].lead, other)
            if lead_rel.kind not in ("conflict", "differ"):
                lead_rel = r  # shown against the statement it disagrees with
            role = "conflicts" if r.kind == "conflict" else "differs"
            self.attach(host, other, Member(other, role, lead_rel))
        elif r.kind == "conflict":
            # both sides are facts of their own: each keeps its sources, both show it
            self.groups[gi].across.append((pair.i, pair.j, r))
            self.groups[gj].across.append((pair.j, pair.i, r))

    def facts(self) -> list[Group]:
        out = [g for g in self.groups.values() if self.s[g.lead].fact]
        return sorted(out, key=lambda g: g.lead)


def align(statements: list[Statement], p: AlignParams | None = None, model=None) -> list[Group]:
    """The fact groups of a story's statements; ``model``: a sentence-pair model
    (compare/pairmodel.py) for what the words leave undecided, or None."""
    al = Aligner(statements, p, model)
    rel = _relations(al)
    grouping = _Grouping(al)
    for pair in rel.agree:
        grouping.join(pair)
    for pair in rel.repeats:
        grouping.repeat(pair)
    for pair, r in rel.revisions:
        grouping.revise(pair, r)
    for pair, r in rel.against:
        grouping.oppose(pair, r)
    groups = grouping.facts()
    if model is not None:
        told_similarly(al, groups)
    return groups


def told_similarly(al: Aligner, groups: list[Group]) -> None:
    """For each fact, the statements of other voices the sentence-pair model scored at
    ``model_similar`` or more with one of its statements, that did not join it (their words,
    numbers or dates did not show that they state it, or the score was under the threshold
    that counts as stating it): the best per voice, for a reader to check. Never counted as a
    source."""
    sts, floor = al.s, al.p.model_similar
    members = {}
    for gi, g in enumerate(groups):
        for m in g.members:
            members.setdefault(m.index, gi)
    near: dict[int, dict[str, tuple[float, int]]] = {}
    for (i, j), v in sorted(al.scores.items()):
        if v < floor:
            continue
        for mine, other in ((i, j), (j, i)):
            gi = members.get(mine)
            if gi is None or members.get(other) == gi:
                continue
            g = groups[gi]
            if mine not in g.indices("states") or sts[other].group in voices_of(g, sts):
                continue
            best = near.setdefault(gi, {})
            voice = sts[other].group
            if voice not in best or (-v, other) < (-best[voice][0], best[voice][1]):
                best[voice] = (v, other, mine)
    for gi, best in near.items():
        groups[gi].similar = sorted(((k, v, time_difference(sts[mine], sts[k]))
                                     for v, k, mine in best.values()), key=lambda x: (-x[1], x[0]))


def voices_of(g: Group, statements: list[Statement], *roles: str) -> set[str]:
    return {statements[m.index].group for m in g.members if not roles or m.role in roles}
