"""Set-up of the browser test: JupyterLab on a free local port, and headless Debian Chromium.

JupyterLab serves a temporary copy of the notebooks folder (no token, no password, its own
settings, workspaces and runtime folders), so the test never touches the repository's notebooks or
the user's Jupyter state. Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright; no
browser is ever downloaded. Missing Chromium or Playwright: the tests skip with a loud reason,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labserver  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = labserver.CHROMIUM
ARTIFACTS = ROOT / "artifacts" / "browser"
# the notebooks folder to serve; a development notebook folder can be given instead
NOTEBOOK_DIR = Path(os.environ.get("BROWSER_TEST_NOTEBOOK_DIR", ROOT / "notebooks"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and the browser test cannot run: {reason}", pytrace=False)
    print(f"\n!!! browser test SKIPPED: {reason} !!!", file=sys.stderr)
    pytest.skip(f"!!! browser test skipped: {reason} (run tests/browser/ensure_browser.py) !!!")


@pytest.fixture(scope="session")
def browser_tools():
    """Playwright's sync API, or a loud skip (a failure under CI=true)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is missing")
    return sync_playwright


@pytest.fixture(scope="session")
def lab(browser_tools, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of the notebooks: yields its base URL."""
    tmp = tmp_path_factory.mktemp("lab")
    served = tmp / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with labserver.jupyterlab(served, tmp) as url:
        yield url


@pytest.fixture(scope="session")
def browser(browser_tools):
    """Headless Debian Chromium with a fresh profile, 1024 x 768 (a laptop)."""
    with labserver.chromium(browser_tools, width=1024, height=768) as context:
        yield context


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
