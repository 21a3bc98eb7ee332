"""The server against hostile requests: one error shape for every 4xx/5xx, security headers
everywhere, bodies limited before parsing, strict Bearer tokens, exact id prefixes, NUL bytes
and lone surrogates in parameters, and no 5xx on generated hostile query strings."""

from __future__ import annotations

import json
import random
import shutil
import string
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from parallax.settings import Settings
from parallax.store import SQLiteStore
from parallax.web import create_app

HEADERS = {"content-security-policy", "x-content-type-options", "referrer-policy",
           "x-frame-options"}


@pytest.fixture(scope="module")
def client(web_db, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("hard") / "web.db")
    shutil.copy(web_db, db)  # the ingest cases write: a copy of the session's store
    with TestClient(create_app(Settings(db=db, web_token="s3cret", web_max_body=200_000)),
                    raise_server_exceptions=False) as c:
        yield c


def _error_shape(r) -> dict:
    body = r.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "advice"} <= set(body["error"]), body
    return body["error"]


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/api/nothing-here", 404), ("GET", "/api/stories/zzzz", 404),
    ("GET", "/api/articles/zzzz", 404), ("GET", "/api/stories?per_page=9999", 422),
    ("GET", "/api/stories?sort=evil", 422), ("GET", "/api/search", 422),
    ("DELETE", "/api/stories", 405), ("POST", "/api/ingest", 401),
])
def test_every_api_error_has_one_shape_and_the_headers(client, method, path, status):
    r = client.request(method, path)
    assert r.status_code == status
    error = _error_shape(r)
    assert error["code"] == f"E{status}" or error["code"].startswith("E2"), error
    assert HEADERS <= set(r.headers), r.headers


def test_pages_errors_are_pages_with_the_headers(client):
    for path in ("/no/such/page", "/stories/zzzz", "/?per_page=0"):
        r = client.get(path)
        assert r.status_code in (404, 422) and r.headers["content-type"].startswith("text/html")
        assert HEADERS <= set(r.headers)
        assert "Traceback" not in r.text


def test_a_422_never_echoes_the_input(client):
    evil = "<script>" + "A" * 5000
    r = client.get("/api/stories", params={"per_page": evil})
    assert r.status_code == 422
    assert "AAAA" not in r.text and "<script>" not in r.text


def test_id_prefixes_are_exact_not_like_patterns(client):
    for pattern in ("%", "_", "%25", "s%", "____", "\\"):
        for kind in ("stories", "articles"):
            r = client.get(f"/api/{kind}/{quote(pattern, safe='')}")
            assert r.status_code == 404, (kind, pattern, r.text[:200])
    story = client.get("/api/stories").json()["items"][0]["id"]
    assert client.get(f"/api/stories/{story[:6]}").json()["id"] == story


def test_nul_bytes_and_surrogates_in_parameters_are_not_errors(client):
    for path in ("/api/search?q=%00", "/api/search?q=a%00b", "/?q=%00", "/?entity=%00",
                 "/?outlet=%00", "/api/stories?q=%00&entity=%00&outlet=%00",
                 "/api/search?q=%ED%A0%80", "/?q=%ED%A0%80", "/api/stories/%00",
                 "/api/articles/%00x"):
        r = client.get(path)
        assert r.status_code < 500, (path, r.status_code, r.text[:200])
    assert client.get("/api/stories").status_code == 200  # the next request still works


def test_the_token_needs_the_bearer_scheme(client):
    body = {"text": "The mayor opened a bridge on Tuesday in the town of Eastvale."}
    assert client.post("/api/ingest", json=body, headers={"Authorization": "s3cret"}).status_code == 401
    assert client.post("/api/ingest", json=body, headers={"Authorization": "Basic s3cret"}).status_code == 401
    r = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 201 and r.json()["outcome"] in ("stored", "duplicate")


