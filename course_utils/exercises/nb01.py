"""Exercises of notebook 01 (the closed-form answer).

Each exercise works on data the notebook draws with a fixed seed; the checker draws the same data
here, so the reference answers never appear in the notebook.
"""

from __future__ import annotations

import numpy as np

from course_utils import closed_form, data, models
from course_utils.exercises import as_number, register

#: The sample of "01.mle_sd" and "01.nll": ``data.normal_sample(20, 5.0, 2.0, seed=1)``.
SAMPLE = {"n": 20, "mu": 5.0, "sigma": 2.0, "seed": 1}
#: The point where "01.nll" evaluates the negative log-likelihood.
NLL_AT = {"mu": 4.0, "sigma": 1.5}
#: The regression of "01.ols_se": ``data.linear_regression_data(50, 2, sigma=1.0, seed=2)``.
REGRESSION = {"n": 50, "k": 2, "sigma": 1.0, "seed": 2}


def _sample() -> np.ndarray:
    return data.normal_sample(SAMPLE["n"], SAMPLE["mu"], SAMPLE["sigma"], seed=SAMPLE["seed"])


def _regression():
    return data.linear_regression_data(REGRESSION["n"], REGRESSION["k"],
                                       sigma=REGRESSION["sigma"], seed=REGRESSION["seed"])


def _close(a, b, rtol: float = 1e-6) -> bool:
    return bool(np.allclose(a, b, rtol=rtol, atol=1e-12))


#: Hint for an answer within 0.5 % of the reference but not equal to it: digits copied from output.
ROUNDED = ("Close, but not exact: did you round, or copy digits from a printed output? Pass the "
           "computed value itself (the variable, not a number typed in).")


def _rounded(a, b) -> bool:
    return _close(a, b, rtol=5e-3)


# ---------------------------------------------------------------- 01.mle_sd

def _mle_sd_solution() -> float:
    return closed_form.normal_mle(_sample())[1]


@register("01.mle_sd", solution=_mle_sd_solution,
          wrong=lambda: float(np.std(_sample(), ddof=1)),
          praise="The MLE of sigma divides by n (ddof=0).")
def _mle_sd(answer):
    x = _sample()
    arr = np.asarray(answer, dtype=float)
    if arr.shape == (2,) and _close(arr[1], np.std(x, ddof=0)):
        return ("That is the pair (mu, sigma), as closed_form.normal_mle returns it. The exercise "
                "asks for sigma only: the second number.")
    a = as_number(answer)
    if _close(a, np.std(x, ddof=0)):
        return None
    if _close(a, np.std(x, ddof=1)):
        return ("That is the *sample* sd, which divides by n - 1 (ddof=1). The maximum of the "
                "likelihood divides by n: which ddof is that?")
    if _close(a, np.var(x, ddof=0)) or _close(a, np.var(x, ddof=1)):
        return "That is a variance, sigma^2. The exercise asks for sigma: take the square root."
    if _close(a, SAMPLE["sigma"]):
        return ("2.0 is the sigma the data were drawn with. The MLE is computed from the sample, "
                "so it differs a little.")
    if _rounded(a, np.std(x, ddof=0)):
        return ROUNDED
    return ("The MLE of sigma is sqrt(mean((x - mean(x))**2)) over the sample x_ex, "
            "data.normal_sample(20, 5.0, 2.0, seed=1).")


# ---------------------------------------------------------------- 01.nll

def _nll_solution() -> float:
    return float(models.normal_nll(_sample(), NLL_AT["mu"], NLL_AT["sigma"]))


@register("01.nll", solution=_nll_solution, wrong=lambda: -_nll_solution(),
          praise="That is the negative log-likelihood: minus the sum of the log densities.")
