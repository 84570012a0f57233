"""Exercises of notebook 05 (derivatives with autograd).

The reference solutions are the ``solution_*`` functions, written as a student would; the checkers
compute their reference values here, from seeded data, so no answer appears in the notebook.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from course_utils import data, derivatives, models
from course_utils.exercises import (
    BadAnswer,
    Slip,
    Tiered,
    as_number,
    call_student,
    close,
    is_rounded,
    register,
)

#: The notebook's Michaelis-Menten data: ``data.michaelis_menten_data(seed=0)`` (Vmax 29, Km 6).
MM = {"vmax": 29.0, "km": 6.0, "noise_sd": 0.5, "seed": 0}
#: "05.se_slope": ``data.linear_regression_data(200, 3, sigma=2.0, seed=11)``.
REGRESSION = {"n": 200, "k": 3, "sigma": 2.0, "seed": 11}
#: The notebook's large regression (section 4), for the "wrong sample" slip.
NOTEBOOK_REGRESSION = {"n": 5000, "k": 10, "seed": 0}
#: "05.mse_grad": hidden cases ((vmax, km, noise_sd, seed) of the data, the (vmax, km) evaluated).
MSE_GRAD_CASES = [
    ((29.0, 6.0, 0.5, 21), (10.0, 10.0)),
    ((5.0, 0.5, 0.1, 22), (4.0, 1.5)),
    ((100.0, 20.0, 3.0, 23), (120.0, 12.0)),
]


def regression_data():
    """The exercise data of "05.se_slope": ``X_ex`` (200 x 3, an intercept column) and ``y_ex``."""
    X, y, _ = data.linear_regression_data(REGRESSION["n"], REGRESSION["k"],
                                          sigma=REGRESSION["sigma"], seed=REGRESSION["seed"])
    return X, y


def _mm_data(vmax=MM["vmax"], km=MM["km"], noise_sd=MM["noise_sd"], seed=MM["seed"]):
    return data.michaelis_menten_data(vmax=vmax, km=km, noise_sd=noise_sd, seed=seed)


_ROUNDING = Slip("rounding", "Close, but not exact: did you round, or copy digits from a printed "
                 "output? Pass the computed value itself.")


# ---------------------------------------------------------------- 05.mse_grad (write a function)

def solution_mse_grad():
    def my_mse_grad(theta, S, rate):
        vmax, km = theta
        resid = rate - vmax * S / (km + S)
        d_vmax = -2 * np.mean(resid * S / (km + S))
        d_km = 2 * np.mean(resid * vmax * S / (km + S) ** 2)
        return np.array([d_vmax, d_km])

    return my_mse_grad


def _exact_grad(theta, S, rate) -> np.ndarray:
    return models.make_michaelis_menten_loss(S, rate).grad(np.asarray(theta, dtype=float))


def _placeholder_grad(theta, S, rate):
    return np.array([None, None])


def _scaled(factor, order=(0, 1)):
    """A student's function that is the exact gradient times ``factor``, entries in ``order``."""
    return lambda theta, S, rate: factor * _exact_grad(theta, S, rate)[list(order)]


def _slip_variants(theta, S, rate) -> dict:
    g = _exact_grad(theta, S, rate)
    return {"a sign": -g, "a sum, not a mean": g * S.size, "the factor 2": g / 2.0,
            "swapped order": g[::-1]}


_SLIP_TEXT = {
    "a sign": "Right size, wrong sign: the residual is rate - model, and the model enters with a "
              "minus sign. Differentiate (rate - model)^2 with the chain rule again.",
    "a sum, not a mean": "Your gradient is n times too large: the loss is a mean over the points, "
                         "not a sum.",
    "the factor 2": "Your gradient is half the size it should be: d/dx of u^2 is 2 u du/dx.",
    "swapped order": "The right numbers in the wrong order: give (dL/dVmax, dL/dKm), in the order "
                     "of theta = (Vmax, Km).",
}


