"""Exercises of notebook 04 (gradient descent).

The reference answers are computed here, never shown in the notebook: a gradient written by the
student is checked on hidden cases, and the two questions about the learning rate use the matrix
:data:`EX_HESSIAN`, which the notebook prints.
"""

from __future__ import annotations

import numpy as np

from course_utils import conditioning
from course_utils.exercises import Slip, Tiered, as_number, as_vector, call_student, close, register

#: The Hessian of the exercises "04.stability_limit" and "04.rate" (printed in the notebook).
EX_HESSIAN = np.array([[6.0, 2.0], [2.0, 3.0]])

# ---------------------------------------------------------------- 04.grad_log_sigma


def solution_grad_log_sigma():
    def my_grad(theta, x):
        mu, tau = theta
        var = np.exp(2 * tau)  # sigma^2 = exp(2 tau)
        return np.array([np.mean(x - mu) / var, -1 + np.mean((x - mu) ** 2) / var])

    return my_grad


def grad_mean_loglik_log_sigma(theta, x) -> np.ndarray:
    """Reference: gradient of the mean normal log-likelihood w.r.t. (mu, tau = log sigma)."""
    return solution_grad_log_sigma()(np.asarray(theta, dtype=float), np.asarray(x, dtype=float))


def _cases():
    """Hidden test cases: (theta, x) pairs with different sizes, means and spreads."""
    rng = np.random.default_rng(404)
    out = []
    for n, mu, tau, loc, scale in [(50, 0.3, 0.1, 1.0, 2.0), (7, -2.0, -0.5, -1.0, 0.5),
                                   (200, 7.0, 1.0, 7.2, 2.8), (3, 0.0, 0.0, 0.0, 1.0)]:
        out.append((np.array([mu, tau]), rng.normal(loc, scale, n)))
    return out


def _apply(transform):
    """A slip's answer: the reference gradient with a mistake ``transform(g, theta, x)`` made."""
    return lambda: (lambda theta, x: transform(grad_mean_loglik_log_sigma(theta, x), theta, x))


def _d_sigma(g, theta, x):  # d/d sigma = (d/d tau) / sigma
    return np.array([g[0], g[1] / np.exp(theta[1])])


def _d_variance(g, theta, x):  # d/d sigma^2 = (d/d tau) / (2 sigma^2)
    return np.array([g[0], g[1] / (2.0 * np.exp(2.0 * theta[1]))])


_GRAD_SLIPS = {
    "sign": _apply(lambda g, t, x: -g),
    "sum instead of mean": _apply(lambda g, t, x: len(x) * g),
    "derivative with respect to sigma": _apply(_d_sigma),
    "derivative with respect to the variance": _apply(_d_variance),
}


@register("04.grad_log_sigma", solution=solution_grad_log_sigma,
          wrong=lambda: (lambda theta, x: np.zeros(2)), slips=_GRAD_SLIPS,
          placeholder=lambda: (lambda theta, x: None),
          praise="Your hand gradient agrees with the exact one on every hidden case: "
                 "the chain rule through sigma = exp(tau) is right.",
          question="Write my_grad(theta, x): the gradient of the mean normal log-likelihood of "
                   "the data x with respect to theta = (mu, tau), tau = log sigma. The checker "
                   "calls it on hidden data.")
def _grad_log_sigma(answer):
    results = []
    for theta, x in _cases():
        out = call_student(answer, theta.copy(), x.copy(), what="2 numbers (d/d mu, d/d tau)")
        got = as_vector(out, 2, "2 numbers, the derivatives with respect to mu and tau")
        results.append((got, theta, x))

    def matches(transform):
        return all(close(got, transform(grad_mean_loglik_log_sigma(t, x), t, x), rtol=1e-6,
                         atol=1e-9) for got, t, x in results)

    if matches(lambda g, t, x: g):
        return None
    if matches(lambda g, t, x: -g):
        return Slip("sign", "Every component has the wrong sign: that is the gradient of the "
                            "negative log-likelihood. The exercise asks for the log-likelihood "
                            "(the uphill direction).")
    if matches(lambda g, t, x: len(x) * g):
        return Slip("sum instead of mean", "Right direction, but too large by the number of "
                                           "points: the exercise uses the mean log-likelihood.")
    if matches(_d_sigma):
        return Slip("derivative with respect to sigma",
                    "The mu component is right; the second one is the derivative with respect "
                    "to sigma. The parameter is tau = log sigma: apply the chain rule once more.")
    if matches(_d_variance):
        return Slip("derivative with respect to the variance",
                    "The mu component is right; the second one is the derivative with respect "
                    "to sigma^2, as in section 1. The parameter here is tau = log sigma.")
    mu_ok = all(close(got[0], grad_mean_loglik_log_sigma(t, x)[0], rtol=1e-6, atol=1e-9)
                for got, t, x in results)
    if mu_ok:
        return Tiered("The mu component is right. For the tau component, write the mean "
                      "log-likelihood with sigma^2 = exp(2 tau) first, then differentiate.",
                      "The mu component is right. With S = mean((x - mu)^2), the mean "
                      "log-likelihood is "
                      "-log(2 pi)/2 - tau - S exp(-2 tau) / 2. Differentiate each term with "
                      "respect to tau; compare with autograd at a few points.")
    return Tiered("Compare your function with autograd.grad of the mean log-likelihood, and with "
                  "scipy.optimize.approx_fprime, at a few points: which component differs?",
                  "The mu component does not depend on the parametrization of sigma: it is the "
                  "same as in section 1, with sigma^2 = exp(2 tau).")


