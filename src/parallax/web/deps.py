"""What the routes share: the settings, a store opened for one request, and the stories
query (the same filters for the page and the API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from ..settings import Settings
from ..store import Store, open_store
from ..textutil import safe_text
from . import queries


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Iterator[Store]:
    """A store for one request, closed when the response is sent."""
    store = open_store(request.app.state.settings.db)
    try:
        yield store
    finally:
        store.close()


def get_report_cache(request: Request) -> queries.ReportCache:
    return request.app.state.report_cache


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
