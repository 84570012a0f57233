"""Exercises of notebook 03 (scipy.optimize).

The checkers compute their reference answers here, from the same seeded data as the notebook,
so the answers never appear in the notebook. The ``solution_*`` functions are the reference
solutions, written as a student would.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from course_utils import data, models
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

#: The notebook's normal sample: ``data.normal_sample(1000, 0.0, 1.0, seed=0)``.
SAMPLE = COURSE_SAMPLE
#: "03.log_sigma" fits its own sample, so that no value printed in the notebook is its answer:
#: ``data.normal_sample(60, 3.0, 0.5, seed=3)``.
LOG_SIGMA_SAMPLE = {"n": 60, "mu": 3.0, "sigma": 0.5, "seed": 3}
#: The data of "03.sin_fit": y = a sin(x) + b x + c + noise, drawn by :func:`sin_data`.
SIN = {"n": 80, "a": 2.0, "b": 0.5, "c": -1.0, "noise_sd": 0.3, "seed": 7}
#: "03.nfev": Nelder-Mead on the NLL of the notebook's sample from this start.
NFEV_START = (5.0, 5.0)
#: "03.on_bound": L-BFGS-B on the NLL of the notebook's sample with these bounds, from this start.
ON_BOUND = {"bounds": [(-5.0, 5.0), (0.5, 0.9)], "x0": (0.5, 0.7)}


def sin_data():
    """The exercise data of "03.sin_fit": ``x`` on [0, 10] and noisy ``y``."""
    rng = np.random.default_rng(SIN["seed"])
    x = np.linspace(0.0, 10.0, SIN["n"])
    y = SIN["a"] * np.sin(x) + SIN["b"] * x + SIN["c"] + rng.normal(0.0, SIN["noise_sd"], SIN["n"])
    return x, y


def _sample() -> np.ndarray:
    return normal_sample_of(SAMPLE)


def _log_sigma_sample() -> np.ndarray:
    return normal_sample_of(LOG_SIGMA_SAMPLE)


_ROUNDING = Slip("rounding", "Close, but not exact: did you round, or copy digits from a printed "
                 "output? Pass the computed value itself.")


# ---------------------------------------------------------------- 03.log_sigma

def solution_log_sigma():
    x_ls = data.normal_sample(60, 3.0, 0.5, seed=3)
    nll_ls = models.make_normal_nll(x_ls, parametrization="log_sigma")
    fit = scipy.optimize.minimize(nll_ls, x0=[0.0, 0.0], method="BFGS")
    return np.exp(fit.x[1])  # back from log sigma to sigma


@register("03.log_sigma", solution=solution_log_sigma, wrong=lambda: 1.5,
          slips={"forgot to transform back": lambda: np.log(np.std(_log_sigma_sample())),
                 "a variance": lambda: np.var(_log_sigma_sample()),
                 "the wrong parameter": lambda: np.mean(_log_sigma_sample()),
                 "n - 1 instead of n": lambda: np.std(_log_sigma_sample(), ddof=1),
                 "the wrong sample": lambda: np.std(_sample()),
                 "a sign": lambda: -np.std(_log_sigma_sample()),
                 "rounding": lambda: round(float(np.std(_log_sigma_sample())), 2)},
          praise="exp of the fitted log sigma is the MLE of sigma.",
          question="Fit the NLL of x_ls (data.normal_sample(60, 3.0, 0.5, seed=3)) in the "
                   "parameters (mu, log sigma) with BFGS from (0, 0) and give sigma-hat.")
def _log_sigma(answer):
    a = as_number(answer)
    x = _log_sigma_sample()
    sd = float(np.std(x))
    if abs(a - sd) <= 1e-5 * sd:
        return None
    if abs(a - np.log(sd)) <= 1e-4:
        return Slip("forgot to transform back", "That is log sigma, the parameter the optimizer "
                    "saw. The exercise asks for sigma itself.")
    if abs(a - sd**2) <= 1e-4:
        return Slip("a variance", "That looks like a variance. The exercise asks for sigma.")
    if abs(a - np.mean(x)) <= 1e-4:
        return Slip("the wrong parameter", "That is mu-hat, the first entry of the fit. sigma "
                    "comes from the second one.")
    if close(a, np.std(x, ddof=1)):
        return Slip("n - 1 instead of n", "That sd divides by n - 1 (ddof=1). The maximum of "
                    "the likelihood is the sd that divides by n.")
    if abs(abs(a) - sd) <= 1e-4:
        return Slip("a sign", "A standard deviation is never negative. Check where the minus "
                    "sign came from.")
    xm = _sample()
    if close(a, np.std(xm), rtol=1e-4) or close(a, np.std(xm, ddof=1), rtol=1e-4):
        return Slip("the wrong sample", "That is sigma-hat of x, the notebook's big sample. "
                    "This exercise fits the small sample x_ls.")
    if is_rounded(a, sd):
        return _ROUNDING
    return Tiered("Fit nll_ls = models.make_normal_nll(x_ls, parametrization=\"log_sigma\"). "
                  "The fit's second parameter is log sigma: the exercise asks for sigma.",
                  "Read the second entry of the result's x, then undo the log: which function "
                  "is the inverse of the logarithm?")


# ---------------------------------------------------------------- 03.sin_fit

def solution_sin_fit():
    x_ex, y_ex = sin_data()
    X = np.column_stack([np.sin(x_ex), x_ex, np.ones_like(x_ex)])  # the model is linear in a, b, c
    abc, *_ = np.linalg.lstsq(X, y_ex, rcond=None)
    return abc


def _sin_ref(columns=("sin", "x", "1")) -> np.ndarray:
    x, y = sin_data()
    cols = {"sin": np.sin(x), "x": x, "1": np.ones_like(x)}
    X = np.column_stack([cols[c] for c in columns])
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _without_intercept() -> np.ndarray:
    return np.append(_sin_ref(("sin", "x")), 0.0)


@register("03.sin_fit", solution=solution_sin_fit, wrong=lambda: (1.0, 1.0, 1.0),
          slips={"swapped order": lambda: _sin_ref()[[1, 0, 2]],
                 "the simulation's values": lambda: (SIN["a"], SIN["b"], SIN["c"]),
                 "a missing term": _without_intercept,
                 "a sign": lambda: _sin_ref() * np.array([1.0, 1.0, -1.0]),
                 "rounding": lambda: np.round(_sin_ref(), 3)},
          praise="The least-squares (a, b, c): minimize and lstsq agree.",
          question="Fit y = a sin(x) + b x + c to x_ex, y_ex = nb03.sin_data() by least squares "
                   "and give (a, b, c).")
def _sin_fit(answer):
    a = as_vector(answer, 3, "three numbers (a, b, c)")
    ref = _sin_ref()
    if np.allclose(a, ref, rtol=0, atol=1e-4):
        return None
    if np.allclose(np.sort(a), np.sort(ref), rtol=0, atol=1e-4):
        return Slip("swapped order", "The right numbers in the wrong order: give (a, b, c) for "
                    "a sin(x) + b x + c.")
    if np.allclose(np.abs(a), np.abs(ref), rtol=0, atol=1e-4):
        return Slip("a sign", "The right sizes, but a sign is flipped: check the signs of your "
                    "numbers against the model a sin(x) + b x + c.")
    if np.allclose(a, (SIN["a"], SIN["b"], SIN["c"]), atol=1e-9):
        return Slip("the simulation's values", "Those are the values used to simulate the data. "
                    "The exercise asks for the least-squares estimates from the noisy y_ex.")
    if np.allclose(a, _without_intercept(), atol=1e-4) or (
            abs(a[2]) < 1e-9 and np.allclose(a[:2], _sin_ref(("sin", "x")), atol=1e-4)):
        return Slip("a missing term", "The fit has no constant c: the model needs a column of "
                    "ones (or a third parameter) for it.")
    if is_rounded(a, ref, rtol=2e-3):
        return _ROUNDING
    return Tiered("Write the sum of squared residuals of a sin(x) + b x + c as a function of "
                  "(a, b, c), and let minimize find its bottom.",
                  "The model is linear in a, b and c, so np.linalg.lstsq works too: one column "
                  "per term (sin x, x, and a column of ones).")


# ---------------------------------------------------------------- 03.nfev

def solution_nfev():
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    nll = models.make_normal_nll(x)
    fit = scipy.optimize.minimize(nll, x0=[5.0, 5.0], method="Nelder-Mead")
    return fit.nfev


def _nfev_result(x0=NFEV_START):
    nll = models.make_normal_nll(_sample())
    return scipy.optimize.minimize(nll, x0, method="Nelder-Mead")


@register("03.nfev", solution=solution_nfev, wrong=lambda: 10,
          slips={"iterations, not evaluations": lambda: int(_nfev_result().nit),
                 "the wrong start": lambda: int(_nfev_result((0.0, 1.0)).nfev)},
          praise="nfev counts every evaluation of the loss: the cost of the fit.",
          question="Run Nelder-Mead on nll from (5, 5). How many times did it evaluate the loss?")
def _nfev(answer):
    a = as_integer(answer, "a whole number (a count)")
    res = _nfev_result()
    if a is None:
        return Tiered("A count of evaluations is a whole number.",
                      "Read the count from the result of minimize; do not compute it.")
    if a == res.nfev:
        return None
    if a == res.nit:
        return Slip("iterations, not evaluations", "That is the number of iterations. One "
                    "Nelder-Mead iteration can evaluate the loss more than once. Which field "
                    "counts the evaluations?")
    if a == _nfev_result((0.0, 1.0)).nfev:
        return Slip("the wrong start", "That count belongs to a run from another start. Start "
                    "this one where the question says.")
    return Tiered("The result of minimize has several counters. Which one counts calls of the "
                  "loss function?",
                  "Print the whole result and read its fields: one counts iterations, another "
                  "every evaluation of the loss.")


# ---------------------------------------------------------------- 03.on_bound (predict, then run)

def solution_on_bound():
    # The NLL has one minimum in sigma, above the box: walking downhill, L-BFGS-B stops on the
    # upper wall of the box. Run it to confirm:
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    nll = models.make_normal_nll(x)
    fit = scipy.optimize.minimize(nll, x0=[0.5, 0.7], method="L-BFGS-B",
                                  bounds=[(-5.0, 5.0), (0.5, 0.9)])
    return fit.x[1]


@register("03.on_bound", solution=solution_on_bound, wrong=lambda: 0.6,
          slips={"ignored the bounds": lambda: float(np.std(_sample())),
                 "the wrong wall": lambda: ON_BOUND["bounds"][1][0],
                 "the middle of the box": lambda: float(np.mean(ON_BOUND["bounds"][1]))},
          praise="The estimate sits on the wall of the box: a warning sign that the bounds, "
                 "not the data, decided it.",
          question="Predict, then run: L-BFGS-B on nll with bounds mu in [-5, 5], sigma in "
                   "[0.5, 0.9], from (0.5, 0.7). Where does sigma end?")
def _on_bound(answer):
    a = as_number(answer)
    lo, hi = ON_BOUND["bounds"][1]
    if abs(a - hi) <= 1e-6:
        return None
    if abs(a - float(np.std(_sample()))) <= 1e-3:
        return Slip("ignored the bounds", "That is the estimate without bounds. L-BFGS-B keeps "
                    "sigma inside the box you gave it.")
    if abs(a - lo) <= 1e-6:
        return Slip("the wrong wall", "The optimizer walks downhill. Is the NLL lower near the "
                    "top or near the bottom of the sigma range, given where sigma-hat lies?")
    if abs(a - (lo + hi) / 2) <= 1e-6:
        return Slip("the middle of the box", "The optimizer does not split the difference: it "
                    "goes as far downhill as the box lets it.")
    if not lo <= a <= hi:
        return Tiered("The bounds keep sigma inside its box: the answer lies in the sigma range "
                      "of the question.",
                      "Inside the box, where is the NLL lowest? Remember where sigma-hat lies.")
    return Tiered("The NLL has a single minimum in sigma, at sigma-hat. Where is sigma-hat, "
                  "compared with the box?",
                  "Walking downhill toward sigma-hat, the optimizer meets a wall of the box and "
                  "stops there. Which wall?")
