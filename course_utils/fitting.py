"""Fitting models to real data: nonlinear least squares done carefully, and a binomial likelihood.

The pipeline notebook 07 recommends for a nonlinear least-squares fit:

1. **a start** from a coarse search: the sum of squares evaluated at many points spread over a
   wide box around a rough guess (:func:`scatter_starts`, :func:`coarse_search`), and a short local
   fit from the best few (:func:`fit_nls` does both);
2. **an exact Jacobian** from autograd (:func:`model_jacobian`), never finite differences;
3. **tight tolerances**, so the solver stops at the minimum and not near it;
4. **standard errors** from the Jacobian at the minimum (:func:`least_squares_standard_errors`);
5. **a check** against published values by the log relative error (:func:`log_relative_error`).

``solver="least_squares"`` uses ``scipy.optimize.least_squares`` (the tool to reach for;
``curve_fit`` wraps it), ``solver="minimize"`` uses ``scipy.optimize.minimize`` on the sum of
squares with the parameters rescaled to similar sizes: BFGS to find the basin, Newton's method
with autograd's exact Hessian to finish. For likelihoods that are not least squares:
:func:`make_binomial_logistic_nll` (the Challenger O-rings) and :func:`delta_method` (the standard
error of any smooth function of the estimates, its gradient by autograd).
Introduced in notebook 07.
"""

from __future__ import annotations

from collections.abc import Callable

import autograd
import autograd.numpy as anp
import numpy as np
import scipy.optimize
import scipy.special

from course_utils import _validate as v
from course_utils.models import Loss

__all__ = [
    "NIST_MODELS",
    "nist_model",
    "model_jacobian",
    "sum_of_squares",
    "fit_least_squares",
    "fit_minimize",
    "scatter_starts",
    "coarse_search",
    "fit_nls",
    "least_squares_standard_errors",
    "log_relative_error",
    "make_binomial_logistic_nll",
    "delta_method",
]

#: Tolerances of the careful fits: far below the defaults (1e-8), just above machine epsilon.
TIGHT = 1e-15
#: Evaluations (per parameter) of each short fit that looks for the basin in :func:`fit_nls`.
SHORT_FIT_EVALUATIONS = 100
#: Methods of ``minimize`` that use the Hessian: :func:`fit_minimize` gives them autograd's.
_HESSIAN_METHODS = ("Newton-CG", "dogleg", "trust-ncg", "trust-exact", "trust-krylov")

# ---------------------------------------------------------------- the NIST StRD models

#: The model of each shipped NIST StRD problem as ``f(b, x)``, written with ``autograd.numpy``
#: (``b[0]`` is NIST's b1). Each prediction depends only on its own ``x``, and every model
#: broadcasts: ``b`` of shape ``(p, ...)`` evaluates many parameter vectors at once.
NIST_MODELS: dict[str, Callable] = {
    "BoxBOD": lambda b, x: b[0] * (1 - anp.exp(-b[1] * x)),
    "Chwirut2": lambda b, x: anp.exp(-b[0] * x) / (b[1] + b[2] * x),
    "Eckerle4": lambda b, x: (b[0] / b[1]) * anp.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
    "MGH09": lambda b, x: b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3]),
    "Misra1a": lambda b, x: b[0] * (1 - anp.exp(-b[1] * x)),
    "Rat43": lambda b, x: b[0] / ((1 + anp.exp(b[1] - b[2] * x)) ** (1 / b[3])),
    "Thurber": lambda b, x: ((b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3)
                             / (1 + b[4] * x + b[5] * x**2 + b[6] * x**3)),
}


