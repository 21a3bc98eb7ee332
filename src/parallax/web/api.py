"""The JSON API under /api: the same shapes as the CLI's --json."""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from . import queries
from .deps import SettingsDep, StoreDep, StoryQueryDep

router = APIRouter(prefix="/api")


class IngestBody(BaseModel):
    """One article for ``POST /api/ingest`` (the JSON reader's field names)."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: str | None = None


def _error(status: int, code: str, message: str, advice: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "advice": advice}},
                        status_code=status)


@router.get("/stories", summary="Stories, filtered, sorted and paginated")
def api_stories(store: StoreDep, query: StoryQueryDep) -> dict[str, Any]:
    return queries.list_stories(store, query)


@router.get("/stories/{story_id}", summary="One story with its articles grouped by lineage")
def api_story(story_id: str, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    return queries.story_detail(store, story_id, settings)


@router.get("/articles/{article_id}", summary="One article: text, metadata and cleaning edits")
def api_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    data = queries.article_detail(store, article_id)
    data.pop("diff")
    return data


@router.get("/search", summary="Full-text search over articles")
def api_search(q: Annotated[str, Query(min_length=1)], store: StoreDep,
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    from .. import views

    hits = store.search_articles(q, limit=limit)
    story_of = store.stories_of([a.id for a in hits])
    return {"query": q, "items": [views.article_summary(a, story_of.get(a.id)) for a in hits]}


@router.post("/ingest", summary="Store one article (only when a token is configured)",
             status_code=201)
def api_ingest(body: IngestBody, store: StoreDep, settings: SettingsDep,
               authorization: Annotated[str | None, Header()] = None):
    token = settings.web_token
    if not token:
        return _error(403, "E403", "ingesting over HTTP is off",
                      "set web_token (PARALLAX_WEB_TOKEN) to turn it on")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return _error(401, "E401", "missing or wrong token", "send Authorization: Bearer <token>")
    from ..ingest.json import JsonReader
    from ..pipeline import build_article, store_article, update_stories
    from ..records import Problem

    (item,) = list(JsonReader().read(json.dumps(body.model_dump()), "<api>"))
    if isinstance(item, Problem):
        return _error(400, item.code, item.message)
    article = build_article(item, settings, store.vocabulary())
    _article, result = store_article(store, article)
    update_stories(store, settings)
    return {"id": result.article_id, "outcome": result.outcome.value}