# ---------------------------------------------------------------- 04.stability_limit

def solution_stability_limit():
    lam = np.linalg.eigvalsh(EX_HESSIAN)  # the eigenvalues, smallest first
    return 2 / lam.max()


def _limit() -> float:
    return conditioning.stability_limit(EX_HESSIAN)


_LIMIT_SLIPS = {
    "the zigzag onset": lambda: conditioning.oscillation_limit(EX_HESSIAN),
    "the diagonal instead of the eigenvalues": lambda: 2.0 / float(np.diag(EX_HESSIAN).max()),
    "the smallest eigenvalue": lambda: 2.0 / float(np.linalg.eigvalsh(EX_HESSIAN)[0]),
    "the best learning rate": lambda: conditioning.best_learning_rate(EX_HESSIAN),
}


def _close(a: float, b: float, rel: float = 5e-3) -> bool:
    return abs(a - b) <= rel * abs(b)


@register("04.stability_limit", solution=solution_stability_limit, wrong=lambda: 0.5,
          slips=_LIMIT_SLIPS,
          praise="2 / lambda_max: above it the steepest direction grows at every step.",
          question="Gradient descent on a quadratic with Hessian nb04.EX_HESSIAN: the largest "
                   "learning rate for which it converges from every start.")
def _stability_limit(answer):
    a = as_number(answer)
    if _close(a, _limit()):
        return None
    if _close(a, _LIMIT_SLIPS["the zigzag onset"]()):
        return Slip("the zigzag onset", "That is where the steps start to overshoot and zigzag, "
                                        "but a zigzag can still converge. Where does it stop "
                                        "converging?")
    if _close(a, _LIMIT_SLIPS["the diagonal instead of the eigenvalues"]()):
        return Slip("the diagonal instead of the eigenvalues",
                    "The diagonal entries are the curvatures along the axes. The matrix is not "
                    "diagonal: the steepest curvature lies along an eigenvector.")
    if _close(a, _LIMIT_SLIPS["the smallest eigenvalue"]()):
        return Slip("the smallest eigenvalue", "Every direction must be stable, so the limit "
                                               "is set by the steepest one.")
    if _close(a, _LIMIT_SLIPS["the best learning rate"]()):
        return Slip("the best learning rate", "That is the fastest fixed learning rate, not the "
                                              "largest one that still converges.")
    return Tiered("Each eigen-direction is stable while 0 < lr * lambda_i < 2. Which eigenvalue "
                  "limits lr?",
                  "Compute the eigenvalues with np.linalg.eigvalsh(H) (or "
                  "conditioning.hessian_eigenvalues), then solve lr * lambda = 2 for the right one.")


# ---------------------------------------------------------------- 04.rate

def solution_rate():
    lam = np.linalg.eigvalsh(EX_HESSIAN)
    kappa = lam.max() / lam.min()
    return (kappa - 1) / (kappa + 1)


def _kappa() -> float:
    return conditioning.condition_number(EX_HESSIAN)


def _rate() -> float:
    return conditioning.gd_rate(_kappa())


_RATE_SLIPS = {
    "the heavy-ball rate": lambda: conditioning.heavy_ball_rate(_kappa()),
    "the loss's rate, not the error's": lambda: _rate() ** 2,
    "one over kappa": lambda: 1.0 / _kappa(),
}


@register("04.rate", solution=solution_rate, wrong=lambda: 0.9, slips=_RATE_SLIPS,
          question="Gradient descent at its best fixed learning rate on the quadratic with Hessian "
                   "nb04.EX_HESSIAN: the factor by which the error shrinks at every step.",
          praise="(kappa - 1) / (kappa + 1): the condition number alone sets how fast the best "
                 "fixed learning rate can go.")
def _rate_checker(answer):
    a = as_number(answer)
    if _close(a, _rate()):
        return None
    if _close(a, _RATE_SLIPS["the heavy-ball rate"]()):
        return Slip("the heavy-ball rate", "That is the rate of momentum at its best settings. "
                                           "The question is about plain gradient descent.")
    if _close(a, _RATE_SLIPS["the loss's rate, not the error's"]()):
        return Slip("the loss's rate, not the error's",
                    "The loss above the minimum shrinks by the rate squared per step. The "
                    "question asks how much the error (the distance to the minimum) shrinks.")
    if _close(a, _RATE_SLIPS["one over kappa"]()):
        return Slip("one over kappa", "Close in spirit: the rate depends only on kappa. Look up "
                                      "the formula for the best fixed learning rate.")
    if not 0.0 < a < 1.0:
        return Tiered("A converging run shrinks the error by a factor between 0 and 1 per step.",
                      "Compute kappa = lambda_max / lambda_min of the matrix, then the rate of "
                      "gradient descent at its best fixed learning rate.")
    return Tiered("The rate depends only on the condition number kappa = lambda_max / lambda_min.",
                  "Compute kappa with conditioning.condition_number, then use the formula of "
                  "section 4 for the best fixed learning rate (or run it and measure).")