def nist_model(name: str) -> Callable:
    """The model function ``f(b, x)`` of a shipped NIST StRD problem.

    Introduced in notebook 07. The formula is the one in ``data.load_nist(name).model``.

    Parameters
    ----------
    name : str
        One of ``data.nist_names()``.

    Returns
    -------
    callable
        ``f(b, x)`` written with ``autograd.numpy``.

    Examples
    --------
    >>> f = nist_model("Misra1a")
    >>> round(float(f(np.array([200.0, 0.001]), 1000.0)), 4)
    126.4241
    """
    if not isinstance(name, str) or name not in NIST_MODELS:
        raise ValueError(f"name must be one of {sorted(NIST_MODELS)}, got {name!r}")
    return NIST_MODELS[name]


# ---------------------------------------------------------------- least squares

def _check_xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = v.data_array("x", x)
    y = v.data_array("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    return x, y


def _check_model(model) -> Callable:
    if not callable(model):
        raise ValueError(f"model must be a callable model(b, x), got {model!r}")
    return model


def model_jacobian(model: Callable, b, x) -> np.ndarray:
    """The exact Jacobian ``d model(b, x)_i / d b_j`` by autograd, in one backward pass.

    Introduced in notebook 07. Each prediction must depend on its own ``x_i`` only (true of every
    regression model here): the parameters are copied once per observation, and the gradient of
    the summed predictions with respect to the copies is the Jacobian, row by row.

    Parameters
    ----------
    model : callable
        ``model(b, x)`` written with ``autograd.numpy``.
    b : array_like
        Parameters, shape ``(p,)``.
    x : array_like
        Inputs, shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, p)``.

    Examples
    --------
    >>> J = model_jacobian(lambda b, x: b[0] * x + b[1], [2.0, 1.0], [0.0, 1.0, 2.0])
    >>> J.tolist()
    [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
    """
    model = _check_model(model)
    b = v.vector("b", b)
    x = v.data_array("x", x)
    copies = np.tile(b[:, None], (1, x.size))
    return np.asarray(autograd.elementwise_grad(lambda c: model(c, x))(copies)).T


def sum_of_squares(model: Callable, b, x, y) -> float:
    """Residual sum of squares ``sum (y - model(b, x))**2``.

    Introduced in notebook 07.

    Examples
    --------
    >>> sum_of_squares(lambda b, x: b[0] * x, [2.0], [1.0, 2.0], [2.0, 5.0])
    1.0
    """
    model = _check_model(model)
    x, y = _check_xy(x, y)
    b = v.vector("b", b)
    with np.errstate(all="ignore"):
        return float(np.sum((y - model(b, x)) ** 2))


def least_squares_standard_errors(jacobian, sse: float, n_params: int | None = None) -> np.ndarray:
    """Standard errors of least-squares estimates: ``sqrt(diag(s^2 (J^T J)^{-1}))``.

    ``s^2 = SSE / (n - p)`` estimates the noise variance (the usual estimate, as R's ``nls``,
    ``curve_fit`` and NIST's certified standard deviations use). Introduced in notebook 07.

    Parameters
    ----------
    jacobian : array_like
        The model's (or the residuals') Jacobian at the estimate, shape ``(n, p)`` with ``n > p``.
    sse : float
        Residual sum of squares at the estimate (>= 0).
    n_params : int, optional
        ``p``; default the Jacobian's number of columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(p,)``.

    Examples
    --------
    >>> J = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> least_squares_standard_errors(J, 2.0).round(4).tolist()
    [0.8367, 0.4472]
    """
    J = v.data_array("jacobian", jacobian, ndim=2)
    n, p = J.shape
    p = p if n_params is None else v.integer("n_params", n_params)
    if n <= p:
        raise ValueError(f"jacobian must have more rows than columns (n > p), got shape {J.shape}")
    sse = v.nonnegative("sse", sse)
    _, s, vt = np.linalg.svd(J, full_matrices=False)
    if s.min() <= s.max() * 1e-14:
        raise ValueError(f"jacobian must have full column rank, singular values {s}")
    cov = (vt.T / s**2) @ vt * (sse / (n - p))
    return np.sqrt(np.diag(cov))


def _result(model, x, y, b, x0, *, method, nfev, njev, success, status, message):
    """One result shape for every fit of this module (a scipy OptimizeResult)."""
    b = np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):
        sse = float(np.sum((y - model(b, x)) ** 2))
        J = model_jacobian(model, b, x)
        try:
            se = least_squares_standard_errors(J, sse) if np.all(np.isfinite(J)) else None
        except ValueError:
            se = None
    return scipy.optimize.OptimizeResult(
        x=b, fun=sse, jac=-J, se=se, nfev=int(nfev), njev=int(njev), success=bool(success),
        status=int(status), message=str(message), method=method, x0=np.asarray(x0, dtype=float))


