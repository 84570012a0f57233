"""Exercises of notebook 02 (grid search).

The checkers compute their reference answers here, from the same seeded data as the notebook,
so the answers never appear in the notebook. The ``solution_*`` functions are the reference
solutions, written as a student would.
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import (
    COURSE_SAMPLE,
    Slip,
    Tiered,
    as_integer,
    as_number,
    as_vector,
    close,
    is_rounded,
    normal_sample_of,
    register,
)

#: The notebook's data: ``data.normal_sample(1000, 0.0, 1.0, seed=0)``.
SAMPLE = COURSE_SAMPLE
#: "02.spacing": points on the sigma axis (grid_n) and the sigma range.
SPACING = {"grid_n": 200, "sigma_range": (0.5, 1.5)}
#: "02.evaluations": points per axis (grid_n) and number of parameters.
EVALUATIONS = {"grid_n": 50, "k": 4}
#: "02.nonconvex": the notebook's own example point, and how far (|d mu| + |d sigma|) an answer
#: must be from it.
EXAMPLE_POINT = (2.0, 1.0)
MIN_DISTANCE = 0.25


def _sample() -> np.ndarray:
    return normal_sample_of(SAMPLE)


# ---------------------------------------------------------------- 02.spacing

def solution_spacing():
    sigmas = np.linspace(0.5, 1.5, 200)
    return sigmas[1] - sigmas[0]


def _spacing() -> float:
    lo, hi = SPACING["sigma_range"]
    return (hi - lo) / (SPACING["grid_n"] - 1)


@register("02.spacing", solution=solution_spacing, wrong=lambda: 0.02,
          slips={"counted points, not gaps":
                 lambda: (SPACING["sigma_range"][1] - SPACING["sigma_range"][0])
                 / SPACING["grid_n"],
                 "half the spacing": lambda: _spacing() / 2,
                 "rounding": lambda: round(_spacing(), 5)},
          praise="n points make n - 1 gaps: the spacing is (high - low) / (n - 1).",
          question="A grid puts 200 points on sigma in [0.5, 1.5] with np.linspace. "
                   "What is its spacing in sigma?")
def _spacing_checker(answer):
    a = as_number(answer)
    lo, hi = SPACING["sigma_range"]
    n = SPACING["grid_n"]
    ref = _spacing()
    if close(a, ref, rtol=1e-9):
        return None
    if close(a, (hi - lo) / n, rtol=1e-9) or close(a, (hi - lo) / (n + 1), rtol=1e-9):
        return Slip("counted points, not gaps", "np.linspace puts a point on both ends of the "
                    "range. Try it with 3 points on [0, 1]: how many gaps lie between them?")
    if close(a, ref / 2, rtol=1e-9):
        return Slip("half the spacing", "That is half the spacing (how far the best cell can be "
                    "from the minimum), not the spacing itself.")
    if is_rounded(a, ref, rtol=2e-3):
        return Slip("rounding", "Close, but rounded: pass the computed value itself.")
    return Tiered("The spacing is the distance from one grid value to the next. Build the grid "
                  "with np.linspace and look at it.",
                  "Subtract two neighbouring grid values, or divide the width of the range by "
                  "the number of gaps between the points.")


# ---------------------------------------------------------------- 02.evaluations

def solution_evaluations():
    return 50**4  # every combination of 50 values on each of 4 axes


def _evaluations() -> int:
    return EVALUATIONS["grid_n"] ** EVALUATIONS["k"]


@register("02.evaluations", solution=solution_evaluations, wrong=lambda: 1000,
          slips={"added axes instead of combining":
                 lambda: EVALUATIONS["grid_n"] * EVALUATIONS["k"],
                 "swapped base and exponent": lambda: EVALUATIONS["k"] ** EVALUATIONS["grid_n"],
                 "one axis off": lambda: EVALUATIONS["grid_n"] ** (EVALUATIONS["k"] - 1)},
          praise="One axis per parameter, and every combination of points: G to the power k.",
          question="A model has 4 parameters; the grid has 50 points on each. How many "
                   "evaluations does the grid search need?")
def _evaluations_checker(answer):
    g, k = EVALUATIONS["grid_n"], EVALUATIONS["k"]
    a = as_integer(answer, "a whole number (a count)")
    if a is None:
        return Tiered("A count of evaluations is a whole number.",
                      "Count the cells of the grid: one evaluation per cell.")
    if a == g**k:
        return None
    if a in (g * k, g + k):
        return Slip("added axes instead of combining", "A grid holds every combination of "
                    "values, not each axis once. With 2 parameters, how many cells?")
    if a == k**g:
        return Slip("swapped base and exponent", "Base and exponent are swapped: which number "
                    "grows when you add a parameter?")
    if a in (g ** (k - 1), g ** (k + 1)):
        return Slip("one axis off", "Count the axes again: one axis per parameter.")
    return Tiered("A grid holds every combination of values. Start small: with 2 parameters, "
                  "how many cells has the grid?",
                  "Each new axis multiplies the number of cells by the number of points on "
                  "that axis.")


# ---------------------------------------------------------------- 02.nonconvex

def solution_nonconvex():
    # outside the shaded region of section 6: sigma well above sqrt(3) sigma-hat
    return (0.0, 2.5)


def _min_scaled_eigenvalue(point) -> float:
    """Smallest eigenvalue of sigma^2 times the NLL's Hessian at (mu, sigma), computed on the
    standardised residuals z = (x - mu) / sigma, so that no number overflows; it has the sign of
    the Hessian's smallest eigenvalue (sigma^2 > 0 only scales it)."""
    mu, sigma = point
    z = (_sample() - mu) / sigma
    n = z.size
    s1, s2 = z.sum(), (z * z).sum()
    h = np.array([[n, 2 * s1], [2 * s1, 3 * s2 - n]], dtype=float)
    if not np.all(np.isfinite(h)):
        return np.nan
    return float(np.linalg.eigvalsh(h).min())


