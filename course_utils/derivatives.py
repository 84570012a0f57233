"""Derivatives three ways, and what they are good for: notebook 05.

Finite differences (:func:`finite_difference_gradient`, :func:`finite_difference_hessian`) and
the error they make as a function of the step (:func:`step_size_errors`, :func:`optimal_step`:
truncation error falls with the step, round-off error grows as it shrinks); a check of one
gradient against another (:func:`gradient_discrepancy`); standard errors of a linear regression
three ways (:func:`ols_mle_standard_errors`, :func:`hess_inv_standard_errors`); the cost of a fit
counted in evaluations until it is as good as it gets (:func:`evaluations_until`). Nothing here prints or
plots.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_utils import _validate as v

__all__ = [
    "EPS",
    "optimal_step",
    "finite_difference_gradient",
    "finite_difference_hessian",
    "step_size_errors",
    "gradient_discrepancy",
    "ols_mle_standard_errors",
    "hess_inv_standard_errors",
    "evaluations_until",
]

#: Machine epsilon of float64: the spacing of floats near 1 (about 2.2e-16).
EPS = float(np.finfo(float).eps)
_SCHEMES = ("forward", "central")


def _scheme(scheme: str) -> str:
    if scheme not in _SCHEMES:
        raise ValueError(f"scheme must be one of {_SCHEMES}, got {scheme!r}")
    return scheme


def optimal_step(scheme: str = "central") -> float:
    """The step that balances truncation and round-off error, up to a factor of order one.

    A forward difference ``(f(x + h) - f(x)) / h`` has truncation error of order ``h`` and
    round-off error of order ``eps / h``: their sum is smallest near ``h = sqrt(eps)`` (about
    1.5e-8). A central difference has truncation error of order ``h^2``: the best step is near
    ``cbrt(eps)`` (about 6e-6). Both for an ``x`` and derivatives of order one; scale by ``|x|``
    otherwise. Introduced in notebook 05.

    Parameters
    ----------
    scheme : {"central", "forward"}

    Returns
    -------
    float

    Examples
    --------
    >>> f"{optimal_step('forward'):.1e}", f"{optimal_step('central'):.1e}"
    ('1.5e-08', '6.1e-06')
    """
    return EPS ** 0.5 if _scheme(scheme) == "forward" else EPS ** (1.0 / 3.0)


def _steps(x: np.ndarray, h) -> np.ndarray:
    """Per-coordinate steps: ``h * max(|x_i|, 1)``, exactly representable offsets."""
    step = v.positive("h", h) * np.maximum(np.abs(x), 1.0)
    step = (x + step) - x  # the step actually taken, after rounding x + step
    if np.any(step == 0):
        raise ValueError(f"h = {h:g} is too small: x + h * max(|x|, 1) rounds back to x")
    return step


def finite_difference_gradient(fun: Callable, x, *, h=None, scheme: str = "central") -> np.ndarray:
    """The gradient of ``fun`` at ``x`` by finite differences, one coordinate at a time.

    Costs ``p`` (forward, plus one at ``x``) or ``2 p`` (central) evaluations for ``p``
    parameters. Introduced in notebook 05.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x : array_like
        The point, 1-d, finite.
    h : float, optional
        Relative step: coordinate ``i`` moves by ``h * max(|x_i|, 1)``. Default
        :func:`optimal_step` of the scheme.
    scheme : {"central", "forward"}

    Returns
    -------
    numpy.ndarray
        Shape ``(p,)``.

    Examples
    --------
    >>> g = finite_difference_gradient(lambda t: t[0] ** 2 + 3.0 * t[1], [1.0, 2.0])
    >>> g.round(6).tolist()
    [2.0, 3.0]
    """
    scheme = _scheme(scheme)
    x = v.vector("x", x)
    steps = _steps(x, optimal_step(scheme) if h is None else h)
    g = np.empty_like(x)
    f0 = float(fun(x)) if scheme == "forward" else None
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = steps[i]
        if scheme == "forward":
            g[i] = (float(fun(x + e)) - f0) / steps[i]
        else:
            g[i] = (float(fun(x + e)) - float(fun(x - e))) / (2.0 * steps[i])
    return g


def finite_difference_hessian(grad: Callable, x, *, h=None) -> np.ndarray:
    """The Hessian at ``x`` by central differences of an exact gradient, symmetrised.

    Column ``i`` is ``(grad(x + h_i e_i) - grad(x - h_i e_i)) / (2 h_i)``. Used to check
    autograd's ``hessian`` in the tests. Introduced in notebook 05.

    Parameters
    ----------
    grad : callable
        ``grad(x) -> array of shape (p,)``.
    x : array_like
        The point, 1-d, finite.
    h : float, optional
        Relative step (default ``cbrt(eps)``).

    Returns
    -------
    numpy.ndarray
        Shape ``(p, p)``, symmetric.

    Examples
    --------
    >>> H = finite_difference_hessian(lambda t: np.array([2.0 * t[0] * t[1], t[0] ** 2]), [1.0, 2.0])
    >>> H.round(6).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    x = v.vector("x", x)
    steps = _steps(x, optimal_step("central") if h is None else h)
    H = np.empty((x.size, x.size))
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = steps[i]
        H[:, i] = (np.asarray(grad(x + e), dtype=float) - np.asarray(grad(x - e), dtype=float)) / (
            2.0 * steps[i])
    return 0.5 * (H + H.T)


