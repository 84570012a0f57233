"""Losses of the course, each written once with ``autograd.numpy``.

A factory takes every constant (the data, the model) as an argument and returns a :class:`Loss`:
call it for the value, use ``.grad`` and ``.hess`` for derivatives (by ``autograd``), and
``.value_and_grad`` for both in one pass (the model's own formula where it has one: faster, and
tested equal to autograd's). Every loss accepts a parameter vector ``theta`` of shape
``(p,)``, and also an array of shape ``(p, ...)`` to evaluate a whole grid of parameter values at
once (the landscapes are drawn that way).
"""

from __future__ import annotations

from collections.abc import Callable

import autograd
import autograd.numpy as anp
import numpy as np
from autograd.core import make_vjp
from autograd.tracer import Box

from course_utils import _validate as v

__all__ = [
    "Loss",
    "normal_nll",
    "normal_nll_terms",
    "normal_sufficient_stats",
    "normal_pdf",
    "make_normal_nll",
    "make_sum_of_squares",
    "michaelis_menten",
    "make_michaelis_menten_loss",
    "make_linear_regression_nll",
    "make_quadratic",
]

LOG_2PI = float(np.log(2.0 * np.pi))


class Loss:
    """A differentiable loss of a parameter vector, with its derivatives.

    Introduced in notebook 01.

    Parameters
    ----------
    fun : callable
        ``fun(theta) -> float``, written with ``autograd.numpy``. It broadcasts over extra trailing
        axes of ``theta`` (shape ``(p, ...)`` gives an array of losses of shape ``(...)``).
    name : str
        What the loss is, for titles and read-outs.
    param_names : sequence of str
        One name per parameter, for axis labels (LaTeX allowed); their number ``p`` is checked
        against every ``theta``.
    minimum : array_like, optional
        The known minimiser, where a closed form gives it.
    value_and_grad : callable, optional
        ``value_and_grad(theta) -> (value, gradient)``: the model's own exact gradient, written by
        hand and vectorised like ``fun`` (gradient of shape ``(p, ...)``), several times faster
        than autograd's. The explorers and the course's optimizers use it. Default: autograd's
        (over a grid, the gradient of each cell, assuming the cells do not interact).
        ``grad`` and ``hess`` are always autograd's: what the notebooks pass to scipy, time and
        teach as "the gradient from automatic differentiation".

    Notes
    -----
    Calling the loss, ``grad``, ``hess`` or ``value_and_grad`` checks ``theta``: its first axis
    must hold ``p`` entries (a ValueError naming ``theta`` otherwise, never a silent truncation),
    and integers are cast to floats.

    Examples
    --------
    >>> q = make_quadratic([[2.0, 0.0], [0.0, 1.0]])
    >>> float(q([1.0, 1.0])), q.grad(np.array([1, 1])).tolist()
    (1.5, [2.0, 1.0])
    """

    def __init__(self, fun: Callable, name: str, param_names, minimum=None, value_and_grad=None):
        if not callable(fun):
            raise ValueError(f"fun must be callable, got {fun!r}")
        if value_and_grad is not None and not callable(value_and_grad):
            raise ValueError(f"value_and_grad must be callable or None, got {value_and_grad!r}")
        self.fun = fun
        self.name = name
        self.param_names = tuple(param_names)
        self.minimum = None if minimum is None else np.asarray(minimum, dtype=float)
        self._hess = autograd.hessian(fun)
        self._autograd = _autograd_value_and_grad(fun)
        self._value_and_grad = self._autograd if value_and_grad is None else value_and_grad
        self.exact_gradient = value_and_grad is not None

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return len(self.param_names)

    def _theta(self, theta):
        """``theta`` as a float array whose first axis holds one entry per parameter."""
        if isinstance(theta, Box):  # autograd is differentiating through the loss
            shape = anp.shape(theta)
        else:
            try:
                theta = np.asarray(theta)
                if not np.issubdtype(theta.dtype, np.inexact):
                    theta = theta.astype(float)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"theta must be numeric, got {theta!r}") from exc
            shape = theta.shape
        if len(shape) == 0 or shape[0] != self.n_params:
            raise ValueError(f"theta must have {self.n_params} entries {self.param_names} along its "
                             f"first axis, got shape {tuple(shape)}")
        return theta

    def __call__(self, theta):
        return self.fun(self._theta(theta))

    def grad(self, theta):
        """The gradient at ``theta``, by automatic differentiation (autograd)."""
        return self._autograd(self._theta(theta))[1]

    def hess(self, theta):
        """The Hessian at ``theta`` (autograd's), shape ``(p, p)``."""
        return self._hess(self._theta(theta))

    def value_and_grad(self, theta):
        """``(loss, gradient)`` at ``theta`` in one pass: the model's own formula when it has one
        (``exact_gradient``), else autograd's."""
        return self._value_and_grad(self._theta(theta))

    def __repr__(self) -> str:
        return f"Loss({self.name!r}, params={self.param_names})"


