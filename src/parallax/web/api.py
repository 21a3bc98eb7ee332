"""The JSON API under /api: the same shapes as the CLI's --json."""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from ..textutil import safe_text
from . import queries
from .deps import AnswerCacheDep, ReportCacheDep, SettingsDep, StoreDep, StoryQueryDep

router = APIRouter(prefix="/api")
MAX_INGEST_LIST = 1000  # articles per POST /api/ingest (one request, one transaction each)


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
def api_stories(store: StoreDep, query: StoryQueryDep, answers: AnswerCacheDep) -> Response:
    body = answers.answer(store, ("stories", query), lambda: queries.list_stories(store, query))
    return Response(body, media_type="application/json")


@router.get("/stories/{story_id}", summary="One story with its articles grouped by lineage")
def api_story(story_id: str, store: StoreDep, settings: SettingsDep,
              cache: ReportCacheDep) -> Response:
    return Response(queries.story_detail_json(store, story_id, settings, cache),
                    media_type="application/json")


@router.get("/articles/{article_id}", summary="One article: text, metadata and cleaning edits")
def api_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    data = queries.article_detail(store, article_id)
    data.pop("diff")
    return data


@router.get("/coverage", summary="Which outlets covered which stories, and volume over time")
def api_coverage(store: StoreDep) -> JSONResponse:
    from ..coverage import coverage

    return JSONResponse(coverage(store))


@router.get("/search", summary="Full-text search over articles")
def api_search(q: Annotated[str, Query(min_length=1)], store: StoreDep, answers: AnswerCacheDep,
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> Response:
    from .. import views

    q = safe_text(q)

    def make() -> dict[str, Any]:
        hits = store.search_articles(q, limit=limit, full=False)
        story_of = store.stories_of([a.id for a in hits])
        return {"query": q, "items": [views.article_summary(a, story_of.get(a.id)) for a in hits]}

    return Response(answers.answer(store, ("search", q, limit), make), media_type="application/json")


@router.post("/ingest", summary="Store one article, or a list of them (only when a token is "
             "configured)", status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"anyOf": [IngestBody.model_json_schema(ref_template="{model}"),
                                      {"type": "array", "items": {"type": "object"}}]}}}}})
async def api_ingest(request: Request, store: StoreDep, settings: SettingsDep):
    """One article gives ``{id, outcome}``. A list is stored together and stories are
    updated once for all of it (a stream sends its articles in batches: an update's fixed
    cost, loading and saving the clusterer's state, grows with the archive); it gives ``{items: [{id, outcome} | {error}]}``
    in the list's order, a bad article answered by its error while the rest are stored.
    The token is checked before the body is read (``Authorization: Bearer TOKEN``)."""
    token = settings.web_token
    if not token:
        return _error(403, "E403", "ingesting over HTTP is off",
                      "set web_token (PARALLAX_WEB_TOKEN) to turn it on")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return _error(401, "E401", "missing or wrong token", "send Authorization: Bearer <token>")
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(400, "E400", f"the body is not JSON ({exc.__class__.__name__})",
                      "send one article object or a list of them")
    if isinstance(body, list) and len(body) > MAX_INGEST_LIST:
        return _error(413, "E413", f"{len(body)} articles in one request",
                      f"send at most {MAX_INGEST_LIST} per request")
    if not isinstance(body, (dict, list)):
        return _error(400, "E400", "the body must be an article object or a list of them")
    try:
        return await run_in_threadpool(_ingest, store, settings, body)
    finally:
        request.app.state.answer_cache.generation += 1  # this server's answers are stale now


def _ingest(store, settings, body: dict | list):
    from ..pipeline import update_stories

    items = [_store_one(store, settings, b) for b in (body if isinstance(body, list) else [body])]
    if any("id" in item for item in items):
        update_stories(store, settings)
    if isinstance(body, list):
        return JSONResponse({"items": items}, status_code=201)
    if "error" in items[0]:
        return JSONResponse(items[0], status_code=400)
    return JSONResponse(items[0], status_code=201)


def _store_one(store, settings, raw: Any) -> dict[str, Any]:
    """Check, read, build and store one article: ``{id, outcome}``, or ``{error}`` for bad
    input or an article the pipeline could not process (the rest of a list goes on)."""
    from ..errors import StoreError
    from ..ingest.json import JsonReader
    from ..pipeline import build_article, internal_problem, store_article
    from ..records import Problem

    try:
        body = IngestBody.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "article"
        return {"error": {"code": "E422", "message": f"{where}: {first.get('msg', 'invalid')}"}}
    (item,) = list(JsonReader().read(json.dumps(body.model_dump()), "<api>"))
    if isinstance(item, Problem):
        return {"error": {"code": item.code, "message": item.message}}
    try:
        article = build_article(item, settings, store.vocabulary())
        _article, result = store_article(store, article)
    except StoreError:
        raise
    except Exception as exc:  # a bug met by one article: the rest of the list goes on
        problem = internal_problem("<api>", exc)
        return {"error": {"code": problem.code, "message": problem.message}}
    return {"id": result.article_id, "outcome": result.outcome.value}
