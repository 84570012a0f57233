"""Static checks of the committed notebooks: what a reader without a kernel sees.

The outputs themselves are checked by strict nbval (``make nbval``); these tests check the house
rules around them: executed top to bottom, no errors or warnings stored, the setup cell's install
hint, at most 5% of code cells ignored by nbval and each with a reason, goals / summary / exercises,
and navigation cells that are up to date.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def markdown(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_the_course_has_its_first_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert "00_start_here.ipynb" in names and "01_closed_form.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_without_errors_or_warnings(path):
    nb = load(path)
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run `make execute` to store fresh outputs"
    for c in code_cells(nb):
        for out in c["outputs"]:
            assert out["output_type"] != "error", "".join(c["source"])[:80]
            if out["output_type"] == "stream":
                assert out["name"] != "stderr", f"stderr stored: {''.join(out['text'])[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_says_how_to_install_course_utils(path):
    first = "".join(code_cells(load(path))[0]["source"])
    assert "import course_utils" in first and "except ModuleNotFoundError" in first
    assert "pip install -e" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure_goals_prerequisites_summary_exercises(path):
    text = markdown(load(path)).lower()
    for word in ("goal", "prerequisite", "time", "summary", "exercise"):
        assert word in text, f"no '{word}' in the markdown of {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignored_cells_give_a_reason(path):
    for c in code_cells(load(path)):
        if IGNORE_TAGS & set(c.get("metadata", {}).get("tags", [])):
            first_line = "".join(c["source"]).splitlines()[0]
            assert first_line.startswith("#") and len(first_line) > 20, (
                "a cell ignored by nbval starts with a comment saying why")


def test_at_most_5_percent_of_code_cells_are_ignored():
    total = ignored = 0
    for path in NOTEBOOKS:
        for c in code_cells(load(path)):
            total += 1
            ignored += bool(IGNORE_TAGS & set(c.get("metadata", {}).get("tags", [])))
    assert total and ignored / total <= 0.05, f"{ignored}/{total} code cells ignored"


def test_no_lax_nbval_anywhere():
    for name in ("Makefile", "pyproject.toml", ".ci/run"):
        assert "--nbval-lax" not in (ROOT / name).read_text()
    assert "--nbval " in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_local_links_resolve(path):
    for target in re.findall(r"\]\(([^)#\s]+\.ipynb)", markdown(load(path))):
        assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_hard_coded_font_sizes(path):
    """The style decides type sizes, so that the lecture style enlarges everything (DESIGN.md)."""
    pattern = re.compile(r"(fontsize|labelsize|titlesize|title_fontsize)\s*=\s*[\d.]+|set_fontsize\(\s*[\d.]")
    for c in code_cells(load(path)):
        found = pattern.search("".join(c["source"]))
        assert not found, f"{path.name}: {found.group(0)!r} (use the style, or 'small'/'large')"


def test_navigation_cells_are_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "nav.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + "\nrun `python tools/nav.py` to update"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_navigation_at_the_top_and_the_bottom(path):
    cells = load(path)["cells"]
    assert "".join(cells[0]["source"]).startswith("<!-- nav-top -->"), "run `python tools/nav.py`"
    assert "".join(cells[-1]["source"]).startswith("<!-- nav -->"), "run `python tools/nav.py`"


def _map_rows(text: str) -> dict[str, str]:
    """Rows of a course-map table: {"00": row text, ...}."""
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| (0\d) \|.*$", text, re.M)}


@pytest.mark.parametrize("where", ["README.md", "notebooks/00_start_here.ipynb"])
def test_course_maps_link_every_notebook_that_exists_and_only_those(where):
    path = ROOT / where
    text = markdown(load(path)) if path.suffix == ".ipynb" else path.read_text()
    rows = _map_rows(text)
    assert sorted(rows) == [f"{i:02d}" for i in range(8)], f"the map in {where} lists 00-07"
    existing = {p.name[:2]: p.name for p in NOTEBOOKS}
    for number, row in rows.items():
        if number in existing:
            if not (where.endswith("00_start_here.ipynb") and number == "00"):
                assert existing[number] in row, f"{where}: row {number} should link {existing[number]}"
        else:
            assert "(coming)" in row and ".ipynb" not in row, f"{where}: row {number} is not written yet"
