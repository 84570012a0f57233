"""Exercises of notebook 03 (scipy.optimize).

The checkers compute their reference answers here, from the same seeded data as the notebook,
so the answers never appear in the notebook.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from course_utils import closed_form, data, models
from course_utils.exercises import as_number, register

#: The notebook's normal sample: ``data.normal_sample(1000, 0.0, 1.0, seed=0)``.
SAMPLE = {"n": 1000, "mu": 0.0, "sigma": 1.0, "seed": 0}
#: The data of "03.sin_fit": y = a sin(x) + b x + c + noise, drawn by :func:`sin_data`.
SIN = {"n": 80, "a": 2.0, "b": 0.5, "c": -1.0, "noise_sd": 0.3, "seed": 7}

_NONE_HINT = "Replace None by your answer, then run the cell again."


def sin_data():
    """The exercise data of "03.sin_fit": ``x`` on [0, 10] and noisy ``y``."""
    rng = np.random.default_rng(SIN["seed"])
    x = np.linspace(0.0, 10.0, SIN["n"])
    y = SIN["a"] * np.sin(x) + SIN["b"] * x + SIN["c"] + rng.normal(0.0, SIN["noise_sd"], SIN["n"])
    return x, y


def _sample() -> np.ndarray:
    return data.normal_sample(SAMPLE["n"], SAMPLE["mu"], SAMPLE["sigma"], seed=SAMPLE["seed"])


# ---------------------------------------------------------------- 03.log_sigma

def _log_sigma_solution() -> float:
    return closed_form.normal_mle(_sample())[1]


@register("03.log_sigma", solution=_log_sigma_solution,
          wrong=lambda: float(np.log(closed_form.normal_mle(_sample())[1])),
          praise="exp of the fitted log sigma is the MLE of sigma.")
def _log_sigma(answer):
    if answer is None:
        return _NONE_HINT
    a = as_number(answer)
    sd = closed_form.normal_mle(_sample())[1]
    if abs(a - sd) <= 1e-4:
        return None
    if abs(a - np.log(sd)) <= 1e-4:
        return ("That is log sigma, the parameter the optimizer saw. Transform it back: "
                "np.exp(fit.x[1]).")
    if abs(a - sd**2) <= 1e-4:
        return "That looks like a variance. The exercise asks for sigma itself."
    return ("Minimize models.make_normal_nll(x, parametrization=\"log_sigma\") with method=\"BFGS\" "
            "from (0, 0); the second entry of the result's x is log sigma.")


# ---------------------------------------------------------------- 03.sin_fit

def _sin_solution() -> np.ndarray:
    x, y = sin_data()
    X = np.column_stack([np.sin(x), x, np.ones_like(x)])
    return np.linalg.lstsq(X, y, rcond=None)[0]


@register("03.sin_fit", solution=_sin_solution, wrong=lambda: _sin_solution()[::-1],
          praise="The least-squares (a, b, c): minimize and lstsq agree.")
def _sin_fit(answer):
    if answer is None:
        return _NONE_HINT
    a = np.asarray(answer, dtype=float).ravel()
    if a.size != 3:
        return f"Give three numbers (a, b, c), got {a.size}."
    ref = _sin_solution()
    if np.allclose(a, ref, atol=1e-4):
        return None
    if np.allclose(np.sort(a), np.sort(ref), atol=1e-4):
        return "The right numbers in the wrong order: give (a, b, c) for a sin(x) + b x + c."
    if np.allclose(a, (SIN["a"], SIN["b"], SIN["c"]), atol=0.05):
        return ("Close to the values used to simulate the data, but the exercise asks for the "
                "least-squares estimates from the noisy y_ex: fit them.")
    return ("Write model(theta, x) = theta[0] * anp.sin(x) + theta[1] * x + theta[2], build the "
            "loss with models.make_sum_of_squares and minimize it (or use np.linalg.lstsq with "
            "columns sin(x), x, 1).")


# ---------------------------------------------------------------- 03.nfev

#: "03.nfev": Nelder-Mead on the NLL of the notebook's sample from this start.
NFEV_START = (5.0, 5.0)


def _nfev_result():
    nll = models.make_normal_nll(_sample())
    return scipy.optimize.minimize(nll, NFEV_START, method="Nelder-Mead")


@register("03.nfev", solution=lambda: int(_nfev_result().nfev),
          wrong=lambda: int(_nfev_result().nit),
          praise="nfev counts every evaluation of the loss: the cost of the fit.")
def _nfev(answer):
    if answer is None:
        return _NONE_HINT
    a = as_number(answer)
    res = _nfev_result()
    if a == res.nfev:
        return None
    if a == res.nit:
        return ("That is nit, the number of iterations. Each Nelder-Mead iteration evaluates the "
                "loss once or more (reflect, expand, contract, shrink): the cost is nfev.")
    return ("Run scipy.optimize.minimize(nll, (5.0, 5.0), method=\"Nelder-Mead\") and read the "
            "field that counts evaluations of the loss.")
