"""Exercises of notebook 01 (the closed-form answer).

Each exercise works on data the notebook draws with a fixed seed; the checker draws the same data
here, so the reference answers never appear in the notebook. The ``solution_*`` functions are the
reference solutions, written as a student would.
"""

from __future__ import annotations

import numpy as np

from course_utils import closed_form, data, models
from course_utils.exercises import (
    COURSE_SAMPLE,
    Slip,
    Tiered,
    as_number,
    call_student,
    close,
    is_rounded,
    normal_sample_of,
    register,
)

#: The sample of "01.mle_sd" and "01.nll": ``data.normal_sample(20, 5.0, 2.0, seed=1)``.
SAMPLE = {"n": 20, "mu": 5.0, "sigma": 2.0, "seed": 1}
#: The notebook's main sample (the "wrong sample" slip): ``data.normal_sample(1000, seed=0)``.
MAIN_SAMPLE = COURSE_SAMPLE
#: The point where "01.nll" evaluates the negative log-likelihood.
NLL_AT = {"mu": 4.0, "sigma": 1.5}
#: The regression of "01.ols_se": ``data.linear_regression_data(50, 2, sigma=1.0, seed=2)``.
REGRESSION = {"n": 50, "k": 2, "sigma": 1.0, "seed": 2}


def _sample() -> np.ndarray:
    return normal_sample_of(SAMPLE)


def _main_sample() -> np.ndarray:
    return normal_sample_of(MAIN_SAMPLE)


def _regression():
    return data.linear_regression_data(REGRESSION["n"], REGRESSION["k"],
                                       sigma=REGRESSION["sigma"], seed=REGRESSION["seed"])


_ROUNDING = Slip("rounding", "Close, but not exact: did you round, or copy digits from a printed "
                 "output? Pass the computed value itself (the variable, not a number typed in).")


# ---------------------------------------------------------------- 01.mle_sd

def solution_mle_sd():
    x_ex = data.normal_sample(20, 5.0, 2.0, seed=1)
    return np.std(x_ex)  # ddof=0: divide by n


@register("01.mle_sd", solution=solution_mle_sd, wrong=lambda: 1.7,
          slips={"n - 1 instead of n": lambda: np.std(_sample(), ddof=1),
                 "a variance": lambda: np.var(_sample()),
                 "a sign": lambda: -np.std(_sample()),
                 "the wrong sample": lambda: np.std(_main_sample()),
                 "both parameters": lambda: closed_form.normal_mle(_sample()),
                 "the true value": lambda: SAMPLE["sigma"],
                 "rounding": lambda: round(float(np.std(_sample())), 3)},
          praise="The MLE of sigma divides by n (ddof=0).",
          question="The maximum-likelihood estimate of sigma for the sample x_ex "
                   "(data.normal_sample(20, 5.0, 2.0, seed=1)).")
def _mle_sd(answer):
    x = _sample()
    arr = np.asarray(answer, dtype=float)
    if arr.shape == (2,) and close(arr[1], np.std(x)):
        return Slip("both parameters", "That is the pair (mu, sigma). The exercise asks for "
                    "sigma only.")
    a = as_number(answer)
    ref = float(np.std(x))
    if close(a, ref):
        return None
    if close(a, np.std(x, ddof=1)):
        return Slip("n - 1 instead of n", "That sd divides by n - 1 (ddof=1): the sample sd. "
                    "Section 2 shows which divisor gives the maximum of the likelihood.")
    if close(abs(a), ref) or close(abs(a), np.std(x, ddof=1)):
        return Slip("a sign", "A standard deviation is never negative. sigma enters the density "
                    "squared, so check where the minus sign came from.")
    if close(a, np.var(x)) or close(a, np.var(x, ddof=1)):
        return Slip("a variance", "That is a variance, sigma^2. The exercise asks for sigma.")
    xm = _main_sample()
    if close(a, np.std(xm)) or close(a, np.std(xm, ddof=1)):
        return Slip("the wrong sample", "That is the sd of x, the notebook's big sample. The "
                    "exercise is about the small sample x_ex.")
    if close(a, SAMPLE["sigma"]):
        return Slip("the true value", "That is the sigma the data were drawn with. The estimate "
                    "is computed from the sample, so it differs a little.")
    if is_rounded(a, ref):
        return _ROUNDING
    return Tiered("The MLE of sigma is the sd that makes the likelihood of x_ex largest. Section 2 "
                  "shows how to compute it from the sample.",
                  "Average the squared deviations of x_ex from its mean over all n points, then "
                  "take the square root. NumPy's std does this, with the right ddof.")


