"""The reader interface: one reader per input kind, each turning text into RawArticles."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from ..records import Problem, RawArticle
from .sanitize import sanitize

ReadItem = RawArticle | Problem


class Reader(ABC):
    """Reads one decoded input (a file's text, a fetched page) into articles.

    Problems that concern part of the input (a malformed JSON line, a dead link in a feed) are
    yielded as :class:`Problem` so the rest goes on; a reader raises
    :class:`~parallax.errors.InputError` only when nothing of the input can be read.
    Subclasses implement :meth:`parse`; :meth:`read` passes what it yields through the
    reader boundary (:mod:`.sanitize`).
    """

    kind: ClassVar[str]

    def read(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        """Yield the articles (and partial problems) found in ``text``, made safe."""
        for item in self.parse(text, origin, url=url):
            yield sanitize(item)

    @abstractmethod
    def parse(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        """Yield the articles (and partial problems) found in ``text``."""
