"""Keep the navigation cell at the end of every notebook up to date.

usage: python tools/nav.py [--check]

The navigation cell is the markdown cell that starts with ``<!-- nav -->``: previous notebook,
course map, next notebook. This script rewrites it from the list of notebooks on disk (a notebook
not written yet is named, without a link). ``--check`` only reports notebooks whose cell is out of
date (the test suite runs it) and exits 1 if any is.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MARKER = "<!-- nav -->"
#: The course's story (DESIGN.md); titles of notebooks that do not exist yet come from here.
PLANNED = {
    "00": "Start here",
    "01": "The closed-form answer",
    "02": "Grid search",
    "03": "scipy.optimize",
    "04": "Gradient descent",
    "05": "Derivatives with autograd",
    "06": "Rough landscapes",
    "07": "Real data",
}


def title(path: Path) -> str:
    """The notebook's H1 title without its number prefix."""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if m:
                return re.sub(r"^\d\d\s*[·:.\-–—]?\s*", "", m.group(1)).strip()
    return PLANNED.get(path.name[:2], path.stem)


def nav_text(number: str, files: dict[str, Path]) -> str:
    """The navigation cell of notebook ``number``."""
    n = int(number)
    parts = []
    prev_key, next_key = f"{n - 1:02d}", f"{n + 1:02d}"
    if prev_key in files:
        parts.append(f"[← {prev_key} {title(files[prev_key])}]({files[prev_key].name})")
    if number != "00":
        parts.append("[Course map](00_start_here.ipynb)")
    if next_key in files:
        parts.append(f"[{next_key} {title(files[next_key])} →]({files[next_key].name})")
    elif next_key in PLANNED:
        parts.append(f"next: {next_key} {PLANNED[next_key]} (coming soon)")
    return MARKER + "\n" + " · ".join(parts)


def main(check: bool) -> int:
    files = {p.name[:2]: p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}
    stale = []
    for number, path in files.items():
        nb = nbformat.read(path, as_version=4)
        want = nav_text(number, files)
        cells = [c for c in nb["cells"]
                 if c["cell_type"] == "markdown" and "".join(c["source"]).startswith(MARKER)]
        if len(cells) == 1 and "".join(cells[0]["source"]) == want:
            continue
        stale.append(path.name)
        if check:
            continue
        if cells:
            cells[0]["source"] = want
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(want, id="nav"))
        nbformat.write(nb, path)
    for name in stale:
        print(f"{'out of date' if check else 'updated'}: {name}")
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
