"""The HTML pages (Jinja2 templates, no front-end build): stories, one story, one article,
and the API description."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..compare.report import date_flag, findings_shown, shown_finding, similar_label, status_label
from . import queries
from .deps import ReportCacheDep, SettingsDep, StoreDep, StoryQueryDep
from .security import safe_url

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["safe_url"] = safe_url
templates.env.globals["date_flag"] = date_flag  # one wording for CLI, exports and web
templates.env.globals["shown_finding"] = shown_finding
templates.env.globals["findings_shown"] = findings_shown
templates.env.globals["similar_label"] = similar_label
templates.env.globals["status_label"] = status_label

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def page_stories(request: Request, store: StoreDep, query: StoryQueryDep):
    data = queries.list_stories(store, query)
    pages = max(1, -(-data["total"] // query.per_page))
    return templates.TemplateResponse(request, "stories.html",
                                      {"data": data, "query": query, "pages": pages})


@router.get("/stories/{story_id}")
def page_story(request: Request, story_id: str, store: StoreDep, settings: SettingsDep,
               cache: ReportCacheDep):
    data = queries.story_detail(store, story_id, settings, cache)
    return templates.TemplateResponse(request, "story.html", {"story": data})


@router.get("/articles/{article_id}")
def page_article(request: Request, article_id: str, store: StoreDep):
    data = queries.article_detail(store, article_id)
    return templates.TemplateResponse(request, "article.html", {"a": data})


@router.get("/coverage")
def page_coverage(request: Request, store: StoreDep):
    from ..coverage import coverage

    return templates.TemplateResponse(request, "coverage.html", {"c": coverage(store)})


@router.get("/docs")
def page_docs(request: Request):
    """The OpenAPI description rendered here, without a CDN (the UI works offline)."""
    spec = request.app.openapi()
    endpoints = [{"method": m.upper(), "path": path, "summary": op.get("summary", ""),
                  "params": [p["name"] + ("" if not p.get("required") else " (required)")
                             for p in op.get("parameters", [])]}
                 for path, ops in spec["paths"].items() for m, op in ops.items()]
    return templates.TemplateResponse(request, "docs.html",
                                      {"endpoints": endpoints, "version": spec["info"]["version"]})