def step_size_errors(fun: Callable, x, exact, steps, *, scheme: str = "central") -> np.ndarray:
    """The error of a finite-difference gradient for each step size: the V-shaped curve.

    For large steps the truncation error dominates (it falls like ``h`` forward, ``h^2``
    central); for small steps the round-off error of ``f(x + h) - f(x)`` divided by ``h``
    dominates (it grows like ``eps |f| / h``). Introduced in notebook 05.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x : array_like
        The point, 1-d, finite.
    exact : array_like
        The exact gradient at ``x`` (from autograd or by hand), same shape as ``x``.
    steps : array_like
        Relative steps ``h`` to try, each > 0.
    scheme : {"central", "forward"}

    Returns
    -------
    numpy.ndarray
        ``max_i |g_i(h) - exact_i| / max(|exact|_max, tiny)`` for each step: the relative error
        (NaN for a step so small that ``x + h`` rounds back to ``x``).

    Examples
    --------
    >>> err = step_size_errors(np.sum, [1.0], [1.0], [1e-3])
    >>> bool(err[0] < 1e-10)
    True
    """
    x = v.vector("x", x)
    exact = v.vector("exact", exact, size=x.size)
    steps = v.data_array("steps", steps)
    if np.any(steps <= 0):
        raise ValueError(f"steps must all be > 0, found {steps.min()}")
    scale = max(float(np.max(np.abs(exact))), np.finfo(float).tiny)
    out = np.empty(steps.size)
    with np.errstate(all="ignore"):
        for k, h in enumerate(steps):
            try:
                g = finite_difference_gradient(fun, x, h=float(h), scheme=scheme)
            except ValueError:  # the step rounds away: no difference to take
                out[k] = np.nan
                continue
            out[k] = np.max(np.abs(g - exact)) / scale
    return out


def gradient_discrepancy(g, reference) -> float:
    """How far a gradient is from a reference one: ``max_i |g_i - r_i| / max(max_i |r_i|, tiny)``.

    A relative size: about 1e-16 means "equal to the last bits", 1e-10 is typical of a central
    finite difference, 1e-1 or more means a mistake. Introduced in notebook 05.

    Parameters
    ----------
    g, reference : array_like
        Same shape, finite.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gradient_discrepancy([1.0, 2.001], [1.0, 2.0]), 6)
    0.0005
    """
    g = v.data_array("g", np.ravel(np.asarray(g, dtype=float)))
    r = v.data_array("reference", np.ravel(np.asarray(reference, dtype=float)))
    if g.shape != r.shape:
        raise ValueError(f"g and reference must have the same shape, got {g.shape} and {r.shape}")
    return float(np.max(np.abs(g - r)) / max(float(np.max(np.abs(r))), np.finfo(float).tiny))