def fit_least_squares(model: Callable, x, y, x0, *, method: str = "trf", tol: float = TIGHT,
                      exact_jacobian: bool = True, max_nfev: int | None = None):
    """Nonlinear least squares by ``scipy.optimize.least_squares``, exact Jacobian, tight tolerances.

    Introduced in notebook 07.

    Parameters
    ----------
    model : callable
        ``model(b, x)`` written with ``autograd.numpy``.
    x, y : array_like
        Inputs and observations, 1-d, same length.
    x0 : array_like
        Start, finite, shape ``(p,)``.
    method : {"trf", "lm", "dogbox"}
        ``least_squares``' method ("lm" is Levenberg-Marquardt, MINPACK's, as ``curve_fit``'s
        default).
    tol : float or None
        ``xtol = ftol = gtol``; default 1e-15 (scipy's default 1e-8 stops short). None: scipy's
        defaults.
    exact_jacobian : bool
        The Jacobian from autograd (default) or scipy's finite differences.
    max_nfev : int, optional
        Evaluation limit (scipy's default when None).

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x``, ``fun`` (the residual sum of squares), ``jac`` (the residuals' Jacobian), ``se``
        (standard errors, None if the Jacobian is singular), ``nfev``, ``njev``, ``success``,
        ``status``, ``message`` (scipy's), ``method``, ``x0``.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 5.0]); y = 10.0 * (1 - np.exp(-0.5 * x))
    >>> res = fit_least_squares(nist_model("BoxBOD"), x, y, [5.0, 1.0])
    >>> res.x.round(6).tolist(), res.success
    ([10.0, 0.5], True)
    """
    model = _check_model(model)
    x, y = _check_xy(x, y)
    x0 = v.vector("x0", x0)
    if method not in ("trf", "lm", "dogbox"):
        raise ValueError(f"method must be 'trf', 'lm' or 'dogbox', got {method!r}")
    tol = None if tol is None else v.positive("tol", tol)
    if max_nfev is not None:
        max_nfev = v.integer("max_nfev", max_nfev)

    def residuals(b):
        return y - model(b, x)

    def jacobian(b):
        return -model_jacobian(model, b, x)

    kwargs = {} if tol is None else {"xtol": tol, "ftol": tol, "gtol": tol}
    with np.errstate(all="ignore"):
        res = scipy.optimize.least_squares(residuals, x0, jac=jacobian if exact_jacobian else "2-point",
                                           method=method, max_nfev=max_nfev, **kwargs)
    return _result(model, x, y, res.x, x0, method=f"least_squares ({method})", nfev=res.nfev,
                   njev=res.njev or 0, success=res.success, status=res.status, message=res.message)