# ---------------------------------------------------------------- 01.nll

def solution_nll():
    def normal_pdf(x, mu, sigma):
        return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))

    x_ex = data.normal_sample(20, 5.0, 2.0, seed=1)
    return -np.sum(np.log(normal_pdf(x_ex, 4.0, 1.5)))


def _nll(x, mu, sigma) -> float:
    return float(models.normal_nll(x, mu, sigma))


def _nll_ref() -> float:
    return _nll(_sample(), NLL_AT["mu"], NLL_AT["sigma"])


@register("01.nll", solution=solution_nll, wrong=lambda: 10.0,
          slips={"a sign": lambda: -_nll_ref(),
                 "the likelihood, not its log": lambda: np.exp(-_nll_ref()),
                 "a mean, not a sum": lambda: _nll_ref() / SAMPLE["n"],
                 "a missing constant":
                     lambda: _nll_ref() - 0.5 * SAMPLE["n"] * np.log(2 * np.pi),
                 "variance for sd": lambda: _nll(_sample(), NLL_AT["mu"], NLL_AT["sigma"] ** 2),
                 "swapped order": lambda: _nll(_sample(), NLL_AT["sigma"], NLL_AT["mu"]),
                 "the wrong sample": lambda: _nll(_main_sample(), NLL_AT["mu"], NLL_AT["sigma"]),
                 "rounding": lambda: round(_nll_ref(), 1)},
          praise="That is the negative log-likelihood: minus the sum of the log densities.",
          question="The negative log-likelihood of x_ex at mu = 4, sigma = 1.5, with normal_pdf "
                   "of section 1 (not models.normal_nll).")
def _nll_checker(answer):
    a = as_number(answer)
    x = _sample()
    mu, sigma = NLL_AT["mu"], NLL_AT["sigma"]
    ref = _nll_ref()
    n = x.size
    if close(a, ref):
        return None
    if close(a, -ref):
        return Slip("a sign", "Right size, wrong sign: that is the log-likelihood. The "
                    "*negative* log-likelihood changes its sign.")
    if a > 0 and (close(a, np.exp(-ref), rtol=1e-4) or close(a, np.exp(ref), rtol=1e-4)):
        return Slip("the likelihood, not its log", "That looks like a product of densities, "
                    "the likelihood itself. The exercise asks for the log version.")
    if close(abs(a), ref / n):
        return Slip("a mean, not a sum", "That is a mean over the points. The NLL adds up the "
                    "terms of all points.")
    if close(abs(a), ref - 0.5 * n * np.log(2 * np.pi)):
        return Slip("a missing constant", "The constant part of the log density, from the "
                    "2 pi in the normal density, is missing.")
    for s in (sigma**2, np.sqrt(sigma)):
        if close(abs(a), _nll(x, mu, s)):
            return Slip("variance for sd", "normal_pdf takes the standard deviation sigma, "
                        "not the variance sigma^2.")
    if close(abs(a), _nll(x, sigma, mu)):
        return Slip("swapped order", "mu and sigma are swapped: normal_pdf takes (x, mu, sigma).")
    if close(abs(a), _nll(_main_sample(), mu, sigma)):
        return Slip("the wrong sample", "That is the NLL of x, the notebook's big sample. The "
                    "exercise is about the small sample x_ex.")
    if is_rounded(a, ref):
        return _ROUNDING
    return Tiered("The NLL adds up one term per data point of x_ex. Which term, and with "
                  "which sign?",
                  "Each point contributes minus the log of its normal density at the given mu "
                  "and sigma (normal_pdf of section 1). Add up the contributions of all points.")


# ---------------------------------------------------------------- 01.ols_se