def _autograd_value_and_grad(fun: Callable) -> Callable:
    """autograd's value and gradient of ``fun``; over a grid ``(p, ...)`` the gradient of each cell."""
    scalar = autograd.value_and_grad(fun)

    def value_and_grad(theta):
        if anp.ndim(theta) <= 1:
            return scalar(theta)
        # the cells of a grid are independent: the gradient of their sum is each cell's gradient
        vjp, value = make_vjp(fun, theta)
        return value, vjp(np.ones_like(value))

    return value_and_grad


# ---------------------------------------------------------------- normal likelihood

def normal_nll(x, mu, sigma):
    """Negative log-likelihood of N(mu, sigma^2) for the data ``x``: the sum over every point.

    The direct formula, summing ``-log N(x_i | mu, sigma^2)`` over the data. ``mu`` and ``sigma``
    are scalars. Introduced in notebook 01; :func:`make_normal_nll` gives the same number in O(1).

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(float(normal_nll([0.0], 0.0, 1.0)), 6)
    0.918939
    """
    x = v.data_array("x", x)
    v.finite("mu", mu)
    v.positive("sigma", sigma)
    z = (x - mu) / sigma
    return anp.sum(0.5 * z**2 + anp.log(sigma) + 0.5 * LOG_2PI)


def normal_nll_terms(n, mean, ss, mu, sigma):
    """Normal NLL from sufficient statistics: n, the sample mean and ss = sum (x - mean)^2.

    ``sum (x_i - mu)^2 = ss + n (mean - mu)^2``, so the NLL costs O(1) whatever the data size,
    and ``mu``, ``sigma`` may be arrays of any (broadcastable) shape. Introduced in notebook 02.

    Examples
    --------
    >>> round(float(normal_nll_terms(1, 0.0, 0.0, 0.0, 1.0)), 6)
    0.918939
    """
    return (
        n * anp.log(sigma)
        + (ss + n * (mean - mu) ** 2) / (2.0 * sigma**2)
        + 0.5 * n * LOG_2PI
    )


def normal_sufficient_stats(x) -> tuple[float, float, float]:
    """The sufficient statistics of a normal sample: n, the mean and ss = sum (x - mean)^2.

    Deviations from the mean (not raw sums of squares) keep ss accurate when the mean is large.
    Introduced in notebook 02.

    Examples
    --------
    >>> normal_sufficient_stats([1.0, 2.0, 3.0])
    (3.0, 2.0, 2.0)
    """
    x = v.data_array("x", x)
    mean = float(np.mean(x))
    return float(x.size), mean, float(np.sum((x - mean) ** 2))


def normal_pdf(x, mu, sigma):
    """Density of N(mu, sigma^2) at ``x`` (arrays broadcast). Introduced in notebook 01.

    Parameters
    ----------
    x, mu : array_like
        Points and mean.
    sigma : array_like
        Standard deviation(s), every one > 0 (a ValueError naming sigma otherwise).

    Examples
    --------
    >>> round(float(normal_pdf(0.0, 0.0, 1.0)), 6)
    0.398942
    """
    v.positive_array("sigma", sigma)
    return anp.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * anp.sqrt(2.0 * anp.pi))


