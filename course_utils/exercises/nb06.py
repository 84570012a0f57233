"""Exercises of notebook 06 (rough landscapes).

The checkers compute their reference answers here, from the same seeded data as the notebook, so
the answers never appear in the notebook. The ``solution_*`` functions are the reference
solutions, written as a student would.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from course_utils import data, models, multistart, optim
from course_utils.exercises import (
    BadAnswer,
    Slip,
    Tiered,
    as_integer,
    as_number,
    call_student,
    register,
)

#: The notebook's sinusoid: t = linspace(0, 1, n) s, y = sin(2 pi f (t - 0.5) + phi) + noise.
SINUSOID = {"n": 60, "f": 4.3, "phi": 1.0, "noise_sd": 0.5, "seed": 3}
#: The window of the landscape and of the basin map: frequency (Hz), phase (rad).
BOX = ((1.0, 9.0), (-np.pi, np.pi))
#: The notebook's basin map of gradient descent.
BASIN_SETTINGS = {"grid_n": 40, "lr": 0.3, "max_iter": 1000, "tol": 1e-4, "same_tol": 0.03}
#: The notebook's low-concentration Michaelis-Menten experiment (all S far below Km = 6).
LOW_S = {"S": (0.05, 0.5, 20), "vmax": 29.0, "km": 6.0, "noise_sd": 0.2, "seed": 0}
#: Random restarts of BFGS on it: ``multistart.random_starts(box, n_starts, seed=seed)``.
LOW_S_RESTARTS = {"box": ((5.0, 100.0), (1.0, 20.0)), "n_starts": 8, "seed": 1}
#: "06.identifiable": a second lab measures another enzyme at the same low concentrations.
SECOND_LAB = {"vmax": 20.0, "km": 8.0, "seed": 3}


def sinusoid_data():
    """The notebook's noisy sinusoid: times ``t`` (s) and observations ``y``."""
    s = SINUSOID
    t = np.linspace(0.0, 1.0, s["n"])
    rng = np.random.default_rng(s["seed"])
    y = np.sin(2 * np.pi * s["f"] * (t - 0.5) + s["phi"]) + rng.normal(0.0, s["noise_sd"], s["n"])
    return t, y


def low_s_data():
    """The notebook's low-concentration Michaelis-Menten data: ``S`` and rates."""
    s = LOW_S
    return data.michaelis_menten_data(np.linspace(*s["S"]), vmax=s["vmax"], km=s["km"],
                                      noise_sd=s["noise_sd"], seed=s["seed"])


def second_lab_data():
    """The data of "06.identifiable": another enzyme, the same low concentrations and noise."""
    s, lab = LOW_S, SECOND_LAB
    return data.michaelis_menten_data(np.linspace(*s["S"]), vmax=lab["vmax"], km=lab["km"],
                                      noise_sd=s["noise_sd"], seed=lab["seed"])


@functools.lru_cache(maxsize=1)
def global_fraction() -> float:
    """Fraction of the basin map's starts from which gradient descent reaches the lowest minimum."""
    loss = models.make_sinusoid_loss(*sinusoid_data())
    b = BASIN_SETTINGS
    bm = multistart.basin_map(loss, *BOX, grid_n=b["grid_n"], lr=b["lr"], max_iter=b["max_iter"],
                              tol=b["tol"], same_tol=b["same_tol"], period=(None, 2 * np.pi))
    return float(bm.fractions()[0])


# ---------------------------------------------------------------- 06.restarts_needed

def solution_restarts_needed():
    p = 0.22                         # the share printed under the basin map
    # P(no start in the global basin) = (1 - p)^k; we need it to be at most 1%
    return math.ceil(math.log(0.01) / math.log(1.0 - p))


#: The share of starts printed under the notebook's basin map (tests/test_nb06.py checks that the
#: map gives it, to the percent).
PRINTED_SHARE = 0.22


def _needed(p: float, miss: float = 0.01) -> int:
    return math.ceil(math.log(miss) / math.log(1.0 - p))