def fit_minimize(model: Callable, x, y, x0, *, method: str = "BFGS", gtol: float = 1e-8,
                 rescale: bool = True, max_iter: int = 5000):
    """Least squares by ``scipy.optimize.minimize``: exact gradient, parameters rescaled.

    The loss handed to ``minimize`` is ``SSE / SST`` (SST = the sum of squares of ``y`` about its
    mean) as a function of ``u = b / |x0|``: every parameter and the loss are of order one, so
    one gradient tolerance means the same for every problem. Introduced in notebook 07.

    Parameters
    ----------
    model : callable
        ``model(b, x)`` written with ``autograd.numpy``.
    x, y : array_like
        Inputs and observations, 1-d, same length.
    x0 : array_like
        Start, finite, shape ``(p,)``.
    method : str
        A gradient method of ``minimize`` ("BFGS", "L-BFGS-B", "CG", ...); the methods that use
        a Hessian ("trust-ncg", "trust-exact", "Newton-CG", ...) get autograd's.
    gtol : float
        Gradient tolerance on the rescaled loss.
    rescale : bool
        Rescale as above (default) or hand ``minimize`` the raw sum of squares and parameters.
    max_iter : int
        Iteration limit.

    Returns
    -------
    scipy.optimize.OptimizeResult
        As :func:`fit_least_squares`; ``x`` in the original parameters.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 5.0]); y = 10.0 * (1 - np.exp(-0.5 * x))
    >>> res = fit_minimize(nist_model("BoxBOD"), x, y, [5.0, 1.0])
    >>> res.x.round(5).tolist(), res.success
    ([10.0, 0.5], True)
    """
    model = _check_model(model)
    x, y = _check_xy(x, y)
    x0 = v.vector("x0", x0)
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    gtol = v.positive("gtol", gtol)
    max_iter = v.integer("max_iter", max_iter)
    if rescale:
        scale = np.where(x0 != 0, np.abs(x0), 1.0)
        sst = float(np.sum((y - y.mean()) ** 2)) or 1.0
    else:
        scale, sst = np.ones_like(x0), 1.0

    def loss(u):
        return anp.sum((y - model(u * scale, x)) ** 2) / sst

    options = {"maxiter": max_iter} if method in ("Nelder-Mead", "Powell") else \
        {"gtol": gtol, "maxiter": max_iter}
    with np.errstate(all="ignore"):
        hess = autograd.hessian(loss) if method in _HESSIAN_METHODS else None
        # value and gradient in one pass of autograd (jac=True: fun returns both)
        res = scipy.optimize.minimize(autograd.value_and_grad(loss), x0 / scale, jac=True,
                                      hess=hess, method=method, options=options)
    return _result(model, x, y, res.x * scale, x0, method=f"minimize ({method})", nfev=res.nfev,
                   njev=res.get("njev", 0), success=res.success, status=res.status,
                   message=res.message)


# ---------------------------------------------------------------- finding a start

def scatter_starts(x0, n_starts: int, *, spread: float = 100.0, seed: int = 0) -> np.ndarray:
    """Points spread over a wide box around a rough guess: ``x0`` times ``spread**U(-1, 1)``.

    Each coordinate is scaled by its own log-uniform factor, so a parameter guessed 100 times too
    large or too small is still covered, and signs are kept (a zero coordinate is replaced by
    ``U(-1, 1)``). Introduced in notebook 07.

    Parameters
    ----------
    x0 : array_like
        The rough guess, shape ``(p,)``; it is the first row of the result.
    n_starts : int
        Number of points (>= 1).
    spread : float
        Factor (> 1) by which a coordinate may be too large or too small.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_starts, p)``.

    Examples
    --------
    >>> pts = scatter_starts([1.0, -2.0], 5, spread=10.0, seed=0)
    >>> pts.shape, pts[0].tolist(), bool(np.all(pts[:, 1] < 0))
    ((5, 2), [1.0, -2.0], True)
    """
    x0 = v.vector("x0", x0)
    n_starts = v.integer("n_starts", n_starts)
    spread = v.finite("spread", spread)
    if spread <= 1:
        raise ValueError(f"spread must be > 1, got {spread}")
    rng = np.random.default_rng(seed)
    factors = spread ** rng.uniform(-1.0, 1.0, size=(n_starts, x0.size))
    pts = np.where(x0 != 0, x0 * factors, rng.uniform(-1.0, 1.0, size=(n_starts, x0.size)))
    pts[0] = x0
    return pts