def solution_ols_se():
    X_ex, y_ex, _ = data.linear_regression_data(50, 2, sigma=1.0, seed=2)
    n, k = X_ex.shape
    beta = np.linalg.solve(X_ex.T @ X_ex, X_ex.T @ y_ex)
    r = y_ex - X_ex @ beta
    s2 = r @ r / (n - k)
    return np.sqrt(np.diag(s2 * np.linalg.inv(X_ex.T @ X_ex)))


def _ols_parts():
    X, y, _ = _regression()
    fit = closed_form.ols(X, y)
    return X, fit, np.diag(np.linalg.inv(X.T @ X))


@register("01.ols_se", solution=solution_ols_se, wrong=lambda: np.array([0.3, 0.4]),
          slips={"n instead of n - k": lambda: np.sqrt(_ols_parts()[1].sigma2_mle
                                                       * _ols_parts()[2]),
                 "variances, not standard errors": lambda: _ols_parts()[1].sigma2
                 * _ols_parts()[2],
                 "the coefficients": lambda: _ols_parts()[1].coef,
                 "a missing factor": lambda: np.sqrt(_ols_parts()[2]),
                 "n - k - 1": lambda: _ols_parts()[1].se * np.sqrt(48 / 47),
                 "swapped order": lambda: _ols_parts()[1].se[::-1],
                 "rounding": lambda: np.round(_ols_parts()[1].se, 3)},
          praise="Those are the classical standard errors sqrt(diag(s^2 (X^T X)^-1)).",
          question="The two standard errors of the OLS fit of y_ex on X_ex "
                   "(data.linear_regression_data(50, 2, sigma=1.0, seed=2)), with the formula "
                   "of section 5.")
def _ols_se(answer):
    X, fit, d = _ols_parts()
    n, k = X.shape
    a = np.asarray(answer, dtype=float).ravel()
    if a.shape != (k,):
        return Tiered(f"Give one standard error per coefficient: {k} numbers.",
                      f"X_ex has {k} columns (an intercept and one predictor), so the answer "
                      f"has {k} standard errors, in the order of the columns.")
    if close(a, fit.se):
        return None
    if close(a, fit.se[::-1]):
        return Slip("swapped order", "The right numbers in the wrong order: the first standard "
                    "error belongs to the first column of X_ex (the intercept).")
    if close(a, np.sqrt(fit.sigma2_mle * d)):
        return Slip("n instead of n - k", "You divided the residual sum of squares by n. The "
                    "classical standard errors divide by the degrees of freedom, n - k.")
    if close(a, fit.sigma2 * d) or close(a, fit.sigma2_mle * d):
        return Slip("variances, not standard errors", "Those are variances: a standard error "
                    "is a square root.")
    if close(a, fit.coef):
        return Slip("the coefficients", "Those are the coefficients beta, not their standard "
                    "errors.")
    if close(a, np.sqrt(d)):
        return Slip("a missing factor", "The noise variance s^2 is missing (or you used the true "
                    "sigma): estimate it from the residuals.")
    if close(a, fit.se * np.sqrt((n - k) / (n - k - 1))):
        return Slip("n - k - 1", f"You divided by n - k - 1. Here k = {k} already counts the "
                    "intercept: divide by n - k.")
    if is_rounded(a, fit.se):
        return _ROUNDING
    return Tiered("A standard error says how much a coefficient would move with new noise. "
                  "Section 5 gives the formula: it needs an estimate of the noise variance.",
                  "Three steps: fit the coefficients; estimate the noise variance from the "
                  "residuals (divide their sum of squares by n - k); then take the square root "
                  "of the diagonal of that variance times (X^T X)^-1.")


# ---------------------------------------------------------------- 01.nll_function (write a function)

#: Hidden cases of "01.nll_function": (n, mu, sigma, seed) of a sample, and the (mu, sigma) where
#: the student's function is evaluated. The last sample is large: a product of its densities
#: underflows to 0.0, so only a sum of logs gives a finite NLL.
NLL_FUNCTION_CASES = [
    ((5, 1.0, 2.0, 11), (0.5, 1.5)),
    ((30, -3.0, 0.5, 12), (-2.5, 0.8)),
    ((2000, 10.0, 3.0, 13), (9.0, 2.5)),
]


