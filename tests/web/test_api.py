"""The JSON API: same shapes as the CLI's --json, pagination, 4xx errors, headers, ingest;
on each backend (a server over SQLite, one over PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

from ..conftest import module_db
from ..test_cli import ARTICLE_KEYS, STORY_KEYS
from .conftest import fill_web_db, serve


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_db(request, tmp_path_factory) -> str:
    return fill_web_db(module_db(request, tmp_path_factory, "api"), tmp_path_factory)


@pytest.fixture(scope="module")
def server(web_db):
    yield from serve(web_db)


def test_stories_api_paginated(server):
    r = httpx.get(server + "/api/stories", params={"per_page": 3, "sort": "size"})
    data = r.json()
    assert r.status_code == 200 and data["per_page"] == 3 and len(data["items"]) == 3
    assert data["total"] >= 5
    assert all(STORY_KEYS <= set(s) for s in data["items"])
    sizes = [s["size"] for s in data["items"]]
    assert sizes == sorted(sizes, reverse=True)
    page2 = httpx.get(server + "/api/stories", params={"per_page": 3, "page": 2, "sort": "size"}).json()
    assert {s["id"] for s in page2["items"]}.isdisjoint({s["id"] for s in data["items"]})


def test_story_and_article_api(server):
    story_id = httpx.get(server + "/api/search", params={"q": "Zakharova"}).json()["items"][0]["story"]
    story = httpx.get(f"{server}/api/stories/{story_id}").json()
    assert STORY_KEYS <= set(story) and story["independent_sources"] == 2
    assert all(ARTICLE_KEYS <= set(a) for a in story["articles"])
    art = httpx.get(f"{server}/api/articles/{story['articles'][0]['id']}").json()
    assert {"text", "raw_text", "edits", "metadata"} <= set(art)


def test_errors_are_clear_4xx(server):
    r = httpx.get(server + "/api/stories/nothing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "E204"
    r = httpx.get(server + "/api/stories", params={"sort": "bogus"})
    assert r.status_code == 422
    r = httpx.get(server + "/api/search")
    assert r.status_code == 422


def test_security_headers_and_offline_docs(server):
    r = httpx.get(server + "/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    docs = httpx.get(server + "/docs")
    assert docs.status_code == 200 and "/api/stories" in docs.text
    assert "cdn" not in docs.text.lower()
    assert httpx.get(server + "/openapi.json").json()["info"]["title"] == "Parallax"


def test_ingest_endpoint_requires_the_token(server):
    body = {"title": "Token test", "text": "A short article sent over the API for the test."}
    assert httpx.post(server + "/api/ingest", json=body).status_code == 401
    bad = httpx.post(server + "/api/ingest", json=body, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    body["text"] = "Angela Merkel met Emmanuel Macron at a bakery fair in Lyon on Thursday, officials said."
    ok = httpx.post(server + "/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 201 and ok.json()["outcome"] == "stored"
    art = httpx.get(f"{server}/api/articles/{ok.json()['id']}").json()
    assert any(e["id"] and "Macron" in e["name"] for e in art["entities"])  # linked like any ingest


def test_ingest_endpoint_off_without_token(web_db):
    from fastapi.testclient import TestClient

    from parallax.settings import Settings
    from parallax.web import create_app

    client = TestClient(create_app(Settings(db=web_db)))
    r = client.post("/api/ingest", json={"text": "x"})
    assert r.status_code == 403 and "off" in r.json()["error"]["message"]


def test_ingest_endpoint_takes_a_list(server):
    auth = {"Authorization": "Bearer s3cret"}
    body = [{"title": "Batch one", "source": "Wire A",
             "text": "Olaf Scholz opened a tram line in Leipzig on Friday, the city said in a statement."},
            {"title": "Batch two", "text": "   "},  # empty: answered by its error, the rest stored
            {"title": "Batch three", "source": "Wire B",
             "text": "Leipzig's new tram line was opened by Olaf Scholz on Friday, city officials said."}]
    r = httpx.post(server + "/api/ingest", json=body, headers=auth)
    assert r.status_code == 201
    items = r.json()["items"]
    assert [("id" in x, "error" in x) for x in items] == [(True, False), (False, True), (True, False)]
    assert items[1]["error"]["code"].startswith("E")
    # stories were updated: both stored articles belong to a story
    for x in (items[0], items[2]):
        assert httpx.get(f"{server}/api/articles/{x['id']}").json()["story"]
    assert httpx.post(server + "/api/ingest", json=body).status_code == 401
    too_many = httpx.post(server + "/api/ingest", json=[body[0]] * 1001, headers=auth)
    assert too_many.status_code == 413 and "at most 1000" in too_many.json()["error"]["advice"]


def test_coverage_api(server):
    data = httpx.get(server + "/api/coverage").json()
    assert data["articles"] == sum(o["articles"] for o in data["outlets"])
    assert data["matrix"]["rows"] and len(data["matrix"]["rows"][0]["counts"]) == len(data["matrix"]["outlets"])
    bars = data["volume"]["bars"]
    assert sum(b["articles"] for b in bars) + data["undated_articles"] == data["articles"]
    xs = [b["x"] for b in bars]
    assert xs == sorted(xs)  # months to scale, in order
