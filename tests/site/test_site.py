"""Checks of the built static site (``make site`` builds it into build/site first).

A page for every notebook, no broken internal link, no missing image, the launch button on every
notebook page, and a note in place of every live widget.
"""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
sys.path.insert(0, str(ROOT / "tools"))

import course  # noqa: E402

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script") and a.get("src"):
            (self.images if tag == "img" else self.links).append(a["src"])
        if tag == "link" and a.get("href"):
            self.links.append(a["href"])


def _parse(page: Path) -> _Refs:
    refs = _Refs()
    refs.feed(page.read_text(errors="replace"))
    return refs


@pytest.fixture(scope="module")
def pages():
    if not (SITE / "index.html").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("build/site is missing: run `make site` before these checks")
        pytest.skip("build/site is missing: run `make site` first")
    return sorted(SITE.rglob("*.html"))


def _existing_notebooks():
    return [nb for nb in course.load()["notebooks"] if nb["exists"]]


@pytest.mark.parametrize("nb", _existing_notebooks(), ids=lambda nb: nb["number"])
def test_every_notebook_has_a_page_with_a_launch_button(pages, nb):
    page = SITE / "notebooks" / nb["file"].replace(".ipynb", ".html")
    assert page.exists(), f"no page for {nb['file']}"
    html = page.read_text()
    config = course.load()
    assert course.binder_url(config, f"notebooks/{nb['file']}") in html.replace("&amp;", "&"), (
        "no Binder launch link that opens this notebook")
    assert nb["title"].split()[0] in html


@pytest.mark.parametrize("nb", _existing_notebooks(), ids=lambda nb: nb["number"])
def test_a_live_widget_is_replaced_by_a_note_beside_its_static_figure(pages, nb):
    import json

    source = json.loads((ROOT / "notebooks" / nb["file"]).read_text())
    widgets = sum(WIDGET_MIME in out.get("data", {}) for c in source["cells"]
                  if c["cell_type"] == "code" for out in c.get("outputs", []))
    html = (SITE / "notebooks" / nb["file"].replace(".ipynb", ".html")).read_text()
    assert html.count('class="live-widget-note"') == widgets
    assert WIDGET_MIME not in html


def test_no_broken_internal_link_and_no_missing_image(pages):
    broken = []
    for page in pages:
        if page.parent.name == "_static":
            continue  # the themes' template fragments, not pages
        refs = _parse(page)
        for ref in refs.links + refs.images:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue  # external (the launch and repository buttons) or a data: URI
            target = page.parent / unquote(parts.path) if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(SITE)} -> {ref}")
    assert not broken, "\n".join(broken[:20])


def test_images_of_the_notebook_pages_are_there(pages):
    for page in (SITE / "notebooks").glob("*.html"):
        images = _parse(page).images
        assert images, f"{page.name} shows no figure"
        for src in images:
            if not src.startswith("data:"):
                assert (page.parent / unquote(urlsplit(src).path)).stat().st_size > 1000


def test_the_landing_page_has_the_course_map_linking_every_notebook(pages):
    html = (SITE / "index.html").read_text()
    for nb in course.load()["notebooks"]:
        if nb["exists"]:
            assert f'href="notebooks/{nb["file"].replace(".ipynb", ".html")}"' in html
        else:
            assert re.search(re.escape(nb["title"]) + r" \(coming\)", html)
    assert (SITE / "data_sources.html").exists()


def test_equations_render_offline_with_the_sites_own_mathjax(pages):
    html = (SITE / "notebooks" / "01_closed_form.html").read_text()
    assert "_static/mathjax/tex-chtml.js" in html
    assert (SITE / "_static" / "mathjax" / "tex-chtml.js").exists()
