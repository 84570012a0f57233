"""The notebooks' widgets in a real browser: JupyterLab in headless Chromium, driven by Playwright.

A laptop: 1024 x 768 pixels, JupyterLab's file browser open (the default look on Binder), so the
output area is about 590 px wide. For each notebook that uses the course's widgets: open it, run
all cells, wait for the kernel to be idle, then check every explorer, first in the notebook's own
style, then again after ``plotting.use_style("lecture")`` (its widget cells run again):

- it fits: no part of the widget (controls, read-outs, canvas) reaches past its output area
  (bounding boxes compared in the page), and no text of its figure is cut by the figure's edge or
  collides with another (:func:`course_utils.widgets._parts.layout_problems`, run in the kernel);
- no resize handle is drawn on the canvas (resizing is switched off);
- it answers the keyboard: its first slider, focused and moved with the arrow keys, changes a
  read-out or the canvas's pixels;
- the browser's canvas then holds exactly the kernel's picture (SHA-256 of the pixels): the
  frames sent as differences add up to it;
- a landscape explorer answers a click: a click on the landscape moves the start sliders there,
  with exactly one new frame drawn by the kernel (the clicked point is snapped to the sliders'
  steps, so the browser sends no correction back).

And no cell shows a traceback or "Error displaying widget", and the browser console logged no
error. Screenshots of each widget (and of the whole notebook when a check fails) go to
``artifacts/browser/``. Run with
``.venv/bin/python -m pytest tests/browser -q -p no:cacheprovider``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labserver  # noqa: E402

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
APP = labserver.APP

# Run Python in the notebook's kernel and return what it printed (or the error).
KERNEL_RUN = f"""async (code) => {{
  const k = {APP}.shell.currentWidget.sessionContext.session.kernel;
  const future = k.requestExecute({{code, store_history: false, silent: false}});
  let out = '';
  future.onIOPub = (msg) => {{
    const t = msg.header.msg_type;
    if (t === 'stream') out += msg.content.text;
    if (t === 'error') out += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
  }};
  await future.done;
  return out;
}}"""
# Per live explorer, in the order made: its kind, layout problems, frames drawn, and where its
# landscape lies on the canvas (CSS pixels from the canvas's top left), for a click.
KERNEL_REPORT = """\
import hashlib as _hashlib
import json as _json
import numpy as _np
from course_utils.widgets import _parts as _p
def _report():
    out = []
    for panel in _p.live_panels():
        fig = panel.fig
        # the kernel's picture, before layout_problems (a layout pass clears the buffer)
        sha = _hashlib.sha256(_np.asarray(fig.canvas.buffer_rgba()).tobytes()).hexdigest()
        art = getattr(panel, "artists", None)
        box = None
        if type(panel).__name__ == "LandscapeExplorer":
            b = art.ax.get_window_extent()
            h = fig.bbox.height
            box = [b.x0, h - b.y1, b.x1, h - b.y0]
        out.append({"kind": type(panel).__name__, "id": panel.model_id,
                    "problems": _p.layout_problems(fig), "frames": panel.frames,
                    "landscape": box, "sha": sha,
                    "start": [float(getattr(panel, n).value) for n in
                              ("x0_x", "x0_y", "start_x", "start_y") if hasattr(panel, n)]})
    return out
