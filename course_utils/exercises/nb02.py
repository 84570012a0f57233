"""Exercises of notebook 02 (grid search).

The checkers compute their reference answers here, from the same seeded data as the notebook,
so the answers never appear in the notebook.
"""

from __future__ import annotations

import numpy as np

from course_utils import data, models
from course_utils.exercises import as_number, register

#: The notebook's data: ``data.normal_sample(1000, 0.0, 1.0, seed=0)``.
SAMPLE = {"n": 1000, "mu": 0.0, "sigma": 1.0, "seed": 0}
#: "02.spacing": points per axis and the sigma range.
SPACING = {"n": 200, "sd_range": (0.5, 1.5)}
#: "02.evaluations": points per axis and number of parameters.
EVALUATIONS = {"points_per_axis": 50, "k": 4}

_NONE_HINT = "Replace None by your answer, then run the cell again."


def _sample() -> np.ndarray:
    return data.normal_sample(SAMPLE["n"], SAMPLE["mu"], SAMPLE["sigma"], seed=SAMPLE["seed"])


# ---------------------------------------------------------------- 02.spacing

def _spacing_solution() -> float:
    lo, hi = SPACING["sd_range"]
    return (hi - lo) / (SPACING["n"] - 1)


@register("02.spacing", solution=_spacing_solution,
          wrong=lambda: (SPACING["sd_range"][1] - SPACING["sd_range"][0]) / SPACING["n"],
          praise="n points make n - 1 gaps: the spacing is (high - low) / (n - 1).")
def _spacing(answer):
    if answer is None:
        return _NONE_HINT
    a = as_number(answer)
    lo, hi = SPACING["sd_range"]
    n = SPACING["n"]
    if np.isclose(a, (hi - lo) / (n - 1), rtol=1e-9):
        return None
    if np.isclose(a, (hi - lo) / n, rtol=1e-9):
        return ("Count the gaps, not the points: np.linspace puts points on both ends, so n "
                "points leave n - 1 gaps. Check with np.diff(np.linspace(0.5, 1.5, 200))[0].")
    if np.isclose(a, (hi - lo) / (n - 1) / 2, rtol=1e-9):
        return "That is half the spacing (the worst-case error of the best cell), not the spacing."
    return ("The spacing is the distance between two neighbouring sigma values of the grid: "
            "(high - low) divided by the number of gaps.")


# ---------------------------------------------------------------- 02.evaluations

def _evaluations_solution() -> int:
    return EVALUATIONS["points_per_axis"] ** EVALUATIONS["k"]


@register("02.evaluations", solution=_evaluations_solution,
          wrong=lambda: EVALUATIONS["points_per_axis"] * EVALUATIONS["k"],
          praise="One axis per parameter, and every combination of points: G to the power k.")
def _evaluations(answer):
    if answer is None:
        return _NONE_HINT
    a = as_number(answer)
    g, k = EVALUATIONS["points_per_axis"], EVALUATIONS["k"]
    if a == g**k:
        return None
    if a == g * k:
        return ("A grid holds every combination of values, not each axis once: with 2 parameters "
                f"it is {g} x {g} cells. Now add two more axes.")
    if a == k**g:
        return "Base and exponent are swapped: the number of points is raised to the number of axes."
    return f"Count the cells of a grid with {g} points on each of {k} axes."


# ---------------------------------------------------------------- 02.nonconvex

def _min_eigenvalue(point) -> float:
    nll = models.make_normal_nll(_sample())
    return float(np.linalg.eigvalsh(nll.hess(np.asarray(point, dtype=float))).min())


@register("02.nonconvex", solution=lambda: (-2.0, 1.0), wrong=lambda: (0.0, 1.0),
          praise="Far enough from the minimum, the NLL curves down in some direction: it is not "
                 "convex in (mu, sigma), although it has a single minimum.")
def _nonconvex(answer):
    if answer is None:
        return _NONE_HINT
    point = np.asarray(answer, dtype=float)
    if point.shape != (2,):
        return "Give one point as a pair (mu, sigma), e.g. (0.5, 1.2)."
    if not np.all(np.isfinite(point)) or point[1] <= 0:
        return "sigma must be a finite number above 0."
    if np.allclose(point, (2.0, 1.0)):
        return "That is the notebook's point. Find another one."
    if _min_eigenvalue(point) < 0:
        return None
    return ("At that point both eigenvalues of the Hessian are positive. Go further from the "
            "minimum: where (mu - mean)^2 + sigma^2 is more than 3 times the MLE variance.")
