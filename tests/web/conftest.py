"""A real server on 127.0.0.1 over a store holding the demo corpus and an XSS fixture, and a
real Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from parallax.pipeline import ingest, update_stories
from parallax.settings import Settings
from parallax.store import open_store

from ..conftest import EXAMPLES, ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PARALLAX_CHROMIUM", "/usr/bin/chromium")
XSS = {
    "title": "<script>window.__xss = 1; alert('title')</script>Harmless headline",
    "text": ("Officials met on Monday. <img src=x onerror=\"window.__xss=2; alert('img')\">\n"
             "A second paragraph <script>window.__xss=3</script> with <a href=\"javascript:alert(1)\">a link</a>.\n"
             "Source: <b onmouseover=alert(4)>Evil Wire</b>"),
    "url": "javascript:alert('url')",
    "source": "<svg onload=alert(5)>",
    "date": "2020-01-01",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_web_db(db: str, tmp_path_factory) -> str:
    """The demo corpus and the XSS fixture ingested into ``db``, with stories."""
    d = tmp_path_factory.mktemp("web")
    (d / "xss.jsonl").write_text(json.dumps(XSS) + "\n")
    settings = Settings(db=db)
    with open_store(db) as store:
        ingest([str(EXAMPLES), str(d / "xss.jsonl")], store, settings)
        update_stories(store, settings)
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    return fill_web_db(str(tmp_path_factory.mktemp("webdb") / "web.db"), tmp_path_factory)


@pytest.fixture(scope="session")
def server(web_db):
    yield from serve(web_db)


def serve(web_db: str):
    """A real uvicorn server on 127.0.0.1 over ``web_db``; yields its base URL."""
    import uvicorn

    from parallax.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(Settings(db=web_db, web_token="s3cret")), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        message = (f"Chromium not found at {CHROMIUM}: install Debian's chromium "
                   "(`make test` does when it may; .ci/run does) or set PARALLAX_CHROMIUM")
        if os.environ.get("PARALLAX_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    page.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def reset_artifacts() -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
