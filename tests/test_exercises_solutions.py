"""solutions/NN_solutions.md are generated from the reference solutions and kept up to date."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import exercises

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("solutions_tool", ROOT / "tools" / "solutions.py")
solutions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(solutions)


@pytest.mark.parametrize("notebook", solutions.notebooks())
def test_the_solutions_file_is_up_to_date(notebook):
    path = ROOT / "solutions" / f"{notebook}_solutions.md"
    assert path.exists(), f"{path} is missing: run python tools/solutions.py"
    assert path.read_text() == solutions.render(notebook), (
        f"{path.name} is stale: run python tools/solutions.py")


def test_every_exercise_is_in_its_solutions_file():
    for exercise_id in exercises.exercise_ids():
        text = (ROOT / "solutions" / f"{exercise_id[:2]}_solutions.md").read_text()
        assert f"## `{exercise_id}`" in text


def test_the_check_mode_reports_no_stale_file():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "solutions.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("exercise_id", exercises.exercise_ids())
def test_each_exercise_states_its_question(exercise_id):
    assert exercises._get(exercise_id).question.strip()
