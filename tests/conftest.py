"""Shared test set-up: a headless matplotlib backend, figures closed and exercise attempts forgotten
after every test, and throw-away exercises for the tests of the exercise framework."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import exercises  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _fresh_attempts():
    """Every test starts and ends with no wrong tries counted (the hints start at the nudge)."""
    exercises.reset_attempts()
    yield
    exercises.reset_attempts()


@pytest.fixture
def make_exercise():
    """Register throw-away exercises (``99.*``: answer 4.0, wrong 0.0 unless told); removed after."""
    made = []

    def make(exercise_id, checker, *, solution=lambda: 4.0, wrong=lambda: 0.0, **kw):
        exercises.register(exercise_id, solution=solution, wrong=wrong, **kw)(checker)
        made.append(exercise_id)
        return exercise_id

    yield make
    for exercise_id in made:
        exercises._REGISTRY.pop(exercise_id, None)
        exercises._EXPECTED.pop(exercise_id, None)


def central_difference(f, x, h=1e-6):
    """Gradient of a scalar function by central finite differences."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g