def make_normal_nll(x, *, parametrization: str = "sigma") -> Loss:
    """The normal negative log-likelihood of the data ``x`` as a :class:`Loss`.

    Introduced in notebook 01.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, at least two values, not all equal (with constant data the likelihood
        grows without bound as sigma falls to 0: there is no minimum, and a ValueError says so).
    parametrization : {"sigma", "log_sigma", "variance"}
        The second parameter: the standard deviation, its logarithm (any real number is allowed,
        so no bound is needed), or the variance sigma^2.

    Returns
    -------
    Loss
        ``theta = (mu, second parameter)``. Uses the sufficient statistics (n, mean, sum of squared
        deviations), so one evaluation costs O(1); the value equals :func:`normal_nll`. With
        ``sigma <= 0`` (or variance <= 0) the value is ``inf`` and the gradient 0, never an error:
        optimizers may step there. ``minimum`` holds the closed-form MLE; ``value_and_grad`` is
        the exact gradient written by hand (equal to autograd's, vectorised over grids).

    Examples
    --------
    >>> nll = make_normal_nll([1.0, 2.0, 3.0])
    >>> nll.minimum.round(4)
    array([2.    , 0.8165])
    """
    x = v.data_array("x", x, min_size=2)
    allowed = ("sigma", "log_sigma", "variance")
    if parametrization not in allowed:
        raise ValueError(f"parametrization must be one of {allowed}, got {parametrization!r}")
    n, mean, ss = normal_sufficient_stats(x)
    if not ss > 0:
        raise ValueError(f"x must not be constant (every value is {mean:g}): the likelihood grows "
                         "without bound as sigma falls to 0, so there is no minimum")
    sd = np.sqrt(ss / n)
    fun, value_and_grad = _NORMAL_NLL[parametrization](n, mean, ss)
    names, minimum = {
        "sigma": ((r"$\mu$", r"$\sigma$"), (mean, sd)),
        "log_sigma": ((r"$\mu$", r"$\log\sigma$"), (mean, np.log(sd))),
        "variance": ((r"$\mu$", r"$\sigma^2$"), (mean, sd**2)),
    }[parametrization]
    return Loss(fun, f"normal NLL, {int(n)} points", names, minimum, value_and_grad=value_and_grad)


def _positive_part(fun, g_mu, g_scale):
    """Value and gradient where the scale parameter is > 0; ``inf`` and a zero gradient elsewhere.

    ``fun(mu, s)``, ``g_mu(mu, s)``, ``g_scale(mu, s)`` are evaluated at a safe ``s = 1`` where the
    scale is not positive, so nothing warns; autograd's gradient of the same ``where`` is 0 there.
    """

    def value_and_grad(theta):
        mu, s = np.asarray(theta[0], dtype=float), np.asarray(theta[1], dtype=float)
        ok = s > 0
        safe = np.where(ok, s, 1.0)
        value = np.where(ok, fun(mu, safe), np.inf)
        grad = np.stack(np.broadcast_arrays(np.where(ok, g_mu(mu, safe), 0.0),
                                            np.where(ok, g_scale(mu, safe), 0.0)))
        return value, grad

    return value_and_grad


def _nll_sigma(n, mean, ss):
    def fun(theta):
        mu, sigma = theta[0], theta[1]
        safe = anp.where(sigma > 0, sigma, 1.0)
        return anp.where(sigma > 0, normal_nll_terms(n, mean, ss, mu, safe), anp.inf)

    # d/dmu = -n (mean - mu) / s^2 ; d/ds = n / s - (ss + n (mean - mu)^2) / s^3
    return fun, _positive_part(
        lambda mu, s: normal_nll_terms(n, mean, ss, mu, s),
        lambda mu, s: -n * (mean - mu) / s**2,
        lambda mu, s: n / s - (ss + n * (mean - mu) ** 2) / s**3)


