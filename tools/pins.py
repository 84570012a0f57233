"""Keep the three pin lists of the course in lock-step.

``requirements.txt`` is the source of truth. ``binder/requirements.txt`` (repo2docker copies only
``binder/`` before it installs, so it cannot say ``-r ../requirements.txt``) carries the same pins;
the pip section of ``environment.yml`` (conda users) carries them and the test tools of
``requirements-dev.txt``, so a conda user can run the tests. ``python tools/pins.py --write``
regenerates both; ``tests/test_environment.py`` fails when they differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)$")

BINDER_HEADER = """\
# Binder (repo2docker) installs from this file before it copies the rest of the repo,
# so it carries the pins itself. Generated from ../requirements.txt by tools/pins.py;
# tests/test_environment.py fails on any difference.
"""

ENV_HEADER = """\
# Conda route (also on Windows): `conda env create -f environment.yml && conda activate fitting-models`,
# then `pip install --no-deps -e .` from this folder, and `jupyter lab`.
# It carries the test tools too (pytest, nbval, ruff: the pins of requirements-dev.txt, as in CI),
# so `python -m pytest tests` and the nbval run of the README work in it.
# The pip pins are generated from requirements.txt and requirements-dev.txt by tools/pins.py;
# tests/test_environment.py fails on any difference.
name: fitting-models
channels:
  - conda-forge
dependencies:
  - python={python}
  - pip
  - pip:
"""


def parse_requirements(path: Path) -> dict[str, str]:
    """Return {normalised name: version} of the exact pins in a requirements file."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("-r"):
            continue
        m = PIN.match(line)
        if not m:
            raise ValueError(f"{path.name}: not an exact pin: {line!r}")
        pins[normalise(m.group(1))] = m.group(2)
    return pins


def parse_environment(path: Path) -> tuple[str, dict[str, str]]:
    """Return (python version, pip pins) of environment.yml (no YAML library needed)."""
    python = ""
    pins: dict[str, str] = {}
    in_pip = False
    for raw in path.read_text().splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("- python="):
            python = stripped.split("=", 1)[1]
        elif stripped == "- pip:":
            in_pip = True
        elif in_pip and stripped.startswith("- "):
            m = PIN.match(stripped[2:].strip())
            if not m:
                raise ValueError(f"environment.yml: not an exact pin: {stripped!r}")
            pins[normalise(m.group(1))] = m.group(2)
    return python, pins


def normalise(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pin_lines(name: str) -> list[str]:
    return [ln.strip() for ln in (ROOT / name).read_text().splitlines()
            if ln.strip() and not ln.startswith("#") and not ln.startswith("-r")]


def write() -> None:
    """Regenerate binder/requirements.txt (the course) and environment.yml (the course and the
    test tools) from requirements.txt and requirements-dev.txt."""
    lines = _pin_lines("requirements.txt")
    (ROOT / "binder" / "requirements.txt").write_text(BINDER_HEADER + "\n".join(lines) + "\n")
    lines = lines + _pin_lines("requirements-dev.txt")
    env = ENV_HEADER.format(python=PYTHON) + "".join(f"      - {ln}\n" for ln in lines)
    (ROOT / "environment.yml").write_text(env)


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(__doc__)
