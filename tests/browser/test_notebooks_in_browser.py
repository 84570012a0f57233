"""The notebooks' widgets in a real browser: JupyterLab in headless Chromium, driven by Playwright.

For each notebook that uses the course's widgets: open it, run all cells, wait for the kernel to be
idle, then for every live figure of an explorer focus its first slider and move it with the
keyboard. Passes when the kernel answered each time (a read-out's text or the figure's pixels
changed), no cell shows a traceback or "Error displaying widget", and the browser console logged no
error. Screenshots go to ``artifacts/browser/``. Run with
``.venv/bin/python -m pytest tests/browser -q -p no:cacheprovider``.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# the notebooks folder to serve (the conftest reads the same variable)
NOTEBOOK_DIR = Path(os.environ.get("BROWSER_TEST_NOTEBOOK_DIR", ROOT / "notebooks"))


def notebooks_with_widgets(folder: Path = NOTEBOOK_DIR) -> list[str]:
    """Names of the notebooks whose code uses ``widgets.`` (the course's explorers)."""
    names = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", [])
                         if c.get("cell_type") == "code")
        if "widgets." in code:
            names.append(path.name)
    return names


NOTEBOOKS = notebooks_with_widgets()
# Console errors known to be harmless, matched narrowly (whole message text). None is known with
# JupyterLab 4.6 / ipywidgets 8.1 / ipympl 0.10 here; add a pattern with a comment saying why.
HARMLESS_CONSOLE: tuple[re.Pattern, ...] = ()
KEY_PRESSES = 3
ANSWER_TIMEOUT_S = 15.0

APP = "window.jupyterapp"
NOTEBOOK_READY = f"""() => {{
  const app = {APP};
  const w = app && app.shell && app.shell.currentWidget;
  const ctx = w && w.sessionContext;
  return !!(ctx && ctx.session && ctx.session.kernel && ctx.session.kernel.status === 'idle'
            && w.content && w.content.widgets.length > 0);
}}"""
RUN_ALL = f"""async () => {{
  const ok = await {APP}.commands.execute('notebook:run-all-cells');
  return ok;
}}"""
KERNEL_IDLE = f"""() => {{
  const w = {APP}.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const busy = [...document.querySelectorAll('.jp-InputPrompt')]
      .some(p => p.textContent.includes('[*]'));
  return k.status === 'idle' && !busy;
}}"""


SHUTDOWN = f"async () => {{ await {APP}.serviceManager.sessions.shutdownAll(); }}"


def _widget_outputs(page, panel):
    """Output areas of the notebook ``panel`` holding an explorer (a box with an ipympl canvas)."""
    # ``has`` takes a locator relative to each output, so it is built from the page
    return panel.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-matplotlib"))


def _readouts(output) -> list[str]:
    return output.locator(".widget-label, .widget-html").all_inner_texts()


def _canvas_png(output) -> bytes:
    return output.locator(".jupyter-matplotlib-canvas-div canvas").first.screenshot()


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS or [
    pytest.param("none", marks=pytest.mark.skip(reason="no notebook uses the widgets yet"))])
def test_widgets_answer_the_keyboard_in_jupyterlab(name, lab, browser, artifacts):
    stem = name.removesuffix(".ipynb")
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
            if m.type == "error" and not any(p.search(m.text) for p in HARMLESS_CONSOLE)
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    t0 = time.monotonic()
    try:
        # a workspace of its own, reset: only this notebook open
        page.goto(f"{lab}lab/workspaces/{stem}/tree/{name}?reset", wait_until="domcontentloaded")
        page.wait_for_function(NOTEBOOK_READY, timeout=60_000, polling=250)
        panel = page.locator("#" + page.evaluate(f"() => {APP}.shell.currentWidget.id"))
        assert page.evaluate(RUN_ALL), "Run All Cells did not complete"
        page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=250)
        outputs = _widget_outputs(page, panel)
        outputs.first.wait_for(state="attached", timeout=30_000)
        outputs.first.scroll_into_view_if_needed()
        outputs.first.locator(".jupyter-matplotlib-canvas-div canvas").first.wait_for(
            state="visible", timeout=30_000)
        page.wait_for_timeout(300)  # first frames
        page.screenshot(path=artifacts / f"{stem}-after-run-all.png", full_page=True)

        text = panel.inner_text()
        assert "Error displaying widget" not in text
        tracebacks = panel.locator(".jp-OutputArea-output[data-mime-type="
                                  "'application/vnd.jupyter.stderr']").all_inner_texts()
        assert not [t for t in tracebacks if "Traceback" in t or "Error" in t], tracebacks

        count = outputs.count()
        assert count >= 1, "no explorer rendered"
        for i in range(count):
            out = outputs.nth(i)
            out.scroll_into_view_if_needed()
            handle = out.locator(".noUi-handle").first
            before_text, before_png = _readouts(out), _canvas_png(out)
            handle.focus()
            assert handle.evaluate("h => h === document.activeElement || h.contains("
                                   "document.activeElement)"), "slider not focusable"
            for _ in range(KEY_PRESSES):
                page.keyboard.press("ArrowRight")
            deadline = time.monotonic() + ANSWER_TIMEOUT_S
            answered = False
            while time.monotonic() < deadline and not answered:
                page.wait_for_timeout(250)
                answered = _readouts(out) != before_text or _canvas_png(out) != before_png
            out.screenshot(path=artifacts / f"{stem}-widget{i + 1}-after-keys.png")
            assert answered, f"widget {i + 1} of {name}: no answer to the keyboard"
        text = panel.inner_text()
        assert "Error displaying widget" not in text and "Traceback" not in text
        assert not problems, "\n".join(problems)
    finally:
        page.screenshot(path=artifacts / f"{stem}-end.png", full_page=True)
        page.evaluate(SHUTDOWN)  # free the kernel's memory before the next notebook
        page.close()
        print(f"{name}: {time.monotonic() - t0:.1f} s in the browser")
