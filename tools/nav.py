"""Keep the generated parts of every notebook up to date: navigation at the top and the bottom,
and the "Time needed" line of the header.

usage: python tools/nav.py [--check]

The source is ``course.toml`` (through ``tools/course.py``): titles and times of notebooks 00-07.

* The first cell of a notebook is the markdown cell ``<!-- nav-top -->``, the last one the
  markdown cell ``<!-- nav -->``: previous notebook, course map, next notebook. A notebook not
  written yet is named without a link, "(coming)".
* The header's ``**Time needed.** ...`` line says ``About N minutes.`` with course.toml's N, the
  same number as the README's map and notebook 00's map.

``--check`` only reports what is out of date (the test suite runs it) and exits 1 if anything
is; without it the notebooks are rewritten (cells keep their ids; outputs are untouched).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

NOTEBOOKS = course.NOTEBOOKS
TOP, BOTTOM = "<!-- nav-top -->", "<!-- nav -->"
TIME = re.compile(r"^\*\*Time needed\.\*\*.*$", re.M)


def nav_text(number: str, entries: dict[str, dict], marker: str) -> str:
    """The navigation line of notebook ``number``, after ``marker``."""
    n = int(number)
    parts = []
    prev, nxt = entries.get(f"{n - 1:02d}"), entries.get(f"{n + 1:02d}")
    if prev is not None:
        parts.append(f"[← {prev['number']} {prev['title']}]({prev['file']})" if prev["exists"]
                     else f"previous: {prev['number']} {prev['title']} (coming)")
    if number != "00":
        parts.append("[Course map](00_start_here.ipynb)")
    if nxt is not None:
        if nxt["exists"]:
            parts.append(f"[{nxt['number']} {nxt['title']} →]({nxt['file']})")
        else:
            parts.append(f"next: {nxt['number']} {nxt['title']} (coming)")
    return marker + "\n" + " · ".join(parts)


def time_line(entry: dict) -> str:
    return f"**Time needed.** About {entry['minutes']} minutes."


def _is(cell, marker: str) -> bool:
    return cell.cell_type == "markdown" and cell.source.startswith(marker)


def update(nb, number: str, entries: dict[str, dict]) -> list[str]:
    """Bring the generated parts of ``nb`` up to date in place; return what was stale."""
    stale = []
    top, bottom = nav_text(number, entries, TOP), nav_text(number, entries, BOTTOM)
    for marker, want, index in [(TOP, top, 0), (BOTTOM, bottom, -1)]:
        found = [c for c in nb.cells if _is(c, marker)]
        if len(found) == 1 and nb.cells[index] is found[0] and found[0].source == want:
            continue
        stale.append(f"navigation ({'top' if marker == TOP else 'bottom'})")
        nb.cells = [c for c in nb.cells if not _is(c, marker)]
        cell = found[0] if found else nbformat.v4.new_markdown_cell()
        cell.source = want
        if not found:
            cell["id"] = f"nav-{'top' if marker == TOP else 'bottom'}"
        if marker == TOP:
            nb.cells.insert(0, cell)
        else:
            nb.cells.append(cell)
    header = next((c for c in nb.cells if c.cell_type == "markdown" and TIME.search(c.source)), None)
    want = time_line(entries[number])
    if header is None:
        stale.append("no '**Time needed.**' line in the header")
    elif TIME.search(header.source).group(0) != want:
        stale.append("time needed")
        header.source = TIME.sub(want, header.source, count=1)
    return stale


def main(check: bool) -> int:
    entries = {e["number"]: e for e in course.notebooks()}
    problems = 0
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        number = path.name[:2]
        if number not in entries or entries[number]["file"] != path.name:
            print(f"{path.name}: not in course.toml (add it there)")
            problems += 1
            continue
        nb = nbformat.read(path, as_version=4)
        stale = update(nb, number, entries)
        if not stale:
            continue
        problems += 1
        print(f"{'out of date' if check else 'updated'}: {path.name}: {', '.join(stale)}")
        if not check:
            nbformat.write(nb, path)
    return 1 if (check and problems) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