@register("02.nonconvex", solution=solution_nonconvex, wrong=lambda: (0.1, 1.2),
          placeholder=lambda: None, unique=False,
          slips={"the notebook's point": lambda: (2.05, 1.05),
                 "a negative sigma": lambda: (0.0, -2.0)},
          praise="Far enough from the minimum, the NLL curves down in some direction: it is not "
                 "convex in (mu, sigma), although it has a single minimum.",
          question="A point (mu, sigma), well away from the notebook's example (2, 1), where the "
                   "Hessian of the NLL of x has a negative eigenvalue.")
def _nonconvex(answer):
    point = as_vector(answer, 2, "one point as a pair (mu, sigma)")
    mu, sigma = point
    if sigma <= 0:
        return Slip("a negative sigma", "sigma is a standard deviation: it must be above 0.")
    if abs(mu - EXAMPLE_POINT[0]) + abs(sigma - EXAMPLE_POINT[1]) <= MIN_DISTANCE:
        return Slip("the notebook's point", "That is (almost) the notebook's own example point. "
                    "Find a point of your own, well away from it.")
    lam = _min_scaled_eigenvalue(point)
    if not np.isfinite(lam):
        return Tiered("At that point the NLL cannot be evaluated in floating point (the "
                      "numbers overflow). Choose mu and sigma of moderate size.",
                      "Pick a point inside the figure of section 6, where the Hessian can be "
                      "computed, and check it with nll.hess.")
    if lam < 0:
        return None
    return Tiered("At that point both eigenvalues of the Hessian are positive: the NLL is convex "
                  "there. Look at the figure of section 6: where is the region that is not "
                  "shaded?",
                  "Go further from the minimum: a larger sigma, or a mu further from the mean. "
                  "Check your candidate with np.linalg.eigvalsh(nll.hess(...)).")
