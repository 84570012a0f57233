"""How fast gradient descent can go: the learning-rate limit and convergence rates from a Hessian.

Near a minimum every smooth loss looks like a quadratic ``0.5 e^T H e`` in the error ``e``, and one
step of gradient descent multiplies the part of ``e`` along the eigenvector ``i`` of ``H`` by
``1 - lr * lambda_i``. Everything here follows from that:

- the step is stable in direction ``i`` for ``0 < lr * lambda_i < 2``, so ``lr < 2 / lambda_max``
  (:func:`stability_limit`); above ``1 / lambda_max`` it overshoots and zigzags
  (:func:`oscillation_limit`);
- the best fixed learning rate ``2 / (lambda_min + lambda_max)`` shrinks the error by
  ``(kappa - 1) / (kappa + 1)`` per step, ``kappa = lambda_max / lambda_min`` the condition number
  (:func:`gd_rate`); heavy-ball momentum by ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``
  (:func:`heavy_ball_rate`);
- :func:`measured_rate` reads the rate a run actually achieved from its losses.

Introduced in notebook 04; notebook 06 reuses it.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils import _validate as v

__all__ = [
    "hessian_eigenvalues",
    "condition_number",
    "stability_limit",
    "oscillation_limit",
    "best_learning_rate",
    "step_factors",
    "rate_at",
    "gd_rate",
    "heavy_ball_rate",
    "heavy_ball_parameters",
    "measured_rate",
]


def hessian_eigenvalues(hess) -> np.ndarray:
    """The eigenvalues of a symmetric (Hessian) matrix, smallest first.

    Introduced in notebook 04.

    Parameters
    ----------
    hess : array_like
        A square, symmetric, finite matrix (e.g. ``loss.hess(x)``).

    Returns
    -------
    numpy.ndarray
        The eigenvalues in ascending order.

    Examples
    --------
    >>> hessian_eigenvalues([[2.0, 0.0], [0.0, 10.0]]).tolist()
    [2.0, 10.0]
    """
    H = v.data_array("hess", hess, ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"hess must be square, got shape {H.shape}")
    scale = max(float(np.abs(H).max()), np.finfo(float).tiny)
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-12 * scale):
        raise ValueError(f"hess must be symmetric, got {H.tolist()}")
    return np.linalg.eigvalsh(0.5 * (H + H.T))


def _positive_definite(hess) -> np.ndarray:
    lam = hessian_eigenvalues(hess)
    if lam[0] <= 0:
        raise ValueError(f"hess must be positive definite (a minimum), got eigenvalues {lam.tolist()}")
    return lam


def condition_number(hess) -> float:
    """The condition number ``kappa = lambda_max / lambda_min`` of a positive definite Hessian.

    ``kappa = 1``: round bowl, gradient descent walks straight to the minimum. Large ``kappa``: a
    long narrow valley, and a learning rate that is stable across the valley is slow along it.
    Introduced in notebook 04.

    Parameters
    ----------
    hess : array_like
        Square, symmetric, positive definite.

    Returns
    -------
    float

    Examples
    --------
    >>> condition_number([[2.0, 0.0], [0.0, 10.0]])
    5.0
    """
    lam = _positive_definite(hess)
    return float(lam[-1] / lam[0])


def stability_limit(hess) -> float:
    """The largest stable learning rate of gradient descent, ``2 / lambda_max``.

    On a quadratic with this Hessian, gradient descent converges from every start for
    ``0 < lr < 2 / lambda_max`` and diverges (the error grows along the top eigenvector) above it.
    Introduced in notebook 04.

    Parameters
    ----------
    hess : array_like
        Square, symmetric, with a positive largest eigenvalue.

    Returns
    -------
    float

    Examples
    --------
    >>> stability_limit([[2.0, 0.0], [0.0, 10.0]])
    0.2
    """
    lam = hessian_eigenvalues(hess)
    if lam[-1] <= 0:
        raise ValueError(f"hess must have a positive eigenvalue, got {lam.tolist()}")
    return float(2.0 / lam[-1])


def oscillation_limit(hess) -> float:
    """The learning rate ``1 / lambda_max`` above which the steps overshoot and zigzag.

    For ``1 / lambda_max < lr < 2 / lambda_max`` the factor ``1 - lr * lambda_max`` is negative:
    the path crosses the valley floor at every step, yet still converges. Introduced in notebook 04.

    Examples
    --------
    >>> oscillation_limit([[2.0, 0.0], [0.0, 10.0]])
    0.1
    """
    return 0.5 * stability_limit(hess)


def best_learning_rate(hess) -> float:
    """The fixed learning rate with the fastest worst-case convergence, ``2 / (lambda_min + lambda_max)``.

    It balances the slowest direction (``1 - lr * lambda_min``) against the most overshooting one
    (``lr * lambda_max - 1``); both then shrink by ``(kappa - 1) / (kappa + 1)`` per step.
    Introduced in notebook 04.

    Examples
    --------
    >>> round(best_learning_rate([[2.0, 0.0], [0.0, 10.0]]), 6)
    0.166667
    """
    lam = _positive_definite(hess)
    return float(2.0 / (lam[0] + lam[-1]))


def step_factors(hess, lr) -> np.ndarray:
    """The factor ``1 - lr * lambda_i`` by which one step multiplies the error along each eigenvector.

    ``|factor| < 1`` shrinks, a negative factor flips sides (zigzag), ``|factor| > 1`` grows.
    Introduced in notebook 04.

    Parameters
    ----------
    hess : array_like
        Square and symmetric.
    lr : float
        Learning rate, > 0.

    Returns
    -------
    numpy.ndarray
        One factor per eigenvalue, in the order of :func:`hessian_eigenvalues`.

    Examples
    --------
    >>> step_factors([[2.0, 0.0], [0.0, 10.0]], 0.15).round(6).tolist()
    [0.7, -0.5]
    """
    lr = v.positive("lr", lr)
    return 1.0 - lr * hessian_eigenvalues(hess)


def rate_at(hess, lr) -> float:
    """The predicted per-step contraction of the error at learning rate ``lr``: ``max |1 - lr lambda_i|``.

    Below 1 the run converges (the error shrinks at least this much per step, and exactly this
    much in the end); above 1 it diverges. Introduced in notebook 04.

    Examples
    --------
    >>> round(rate_at([[2.0, 0.0], [0.0, 10.0]], 0.05), 6)
    0.9
    """
    return float(np.abs(step_factors(hess, lr)).max())


def _kappa(kappa) -> float:
    kappa = v.finite("kappa", kappa)
    if kappa < 1:
        raise ValueError(f"kappa must be >= 1 (lambda_max / lambda_min), got {kappa}")
    return kappa


def gd_rate(kappa, steps: int = 1) -> float:
    """Gradient descent's error reduction at the best fixed learning rate: ``((kappa-1)/(kappa+1))^steps``.

    Introduced in notebook 04.

    Parameters
    ----------
    kappa : float
        Condition number, >= 1.
    steps : int
        Number of steps (1: the rate per step).

    Returns
    -------
    float

    Examples
    --------
    >>> round(gd_rate(10.0), 6), round(gd_rate(10.0, steps=2), 6)
    (0.818182, 0.669421)
    """
    kappa = _kappa(kappa)
    steps = v.integer("steps", steps, minimum=0)
    return float(((kappa - 1.0) / (kappa + 1.0)) ** steps)


def heavy_ball_rate(kappa, steps: int = 1) -> float:
    """Heavy-ball momentum's error reduction at its best settings: ``((sqrt k - 1)/(sqrt k + 1))^steps``.

    The square root is the whole point: at ``kappa = 100`` plain descent needs about 115 steps per
    factor 10, momentum about 12. Introduced in notebook 04 (momentum itself in notebook 06).

    Examples
    --------
    >>> round(heavy_ball_rate(100.0), 6)
    0.818182
    """
    kappa = _kappa(kappa)
    steps = v.integer("steps", steps, minimum=0)
    root = math.sqrt(kappa)
    return float(((root - 1.0) / (root + 1.0)) ** steps)


def heavy_ball_parameters(hess) -> tuple[float, float]:
    """The learning rate and momentum that give :func:`heavy_ball_rate` on a quadratic.

    ``lr = 4 / (sqrt(lambda_max) + sqrt(lambda_min))^2`` and
    ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2`` (Polyak, 1964), for
    :func:`course_utils.optim.momentum` (``v <- beta v - lr g``, ``x <- x + v``).
    Introduced in notebook 04.

    Returns
    -------
    lr, beta : float

    Examples
    --------
    >>> lr, beta = heavy_ball_parameters([[1.0, 0.0], [0.0, 9.0]])
    >>> round(lr, 6), round(beta, 6)
    (0.25, 0.25)
    """
    lam = _positive_definite(hess)
    lo, hi = math.sqrt(lam[0]), math.sqrt(lam[-1])
    return float(4.0 / (lo + hi) ** 2), float(((hi - lo) / (hi + lo)) ** 2)


def measured_rate(run, *, fmin=None, start=None, stop=None) -> float:
    """The per-step contraction of the error that a run achieved, read from its losses.

    Near a minimum the loss above the minimum is quadratic in the error, so it shrinks by the
    rate *squared* per step: the rate is ``exp(slope / 2)``, with ``slope`` the least-squares slope
    of ``log(loss - fmin)`` against the step. Steps where the gap is lost in rounding (below
    ``1e-10`` of the loss's size) are left out. Introduced in notebook 04.

    Parameters
    ----------
    run : OptimResult or array_like
        A result with a ``losses`` field (:mod:`course_utils.optim`), or the losses themselves.
    fmin : float, optional
        The loss at the minimum; default the smallest loss of the run (then the last steps, whose
        gap is no longer resolved, drop out).
    start, stop : int, optional
        Steps ``start <= k < stop`` to fit; default the later half of the usable steps (after the
        start-up transient).

    Returns
    -------
    float
        Below 1 for a converging run.

    Examples
    --------
    >>> round(measured_rate(0.25 ** np.arange(20), fmin=0.0), 12)
    0.5
    """
    losses = getattr(run, "losses", run)
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size < 3:
        raise ValueError(f"run must hold at least 3 losses, got shape {losses.shape}")
    finite = np.isfinite(losses)
    if not finite.any():
        raise ValueError("run must hold finite losses")
    fmin = float(losses[finite].min()) if fmin is None else v.finite("fmin", fmin)
    scale = max(abs(fmin), float(np.abs(losses[finite]).max() - fmin), 1e-300)
    gap = losses - fmin
    steps = np.arange(losses.size)
    lo = 0 if start is None else v.integer("start", start, minimum=0)
    hi = losses.size if stop is None else v.integer("stop", stop, minimum=1)
    usable = finite & (gap > 1e-10 * scale) & (steps >= lo) & (steps < hi)
    idx = steps[usable]
    if start is None and idx.size >= 4:
        idx = idx[idx.size // 2:]
    if idx.size < 2:
        raise ValueError("run has fewer than 2 steps whose loss gap is resolved; give fmin, start, stop")
    slope = np.polyfit(idx.astype(float), np.log(gap[idx]), 1)[0]
    return float(np.exp(slope / 2.0))
