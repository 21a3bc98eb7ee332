"""FastAPI application: HTML pages (Jinja2, no front-end build) and a JSON API with the same
shapes as the CLI's --json. Binds to 127.0.0.1 by default (see ``parallax serve``)."""

from __future__ import annotations

import hmac
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from .. import __version__
from ..errors import NotFoundError, ParallaxError, StoreError
from ..settings import Settings
from ..store import open_store
from . import queries
from .security import SecurityHeaders, safe_url

HERE = Path(__file__).parent


class IngestBody(BaseModel):
    """One article for ``POST /api/ingest`` (the JSON reader's field names)."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: str | None = None


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Load what the story page needs once at start, so no request pays for the imports."""
    import sklearn.feature_extraction.text  # noqa: F401

    from .. import compare  # noqa: F401

    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.load()
    app = FastAPI(title="Parallax", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=_warm_up,
                  description="Stories built from many outlets' reports, and their sources.")
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["safe_url"] = safe_url
    from ..compare.report import date_flag, shown_finding

    templates.env.globals["date_flag"] = date_flag  # one wording for CLI, exports and web
    templates.env.globals["shown_finding"] = shown_finding
    app.state.settings = settings

    @contextmanager
    def store():
        s = open_store(settings.db)
        try:
            yield s
        finally:
            s.close()

    @app.exception_handler(ParallaxError)
    async def parallax_error(request: Request, exc: ParallaxError):
        status = 404 if isinstance(exc, NotFoundError) else 500 if isinstance(exc, StoreError) else 400
        body = {"error": {"code": exc.code, "message": exc.message, "advice": exc.advice}}
        if request.url.path.startswith("/api/"):
            return JSONResponse(body, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"error": body["error"]},
                                          status_code=status)

    def story_query(q: str | None = None, date_from: Annotated[str | None, Query(alias="from")] = None,
                    date_to: Annotated[str | None, Query(alias="to")] = None,
                    outlet: str | None = None, entity: str | None = None,
                    sort: Annotated[str, Query(pattern="^(recent|size|sources)$")] = "recent",
                    page: Annotated[int, Query(ge=1)] = 1,
                    per_page: Annotated[int, Query(ge=1, le=200)] = 20) -> queries.StoryQuery:
        return queries.StoryQuery(q or None, date_from or None, date_to or None, outlet or None,
                                  entity or None, sort, page, per_page)

    # -- JSON API -----------------------------------------------------------------------------
    api = APIRouter(prefix="/api")

    @api.get("/stories", summary="Stories, filtered, sorted and paginated")
    def api_stories(query: queries.StoryQuery = Depends(story_query)) -> dict[str, Any]:
        with store() as s:
            return queries.list_stories(s, query)

    @api.get("/stories/{story_id}", summary="One story with its articles grouped by lineage")
    def api_story(story_id: str) -> dict[str, Any]:
        with store() as s:
            return queries.story_detail(s, story_id, settings)

    @api.get("/articles/{article_id}", summary="One article: text, metadata and cleaning edits")
    def api_article(article_id: str) -> dict[str, Any]:
        with store() as s:
            data = queries.article_detail(s, article_id)
        data.pop("diff")
        return data

    @api.get("/search", summary="Full-text search over articles")
    def api_search(q: Annotated[str, Query(min_length=1)],
                   limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
        from .. import views

        with store() as s:
            hits = s.search_articles(q, limit=limit)
            story_of = s.stories_of([a.id for a in hits])
            return {"query": q, "items": [views.article_summary(a, story_of.get(a.id)) for a in hits]}

    @api.post("/ingest", summary="Store one article (only when a token is configured)",
              status_code=201)
    def api_ingest(body: IngestBody, authorization: Annotated[str | None, Header()] = None):
        token = settings.web_token
        if not token:
            return JSONResponse({"error": {"code": "E403", "message": "ingesting over HTTP is off",
                                           "advice": "set web_token (PARALLAX_WEB_TOKEN) to turn it on"}},
                                status_code=403)
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"error": {"code": "E401", "message": "missing or wrong token",
                                           "advice": "send Authorization: Bearer <token>"}},
                                status_code=401)
        from ..ingest.json import JsonReader
        from ..pipeline import build_article, store_article, update_stories
        from ..records import Problem
        import json as _json

        (item,) = list(JsonReader().read(_json.dumps(body.model_dump()), "<api>"))
        if isinstance(item, Problem):
            return JSONResponse({"error": {"code": item.code, "message": item.message}},
                                status_code=400)
        with store() as s:
            article = build_article(item, settings, s.vocabulary())
            _article, result = store_article(s, article)
            update_stories(s, settings)
        return {"id": result.article_id, "outcome": result.outcome.value}

    app.include_router(api)

    # -- pages --------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_stories(request: Request, query: queries.StoryQuery = Depends(story_query)):
        with store() as s:
            data = queries.list_stories(s, query)
        pages = max(1, -(-data["total"] // query.per_page))
        return templates.TemplateResponse(request, "stories.html",
                                          {"data": data, "query": query, "pages": pages})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(request: Request, story_id: str):
        with store() as s:
            data = queries.story_detail(s, story_id, settings)
        return templates.TemplateResponse(request, "story.html", {"story": data})

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(request: Request, article_id: str):
        with store() as s:
            data = queries.article_detail(s, article_id)
        return templates.TemplateResponse(request, "article.html", {"a": data})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_docs(request: Request):
        """The OpenAPI description rendered here, without a CDN (the UI works offline)."""
        spec = app.openapi()
        endpoints = [{"method": m.upper(), "path": path, "summary": op.get("summary", ""),
                      "params": [p["name"] + ("" if not p.get("required") else " (required)")
                                 for p in op.get("parameters", [])]}
                     for path, ops in spec["paths"].items() for m, op in ops.items()]
        return templates.TemplateResponse(request, "docs.html", {"endpoints": endpoints,
                                                                  "version": spec["info"]["version"]})

    return app