def _nll_log_sigma(n, mean, ss):
    def fun(theta):
        return normal_nll_terms(n, mean, ss, theta[0], anp.exp(theta[1]))

    def value_and_grad(theta):
        # with l = log sigma: d/dmu = -n (mean - mu) e^(-2l) ; d/dl = n - (ss + n (mean - mu)^2) e^(-2l)
        mu, log_s = np.asarray(theta[0], dtype=float), np.asarray(theta[1], dtype=float)
        q = ss + n * (mean - mu) ** 2
        inv_var = np.exp(-2.0 * log_s)
        value = n * log_s + 0.5 * q * inv_var + 0.5 * n * LOG_2PI
        return value, np.stack(np.broadcast_arrays(-n * (mean - mu) * inv_var, n - q * inv_var))

    return fun, value_and_grad


def _nll_variance(n, mean, ss):
    def fun(theta):
        mu, var = theta[0], theta[1]
        safe = anp.where(var > 0, var, 1.0)
        return anp.where(var > 0, normal_nll_terms(n, mean, ss, mu, anp.sqrt(safe)), anp.inf)

    # with V = sigma^2: d/dmu = -n (mean - mu) / V ; d/dV = n / (2 V) - (ss + n (mean - mu)^2) / (2 V^2)
    return fun, _positive_part(
        lambda mu, var: normal_nll_terms(n, mean, ss, mu, np.sqrt(var)),
        lambda mu, var: -n * (mean - mu) / var,
        lambda mu, var: n / (2.0 * var) - (ss + n * (mean - mu) ** 2) / (2.0 * var**2))


_NORMAL_NLL = {"sigma": _nll_sigma, "log_sigma": _nll_log_sigma, "variance": _nll_variance}


# ---------------------------------------------------------------- least squares