def _nll(answer):
    a = as_number(answer)
    x = _sample()
    ref = _nll_solution()
    n = x.size
    if _close(a, ref):
        return None
    if _close(a, -ref):
        return ("Right size, wrong sign: that is the log-likelihood. The *negative* "
                "log-likelihood is minus the sum of the log densities.")
    if _close(a, np.exp(-ref), rtol=1e-4) or _close(a, np.exp(ref), rtol=1e-4):
        return ("That looks like a product of densities (the likelihood itself). Take the log of "
                "each density, sum them, and change the sign.")
    if _close(a, ref / n) or _close(a, -ref / n):
        return "That is a mean over the points. The NLL is the sum over all 20 points."
    if _close(a, ref - 0.5 * n * np.log(2 * np.pi)):
        return "The constant n/2 log(2 pi) is missing: add it (or use the full log density)."
    var_as_sigma = float(models.normal_nll(x, NLL_AT["mu"], np.sqrt(NLL_AT["sigma"])))
    if _close(a, var_as_sigma) or _close(a, -var_as_sigma):
        return "The 1.5 is the standard deviation sigma, not the variance: sigma^2 = 2.25."
    sq_as_sigma = float(models.normal_nll(x, NLL_AT["mu"], NLL_AT["sigma"] ** 2))
    if _close(a, sq_as_sigma) or _close(a, -sq_as_sigma):
        return ("normal_pdf takes the standard deviation: pass sigma = 1.5, not the variance "
                "sigma^2 = 2.25.")
    if _rounded(a, ref):
        return ROUNDED
    return ("Evaluate -sum(log N(x_i | mu=4, sigma=1.5)) over the 20 points of x_ex, where "
            "log N(x | mu, sigma) = -log(sigma) - log(2 pi)/2 - (x - mu)^2 / (2 sigma^2).")


# ---------------------------------------------------------------- 01.ols_se

def _ols_se_solution() -> np.ndarray:
    X, y, _ = _regression()
    return closed_form.ols(X, y).se


def _ols_se_wrong() -> np.ndarray:
    X, y, _ = _regression()
    res = closed_form.ols(X, y)
    return np.sqrt(res.sigma2_mle * np.diag(np.linalg.inv(X.T @ X)))


@register("01.ols_se", solution=_ols_se_solution, wrong=_ols_se_wrong,
          praise="Those are the classical standard errors sqrt(diag(s^2 (X^T X)^-1)).")
def _ols_se(answer):
    a = np.asarray(answer, dtype=float).ravel()
    X, y, _ = _regression()
    res = closed_form.ols(X, y)
    k = X.shape[1]
    if a.shape != (k,):
        return (f"Give one standard error per coefficient: an array of {k} numbers, "
                f"got shape {a.shape}.")
    if _close(a, res.se):
        return None
    xtx_inv_diag = np.diag(np.linalg.inv(X.T @ X))
    if _close(a, np.sqrt(res.sigma2_mle * xtx_inv_diag)):
        return ("Close: you used RSS / n for the noise variance. The classical standard errors "
                "use s^2 = RSS / (n - k), with k = 2 coefficients.")
    if _close(a, res.sigma2 * xtx_inv_diag) or _close(a, res.sigma2_mle * xtx_inv_diag):
        return "Those are variances: take the square root of the diagonal."
    if _close(a, res.coef):
        return "Those are the coefficients. The standard errors are sqrt(diag(s^2 (X^T X)^-1))."
    if _close(a, np.sqrt(xtx_inv_diag)):
        return "The factor s^2 = RSS / (n - k) is missing inside the square root."
    n = X.shape[0]
    if _close(a, res.se * np.sqrt((n - k) / (n - k - 1))):
        return (f"You divided by n - k - 1. Here k = {k} already counts the intercept: "
                f"s^2 = RSS / (n - k) = RSS / {n - k}.")
    if _rounded(a, res.se):
        return ROUNDED
    return ("Fit beta by the normal equations, take the residuals r = y - X beta, "
            "s^2 = r @ r / (n - k), then se = sqrt(diag(s^2 * inv(X.T @ X))).")
