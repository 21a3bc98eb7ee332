"""FastAPI application: HTML pages (``pages``) and a JSON API (``api``) over one store, with
errors as JSON under /api and as a page elsewhere. Binds to 127.0.0.1 by default (see
``parallax serve``)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..errors import NotFoundError, ParallaxError, StoreError
from ..settings import Settings
from . import api, pages
from .security import SecurityHeaders

HERE = Path(__file__).parent


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Load what the story page needs once at start, so no request pays for the imports."""
    import sklearn.feature_extraction.text  # noqa: F401

    from .. import compare  # noqa: F401

    yield


async def _parallax_error(request: Request, exc: ParallaxError):
    """A Parallax error as ``{"error": {code, message, advice}}`` under /api, else a page:
    404 for what is not there, 500 for the store, 400 for the rest."""
    status = 404 if isinstance(exc, NotFoundError) else 500 if isinstance(exc, StoreError) else 400
    body = {"error": {"code": exc.code, "message": exc.message, "advice": exc.advice}}
    if request.url.path.startswith("/api/"):
        return JSONResponse(body, status_code=status)
    return pages.templates.TemplateResponse(request, "error.html", {"error": body["error"]},
                                            status_code=status)


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Parallax", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=_warm_up,
                  description="Stories built from many outlets' reports, and their sources.")
    app.state.settings = settings or Settings.load()
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(ParallaxError, _parallax_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
