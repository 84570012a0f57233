"""The static site in Chromium: a notebook page renders with its figures and equations, and the
search finds a word of the course. Needs ``make site`` first (build/site)."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("build/site is missing: run `make site` first")
        pytest.skip("build/site is missing: run `make site` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def test_a_notebook_page_renders_with_figures_equations_and_the_widget_note(browser, site_url,
                                                                             artifacts):
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(site_url + "notebooks/01_closed_form.html", wait_until="networkidle")
        assert "closed-form" in page.title().lower()
        # MathJax from the site itself has typeset the equations
        page.wait_for_selector("mjx-container", timeout=20_000)
        figures = page.locator("img").evaluate_all(
            "els => els.filter(e => e.complete && e.naturalWidth > 100).length")
        assert figures >= 3
        assert page.locator(".live-widget-note").count() >= 1
        # the launch button's link to Binder
        assert page.locator("a[href*='mybinder.org/v2/gh/']").count() >= 1
        page.screenshot(path=str(artifacts / "site_01.png"), full_page=False)
    finally:
        page.close()


def test_the_search_finds_a_word_of_the_course(browser, site_url):
    page = browser.new_page()
    try:
        page.goto(site_url + "search.html?q=likelihood", wait_until="networkidle")
        page.wait_for_selector("#search-results li a", timeout=20_000)
        hrefs = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)")
        assert any("01_closed_form" in h for h in hrefs), hrefs[:10]
    finally:
        page.close()