@register("06.restarts_needed", solution=solution_restarts_needed, wrong=lambda: 50,
          slips={"expected number, not 99%": lambda: math.ceil(1.0 / PRINTED_SHARE),
                 "rounded down": lambda: solution_restarts_needed() - 1,
                 "probability instead of a count": lambda: 1.0 - (1.0 - PRINTED_SHARE) ** 10},
          praise="With k random starts, P(all miss) = (1 - p)^k falls fast: a few dozen "
                 "gradient descents are cheap insurance.",
          question="Starts drawn uniformly in the window reach the lowest minimum with the "
                   "probability printed under the basin map. How many starts do you need so "
                   "that at least one reaches it with probability 99% or more?")
def _restarts_needed(answer):
    a = as_number(answer, "a whole number of starts")
    p = PRINTED_SHARE
    want = _needed(p)
    if 0.0 < a < 1.0:
        return Slip("probability instead of a count",
                    "That is a probability. The question asks for a number of starts k.")
    k = as_integer(answer, "a whole number of starts")
    if k is None:
        return Tiered("A number of starts is a whole number: round your k up.",
                       "Solve (1 - p)^k <= 0.01 for k and round up to a whole number.")
    if k == want:
        return None
    if k == math.ceil(1.0 / p):
        return Slip("expected number, not 99%",
                    "That is about how many starts it takes on average to hit the basin once. "
                    "For 99% certainty you need more: when do ALL k starts miss?")
    if k == want - 1:
        return Slip("rounded down", "Close: with that many starts the chance of a hit is still "
                    "just below 99%. Round k up, not down.")
    if k > want:
        return Tiered("Enough starts, but fewer would do. What is the smallest k?",
                      "Each start misses with probability 1 - p, independently; all k miss with "
                      "probability (1 - p)^k. Find the smallest k with (1 - p)^k <= 0.01.")
    return Tiered("Too few. Think of the chance that every start misses the global basin.",
                  "Each start misses with probability 1 - p, independently; all k miss with "
                  "probability (1 - p)^k. Find the smallest k with (1 - p)^k <= 0.01 (take "
                  "logarithms).")


# ---------------------------------------------------------------- 06.best_run

def solution_best_run():
    def best_run(results):
        converged = [r for r in results if r.state == "converged"]
        if not converged:
            return None
        best = min(converged, key=lambda r: r.fun)
        return best.x

    return best_run


def _fake(x, fun, status, method="gradient descent"):
    """A minimal OptimResult for the hidden cases."""
    x = np.asarray(x, dtype=float)
    return optim.OptimResult(x=x, fun=float(fun), status=status, success=status == optim.CONVERGED,
                             nit=10, nfev=11, path=np.array([x, x]), losses=np.array([fun, fun]),
                             method=method, message="", diverged_at=None)


def _hidden_cases():
    C, M, D = optim.CONVERGED, optim.MAX_ITER, optim.DIVERGED
    return [
        # (results, the expected estimate x or None)
        ([_fake([0, 0], 1.0, C), _fake([1, 2], 3.0, C), _fake([5, 5], 2.0, C)], [0, 0]),
        # a run that stopped early (still moving) at a lower loss than any converged one
        ([_fake([1, 1], 0.5, C), _fake([9, 9], 0.1, M), _fake([2, 2], 0.7, C)], [1, 1]),
        # a diverged run keeps its last finite point, whose loss may be low
        ([_fake([3, 3], 0.2, C), _fake([-4, 4], 0.05, D)], [3, 3]),
        # the best run is last
        ([_fake([0, 1], 1.5, C), _fake([1, 0], 2.0, C), _fake([7, 7], -1.0, C)], [7, 7]),
        # no run converged
        ([_fake([1, 1], 0.5, M), _fake([2, 2], 0.4, D)], None),
    ]


def _lowest_any(results):
    return min(results, key=lambda r: r.fun).x


def _first_converged(results):
    ok = [r for r in results if r.state == "converged"]
    return ok[0].x if ok else None


