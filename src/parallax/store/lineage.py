"""Where the lineage stage keeps its MinHash band keys and its groups.

Like datasketch's LSH storage backends, the index is chosen by where the work runs: a batch
evaluation keeps it in memory (:class:`MemoryLineageIndex`); a store keeps it in its tables
(``Store.lineage_index()``), so that each new article costs a few indexed lookups however large
the archive, instead of a replay of every stored article.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence

from ..records import LineageMember


class LineageIndex(ABC):
    """Band keys of each article (``keys[i]`` is its key in band ``i``) and the group each
    article belongs to; a group's id is the id of its first article."""

    @abstractmethod
    def candidates(self, keys: Sequence[int]) -> set[str]:
        """Ids of the articles that share at least one band key with ``keys``."""

    def candidate_groups(self, keys: Sequence[int]) -> set[str]:
        """The groups of the articles that share a band key with ``keys``. The articles of
        one band bucket are always in one group (each article joins, and merges, the groups of
        every bucket it falls in), so one article a bucket tells its group: a backend may read
        that one (a wire story run by hundreds of outlets fills its buckets with hundreds)."""
        return set(self.groups_of(sorted(self.candidates(keys))).values())

    @abstractmethod
    def insert(self, member: LineageMember, keys: Sequence[int], group_id: str) -> None: ...

    @abstractmethod
    def groups_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> group id."""

    @abstractmethod
    def members(self, group_id: str) -> list[LineageMember]:
        """A group's members in arrival order."""

    def origin_pool(self, group_id: str) -> list[LineageMember]:
        """At least the members a group's origin is chosen among (``stories.lineage``): those
        of its earliest date, or all when none is dated. Here every member; a backend may
        return only those."""
        return self.members(group_id)

    def credited(self, group_id: str) -> set[str]:
        """The sources a group's members credit, case-folded."""
        return {m.credited_source.casefold() for m in self.members(group_id) if m.credited_source}

    def member_ids(self, group_id: str) -> list[str]:
        """A group's members' ids in arrival order."""
        return [m.article_id for m in self.members(group_id)]

    @abstractmethod
    def regroup(self, old_group: str, new_group: str) -> None:
        """Move every member of ``old_group`` into ``new_group`` (two groups became one)."""

    @abstractmethod
    def origin(self, group_id: str) -> str | None: ...

    @abstractmethod
    def set_origin(self, group_id: str, article_id: str) -> None: ...

    @abstractmethod
    def clear(self) -> None:
        """Forget everything (before a replay of the whole archive)."""


class MemoryLineageIndex(LineageIndex):
    def __init__(self) -> None:
        self._bands: dict[tuple[int, int], list[str]] = defaultdict(list)
        self._group_of: dict[str, str] = {}
        self._members: dict[str, list[LineageMember]] = {}
        self._origin: dict[str, str] = {}

    def candidates(self, keys: Sequence[int]) -> set[str]:
        found: set[str] = set()
        for band, key in enumerate(keys):
            found.update(self._bands.get((band, key), ()))
        return found

    def insert(self, member: LineageMember, keys: Sequence[int], group_id: str) -> None:
        for band, key in enumerate(keys):
            self._bands[(band, key)].append(member.article_id)
        self._group_of[member.article_id] = group_id
        self._members.setdefault(group_id, []).append(member)

    def groups_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {a: self._group_of[a] for a in article_ids if a in self._group_of}

    def members(self, group_id: str) -> list[LineageMember]:
        return list(self._members.get(group_id, ()))

    def regroup(self, old_group: str, new_group: str) -> None:
        moved = self._members.pop(old_group, [])
        self._origin.pop(old_group, None)
        for m in moved:
            self._group_of[m.article_id] = new_group
        merged = self._members.setdefault(new_group, []) + moved
        self._members[new_group] = sorted(merged, key=lambda m: m.arrival)

    def origin(self, group_id: str) -> str | None:
        return self._origin.get(group_id)

    def set_origin(self, group_id: str, article_id: str) -> None:
        self._origin[group_id] = article_id

    def clear(self) -> None:
        self.__init__()