def solution_nll_function():
    def my_nll(x, mu, sigma):
        log_density = -np.log(sigma) - 0.5 * np.log(2 * np.pi) - (x - mu) ** 2 / (2 * sigma**2)
        return -np.sum(log_density)

    return my_nll


def _nll_variants(x, mu, sigma) -> dict:
    n = x.size
    ref = _nll(x, mu, sigma)
    return {"a sign": -ref,
            "a mean, not a sum": ref / n,
            "a missing constant": ref - 0.5 * n * np.log(2 * np.pi),
            "variance for sd": _nll(x, mu, sigma**2)}


def _log_of_product(x, mu, sigma):
    dens = np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    return -np.log(np.prod(dens))


@register("01.nll_function", solution=solution_nll_function,
          wrong=lambda: (lambda x, mu, sigma: float(np.sum((x - mu) ** 2))),
          slips={"a sign": lambda: (lambda x, mu, sigma: -_nll(x, mu, sigma)),
                 "a mean, not a sum": lambda: (lambda x, mu, sigma: _nll(x, mu, sigma) / x.size),
                 "a missing constant": lambda: (lambda x, mu, sigma: _nll(x, mu, sigma)
                                                - 0.5 * x.size * np.log(2 * np.pi)),
                 "variance for sd": lambda: (lambda x, mu, sigma: _nll(x, mu, sigma**2)),
                 "log of a product": lambda: _log_of_product,
                 "the fixed sample": lambda: (lambda x, mu, sigma: _nll(_sample(), mu, sigma))},
          praise="Your function is a sum of log densities: it stays finite where the product of "
                 "densities underflows.",
          question="Write my_nll(x, mu, sigma): the negative log-likelihood of any data x under "
                   "N(mu, sigma^2). The checker calls it on hidden samples, one of 2000 points.")
def _nll_function(answer):
    for (n, m, s, seed), (mu, sigma) in NLL_FUNCTION_CASES:
        x = data.normal_sample(n, m, s, seed=seed)
        out = call_student(answer, x.copy(), mu, sigma)
        got = np.asarray(out, dtype=float)
        if got.size != 1:
            return Tiered(f"Your function returns {got.size} numbers: one per data point? The "
                          "NLL is one number for the whole sample.",
                          "Add up the contributions of all points into one number.")
        got = float(got.reshape(()))
        ref = _nll(x, mu, sigma)
        if close(got, ref, rtol=1e-9):
            continue
        if not np.isfinite(got):
            if n > 100:
                return Slip("log of a product", "Your function gives inf on a sample of "
                            f"{n} points: the product of their densities underflows to 0.0 "
                            "(section 1). Take the logs first, then add them up.")
            return Tiered("Your function returns NaN or inf on one of the checker's samples.",
                          "Check each step on a small sample of your own.")
        for name, value in _nll_variants(x, mu, sigma).items():
            if close(got, value, rtol=1e-9):
                message = {"a sign": "Right size, wrong sign: that is the log-likelihood.",
                           "a mean, not a sum": "Your function averages over the points; the "
                                                "NLL adds them up.",
                           "a missing constant": "The constant part of the log density, from "
                                                 "the 2 pi in the normal density, is missing.",
                           "variance for sd": "sigma is the standard deviation: the density "
                                              "divides by sigma^2, not by sigma^4."}[name]
                return Slip(name, message)
        if close(got, _nll(_sample(), mu, sigma), rtol=1e-9):
            return Slip("the fixed sample", "Your function ignores its argument x and uses "
                        "x_ex. Use the x it is given.")
        return Tiered("Your function gives a different number on one of the checker's samples. "
                      "Test it first: my_nll(x_ex, 4.0, 1.5) should equal your answer to the NLL "
                      "exercise above.",
                      "The NLL is minus the sum, over the points, of the log of the normal "
                      "density: -log(sigma) - log(2 pi)/2 - (x - mu)^2 / (2 sigma^2).")
    return None