def coarse_search(model: Callable, x, y, points) -> tuple[np.ndarray, np.ndarray]:
    """The sum of squares at many parameter vectors at once, best first.

    The coarse half of a "coarse grid or multi-start" search for a start: ``points`` may be a grid
    or scattered points (:func:`scatter_starts`). The model is evaluated with ``b`` of shape
    ``(p, m, 1)`` against ``x`` of shape ``(n,)``, all at once. Introduced in notebook 07.

    Parameters
    ----------
    model : callable
        ``model(b, x)`` that broadcasts over extra axes of ``b``.
    x, y : array_like
        Inputs and observations, 1-d, same length.
    points : array_like
        Shape ``(m, p)``.

    Returns
    -------
    points, sse : numpy.ndarray
        The points sorted by their sum of squares (non-finite last), and those sums.

    Examples
    --------
    >>> pts, sse = coarse_search(lambda b, x: b[0] * x, [1.0, 2.0], [2.0, 4.0], [[1.0], [2.0], [5.0]])
    >>> pts.ravel().tolist(), sse.tolist()
    ([2.0, 1.0, 5.0], [0.0, 5.0, 45.0])
    """
    model = _check_model(model)
    x, y = _check_xy(x, y)
    pts = v.data_array("points", points, ndim=2)
    with np.errstate(all="ignore"):
        sse = np.sum((y - model(pts.T[..., None], x)) ** 2, axis=-1)
    sse = np.where(np.isfinite(sse), sse, np.inf)
    order = np.argsort(sse, kind="stable")
    return pts[order], sse[order]


def fit_nls(model: Callable, x, y, x0, *, solver: str = "least_squares", method: str | None = None,
            n_starts: int = 2000, spread: float = 100.0, n_local: int = 1, seed: int = 0):
    """The recommended nonlinear least-squares pipeline of notebook 07.

    1. Scatter ``n_starts`` points over a wide box around ``x0`` (:func:`scatter_starts`) and keep
       the ``n_local`` with the smallest sums of squares (:func:`coarse_search`); ``x0`` itself
       always competes. The box need not hold the answer: from BoxBOD's start 1 the
       best points lie on the plateau, and the short fits climb down from there.
    2. Run a short fit (default tolerances, at most 100 evaluations per parameter) from each:
       ``least_squares``' trust-region method "trf" (Levenberg-Marquardt stalls on plateaus), or
       BFGS for ``solver="minimize"``.
    3. Polish the best end point with tight tolerances and exact derivatives: ``least_squares``
       with ``method`` and the exact Jacobian (``tol`` 1e-15), or ``minimize`` with ``method``,
       the exact gradient and Hessian and ``gtol`` 1e-10 on the rescaled loss (Newton's method
       in a trust region, ``"trust-ncg"``, by default: BFGS alone cannot resolve the minimum of a
       sum of squares much below ``sqrt(machine epsilon)``).

    Parameters
    ----------
    model : callable
        ``model(b, x)`` written with ``autograd.numpy``; it broadcasts over extra axes of ``b``.
    x, y : array_like
        Inputs and observations, 1-d, same length.
    x0 : array_like
        A rough guess (the published start, say).
    solver : {"least_squares", "minimize"}
        :func:`fit_least_squares` or :func:`fit_minimize` for steps 2 and 3.
    method : str, optional
        The solver's method (default "trf" for least_squares, "trust-ncg" for minimize).
    n_starts, spread, seed
        As :func:`scatter_starts`.
    n_local : int
        Number of short local fits.

    Returns
    -------
    scipy.optimize.OptimizeResult
        As :func:`fit_least_squares`, with ``x0`` the point the polish started from, ``rough`` the
        guess given, and ``nfev`` counting the evaluations of all steps (the coarse search
        counts one per point).

    Examples
    --------
    >>> from course_utils import data
    >>> d = data.load_nist("BoxBOD")
    >>> res = fit_nls(nist_model("BoxBOD"), d.x, d.y, d.starts["start1"], solver="least_squares",
    ...               method="lm")
    >>> bool(np.all(log_relative_error(res.x, d.certified) > 6))
    True
    """
    model = _check_model(model)
    x, y = _check_xy(x, y)
    x0 = v.vector("x0", x0)
    if solver == "least_squares":
        method = "trf" if method is None else method

        def fit(b0, tol, max_nfev=None):
            if tol is None:  # a short trust-region run finds the basin, whatever the polish
                return fit_least_squares(model, x, y, b0, method="trf", tol=None, max_nfev=max_nfev)
            return fit_least_squares(model, x, y, b0, method=method, tol=tol)
    elif solver == "minimize":
        method = "trust-ncg" if method is None else method

        def fit(b0, tol, max_nfev=None):
            if tol is None:  # a short BFGS run finds the basin
                return fit_minimize(model, x, y, b0, method="BFGS", gtol=1e-5, max_iter=max_nfev)
            return fit_minimize(model, x, y, b0, method=method, gtol=1e-10)
    else:
        raise ValueError(f"solver must be 'least_squares' or 'minimize', got {solver!r}")
    n_local = v.integer("n_local", n_local)
    pts = scatter_starts(x0, n_starts, spread=spread, seed=seed)
    best, sse = coarse_search(model, x, y, pts)
    candidates = [x0] + [b for b, s in zip(best, sse, strict=True) if np.isfinite(s)][:n_local]
    nfev = len(pts)
    short = []
    for b0 in candidates:
        try:
            r = fit(b0, None, SHORT_FIT_EVALUATIONS * x0.size)
        except ValueError:  # the Jacobian overflowed on the way: drop this start
            continue
        nfev += r.nfev
        if np.isfinite(r.fun):
            short.append(r)
    if not short:
        raise ValueError("x0: no short fit from the scattered starts ended at a finite sum of squares")
    start = min(short, key=lambda r: r.fun).x
    res = fit(start, TIGHT)
    res.nfev += nfev
    res.rough = x0
    return res


