"""FastAPI application: HTML pages (``pages``) and a JSON API (``api``) over one store, with
errors as JSON under /api and as a page elsewhere. Binds to 127.0.0.1 by default (see
``parallax serve``)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import NotFoundError, ParallaxError, StoreError
from ..settings import Settings
from . import api, pages, queries
from .deps import StorePool
from .security import BodyLimit, SecurityHeaders

HERE = Path(__file__).parent


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Load what the story page needs once at start, so no request pays for the imports."""
    import sklearn.feature_extraction.text  # noqa: F401

    from .. import compare  # noqa: F401

    yield
    app.state.stores.close()


def error_response(request: Request, status: int, code: str, message: str,
                   advice: str | None = None, headers: dict[str, str] | None = None):
    """Every 4xx and 5xx in one shape: ``{"error": {code, message, advice}}`` under /api,
    else the error page."""
    error = {"code": code, "message": message, "advice": advice or ""}
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return JSONResponse({"error": error}, status_code=status, headers=headers)
    return pages.templates.TemplateResponse(request, "error.html", {"error": error},
                                            status_code=status, headers=headers)


async def _parallax_error(request: Request, exc: ParallaxError):
    """404 for what is not there, 500 for the store, 400 for the rest."""
    status = 404 if isinstance(exc, NotFoundError) else 500 if isinstance(exc, StoreError) else 400
    return error_response(request, status, exc.code, exc.message, exc.advice)


_HTTP_MESSAGES = {404: ("E404", "no such page or endpoint", "see /docs for the API"),
                  405: ("E405", "method not allowed here", "see /docs for the API"),
                  413: ("E413", "request too large", None)}


async def _http_error(request: Request, exc: StarletteHTTPException):
    code, message, advice = _HTTP_MESSAGES.get(
        exc.status_code, (f"E{exc.status_code}", str(exc.detail), None))
    return error_response(request, exc.status_code, code, message, advice,
                          headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError):
    """What was wrong with which parameter, never the input itself (no echo)."""
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return error_response(request, 422, "E422", "invalid request: " + "; ".join(parts),
                          "see /docs for the parameters")


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Parallax", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=_warm_up,
                  description="Stories built from many outlets' reports, and their sources.")
    app.state.settings = settings or Settings.load()
    app.state.report_cache = queries.ReportCache()
    app.state.answer_cache = queries.AnswerCache()
    app.state.stores = StorePool(app.state.settings.db)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BodyLimit, max_bytes=app.state.settings.web_max_body)
    app.add_middleware(SecurityHeaders)  # outermost but for Starlette's own error middleware
    app.add_exception_handler(ParallaxError, _parallax_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