def _highest(results):
    ok = [r for r in results if r.state == "converged"]
    return max(ok, key=lambda r: r.fun).x if ok else None


def _whole_result(results):
    ok = [r for r in results if r.state == "converged"]
    return min(ok, key=lambda r: r.fun) if ok else None


def _as_estimate(out):
    if isinstance(out, optim.OptimResult) or (hasattr(out, "x") and hasattr(out, "fun")):
        return "result"
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise BadAnswer("Your function should return the estimate x (an array of numbers), "
                        f"got a {type(out).__name__}.") from None
    return arr


@register("06.best_run", solution=solution_best_run, wrong=lambda: _first_converged,
          slips={"trusted a run that did not converge": lambda: _lowest_any,
                 "highest instead of lowest": lambda: _highest,
                 "returned the whole result": lambda: _whole_result},
          praise="Only converged runs count, and among them the lowest loss wins.",
          question="Write best_run(results): given a list of OptimResults (one per start), "
                   "return the estimate x of the converged run with the lowest loss, or None "
                   "when no run converged.")
def _best_run(answer):
    if not callable(answer):
        call_student(answer)  # raises BadAnswer with the "pass a function" message
    for results, expected in _hidden_cases():
        if expected is None:
            try:
                out = answer(list(results))
            except Exception as exc:  # noqa: BLE001 - the student's code
                return Tiered("When no run converged there is no estimate to trust: return None "
                              "in that case.",
                              f"Your function raised {type(exc).__name__} when no run converged. "
                              "Filter the converged runs first; if none is left, return None.")
            if out is not None:
                return Tiered("When no run converged there is no estimate to trust: return None "
                              "in that case.",
                              "Filter the runs whose state is \"converged\"; if none is left, "
                              "return None.")
            continue
        out = call_student(answer, list(results), what="the estimate x")
        got = _as_estimate(out)
        if isinstance(got, str):
            return Slip("returned the whole result", "Your function returns a whole result. "
                        "Return its estimate, the field x.")
        if got.shape != (2,) or not np.allclose(got, expected):
            converged = [r for r in results if r.state == "converged"]
            if got.shape == (2,) and np.allclose(got, _lowest_any(results)):
                return Slip("trusted a run that did not converge",
                            "Your function picked a run that did not converge (still moving, or "
                            "diverged): its loss means nothing yet. Keep only the runs whose "
                            "state is \"converged\".")
            if got.shape == (2,) and converged and np.allclose(got, _highest(results)):
                return Slip("highest instead of lowest", "Your function picked the converged run "
                            "with the highest loss: we want the lowest.")
            return Tiered("On a hidden case your function returned another run's estimate. "
                          "Which runs can you trust, and which of those is best?",
                          "Keep the runs with state == \"converged\", then take the one with the "
                          "smallest fun and return its x.")
    return None


# ---------------------------------------------------------------- 06.identifiable

def solution_identifiable():
    S_2, v_2 = second_lab_data()
    mm_2 = models.make_michaelis_menten_loss(S_2, v_2)
    starts = multistart.random_starts([(5.0, 100.0), (1.0, 20.0)], 8, seed=1)
    runs = multistart.multistart(mm_2, starts, optimizer="BFGS", max_iter=1000)
    best = runs.best.x
    return best[0] / best[1]      # Vmax / Km: the slope of the rate at low S


def _slope(S, rate) -> float:
    return float(S @ rate / (S @ S))   # the least-squares line through the origin


@register("06.identifiable", solution=solution_identifiable, wrong=lambda: 29.0,
          slips={"swapped order": lambda: 1.0 / _slope(*second_lab_data()),
                 "the wrong sample": lambda: _slope(*low_s_data()),
                 "a product": lambda: 56.0 * 12.4,
                 "a difference": lambda: 56.0 - 12.4},
          exact=False,
          praise="At S far below Km, v = Vmax S / (Km + S) is close to (Vmax / Km) S: the data "
                 "see only the slope Vmax / Km, the one combination every restart agrees on.",
          question="A second lab measures another enzyme at the same low concentrations "
                   "(nb06.second_lab_data()). Which combination of Vmax and Km can its data "
                   "determine? Give its value.")