# ---------------------------------------------------------------- checking against certified values

def log_relative_error(estimate, certified, *, max_digits: float = 11.0) -> np.ndarray:
    """Correct significant digits: the log relative error ``-log10(|estimate - c| / |c|)``.

    The measure by which statistical software is graded on the NIST StRD problems (McCullough
    1998): about the number of leading digits that agree with the certified value ``c``. Capped
    at ``max_digits`` (NIST certifies 11); below 0 (nothing right) it is reported as 0; where
    ``c = 0`` the absolute error is used. Introduced in notebook 07.

    Parameters
    ----------
    estimate, certified : array_like
        Same shape.
    max_digits : float
        The cap (> 0).

    Returns
    -------
    numpy.ndarray
        One value per entry.

    Examples
    --------
    >>> log_relative_error([1.0001, 2.0, 0.0], [1.0, 2.0, 1.0]).round(1).tolist()
    [4.0, 11.0, 0.0]
    """
    est = v.data_array("estimate", np.atleast_1d(np.asarray(estimate, dtype=float)))
    cert = v.data_array("certified", np.atleast_1d(np.asarray(certified, dtype=float)))
    if est.shape != cert.shape:
        raise ValueError(f"estimate and certified must have the same shape, got {est.shape} and "
                         f"{cert.shape}")
    max_digits = v.positive("max_digits", max_digits)
    err = np.abs(est - cert) / np.where(cert != 0, np.abs(cert), 1.0)
    with np.errstate(divide="ignore"):
        lre = -np.log10(err)
    return np.clip(lre, 0.0, max_digits) + 0.0  # + 0.0 turns -0.0 into 0.0


# ---------------------------------------------------------------- a binomial likelihood