def test_large_bodies_are_refused_before_parsing(client):
    big = json.dumps({"text": "x" * 300_000})
    r = client.post("/api/ingest", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and _error_shape(r)["code"] == "E413"
    assert "xxxx" not in r.text
    # Streamed without a Content-Length: stopped as it passes the limit.
    r = client.post("/api/ingest", content=(b"x" * 50_000 for _ in range(10)),
                    headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 413 and _error_shape(r)["code"] == "E413"


def test_unauthenticated_bodies_are_not_read(client):
    r = client.post("/api/ingest", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 401  # the token first: no 400/422 about a body never read


def test_a_lone_surrogate_in_an_ingested_list_stores_the_rest(client):
    auth = {"Authorization": "Bearer s3cret", "Content-Type": "application/json"}
    body = ('[{"text": "Firefighters contained a blaze at the harbour of Northport on Friday '
            'morning, the fire service said.", "source": "a.example"},'
            ' {"text": "A bad \\ud800 character in the report on the Northport harbour blaze, '
            'which burned for hours.", "source": "b.example"},'
            ' {"nope": 1}, 5]')
    r = client.post("/api/ingest", content=body, headers=auth)
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [("id" in i) for i in items] == [True, True, False, False]
    assert items[2]["error"]["code"] in ("E111", "E422") and items[3]["error"]["code"] == "E422"
    stored = client.get(f"/api/articles/{items[1]['id']}").json()
    assert "\ufffd" in stored["text"]
    assert stored["metadata"]["input_repairs"][0]["with"] == "U+FFFD"


def test_no_5xx_on_generated_hostile_requests(client):
    rng = random.Random(7)
    pieces = ["%00", "%ff", "%ED%A0%80", "'", '"', "\\", "%", "_", "*", "NEAR(", "AND", "OR",
              "NOT", "(", ")", "^", ":", "-", "<script>", "../", "..%2f", "%2e%2e", "{", "}",
              "[", "]", "\u202e", "😀", "\x7f", "%0d%0a", "?", "#", "&", "=", ";", "|", "`"]
    params = ["q", "entity", "outlet", "from", "to", "sort", "page", "per_page", "limit"]
    paths = ["/", "/api/stories", "/api/search", "/api/stories/", "/api/articles/",
             "/stories/", "/articles/"]
    codes: dict[int, int] = {}
    for _ in range(1000):
        value = "".join(rng.choice(pieces + list(string.ascii_letters)) for _ in range(rng.randint(0, 12)))
        path = rng.choice(paths)
        if path.endswith("/") and path != "/":
            url = path + (quote(value, safe="%") or "x")
        else:
            url = path + "?" + "&".join(f"{rng.choice(params)}={quote(value, safe='%')}"
                                        for _ in range(rng.randint(1, 3)))
        r = client.get(url)
        codes[r.status_code] = codes.get(r.status_code, 0) + 1
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
    for _ in range(200):  # hostile bodies
        body = "".join(rng.choice(pieces + ["1", "null", "[]", "{}", '{"text":'])
                       for _ in range(rng.randint(0, 20)))
        r = client.post("/api/ingest", content=body.encode("utf-8", "surrogatepass"),
                        headers={"Authorization": "Bearer s3cret"})
        assert r.status_code < 500, (body, r.status_code, r.text[:300])
    assert codes.get(200, 0) > 50  # the generator also made requests that are fine


def test_cached_story_reports_follow_membership(web_db, tmp_path):
    from parallax.store.base import StoryAssignment
    from parallax.web.queries import ReportCache, story_detail

    db = str(tmp_path / "c.db")
    shutil.copy(web_db, db)
    cache = ReportCache(size=4)
    with SQLiteStore(db) as store:
        story = max(store.list_stories(), key=lambda s: s.size)
        first = story_detail(store, story.id, Settings(db=db), cache)
        assert story_detail(store, story.id, Settings(db=db), cache) is first  # reused
        moved = story.article_ids[-1]
        store.save_assignments([StoryAssignment(moved, "s-moved-out")], {"s-moved-out": "x"})
        again = story_detail(store, story.id, Settings(db=db), cache)
        assert again is not first
        assert moved in {a["id"] for a in first["articles"]}
        assert moved not in {a["id"] for a in again["articles"]}
    stale = ReportCache(ttl=0.0)
    stale.put(("k",), {"v": 1})
    assert stale.get(("k",)) is None


def test_cached_answers_follow_the_store(web_db, tmp_path):
    """Listing and search answers are kept per thread, and dropped as soon as another
    connection (another process's ingest) or this server's own ingest changes the data."""
    from parallax.pipeline import ingest, update_stories

    db = str(tmp_path / "a.db")
    shutil.copy(web_db, db)
    settings = Settings(db=db, web_token="s3cret")
    with TestClient(create_app(settings)) as c:
        before = c.get("/api/stories").json()["total"]
        assert c.get("/api/search?q=Quokkaville").json()["items"] == []
        (tmp_path / "new.jsonl").write_text(json.dumps({
            "title": "Quokkaville bridge opens", "source": "new.example", "date": "2030-01-01",
            "text": "The Quokkaville bridge opened on Monday after years of work, officials said."}) + "\n")
        with SQLiteStore(db) as other:  # another connection, as another process would
            ingest([str(tmp_path / "new.jsonl")], other, settings)
            update_stories(other, settings)
        assert c.get("/api/stories").json()["total"] == before + 1
        assert len(c.get("/api/search?q=Quokkaville").json()["items"]) == 1
        r = c.post("/api/ingest", headers={"Authorization": "Bearer s3cret"}, json={
            "title": "Wombat Falls flood", "source": "w.example",
            "text": "The river at Wombat Falls flooded three streets on Tuesday, the council said."})
        assert r.status_code == 201
        assert len(c.get("/api/search?q=Wombat").json()["items"]) == 1
        assert c.get("/api/stories").json()["total"] == before + 2
