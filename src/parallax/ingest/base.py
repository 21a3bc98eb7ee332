"""The reader interface: one reader per input kind, each turning text into RawArticles."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from ..records import Problem, RawArticle

ReadItem = RawArticle | Problem


class Reader(ABC):
    """Reads one decoded input (a file's text, a fetched page) into articles.

    Problems that concern part of the input (a malformed JSON line, a dead link in a feed) are
    yielded as :class:`Problem` so the rest goes on; a reader raises
    :class:`~parallax.errors.InputError` only when nothing of the input can be read.
    """

    kind: ClassVar[str]

    @abstractmethod
    def read(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        """Yield the articles (and partial problems) found in ``text``."""