@register("05.mse_grad", solution=solution_mse_grad,
          wrong=lambda: (lambda theta, S, rate: np.array([1.0, 1.0])),
          slips={"a sign": lambda: _scaled(-1.0),
                 "a sum, not a mean": lambda: (lambda theta, S, rate:
                                               S.size * _exact_grad(theta, S, rate)),
                 "the factor 2": lambda: _scaled(0.5),
                 "swapped order": lambda: _scaled(1.0, order=(1, 0))},
          placeholder=lambda: _placeholder_grad,
          praise="Hand gradient = autograd = finite differences on the checker's data: a "
                 "gradient check passed.",
          question="Derive the gradient of the Michaelis-Menten mean squared error "
                   "L(Vmax, Km) = mean((rate - Vmax S / (Km + S))^2) by hand and write it as "
                   "my_mse_grad(theta, S, rate) returning (dL/dVmax, dL/dKm); check it against "
                   "autograd and finite differences. The checker calls it on hidden data.")
def _mse_grad(answer):
    for (vmax, km, sd, seed), theta in MSE_GRAD_CASES:
        S, rate = _mm_data(vmax, km, sd, seed)
        theta = np.array(theta)
        out = call_student(answer, theta.copy(), S.copy(), rate.copy(), what="two numbers")
        if any(o is None for o in np.ravel(np.asarray(out, dtype=object))):
            raise BadAnswer("Your function returns None where a derivative should be: replace "
                            "each None by your formula, then run the cell again.")
        got = np.asarray(out, dtype=float).ravel()
        if got.size != 2:
            return Tiered(f"Your function returns {got.size} numbers. The gradient has one entry "
                          "per parameter: (dL/dVmax, dL/dKm).",
                          "Each entry is a mean over the data points: reduce with np.mean.")
        if not np.all(np.isfinite(got)):
            return Tiered("Your function returns NaN or inf on the checker's data.",
                          "Try it on the notebook's S and rate first, at theta = (10, 10).")
        ref = _exact_grad(theta, S, rate)
        # the check of the exercise: agree with autograd, and with a central finite difference
        fd = derivatives.finite_difference_gradient(models.make_michaelis_menten_loss(S, rate), theta)
        if close(got, ref, rtol=1e-8, atol=1e-12) and close(got, fd, rtol=1e-5, atol=1e-9):
            continue
        for name, value in _slip_variants(theta, S, rate).items():
            if close(got, value, rtol=1e-8, atol=1e-12):
                return Slip(name, _SLIP_TEXT[name])
        right = np.isclose(got, ref, rtol=1e-8, atol=1e-12)
        if right[0] and not right[1]:
            return Tiered("Your dL/dVmax is right; dL/dKm is not.",
                          "Km sits in the denominator: d/dKm of Vmax S / (Km + S) is "
                          "-Vmax S / (Km + S)^2.")
        if right[1] and not right[0]:
            return Tiered("Your dL/dKm is right; dL/dVmax is not.",
                          "d/dVmax of Vmax S / (Km + S) is S / (Km + S); then the chain rule.")
        return Tiered("Your gradient differs from autograd's on the checker's data. Compare "
                      "my_mse_grad(theta, S, rate) with mse.grad(theta) at a few points.",
                      "Chain rule: dL/dp = mean(2 * resid * d(resid)/dp), and d(resid)/dp = "
                      "-d(model)/dp for each parameter p.")
    return None


# ---------------------------------------------------------------- 05.se_slope

def solution_se_slope():
    X_ex, y_ex = regression_data()
    nll_ex = models.make_linear_regression_nll(X_ex, y_ex)
    fit = scipy.optimize.minimize(nll_ex, np.zeros(4), method="BFGS", jac=nll_ex.grad)
    cov = np.linalg.inv(nll_ex.hess(fit.x))  # inverse of the exact Hessian at the MLE
    return np.sqrt(cov[1, 1])


def _se_exact(X, y) -> np.ndarray:
    return derivatives.ols_mle_standard_errors(X, y)


def _se_unbiased(X, y) -> np.ndarray:
    from course_utils import closed_form

    return closed_form.ols(X, y).se


def _se_hess_inv() -> float:
    X, y = regression_data()
    nll = models.make_linear_regression_nll(X, y)
    fit = scipy.optimize.minimize(nll, np.zeros(4), method="BFGS", jac=nll.grad)
    return float(derivatives.hess_inv_standard_errors(fit)[1])


def _notebook_se() -> np.ndarray:
    X, y, _ = data.linear_regression_data(NOTEBOOK_REGRESSION["n"], NOTEBOOK_REGRESSION["k"],
                                          seed=NOTEBOOK_REGRESSION["seed"])
    return _se_exact(X, y)


