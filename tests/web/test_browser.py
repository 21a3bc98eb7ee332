"""The web UI in a real Chromium: stories list, the seeds' story, an article, and an XSS
fixture that must stay inert. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

from .conftest import shot


def seeds_story_link(page):
    return page.get_by_role("link", name=re.compile("At the G20 summit"))


def test_stories_list(page, server):
    page.goto(server + "/")
    assert page.title() == "Stories · Parallax"
    cards = page.locator(".story-card")
    assert cards.count() >= 5
    assert seeds_story_link(page).is_visible()
    shot(page, "stories")


def test_seeds_story_shows_both_outlets_and_links_to_sources(page, server):
    page.goto(server + "/")
    seeds_story_link(page).click()
    page.wait_for_url(re.compile(r"/stories/s[0-9a-f]+$"))
    assert page.locator(".badge", has_text="2 independent sources").is_visible()
    outlets = page.locator(".source .outlet").all_inner_texts()
    assert sorted(outlets) == ["EFE", "La Voz de Galicia"]
    assert page.locator(".brief li").count() >= 3
    assert page.locator(".brief li .cite").count() >= 3
    assert page.locator(".status.corroborated").first.is_visible()
    assert page.locator(".timeline time", has_text="2010-04-08").is_visible()
    # what the sentence-pair model finds close is shown as a hint, linked to its sentence
    hint = page.locator(".similar", has_text="Paul Whelan").first
    assert "not counted as a source" in hint.inner_text() and hint.locator("a.cite.similar").count() == 1
    shot(page, "story")
    page.locator(".brief li .cite").first.click()  # a citation jumps to the source sentence
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}#s\d+$"))
    anchor = page.evaluate("location.hash")
    assert page.locator(anchor).is_visible()
    page.go_back()
    page.locator(".source-article a", has_text="[no headline] The American Secretary of State").first.click()  # the EFE report
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}$"))
    assert page.get_by_text("Russian Foreign Affairs spokeswoman Maria Zakharova").first.is_visible()
    assert page.locator(".diff ins").count() >= 2  # the glue repairs are visible
    assert page.locator(".diff del", has_text="EFE").count() == 1  # the wire line removed
    shot(page, "article")


@pytest.mark.xfail(strict=True, reason="paraphrase: the shipped sentence-pair model is not precise enough to count a source (issue 22)")
def test_seeds_story_flags_the_treaty_exit(page, server):
    page.goto(server + "/")
    seeds_story_link(page).click()
    page.wait_for_url(re.compile(r"/stories/s[0-9a-f]+$"))
    # the treaty exit: the accounts place it differently in time (one side undated)
    flag = page.locator(".timeline .status.conflict")
    assert flag.count() == 1 and flag.inner_text().lower() == "dates differ"
    assert "two days" in flag.get_attribute("title")
    wording = page.locator('.sidebyside[aria-label="wording"]')  # the quotes' translation variants
    assert wording.count() == 1 and "whatever is necessary" in wording.inner_text()
    brief_flag = page.locator(".brief .status.conflict")  # the same fact, in the brief
    assert brief_flag.count() == 1 and brief_flag.inner_text().lower() == "dates differ"
    said = page.locator(".brief .why")  # and which source says what, without hovering
    assert said.is_visible() and said.inner_text() == "EFE “last month” / La Voz de Galicia “two days”"


def test_search_and_filters(page, server):
    page.goto(server + "/")
    page.fill("#q", "earthquake")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=earthquake"))
    titles = page.locator(".story-title").all_inner_texts()
    assert titles and not any("G20" in t for t in titles)
    page.goto(server + "/?outlet=EFE")
    assert page.locator(".story-card").count() == 1


def test_keyboard_reaches_the_stories(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(30):  # tab on until a story link has the focus, then open it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "story-title":
            break
    assert page.evaluate("document.activeElement.className") == "story-title"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/stories/s[0-9a-f]+$"))


def test_xss_fixture_is_inert(page, server):
    page.goto(server + "/?q=Harmless")
    link = page.locator(".story-title").first
    assert "<script>" in link.inner_text()  # shown as text, not run
    link.click()
    page.wait_for_url(re.compile(r"/stories/"))
    shot(page, "xss-story")
    page.locator(".source-article a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    page.wait_for_timeout(300)
    shot(page, "xss-article")
    assert page.dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert "window.__xss=2" in page.content()  # the payload is shown as text


def test_article_page_marks_numbers_times_and_lists_quotes(page, server):
    page.goto(server + "/?outlet=EFE")
    page.locator(".story-title").first.click()
    page.locator(".source-article a", has_text="[no headline] The American Secretary of State").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator("mark.num", has_text="1,550").is_visible()
    assert page.locator("mark.time", has_text="April 8, 2010").get_attribute("title").startswith("2010-04-08")
    quote = page.locator(".quotes li", has_text="Blinken requested to contact Lavrov")
    assert "Maria Zakharova" in quote.inner_text()
    quote.locator("a").click()  # jumps to the sentence it comes from
    assert page.evaluate("location.hash") == "#s2"
    assert page.locator("#s2").is_visible()
    shot(page, "article-understanding")


def test_timeline_chart_and_phone_layout(browser, server):
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/?outlet=EFE")
    page.locator(".story-title").first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert page.locator("svg.chart circle").count() >= 4
    assert page.locator("svg.chart text", has_text="2023-02-21").count() == 1
    # readable on a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "story-phone")
    page.close()


def test_outlet_matrix_on_the_story_page(page, server):
    page.goto(server + "/")
    seeds_story_link(page).click()
    matrix = page.locator("table.matrix")
    assert matrix.is_visible()
    headers = [h.strip() for h in matrix.locator("thead th").all_inner_texts()]
    assert headers[0] == "fact" and sorted(headers[1:]) == ["EFE", "La Voz de Galicia"]
    first = matrix.locator("tbody tr").first
    assert "Blinken who requested the meeting" in first.inner_text()
    assert first.locator("td.cell.states").count() == 2  # corroborated: both state it
    assert matrix.locator("tbody td.cell.silent").count() >= 1  # single-source rows
    first.locator("a").click()  # a row links to its fact
    assert page.evaluate("location.hash") == "#f0" and page.locator("#f0").is_visible()
    matrix.scroll_into_view_if_needed()
    page.locator("#matrix-h").scroll_into_view_if_needed()
    shot(page, "outlet-matrix")


def test_coverage_page(page, server):
    page.goto(server + "/")
    page.get_by_role("link", name="Coverage").click()
    assert page.title() == "Coverage · Parallax"
    assert page.locator("svg.volume rect.bar").count() >= 3  # months with articles
    outlets = page.locator("table.outlets tbody tr")
    assert outlets.count() >= 5
    counts = [int(x) for x in page.locator("table.outlets tbody td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)  # the most published first
    rows = page.locator("table.coverage tbody tr")
    assert rows.count() >= 3
    shot(page, "coverage")
    page.locator("table.outlets tbody a").first.click()  # an outlet filters the stories
    assert "outlet=" in page.url and page.locator(".story-card").count() >= 1


@pytest.fixture(scope="module")
def large_story(tmp_path_factory):
    """A server over a story of 48 articles from 12 outlets (the excerpt's West Papua quake
    reports, resampled with light edits over four years, all made one story)."""
    import json
    import random
    import threading
    import time
    from dataclasses import replace

    import uvicorn

    from parallax.pipeline import ingest, update_stories
    from parallax.settings import Settings
    from parallax.store import SQLiteStore
    from parallax.web import create_app

    from ..conftest import EXAMPLES
    from .conftest import free_port

    rows = [json.loads(x) for x in (EXAMPLES / "ecbplus" / "excerpt.jsonl").read_text().splitlines()]
    quake = [r for r in rows if r["id"].startswith("37_")]
    rng = random.Random(1)
    d = tmp_path_factory.mktemp("large")
    with (d / "large.jsonl").open("w") as fh:
        for i in range(48):
            r = quake[i % len(quake)]
            words = r["text"].split()
            j = rng.randrange(len(words) - 1)
            words[j], words[j + 1] = words[j + 1], words[j]
            fh.write(json.dumps({"text": " ".join(words), "title": f"Quake report {i}",
                                 "source": f"outlet{i % 12}.example",
                                 "date": f"{2009 + i % 4}-0{1 + i % 9}-1{i % 10}"}) + "\n")
    db = str(d / "large.db")
    settings = Settings(db=db)
    with SQLiteStore(db) as store:
        ingest([str(d / "large.jsonl")], store, settings)
        update_stories(store, settings)
        store.save_assignments([replace(x, story_id="s-large") for x in store.assignments()],
                               {"s-large": "West Papua quakes, 48 reports"}, replace_all=True)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                        log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True


def test_large_story_page(page, large_story):
    page.goto(large_story + "/stories/s-large")
    assert page.locator(".brief li").count() <= 8  # a short brief leads
    chips = page.locator(".outlet-chips li")
    assert chips.count() == 12  # one chip per outlet, with its count
    assert all("×4" in t for t in chips.all_inner_texts())
    dates = [t for t in page.locator(".source-article .muted").all_inner_texts() if t[:2] in ("19", "20")]
    assert dates == sorted(dates) and len(dates) >= 40  # sources in date order
    assert page.locator("svg.chart text", has_text="to scale").count() == 1
    xs = [float(x) for x in page.locator("svg.chart circle").evaluate_all("els => els.map(e => e.getAttribute('cx'))")]
    assert xs == sorted(xs) and len(set(xs)) >= 10
    assert page.locator("h3.agree").count() >= 1 and page.locator("table.matrix").is_visible()
    size = page.evaluate("document.documentElement.outerHTML.length")
    assert size < 1_000_000
    shot(page, "large-story")
