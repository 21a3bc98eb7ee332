"""What the routes share: the settings, a store opened for one request, and the stories
query (the same filters for the page and the API)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from ..settings import Settings
from ..store import Store, open_store
from ..textutil import safe_text
from . import queries


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


class StorePool:
    """Open stores lent to requests, one request at a time each, and taken back after it
    (opening one per request cost more than most requests). There are never more than the
    requests served at once: the server's worker threads come and go, and a store kept per
    thread would leak one connection for every thread that ended. All closed when the app
    stops."""

    def __init__(self, db: str):
        self.db = db
        self._free: list[Store] = []
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        with self._lock:
            if self._free:
                return self._free.pop()
        store = open_store(self.db)
        with self._lock:
            self._all.append(store)
        return store

    def release(self, store: Store) -> None:
        with self._lock:
            self._free.append(store)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


def get_store(request: Request) -> Iterator[Store]:
    """A store for this request (back to the pool after it)."""
    pool = request.app.state.stores
    store = pool.acquire()
    try:
        yield store
    finally:
        pool.release(store)


def get_report_cache(request: Request) -> queries.ReportCache:
    return request.app.state.report_cache


def get_answer_cache(request: Request) -> queries.AnswerCache:
    return request.app.state.answer_cache


AnswerCacheDep = Annotated[queries.AnswerCache, Depends(get_answer_cache)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ReportCacheDep = Annotated[queries.ReportCache, Depends(get_report_cache)]
StoreDep = Annotated[Store, Depends(get_store)]


def story_query(q: str | None = None,
                date_from: Annotated[str | None, Query(alias="from")] = None,
                date_to: Annotated[str | None, Query(alias="to")] = None,
                outlet: str | None = None, entity: str | None = None,
                sort: Annotated[str, Query(pattern="^(recent|size|sources)$")] = "recent",
                page: Annotated[int, Query(ge=1)] = 1,
                per_page: Annotated[int, Query(ge=1, le=200)] = 20) -> queries.StoryQuery:
    q, date_from, date_to, outlet, entity = (safe_text(v) if v else None for v in
                                             (q, date_from, date_to, outlet, entity))
    return queries.StoryQuery(q, date_from, date_to, outlet, entity, sort, page, per_page)


StoryQueryDep = Annotated[queries.StoryQuery, Depends(story_query)]