@register("05.se_slope", solution=solution_se_slope, wrong=lambda: 0.5,
          slips={"n - k instead of n": lambda: _se_unbiased(*regression_data())[1],
                 "a variance": lambda: _se_exact(*regression_data())[1] ** 2,
                 "the wrong parameter": lambda: _se_exact(*regression_data())[0],
                 "hess_inv": _se_hess_inv,
                 "the wrong sample": lambda: _notebook_se()[1],
                 "rounding": lambda: round(float(_se_exact(*regression_data())[1]), 3)},
          praise="sqrt of a diagonal entry of the inverse exact Hessian: the standard error of the "
                 "MLE.",
          question="Fit the regression X_ex, y_ex (nb05.regression_data()) by maximum likelihood "
                   "in (beta, log sigma) and give the standard error of beta_1 (the second "
                   "coefficient) from the inverse of the autograd Hessian.")
def _se_slope(answer):
    a = as_number(answer)
    X, y = regression_data()
    se = _se_exact(X, y)
    if close(a, se[1], rtol=1e-5):
        return None
    if close(a, _se_unbiased(X, y)[1], rtol=1e-5):
        return Slip("n - k instead of n", "That is the classical OLS standard error, whose "
                    "variance divides the SSE by n - k. The inverse Hessian of the likelihood "
                    "uses the MLE of sigma^2, which divides by n.")
    if close(a, se[1] ** 2, rtol=1e-4):
        return Slip("a variance", "That is a variance, a diagonal entry of the inverse Hessian. "
                    "A standard error is its square root.")
    if any(close(a, se[j], rtol=1e-4) for j in (0, 2, 3)):
        return Slip("the wrong parameter", "That is the standard error of another parameter. "
                    "beta_1 is the second entry (index 1): the first is the intercept.")
    if close(a, _se_hess_inv(), rtol=1e-4):
        return Slip("hess_inv", "That comes from BFGS's hess_inv, a guess built from the path "
                    "(section 5). Invert the exact Hessian, nll.hess at the estimate.")
    if close(a, _notebook_se()[1], rtol=1e-4):
        return Slip("the wrong sample", "That is the standard error from the notebook's large "
                    "regression (X, y). This exercise uses X_ex, y_ex.")
    if is_rounded(a, se[1]):
        return _ROUNDING
    return Tiered("Build nll_ex = models.make_linear_regression_nll(X_ex, y_ex), minimize it, then "
                  "invert nll_ex.hess at the estimate.",
                  "The standard errors are the square roots of the diagonal of the inverse "
                  "Hessian; beta_1 is entry 1 (the intercept is entry 0).")


# ---------------------------------------------------------------- 05.stable_lr_log

def solution_stable_lr_log():
    S, rate = data.michaelis_menten_data(seed=0)
    mse_log = models.make_michaelis_menten_loss(S, rate, log_params=True)
    fit = scipy.optimize.minimize(mse_log, np.log([10.0, 10.0]), method="BFGS", jac=mse_log.grad)
    lam_max = np.linalg.eigvalsh(mse_log.hess(fit.x)).max()
    return 2 / lam_max


def _log_eigenvalues(where="optimum") -> np.ndarray:
    S, rate = _mm_data()
    if where == "optimum":
        loss = models.make_michaelis_menten_loss(S, rate, log_params=True)
        fit = scipy.optimize.minimize(loss, np.log([10.0, 10.0]), method="BFGS", jac=loss.grad,
                                      options={"gtol": 1e-10})
        return np.linalg.eigvalsh(loss.hess(fit.x))
    if where == "start":
        loss = models.make_michaelis_menten_loss(S, rate, log_params=True)
        return np.linalg.eigvalsh(loss.hess(np.log([10.0, 10.0])))
    loss = models.make_michaelis_menten_loss(S, rate)  # the (Vmax, Km) parameterization
    fit = scipy.optimize.minimize(loss, [10.0, 10.0], method="BFGS", jac=loss.grad,
                                  options={"gtol": 1e-10})
    return np.linalg.eigvalsh(loss.hess(fit.x))