def make_binomial_logistic_nll(x, k, m) -> Loss:
    """Negative log-likelihood of a binomial logistic regression, ``k_i ~ Binomial(m_i, p_i)``,
    ``logit p_i = alpha + beta x_i``, as a :class:`~course_utils.models.Loss` of ``(alpha, beta)``.

    Written with ``autograd.numpy`` (``log p = -log(1 + e^{-eta})`` by ``logaddexp``, so it never
    takes the log of 0); the constant ``sum log C(m_i, k_i)`` is included, so the value is the
    true NLL. Introduced in notebook 07 (the Challenger O-rings).

    Parameters
    ----------
    x : array_like
        Covariate (launch temperature), 1-d.
    k : array_like
        Successes (distressed O-rings), integers in ``[0, m]``.
    m : int or array_like
        Trials per observation (O-rings at risk), >= 1.

    Returns
    -------
    Loss
        ``loss(theta)`` with ``theta = (alpha, beta)``; also accepts ``theta`` of shape
        ``(2, ...)`` for a grid.

    Examples
    --------
    >>> nll = make_binomial_logistic_nll([0.0, 1.0], [1, 2], 4)
    >>> round(float(nll(np.array([0.0, 0.0]))), 6)
    2.367124
    """
    x = v.data_array("x", x)
    k = v.data_array("k", k)
    if k.shape != x.shape:
        raise ValueError(f"k must have the shape of x {x.shape}, got {k.shape}")
    m = np.broadcast_to(v.data_array("m", np.atleast_1d(np.asarray(m, dtype=float))
                                     if np.ndim(m) == 0 else m), x.shape).astype(float)
    if np.any(m < 1) or np.any(m != np.round(m)):
        raise ValueError(f"m must hold integers >= 1, got {np.unique(m)}")
    if np.any(k < 0) or np.any(k > m) or np.any(k != np.round(k)):
        raise ValueError(f"k must hold integers in [0, m], got {k}")
    const = float(np.sum(scipy.special.gammaln(m + 1) - scipy.special.gammaln(k + 1)
                         - scipy.special.gammaln(m - k + 1)))

    def fun(theta):
        a, b = (theta[0], theta[1]) if anp.ndim(theta) == 1 else (theta[0][..., None], theta[1][..., None])
        eta = a + b * x
        log_p = -anp.logaddexp(0.0, -eta)
        log_q = -anp.logaddexp(0.0, eta)
        return -anp.sum(k * log_p + (m - k) * log_q, axis=-1) - const

    return Loss(fun, "binomial logistic NLL", (r"$\alpha$", r"$\beta$"))


def delta_method(fun: Callable, theta, cov) -> tuple[float, float]:
    """Value and standard error of ``g(theta)`` by the delta method, the gradient by autograd.

    ``se = sqrt(grad g^T  cov  grad g)``: a first-order (linear) approximation of ``g`` around the
    estimate. Introduced in notebook 07.

    Parameters
    ----------
    fun : callable
        ``g(theta) -> float`` written with ``autograd.numpy``.
    theta : array_like
        The estimate, shape ``(p,)``.
    cov : array_like
        Its covariance matrix, shape ``(p, p)`` (the inverse Hessian of an NLL, say).

    Returns
    -------
    value, se : float

    Examples
    --------
    >>> delta_method(lambda t: 2.0 * t[0] + t[1], [1.0, 1.0], [[1.0, 0.0], [0.0, 4.0]])
    (3.0, 2.8284271247461903)
    """
    if not callable(fun):
        raise ValueError(f"fun must be a callable g(theta), got {fun!r}")
    theta = v.vector("theta", theta)
    cov = v.data_array("cov", cov, ndim=2)
    if cov.shape != (theta.size, theta.size):
        raise ValueError(f"cov must have shape {(theta.size, theta.size)}, got {cov.shape}")
    value = float(fun(theta))
    g = np.asarray(autograd.grad(fun)(theta), dtype=float)
    var = float(g @ cov @ g)
    if not np.isfinite(value) or not np.isfinite(var) or var < 0:
        raise ValueError(f"fun must be finite with a finite gradient at theta, got {value}, {g}")
    return value, float(np.sqrt(var))
