"""No notebook prints or states the answer of an exercise (DESIGN.md: nothing gives it away)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from course_utils import exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def notebook_numbers(path: Path) -> set:
    """Every number in a notebook's sources and stored outputs, rounded to 4 significant figures."""
    nb = json.loads(path.read_text())
    texts = []
    for cell in nb["cells"]:
        texts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            texts.append("".join(out.get("text", "")))
            for key in ("text/plain", "text/markdown", "text/html"):
                texts.append("".join(out.get("data", {}).get(key, "")))
    found = re.findall(r"\d+\.\d+(?:[eE][-+]?\d+)?", "\n".join(texts))
    return {float(f"{float(n):.4g}") for n in found}


def telling_entries(exercise_id) -> list:
    """The entries of a numeric reference answer with 3 or more significant digits, trailing
    zeros not counted (round numbers such as 0.9, 93 or 100 turn up in any notebook by chance)."""
    try:
        ref = np.atleast_1d(np.asarray(exercises.solution(exercise_id), dtype=float)).ravel()
    except (TypeError, ValueError):
        return []
    return [abs(float(f"{r:.4g}")) for r in ref
            if len(f"{abs(r):.4g}".split("e")[0].replace(".", "").strip("0")) >= 3]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_no_notebook_shows_the_answer_of_an_exercise(path):
    numbers = {abs(n) for n in notebook_numbers(path)}
    leaks = {i: [r for r in telling_entries(i) if r in numbers]
             for i in exercises.exercise_ids() if exercises._get(i).unique}
    leaks = {i: v for i, v in leaks.items() if v}
    assert not leaks, f"{path.name} shows the answers of {leaks}"