def _identifiable(answer):
    a = as_number(answer)
    slope = _slope(*second_lab_data())
    # restarts stop along the valley, where Vmax / Km approaches the slope from above
    if 0.98 * slope <= a <= 1.04 * slope:
        return None
    first = _slope(*low_s_data())
    if 0.95 * first <= a <= 1.06 * first:
        return Slip("the wrong sample", "That is the value for the notebook's data, S_low and "
                    "v_low (or close to it). The exercise asks about the second lab's data, S_2 "
                    "and v_2.")
    if abs(a * slope - 1.0) <= 0.05:
        return Slip("swapped order", "That is Km / Vmax. The rate at low S is close to a line "
                    "through the origin: which ratio is its slope?")
    if a > 100:
        return Slip("a product", "That grows as the restarts move along the valley: the "
                    "restarts do not agree on it. Look for a combination that stays the same.")
    if 20 < a < 100 and abs(a - 29.0) > 0.5:
        return Slip("a difference", "Vmax - Km changes from restart to restart. Look for a "
                    "combination that stays the same along the valley.")
    return Tiered("Look at the scatter of the restarts' estimates: they lie on a straight line "
                  "through the origin. What does its slope stand for?",
                  "For S far below Km, v = Vmax S / (Km + S) is close to (Vmax / Km) S. Run a "
                  "few restarts on S_2, v_2 and compute Vmax / Km for each: what do you find?")


# ---------------------------------------------------------------- 06.wider_bound

WIDER_BOUND_CHOICES = {
    "A": "at the old bound, Vmax = 100, again",
    "B": "at the new bound, Vmax = 1000",
    "C": "inside the bounds, between the two",
}


def solution_wider_bound():
    S_low, v_low = low_s_data()
    mm_low = models.make_michaelis_menten_loss(S_low, v_low)
    fit = optim.minimize_recorded(mm_low, [20.0, 5.0], method="L-BFGS-B", jac=mm_low.grad,
                                  bounds=[(0.0, 1000.0), (0.0, 1000.0)])
    if np.isclose(fit.x[0], 1000.0):
        return "B"                   # on the new bound
    return "C" if fit.x[0] > 100.0 + 1e-6 else "A"


_wider_bound_answer = functools.lru_cache(maxsize=1)(solution_wider_bound)


@register("06.wider_bound", solution=_wider_bound_answer, wrong=lambda: "A",
          slips={"the estimate follows the bound": lambda: "B"},
          praise="Along a valley this flat the gradient falls below the tolerance long before "
                 "any bound: the optimizer stops wherever the slope becomes too small to see. "
                 "An estimate that moves when a bound or a tolerance moves is not an estimate.",
          question="Predict, then run: L-BFGS-B put Vmax on its bound 100. Widen both bounds to "
                   "1000. Where does the estimate of Vmax end: A, B or C?")
def _wider_bound(answer):
    if isinstance(answer, str) and answer.strip().upper().rstrip(".)") in WIDER_BOUND_CHOICES:
        a = answer.strip().upper().rstrip(".)")
    else:
        options = "; ".join(f'"{k}" {v}' for k, v in WIDER_BOUND_CHOICES.items())
        raise BadAnswer(f"Answer with one letter in quotes: {options}.")
    want = _wider_bound_answer()
    if a == want:
        return None
    if a == "B":
        return Slip("the estimate follows the bound", "The data do prefer larger Vmax (and Km), "
                    "but the optimizer has a stopping rule too. How steep is the valley floor "
                    "out there? Run it and look at the final gradient.")
    return Tiered("The loss at the old bound was not a minimum: the data pull the estimate "
                  "further out. Once the bound is gone, what stops the optimizer?",
                  "L-BFGS-B stops when the (projected) gradient is below its tolerance. Along a "
                  "nearly flat valley that happens at some point inside the bounds.")