def make_sum_of_squares(model: Callable, x, y, *, param_names, mean: bool = False) -> Loss:
    """Sum (or mean) of squared residuals ``y - model(theta, x)`` as a :class:`Loss`.

    Introduced in notebook 03.

    Parameters
    ----------
    model : callable
        ``model(theta, x)`` written with ``autograd.numpy``, using ``theta[0]``, ``theta[1]``, ...
        To evaluate a grid of parameters, the loss calls it with ``theta`` of shape
        ``(p, ..., 1)`` so that the data axis comes last.
    x, y : array_like
        Inputs and observed outputs, 1-d, same length.
    param_names : sequence of str
        One name per parameter (LaTeX allowed), for labels and read-outs.
    mean : bool
        Mean instead of sum of squares.

    Returns
    -------
    Loss

    Examples
    --------
    >>> line = make_sum_of_squares(lambda t, x: t[0] + t[1] * x, [0.0, 1.0], [1.0, 3.0],
    ...                            param_names=("a", "b"))
    >>> float(line(np.array([1.0, 2.0])))
    0.0
    """
    x = v.data_array("x", x)
    y = v.data_array("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    reduce = anp.mean if mean else anp.sum

    def fun(theta):
        t = theta if anp.ndim(theta) == 1 else theta[..., None]
        return reduce((y - model(t, x)) ** 2, axis=-1)

    return Loss(fun, "mean squared error" if mean else "sum of squares", param_names)


def michaelis_menten(theta, S):
    """Michaelis-Menten rate ``vmax S / (km + S)`` with ``theta = (vmax, km)``.

    Introduced in notebook 05.

    Examples
    --------
    >>> float(michaelis_menten(np.array([29.0, 6.0]), 6.0))
    14.5
    """
    return theta[0] * S / (theta[1] + S)


def make_michaelis_menten_loss(S, rate, *, log_params: bool = False) -> Loss:
    """Mean squared error of the Michaelis-Menten model on (S, rate).

    Introduced in notebook 05.

    Parameters
    ----------
    S, rate : array_like
        Substrate concentrations and measured rates, 1-d, same length.
    log_params : bool
        Parameters are (log vmax, log km) instead of (vmax, km): both stay positive.

    Returns
    -------
    Loss

    Examples
    --------
    >>> S = np.array([1.0, 2.0]); r = michaelis_menten(np.array([3.0, 1.0]), S)
    >>> float(make_michaelis_menten_loss(S, r)(np.array([3.0, 1.0])))
    0.0
    """
    S, rate = v.data_array("S", S), v.data_array("rate", rate)
    if log_params:

        def model(theta, s):
            return michaelis_menten(anp.exp(theta), s)

        names = (r"$\log V_{max}$", r"$\log K_m$")
    else:
        model = michaelis_menten
        names = (r"$V_{max}$", r"$K_m$")
    loss = make_sum_of_squares(model, S, rate, param_names=names, mean=True)

    def value_and_grad(theta):
        # m = vmax S / (km + S), r = rate - m, loss = mean r^2, d loss = -2 mean(r dm) with
        # dm/dvmax = S / (km + S), dm/dkm = -m / (km + S); in logs: dm/dlog vmax = m,
        # dm/dlog km = -m km / (km + S)
        t = np.asarray(theta, dtype=float)
        t = t if t.ndim == 1 else t[..., None]
        vmax, km = (np.exp(t[0]), np.exp(t[1])) if log_params else (t[0], t[1])
        denom = km + S
        m = vmax * S / denom
        r = rate - m
        dm = (m, -m * km / denom) if log_params else (S / denom, -m / denom)
        grad = np.stack([-2.0 * np.mean(r * d, axis=-1) for d in np.broadcast_arrays(*dm)])
        return np.mean(r**2, axis=-1), grad

    return Loss(loss.fun, "Michaelis-Menten MSE", names, value_and_grad=value_and_grad)


def make_linear_regression_nll(X, y) -> Loss:
    """Gaussian NLL of a linear regression with ``theta = (beta_1..beta_k, log sigma)``.

    Introduced in notebook 05. Only a single ``theta`` vector (no grids).

    Examples
    --------
    >>> X = np.column_stack([np.ones(3), [0.0, 1.0, 2.0]])
    >>> nll = make_linear_regression_nll(X, X @ np.array([1.0, 2.0]) + [0.1, -0.2, 0.1])
    >>> nll.n_params
    3
    """
    X = v.data_array("X", X, ndim=2)
    y = v.data_array("y", y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    n, k = X.shape

    def fun(theta):
        beta, log_sigma = theta[:k], theta[k]
        r = y - anp.dot(X, beta)
        return n * log_sigma + anp.sum(r**2) / (2.0 * anp.exp(2.0 * log_sigma)) + 0.5 * n * LOG_2PI

    def value_and_grad(theta):
        # d/dbeta = -X^T r / sigma^2 ; d/dlog sigma = n - sum r^2 / sigma^2
        theta = np.asarray(theta, dtype=float)
        if theta.ndim != 1:
            raise ValueError(f"theta must be one vector of {k + 1} entries, got shape {theta.shape}")
        r = y - X @ theta[:k]
        inv_var = np.exp(-2.0 * theta[k])
        rss = float(r @ r)
        value = n * theta[k] + 0.5 * rss * inv_var + 0.5 * n * LOG_2PI
        return value, np.append(-(X.T @ r) * inv_var, n - rss * inv_var)

    names = tuple(rf"$\beta_{j}$" for j in range(k)) + (r"$\log\sigma$",)
    return Loss(fun, "linear regression NLL", names, value_and_grad=value_and_grad)


def make_quadratic(A, b=None, c: float = 0.0) -> Loss:
    """The quadratic ``0.5 theta^T A theta - b^T theta + c`` (A symmetric positive definite).

    Its minimum is ``A^{-1} b`` and its Hessian ``A``: gradient descent is stable for
    ``lr < 2 / L`` with ``L`` the largest eigenvalue of ``A``. Introduced in notebook 04.

    Examples
    --------
    >>> q = make_quadratic(np.diag([1.0, 10.0]), [1.0, 10.0])
    >>> q.minimum.tolist()
    [1.0, 1.0]
    """
    A = v.data_array("A", A, ndim=2)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    if not np.allclose(A, A.T):
        raise ValueError("A must be symmetric")
    if np.linalg.eigvalsh(A).min() <= 0:
        raise ValueError(f"A must be positive definite, eigenvalues {np.linalg.eigvalsh(A)}")
    p = A.shape[0]
    b = np.zeros(p) if b is None else v.vector("b", b, size=p)
    c = v.finite("c", c)

    def fun(theta):
        t = anp.reshape(theta, (p, -1))
        out = 0.5 * anp.sum(t * anp.dot(A, t), axis=0) - anp.dot(b, t) + c
        return anp.reshape(out, anp.shape(theta)[1:])

    def value_and_grad(theta):
        # gradient A theta - b (A symmetric), column by column over a grid
        theta = np.asarray(theta, dtype=float)
        t = theta.reshape(p, -1)
        at = A @ t
        value = (0.5 * np.sum(t * at, axis=0) - b @ t + c).reshape(theta.shape[1:])
        return value, (at - b[:, None]).reshape(theta.shape)

    names = (r"$\theta_1$", r"$\theta_2$") if p == 2 else tuple(rf"$\theta_{j}$" for j in range(p))
    return Loss(fun, "quadratic", names, minimum=np.linalg.solve(A, b), value_and_grad=value_and_grad)


# ---------------------------------------------------------------- a rough landscape (notebook 06)

def make_sinusoid_loss(t, y, *, amplitude: float = 1.0, t_ref: float | None = None) -> Loss:
    """Mean squared error of a sinusoid of known amplitude, as a function of frequency and phase.

    The model is ``amplitude * sin(2 pi f (t - t_ref) + phi)`` with ``theta = (f, phi)``: ``f`` in
    cycles per unit of ``t`` (Hz when ``t`` is in seconds), ``phi`` in radians, the phase at time
    ``t_ref``. As a function of ``f`` the loss has a local minimum about every ``1 / (t.max() -
    t.min())``: the classic rough landscape of frequency estimation. In ``phi`` it repeats every
    ``2 pi``. Introduced in notebook 06.

    Parameters
    ----------
    t : array_like
        Sample times, 1-d, finite, at least two distinct values.
    y : array_like
        Observations, same shape as ``t``.
    amplitude : float
        The known amplitude, > 0.
    t_ref : float, optional
        The time at which ``phi`` is the phase; default the middle of the record, which keeps
        the frequency and the phase nearly uncorrelated (measured from ``t.min()`` they are
        strongly correlated and the Hessian is much worse conditioned).

    Returns
    -------
    Loss
        Vectorised: ``theta`` of shape ``(2, ...)`` gives losses of shape ``(...)``.

    Examples
    --------
    >>> t = np.linspace(0.0, 1.0, 50)
    >>> loss = make_sinusoid_loss(t, np.sin(2 * np.pi * 3.0 * (t - 0.5) + 1.0))
    >>> float(loss(np.array([3.0, 1.0]))) < 1e-20
    True
    """
    t = v.data_array("t", t, min_size=2)
    y = v.data_array("y", y)
    if t.shape != y.shape:
        raise ValueError(f"t and y must have the same shape, got {t.shape} and {y.shape}")
    if np.ptp(t) == 0:
        raise ValueError(f"t must hold at least two distinct times, got only {t[0]}")
    amplitude = v.positive("amplitude", amplitude)
    t_ref = 0.5 * (float(t.min()) + float(t.max())) if t_ref is None else v.finite("t_ref", t_ref)
    dt = t - t_ref

    w = 2.0 * np.pi * dt

    def fun(theta):
        f, phi = theta[0], theta[1]
        if anp.ndim(f) > 0:  # a grid of parameters: the data axis goes last
            f, phi = f[..., None], phi[..., None]
        return anp.mean((y - amplitude * anp.sin(w * f + phi)) ** 2, axis=-1)

    def value_and_grad(theta):
        # the exact gradient by hand, vectorised: d/df = mean(-2 r A cos(u) w), d/dphi = mean(-2 r A cos(u))
        theta = np.asarray(theta, dtype=float)
        f, phi = theta[0][..., None], theta[1][..., None]
        u = w * f + phi
        r = y - amplitude * np.sin(u)
        c = -2.0 * amplitude * r * np.cos(u)
        return np.mean(r * r, axis=-1), np.stack([np.mean(c * w, axis=-1), np.mean(c, axis=-1)])

    names = (r"frequency $f$ (Hz)", r"phase $\phi$ (rad)")
    return Loss(fun, "sinusoid MSE", names, value_and_grad=value_and_grad)


__all__ += ["make_sinusoid_loss"]