def ols_mle_standard_errors(X, y) -> np.ndarray:
    """Closed-form standard errors of the Gaussian linear-regression MLE, ``(beta, log sigma)``.

    ``sqrt(diag(sigma^2 (X^T X)^{-1}))`` with the MLE ``sigma^2 = SSE / N`` (not ``N - K``) for
    the coefficients, and ``1 / sqrt(2 N)`` for ``log sigma``: exactly what the inverse Hessian of
    :func:`course_utils.models.make_linear_regression_nll` gives at its minimum. Introduced in
    notebook 05.

    Parameters
    ----------
    X : array_like
        Design matrix, shape ``(N, K)``, ``N > K``, full column rank.
    y : array_like
        Responses, shape ``(N,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(K + 1,)``.

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> ols_mle_standard_errors(X, [1.0, 3.2, 4.9, 7.1]).round(4).tolist()
    [0.0935, 0.05, 0.3536]
    """
    from course_utils import closed_form

    fit = closed_form.ols(X, y)
    X = np.asarray(X, dtype=float)
    cov = fit.sigma2_mle * np.linalg.inv(X.T @ X)
    return np.append(np.sqrt(np.diag(cov)), 1.0 / np.sqrt(2.0 * X.shape[0]))


def hess_inv_standard_errors(result) -> np.ndarray:
    """``sqrt(diag(hess_inv))`` of a scipy BFGS or L-BFGS-B result: what NOT to report.

    ``hess_inv`` is the solver's running estimate of the inverse Hessian, built from the gradients
    along its path (BFGS) or from the last few of them only (L-BFGS-B): good enough to choose a
    direction, not an estimate of the covariance. Notebook 05 compares it with the exact inverse.

    Parameters
    ----------
    result : OptimizeResult
        Has ``hess_inv``: a matrix (BFGS) or a ``LbfgsInvHessProduct`` (L-BFGS-B).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import scipy.optimize
    >>> res = scipy.optimize.minimize(lambda t: t @ t, [1.0, 1.0], method="BFGS")
    >>> hess_inv_standard_errors(res).round(3).tolist()  # the exact inverse Hessian gives 0.707
    [0.866, 0.866]
    """
    H = result.get("hess_inv", None) if hasattr(result, "get") else getattr(result, "hess_inv", None)
    if H is None:
        raise ValueError("result must have a hess_inv (a BFGS or L-BFGS-B result), got none")
    if hasattr(H, "todense"):
        H = H.todense()
    H = v.data_array("result.hess_inv", np.asarray(H, dtype=float), ndim=2)
    d = np.diag(H)
    if np.any(d <= 0):
        raise ValueError(f"result.hess_inv has a diagonal entry <= 0: {d.min()}")
    return np.sqrt(d)


def evaluations_until(losses, target: float, *, rtol: float = 1e-9) -> int | None:
    """How many evaluations a run needed before its loss first came within ``rtol`` of ``target``.

    ``nfev`` counts every evaluation until the solver stops, including the last ones spent
    trying to improve digits that floats cannot resolve, and that tail changes when the data
    change in their last bit. The evaluations needed to get the loss right to ``rtol`` do not:
    a fairer and reproducible measure of cost. Introduced in notebook 05.

    Parameters
    ----------
    losses : array_like
        The loss at every evaluation, in order (``result.evaluation_losses``).
    target : float
        The minimum (from a closed form, say).
    rtol : float
        Relative tolerance, > 0.

    Returns
    -------
    int or None
        The count (1-based), or None when the run never got there.

    Examples
    --------
    >>> evaluations_until([10.0, 3.0, 1.5, 1.0000000001, 1.0], 1.0, rtol=1e-6)
    4
    """
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"losses must be a non-empty 1-d array, got shape {losses.shape}")
    target = v.finite("target", target)
    rtol = v.positive("rtol", rtol)
    with np.errstate(invalid="ignore"):
        ok = np.nan_to_num(losses, nan=np.inf) - target <= rtol * max(abs(target), 1.0)
    return int(np.argmax(ok)) + 1 if ok.any() else None
