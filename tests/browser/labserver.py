"""JupyterLab on a free local port and Debian's headless Chromium: shared by the browser test and
``benchmarks/browser_latency.py``.

The server serves a folder given by the caller (a temporary copy, never the repository's
notebooks), with no token or password and its own settings, workspaces and runtime folders, so it
never touches the user's Jupyter state. Each call picks a free port: runs never collide.
Chromium is ``/usr/bin/chromium`` driven by Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--disable-default-apps", "--mute-audio",
]
APP = "window.jupyterapp"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "api/status", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n"
                       f"{log.read_text()[-3000:]}")


@contextlib.contextmanager
def jupyterlab(served: Path, tmp: Path, *, env: dict | None = None):
    """Serve the folder ``served`` with JupyterLab on 127.0.0.1; yields the base URL.

    ``tmp`` holds the server's own settings, runtime and log; ``env`` adds to the environment of
    the server and its kernels (``PYTHONPATH`` picks which ``course_utils`` the kernels load).
    """
    settings = tmp / "settings"
    # render every cell (no windowing), so that outputs far down the page exist in the DOM
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    full_env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        **(env or {}),
    }
    log = tmp / "jupyterlab.log"
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.open_browser=False",
        "--ServerApp.port_retries=0", "--allow-root", f"--ServerApp.root_dir={served}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=served, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_server(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextlib.contextmanager
def chromium(sync_playwright, *, width=1280, height=1000, device_scale_factor=1):
    """A headless Debian Chromium context with a fresh profile."""
    user_data = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            user_data, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            device_scale_factor=device_scale_factor)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(user_data, ignore_errors=True)


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


def open_and_run(page, lab_url: str, name: str, *, file_browser: bool | None = None):
    """Open notebook ``name`` in a workspace of its own, run all cells, wait for an idle kernel.

    ``file_browser``: True opens JupyterLab's file browser in the left sidebar (the default
    look on Binder), False collapses the sidebar, None leaves it as JupyterLab chose.
    Returns the notebook panel's locator.
    """
    stem = name.removesuffix(".ipynb")
    page.goto(f"{lab_url}lab/workspaces/{stem}/tree/{name}?reset", wait_until="domcontentloaded")
    page.wait_for_function(NOTEBOOK_READY, timeout=60_000, polling=250)
    if file_browser is True:
        page.evaluate(f"() => {APP}.shell.activateById('filebrowser')")
    elif file_browser is False:
        page.evaluate(f"() => {APP}.shell.collapseLeft()")
    panel = page.locator("#" + page.evaluate(f"() => {APP}.shell.currentWidget.id"))
    if not page.evaluate(RUN_ALL):
        raise RuntimeError(f"Run All Cells did not complete in {name}")
    page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=250)
    return panel
