"""Records from JSON documents as a stream (ijson), in constant memory: a top-level array's
items, the items of ``{"articles": [...]}``, a single object, or several top-level values
one after another. A record larger than the cap is skipped without being built."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import ijson

TOO_BIG = object()  # stands for a record over the cap


class _Record:
    """Builds one value from its events, counting its size as it goes."""

    def __init__(self, cap: int):
        self.builder: Any = ijson.ObjectBuilder()
        self.cap, self.size, self.depth = cap, 0, 0

    def feed(self, event: str, value: Any) -> bool:
        """Take one event; True when the value is complete."""
        if event in ("start_map", "start_array"):
            self.depth += 1
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


def records(events: Iterable[tuple[str, str, Any]], cap: int) -> Iterator[Any]:
    """The records in ``ijson.parse`` events (each a built value, or :data:`TOO_BIG`)."""
    it = iter(events)
    item_prefix: str | None = None  # where the records are: "item" or "articles.item"
    current: _Record | None = None
    top: _Record | None = None  # a top-level object, unless it wraps "articles"
    wrapped = False  # the top-level object holds "articles": [...]
    for prefix, event, value in it:
        if current is not None:
            if current.feed(event, value):
                yield current.value
                current = None
            continue
        if item_prefix is not None and prefix == item_prefix:
            current = _Record(cap)
            if current.feed(event, value):  # a scalar item
                yield current.value
                current = None
            continue
        if prefix == "":
            if event == "start_array":
                item_prefix = "item"
            elif event == "end_array":
                item_prefix = None
            elif event == "start_map":
                top, wrapped = _Record(cap), False
                top.feed(event, value)
            elif event == "end_map" and top is not None:
                top.feed(event, value)
                if not wrapped:  # a single object
                    yield top.value
                top = None
            elif event == "map_key" and value == "articles" and top is not None:
                prefix2, event2, value2 = next(it)
                if event2 == "start_array":
                    item_prefix, wrapped = "articles.item", True
                    continue
                top.feed(event, value)
                top.feed(event2, value2)
            elif top is not None:
                top.feed(event, value)
            else:
                yield value  # a scalar at the top
            continue
        if prefix == "articles" and event == "end_array" and item_prefix == "articles.item":
            item_prefix = None  # the wrapper's array ended; the object goes on
            continue
        if top is not None:
            top.feed(event, value)