@register("05.stable_lr_log", solution=solution_stable_lr_log, wrong=lambda: 0.1,
          slips={"the wrong parameterization": lambda: 2 / _log_eigenvalues("linear").max(),
                 "at the start": lambda: 2 / _log_eigenvalues("start").max(),
                 "1 / lambda_max": lambda: 1 / _log_eigenvalues().max(),
                 "2 / lambda_min": lambda: 2 / _log_eigenvalues().min(),
                 "the eigenvalue, not the rate": lambda: _log_eigenvalues().max(),
                 "rounding": lambda: float(f"{2 / _log_eigenvalues().max():.2g}")},
          praise="2 / lambda_max of the Hessian at the optimum. In log parameters the curvature is "
                 "much larger, so the stable rates are much smaller: a new parameterization needs "
                 "a new learning rate.",
          question="For the Michaelis-Menten MSE in (log Vmax, log Km) on the notebook's data, give "
                   "the largest stable learning rate of gradient descent near the optimum, "
                   "2 / lambda_max of the Hessian there.")
def _stable_lr_log(answer):
    a = as_number(answer)
    eig = _log_eigenvalues()
    ref = 2.0 / eig.max()
    if close(a, ref, rtol=2e-3):
        return None
    if close(a, 2.0 / _log_eigenvalues("linear").max(), rtol=1e-2):
        return Slip("the wrong parameterization", "That is the limit for (Vmax, Km), printed in "
                    "section 6. The exercise asks about the loss in (log Vmax, log Km): use "
                    "mse_log and its Hessian.")
    if close(a, 2.0 / _log_eigenvalues("start").max(), rtol=1e-2):
        return Slip("at the start", "That is 2 / lambda_max at the start (log 10, log 10). "
                    "Stability near the end is decided by the curvature at the optimum.")
    if close(a, 1.0 / eig.max(), rtol=2e-3):
        return Slip("1 / lambda_max", "Half the limit: gradient descent is stable up to 2 / "
                    "lambda_max, not 1 / lambda_max.")
    if close(a, 2.0 / eig.min(), rtol=2e-3):
        return Slip("2 / lambda_min", "That uses the smaller eigenvalue. The steepest direction, "
                    "the largest eigenvalue, sets the limit.")
    if close(a, eig.max(), rtol=2e-3):
        return Slip("the eigenvalue, not the rate", "That is lambda_max itself. The learning-rate "
                    "limit is 2 divided by it.")
    if is_rounded(a, ref, rtol=5e-2):
        return _ROUNDING
    return Tiered("Find the optimum of mse_log (minimize with jac=mse_log.grad), then the "
                  "eigenvalues of mse_log.hess there.",
                  "Notebook 04's rule: on a quadratic, gradient descent is stable for "
                  "lr < 2 / lambda_max, with lambda_max the largest Hessian eigenvalue.")


# ---------------------------------------------------------------- 05.truncation_factor (read a plot)

def solution_truncation_factor():
    # read off the figure of section 3: on the central difference's right branch the error
    # goes up by two powers of ten for each power of ten in h (truncation error ~ h^2)
    return 100


@register("05.truncation_factor", solution=solution_truncation_factor, wrong=lambda: 5,
          slips={"the forward difference": lambda: 10,
                 "the round-off branch": lambda: 0.1,
                 "powers of ten, not a factor": lambda: 2},
          exact=False, unique=False,  # read off a plot: any factor within a tenth of a decade
          praise="A factor 100 per factor 10 in h, slope 2 on the log-log plot: the central "
                 "difference's truncation error is proportional to h^2 (the forward one's to h).",
          question="In the step-size figure of section 3, on the right branch of the central "
                   "difference's V (large steps): by what factor does the error grow when h grows "
                   "tenfold?")
def _truncation_factor(answer):
    a = as_number(answer)
    if a > 0 and abs(np.log10(a) - 2.0) <= 0.1:  # read off a plot: a tenth of a decade either way
        return None
    if abs(a - 10.0) <= 0.5:
        return Slip("the forward difference", "That is the factor on the forward difference's "
                    "right branch (its truncation error is proportional to h). Read the central "
                    "one.")
    if abs(a - 0.1) <= 0.005:
        return Slip("the round-off branch", "That is the left branch, where round-off error "
                    "falls as h grows. The question is about the right branch, large steps.")
    if abs(a - 2.0) <= 0.05:
        return Slip("powers of ten, not a factor", "That counts the powers of ten (the slope on "
                    "the log-log plot). The question asks for the factor itself.")
    return Tiered("Pick two steps on the right branch of the central curve, a factor ten apart, "
                  "and compare their errors.",
                  "Count the decades: when h goes from 1e-4 to 1e-3, from which power of ten to "
                  "which does the central error go? Then turn that into a factor.")
