"""Records from JSON documents as a stream (ijson), in constant memory: a top-level array's
items, the items of ``{"articles": [...]}``, a single object, or several top-level values
one after another. A record larger than the cap is skipped without being built."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import ijson

TOO_BIG = object()  # stands for a record over the cap (in bytes or nesting)
MAX_DEPTH = 64


class _Record:
    """Builds one value from its events, counting its size as it goes."""

    def __init__(self, cap: int):
        self.builder: Any = ijson.ObjectBuilder()
        self.cap, self.size, self.depth = cap, 0, 0

    def feed(self, event: str, value: Any) -> bool:
        """Take one event; True when the value is complete."""
        if event in ("start_map", "start_array"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.builder = None  # a record nested this deep is refused, never built
        elif event in ("end_map", "end_array"):
            self.depth -= 1
        self.size += len(value) if isinstance(value, str) else 8
        if self.builder is not None:
            if self.size > self.cap:
                self.builder = None
            else:
                self.builder.event(event, value)
        return self.depth == 0

    @property
    def value(self) -> Any:
        return TOO_BIG if self.builder is None else self.builder.value


def records(events: Iterable[tuple[str, Any]], cap: int) -> Iterator[Any]:
    """The records in ``ijson.basic_parse`` events (each a built value, or :data:`TOO_BIG`).
    Depth is counted here (ijson's prefixes grow with the nesting: quadratic on a hostile
    input); records sit at depth 1 (an array's items) or 2 (``{"articles": [...]}``)."""
    depth = 0  # containers open around the current event, outside any record
    item_depth: int | None = None  # the depth of the records, while their array is open
    current: _Record | None = None  # the record being built
    top: _Record | None = None  # a top-level object (yielded unless it wraps "articles")
    wrapped = pending_key = False
    for event, value in events:
        if current is not None:
            if current.feed(event, value):
                yield current.value
                current = None
            continue
        if item_depth is not None and depth == item_depth and event != "end_array":
            current = _Record(cap)
            if current.feed(event, value):  # a scalar record
                yield current.value
                current = None
            continue
        if event in ("start_map", "start_array"):
            if depth == 0 and event == "start_array":
                item_depth = 1
            elif depth == 0:
                top, wrapped = _Record(cap), False
            elif pending_key and event == "start_array":
                pending_key, wrapped, item_depth, depth = False, True, 2, depth + 1
                continue
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if item_depth is not None and depth < item_depth:
                item_depth = None
                if depth == 1:  # the end of "articles": [...]
                    continue
        elif depth == 0:
            yield value  # a scalar at the top
            continue
        if top is None:
            continue
        if pending_key:  # "articles" held something else than an array
            top.feed("map_key", "articles")
            pending_key = False
        if depth == 1 and event == "map_key" and value == "articles":
            pending_key = True
            continue
        if top.feed(event, value):
            if not wrapped:
                yield top.value
            top = None
