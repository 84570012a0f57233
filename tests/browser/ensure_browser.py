"""Make sure the browser test can run: Debian's Chromium and the Playwright Python package.

usage: python tests/browser/ensure_browser.py      (``make browser`` runs it before the test)

- Chromium: ``/usr/bin/chromium`` from Debian. When it is missing and we are root, it is installed
  with ``apt-get install -y chromium``. Playwright's own browser download (``playwright install``)
  is never used.
- Playwright: the Python package pinned in ``requirements-dev.txt``; installed with pip into this
  interpreter when missing.

When something cannot be had, this prints a loud notice: the browser test then skips, except
under ``CI=true``, where this script exits with status 1 (and the test would fail).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]


def _say(message: str) -> None:
    print(f"ensure_browser: {message}", flush=True)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_chromium() -> bool:
    """Chromium at /usr/bin/chromium, installed with apt when we may."""
    if CHROMIUM.exists():
        return True
    if not (_is_root() and shutil.which("apt-get")):
        _say(f"{CHROMIUM} is missing and apt-get cannot run here (not root): "
             "install Debian's chromium package to run the browser test")
        return False
    _say("installing Debian's chromium with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if not CHROMIUM.exists():
        _say("apt-get did not provide /usr/bin/chromium")
        return False
    return True


def _playwright_pin() -> str:
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    match = re.search(r"^playwright==([\w.]+)", text, flags=re.MULTILINE)
    return f"playwright=={match.group(1)}" if match else "playwright"


def ensure_playwright() -> bool:
    """The playwright package (its Python side only; no browser download)."""
    if importlib.util.find_spec("playwright") is not None:
        return True
    requirement = _playwright_pin()
    _say(f"installing {requirement} with pip (the package only, no browsers)")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=False)
    importlib.invalidate_caches()
    if importlib.util.find_spec("playwright") is None:
        _say("playwright could not be installed")
        return False
    return True


def main() -> int:
    ok = ensure_chromium()
    ok = ensure_playwright() and ok
    if ok:
        _say(f"ready: {CHROMIUM} and playwright")
        return 0
    if os.environ.get("CI", "").lower() == "true":
        _say("CI=true: the browser test cannot run, failing")
        return 1
    _say("!!! the browser test will be SKIPPED on this machine (see above) !!!")
    return 0


if __name__ == "__main__":
    sys.exit(main())