print(_json.dumps(_report()))
"""
# The picture the browser shows, as the SHA-256 of its RGBA pixels.
CANVAS_SHA = """async (output) => {
  const c = output.querySelector('.jupyter-matplotlib-canvas-div canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', d));
  return [...h].map(b => b.toString(16).padStart(2, '0')).join('');
}"""
# Every part of a widget inside its output area; no resize handle on the canvas.
GEOMETRY = """(output) => {
  const r = output.getBoundingClientRect();
  const over = [];
  for (const e of output.querySelectorAll('*')) {
    const b = e.getBoundingClientRect();
    if (b.width === 0 || b.height === 0) continue;
    if (b.right > r.right + 1 || b.left < r.left - 1) {
      over.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} spans `
                + `${Math.round(b.left)}-${Math.round(b.right)} px, the output area `
                + `${Math.round(r.left)}-${Math.round(r.right)} px`);
    }
  }
  const canvases = output.querySelectorAll('.jupyter-matplotlib-canvas-div canvas');
  const top = canvases[canvases.length - 1];
  const px = top.getContext('2d').getImageData(top.width - 4, top.height - 4, 1, 1).data;
  return {over: over.slice(0, 5), handle: px[3] !== 0, width: r.width};
}"""


def _kernel(page, code: str) -> str:
    out = page.evaluate(KERNEL_RUN, code)
    assert "ERROR" not in out, out
    return out


def _report(page) -> list[dict]:
    out = _kernel(page, KERNEL_REPORT)
    return json.loads(out.strip().splitlines()[-1])


def _widget_outputs(page, panel):
    """Output areas of the notebook ``panel`` holding an explorer (a box with an ipympl canvas)."""
    # ``has`` takes a locator relative to each output, so it is built from the page
    return panel.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-matplotlib"))


def _readouts(output) -> list[str]:
    return output.locator(".widget-label, .widget-html, .widget-readout").all_inner_texts()


def _canvas(output):
    return output.locator(".jupyter-matplotlib-canvas-div canvas").first


def _picture(output) -> tuple:
    """What the widget shows: its read-outs and the SHA-256 of its canvas's pixels."""
    return tuple(_readouts(output)), output.evaluate(CANVAS_SHA)


def _wait_for_change(page, output, before) -> bool:
    deadline = time.monotonic() + ANSWER_TIMEOUT_S
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if _picture(output) != before:
            return True
    return False


def _wait_idle(page):
    page.wait_for_function(labserver.KERNEL_IDLE, timeout=60_000, polling=100)


def _check_explorers(page, panel, label: str, artifacts, stem: str, failures: list[str]):
    outputs = _widget_outputs(page, panel)
    outputs.first.wait_for(state="attached", timeout=30_000)
    count = outputs.count()
    assert count >= 1, f"{label}: no explorer rendered"
    for i in range(count):
        _canvas(outputs.nth(i)).wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)  # first frames
    report = _report(page)
    # the explorers made last are the ones shown (a widget cell run again makes a new one)
    shown = report[-count:]
    for i in range(count):
        out = outputs.nth(i)
        out.scroll_into_view_if_needed()
        name = f"{label}, widget {i + 1} ({shown[i]['kind']})"
        geometry = out.evaluate(GEOMETRY)
        if geometry["over"]:
            failures.append(f"{name} overflows its output area ({geometry['width']:.0f} px "
                            f"wide): " + "; ".join(geometry["over"]))
        if geometry["handle"]:
            failures.append(f"{name}: the canvas shows a resize handle")
        if shown[i]["problems"]:
            failures.append(f"{name}: figure layout: " + "; ".join(shown[i]["problems"]))
        # keys
        handle = out.locator(".noUi-handle").first
        before = _picture(out)
        handle.focus()
        if not handle.evaluate("h => h === document.activeElement || "
                               "h.contains(document.activeElement)"):
            failures.append(f"{name}: slider not focusable")
            continue
        for _ in range(KEY_PRESSES):
            page.keyboard.press("ArrowRight")
        if not _wait_for_change(page, out, before):
            failures.append(f"{name}: no answer to the keyboard")
        _wait_idle(page)
        page.wait_for_timeout(300)  # the last frame decoded and drawn
        out.screenshot(path=artifacts / f"{stem}-{label}-widget{i + 1}-after-keys.png")
        # the frames sent as differences add up, in the browser, to the kernel's picture
        kernel = next(r for r in _report(page) if r["id"] == shown[i]["id"])
        if out.evaluate(CANVAS_SHA) != kernel["sha"]:
            failures.append(f"{name}: the browser's canvas differs from the kernel's picture")
        # a click on the landscape moves the start, with one new frame
        if shown[i]["landscape"] is not None:
            x0, y0, x1, y1 = shown[i]["landscape"]
            page.wait_for_timeout(300)
            before = next(r for r in _report(page) if r["id"] == shown[i]["id"])
            picture = _picture(out)
            _canvas(out).scroll_into_view_if_needed()
            box = _canvas(out).bounding_box()
            page.mouse.click(box["x"] + x0 + 0.37 * (x1 - x0), box["y"] + y0 + 0.61 * (y1 - y0))
            if not _wait_for_change(page, out, picture):
                failures.append(f"{name}: no answer to a click on the landscape")
            _wait_idle(page)
            page.wait_for_timeout(500)  # a correction from the browser would come now
            _wait_idle(page)
            after = next(r for r in _report(page) if r["id"] == shown[i]["id"])
            if after["start"] == before["start"]:
                failures.append(f"{name}: a click on the landscape did not move the start")
            if after["frames"] - before["frames"] != 1:
                failures.append(f"{name}: a click drew {after['frames'] - before['frames']} "
                                "frames, not 1")


def _rerun_widget_cells(page):
    """Run again every code cell that makes a widget (in the notebook, top to bottom)."""
    page.evaluate(rf"""async () => {{
      const nb = {APP}.shell.currentWidget.content;
      for (let i = 0; i < nb.widgets.length; i++) {{
        const cell = nb.widgets[i];
        if (cell.model.type === 'code'
            && /\bwidgets\.[A-Z]\w*\(/.test(cell.model.sharedModel.getSource())) {{
          nb.activeCellIndex = i;
          await {APP}.commands.execute('notebook:run-cell');
        }}
      }}
    }}""")
    _wait_idle(page)


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS or [
    pytest.param("none", marks=pytest.mark.skip(reason="no notebook uses the widgets yet"))])
def test_widgets_fit_a_laptop_and_answer_keys_and_clicks_in_both_styles(name, lab, browser,
                                                                        artifacts):
    stem = name.removesuffix(".ipynb")
    page = browser.new_page()
    problems: list[str] = []
    failures: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
            if m.type == "error" and not any(p.search(m.text) for p in HARMLESS_CONSOLE)
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    t0 = time.monotonic()
    passed = False
    try:
        panel = labserver.open_and_run(page, lab, name, file_browser=True)
        text = panel.inner_text()
        assert "Error displaying widget" not in text
        tracebacks = panel.locator(".jp-OutputArea-output[data-mime-type="
                                  "'application/vnd.jupyter.stderr']").all_inner_texts()
        assert not [t for t in tracebacks if "Traceback" in t or "Error" in t], tracebacks
        _check_explorers(page, panel, "default", artifacts, stem, failures)

        _kernel(page, 'from course_utils import plotting\nplotting.use_style("lecture")')
        _rerun_widget_cells(page)
        _check_explorers(page, panel, "lecture", artifacts, stem, failures)

        text = panel.inner_text()
        assert "Error displaying widget" not in text and "Traceback" not in text
        assert not problems, "\n".join(problems)
        assert not failures, "\n".join(failures)
        passed = True
    finally:
        if not passed:
            page.screenshot(path=artifacts / f"{stem}-end.png", full_page=True)
        page.evaluate(labserver.SHUTDOWN)  # free the kernel's memory before the next notebook
        page.close()
        print(f"{name}: {time.monotonic() - t0:.1f} s in the browser")
