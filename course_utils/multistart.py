"""Many starts at once: restart tables, basins of attraction, and the distinct minima they reach.

On a rough landscape one descent finds *a* minimum, the one whose basin holds its start. This
module runs an optimizer from many starts and reads the outcome:

- :func:`random_starts` draws seeded starts in a box;
- :func:`multistart` runs one of the course's optimizers from each start (one recorded
  :class:`~course_utils.optim.OptimResult` per start, paths included) and returns a
  :class:`Restarts` table: start, end, loss, state;
- :func:`batch_optimize` runs gradient descent, momentum, RMSprop or Adam from thousands of starts
  at once, as arrays (the same update rules as :mod:`course_utils.optim`, one gradient evaluation
  for all starts per step);
- :func:`label_minima` groups end points that are the same minimum (optionally modulo a period,
  for a phase);
- :func:`basin_map` colours every start of a grid by the minimum it reaches, and
  :func:`plot_basin_map` draws it.

Introduced in notebook 06.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import autograd
import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm, ListedColormap

from course_utils import _validate as v
from course_utils import optim

__all__ = [
    "BATCH_OPTIMIZERS",
    "random_starts",
    "Restarts",
    "multistart",
    "BatchResult",
    "batch_optimize",
    "label_minima",
    "BasinMap",
    "basin_map",
    "basin_boundaries",
    "plot_basin_map",
    "BASIN_COLORS",
]

#: Optimizers :func:`batch_optimize` runs on many starts at once (the names of ``optim.OPTIMIZERS``).
BATCH_OPTIMIZERS = ("gradient descent", "momentum", "RMSprop", "Adam")

#: Colours of the basins, lowest minimum first: Okabe-Ito, distinct in lightness for greyscale.
BASIN_COLORS = ("#0072B2", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#56B4E9", "#D55E00",
                "#000000", "#999999", "#882255")
#: Colour of starts that reached no minimum (still moving when the steps ran out, or diverged).
UNSETTLED_COLOR = "#FFFFFF"


def random_starts(bounds, n_starts: int, *, seed: int) -> np.ndarray:
    """Starts drawn uniformly in a box, from a seeded generator.

    Introduced in notebook 06.

    Parameters
    ----------
    bounds : sequence of (float, float)
        One (low, high) pair per parameter.
    n_starts : int
        Number of starts, >= 1.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_starts, p)``.

    Examples
    --------
    >>> random_starts([(0, 1), (-1, 1)], 3, seed=0).shape
    (3, 2)
    """
    bounds = _check_bounds(bounds)
    n_starts = v.integer("n_starts", n_starts)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    low, high = bounds[:, 0], bounds[:, 1]
    return low + (high - low) * rng.random((n_starts, len(bounds)))


def _check_bounds(bounds) -> np.ndarray:
    try:
        pairs = [v.interval(f"bounds[{i}]", b) for i, b in enumerate(bounds)]
    except TypeError as exc:
        raise ValueError(f"bounds must be a sequence of (low, high) pairs, got {bounds!r}") from exc
    if not pairs:
        raise ValueError("bounds must hold at least one (low, high) pair, got none")
    return np.array(pairs, dtype=float)


def _check_starts(starts) -> np.ndarray:
    starts = v.data_array("starts", starts, ndim=None)
    if starts.ndim == 1:
        starts = starts[None, :]
    if starts.ndim != 2:
        raise ValueError(f"starts must have shape (n_starts, p), got {starts.shape}")
    return starts


# ---------------------------------------------------------------- restarts, one recorded run each

@dataclass
class Restarts:
    """The runs of one optimizer from several starts, as a table: start, end, loss, state.

    Attributes
    ----------
    results : list of OptimResult
        One recorded run per start (``path``, ``losses``, ``nfev``, ...).
    starts, ends : numpy.ndarray
        Shape ``(n_starts, p)``.
    losses : numpy.ndarray
        Final loss of each run.
    states : list of str
        ``"converged"``, ``"max_iter"``, ``"diverged"`` or ``"failed"`` per run.
    param_names : tuple of str
        Column names of the parameters.
    """

    results: list
    param_names: tuple

    @property
    def starts(self) -> np.ndarray:
        return np.array([r.path[0] for r in self.results])

    @property
    def ends(self) -> np.ndarray:
        return np.array([r.x for r in self.results])

    @property
    def losses(self) -> np.ndarray:
        return np.array([r.fun for r in self.results])

    @property
    def states(self) -> list[str]:
        return [r.state for r in self.results]

    @property
    def best(self):
        """The converged run with the lowest loss (None when no run converged)."""
        ok = [r for r in self.results if r.state == "converged"]
        return min(ok, key=lambda r: r.fun) if ok else None

    def table(self, *, decimals: int = 2, loss_decimals: int = 3, names=None) -> str:
        """The runs as a text table, numbers rounded for printing.

        Parameters
        ----------
        decimals : int
            Decimals of the start and end coordinates.
        loss_decimals : int
            Decimals of the final loss.
        names : sequence of str, optional
            Short column names of the parameters; default ``param_names`` without LaTeX.
        """
        decimals = v.integer("decimals", decimals, minimum=0)
        loss_decimals = v.integer("loss_decimals", loss_decimals, minimum=0)
        if names is None:
            names = [_plain(n) for n in self.param_names]
        elif len(names) != len(self.param_names):
            raise ValueError(f"names must have {len(self.param_names)} entries, got {names!r}")
        names = [str(n) for n in names]
        head = (["run"] + [f"start {n}" for n in names] + [f"end {n}" for n in names]
                + ["loss", "state"])
        rows = []
        for i, r in enumerate(self.results):
            cells = [str(i)]
            cells += [_fmt(c, decimals) for c in r.path[0]]
            cells += [_fmt(c, decimals) for c in r.x]
            cells += [_fmt(r.fun, loss_decimals), r.state]
            rows.append(cells)
        widths = [max(len(h), *(len(row[j]) for row in rows)) for j, h in enumerate(head)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        counts = {s: self.states.count(s) for s in dict.fromkeys(self.states)}
        return f"Restarts({len(self.results)} runs: {counts})"


def _fmt(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}" if np.isfinite(x) else str(x)
    return "0." + "0" * decimals if text.lstrip("-").strip("0.") == "" else text  # no "-0.00"


def _plain(name: str) -> str:
    """A parameter name without LaTeX markup, for a text table: ``$\\log K_m$`` -> ``log K_m``."""
    out = name.replace("$", "").replace("\\log", "log ").replace("\\", "")
    return " ".join(out.replace("{", "").replace("}", "").split())


def multistart(fun, starts, *, optimizer: str | Callable = "gradient descent", lr: float = 0.1,
               max_iter: int = 1000, tol: float = 1e-6, jac=None, param_names=None) -> Restarts:
    """Run one optimizer from each start, recording every run.

    Introduced in notebook 06.

    Parameters
    ----------
    fun : callable
        The loss, written with ``autograd.numpy`` (a :class:`course_utils.models.Loss`, say).
    starts : array_like
        Shape ``(n_starts, p)``: one start per row.
    optimizer : str or callable
        A name of ``optim.OPTIMIZERS`` ("gradient descent", "momentum", "RMSprop", "Adam") or of
        ``optim.SCIPY_METHODS`` ("BFGS", ...; run by :func:`course_utils.optim.run_optimizer`
        with the loss's exact gradient), or a function with the signature
        ``f(fun, x0, *, jac, lr, max_iter, tol)``.
    lr : float
        Learning rate of our optimizers, > 0 (scipy's methods choose their own steps).
    max_iter : int
        Steps per run, >= 1.
    tol : float
        Gradient-norm tolerance of our optimizers, >= 0.
    jac : callable, optional
        The gradient; default the loss's own exact gradient.
    param_names : sequence of str, optional
        Column names; default ``fun.param_names`` when the loss has them.

    Returns
    -------
    Restarts
        ``.table()`` prints start, end, loss and state per run; ``.results`` holds the runs.

    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> runs = multistart(make_quadratic(np.eye(2)), [[1.0, 1.0], [-2.0, 0.5]], lr=0.5)
    >>> runs.states, (runs.ends.round(4) + 0.0).tolist()
    (['converged', 'converged'], [[0.0, 0.0], [0.0, 0.0]])
    """
    starts = _check_starts(starts)
    names = (*optim.OPTIMIZERS, *optim.SCIPY_METHODS)
    if isinstance(optimizer, str):
        if optimizer not in names:
            raise ValueError(f"optimizer must be one of {names} or a function, got {optimizer!r}")

        def run(fun, x0, **kw):
            return optim.run_optimizer(fun, x0, optimizer=optimizer, **kw)
    elif callable(optimizer):
        run = optimizer
    else:
        raise ValueError(f"optimizer must be a name or a function, got {optimizer!r}")
    lr = v.positive("lr", lr)
    max_iter = v.integer("max_iter", max_iter)
    tol = v.nonnegative("tol", tol)
    if param_names is None:
        param_names = getattr(fun, "param_names", None) or tuple(
            f"x{j}" for j in range(starts.shape[1]))
    param_names = tuple(param_names)
    if len(param_names) != starts.shape[1]:
        raise ValueError(f"param_names must have {starts.shape[1]} names, got {param_names!r}")
    results = [run(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol) for x0 in starts]
    return Restarts(results, param_names)


# ---------------------------------------------------------------- many starts at once

@dataclass
class BatchResult:
    """The outcome of :func:`batch_optimize`: one row per start.

    Attributes
    ----------
    x : numpy.ndarray
        End points, shape ``(n_starts, p)`` (the last finite point of a diverged run).
    fun : numpy.ndarray
        The loss at each end point.
    nit : numpy.ndarray
        Accepted steps per start.
    status : numpy.ndarray
        ``optim.CONVERGED``, ``optim.MAX_ITER`` or ``optim.DIVERGED`` per start.
    """

    x: np.ndarray
    fun: np.ndarray
    nit: np.ndarray
    status: np.ndarray

    @property
    def states(self) -> np.ndarray:
        """``"converged"``, ``"max_iter"`` or ``"diverged"`` per start."""
        names = np.array(["converged", "max_iter", "diverged", "failed"])
        return names[self.status]


def _batch_value_and_grad(fun, jac):
    """(losses, gradients) for a batch ``theta`` of shape ``(p, n_starts)``."""
    if jac is not None:
        return lambda th: (np.asarray(fun(th), dtype=float), np.asarray(jac(th), dtype=float))
    if getattr(fun, "exact_gradient", False):  # the model's own gradient, vectorised
        def own(th):
            f, g = fun.value_and_grad(th)
            return np.asarray(f, dtype=float), np.asarray(g, dtype=float)

        return own
    # each start's loss depends on its own column only: the gradient of the sum is every gradient
    summed = autograd.value_and_grad(lambda th: anp.sum(fun(th)))

    def value_and_grad(th):
        _, g = summed(th)
        return np.asarray(fun(th), dtype=float), np.asarray(g, dtype=float)

    return value_and_grad


def batch_optimize(fun, starts, *, optimizer: str = "gradient descent", lr: float = 0.1,
                   max_iter: int = 1000, tol: float = 1e-6, blowup: float = 1e6, jac=None,
                   beta: float = 0.9, rho: float = 0.9, beta1: float = 0.9, beta2: float = 0.999,
                   eps: float = 1e-8) -> BatchResult:
    """Run an optimizer from many starts at once, with arrays: one loss evaluation per step for all.

    The update rules, stopping rule (gradient norm at most ``tol``) and divergence rule are those of
    :mod:`course_utils.optim`, so each start ends where ``optim.gradient_descent`` (or momentum,
    RMSprop, Adam) would take it; no path is recorded. A start stops moving once it has converged
    or diverged. Introduced in notebook 06.

    Parameters
    ----------
    fun : callable
        A vectorised loss: ``fun(theta)`` with ``theta`` of shape ``(p, n_starts)`` returns the
        ``n_starts`` losses (every loss of :mod:`course_utils.models` does).
    starts : array_like
        Shape ``(n_starts, p)``.
    optimizer : str
        One of :data:`BATCH_OPTIMIZERS`.
    lr, max_iter, tol, blowup
        As in :func:`course_utils.optim.gradient_descent`.
    jac : callable, optional
        ``jac(theta)`` of shape ``(p, n_starts)``; default autograd's gradient of ``fun``.
    beta, rho, beta1, beta2, eps : float
        Settings of momentum, RMSprop and Adam (as in :mod:`course_utils.optim`).

    Returns
    -------
    BatchResult

    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> out = batch_optimize(make_quadratic(np.eye(2), [1.0, 0.0]), [[0.0, 0.0], [3.0, 3.0]], lr=0.5)
    >>> out.states.tolist(), (out.x.round(4) + 0.0).tolist()
    (['converged', 'converged'], [[1.0, 0.0], [1.0, 0.0]])
    """
    starts = _check_starts(starts)
    if optimizer not in BATCH_OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {BATCH_OPTIMIZERS}, got {optimizer!r}")
    lr = v.positive("lr", lr)
    max_iter = v.integer("max_iter", max_iter)
    tol = v.nonnegative("tol", tol)
    blowup = v.positive("blowup", blowup)
    beta, rho = v.unit_interval("beta", beta), v.unit_interval("rho", rho)
    beta1, beta2 = v.unit_interval("beta1", beta1), v.unit_interval("beta2", beta2)
    eps = v.positive("eps", eps)
    value_and_grad = _batch_value_and_grad(fun, jac)

    x = starts.T.copy()                       # (p, n): one column per start
    n = x.shape[1]
    with np.errstate(all="ignore"):
        f, g = value_and_grad(x)
        f = np.broadcast_to(f, (n,)).astype(float)
        status = np.full(n, optim.MAX_ITER)
        nit = np.zeros(n, dtype=int)
        bad = ~(np.isfinite(f) & np.all(np.isfinite(g), axis=0))
        status[bad] = optim.DIVERGED
        limit = np.abs(f) + blowup * (1.0 + np.abs(f))
        m = np.zeros_like(x)                  # momentum's velocity or Adam's first moment
        s = np.zeros_like(x)                  # RMSprop's and Adam's second moment
        active = ~bad
        for k in range(1, max_iter + 1):
            done = active & (np.linalg.norm(g, axis=0) <= tol)
            status[done] = optim.CONVERGED
            active &= ~done
            if not active.any():
                break
            idx = np.flatnonzero(active)
            ga = g[:, idx]
            if optimizer == "gradient descent":
                step = -lr * ga
            elif optimizer == "momentum":
                m[:, idx] = beta * m[:, idx] - lr * ga
                step = m[:, idx]
            elif optimizer == "RMSprop":
                s[:, idx] = rho * s[:, idx] + (1.0 - rho) * ga**2
                step = -lr * ga / (np.sqrt(s[:, idx]) + eps)
            else:
                m[:, idx] = beta1 * m[:, idx] + (1.0 - beta1) * ga
                s[:, idx] = beta2 * s[:, idx] + (1.0 - beta2) * ga**2
                m_hat = m[:, idx] / (1.0 - beta1**k)
                s_hat = s[:, idx] / (1.0 - beta2**k)
                step = -lr * m_hat / (np.sqrt(s_hat) + eps)
            x_new = x[:, idx] + step
            f_new, g_new = value_and_grad(x_new)
            f_new = np.broadcast_to(f_new, (idx.size,))
            ok = (np.all(np.isfinite(x_new), axis=0) & np.isfinite(f_new)
                  & np.all(np.isfinite(g_new), axis=0) & (f_new <= limit[idx]))
            diverged = idx[~ok]
            status[diverged] = optim.DIVERGED
            active[diverged] = False
            moved = idx[ok]
            x[:, moved], f[moved], g[:, moved] = x_new[:, ok], f_new[ok], g_new[:, ok]
            nit[moved] += 1
        else:
            done = active & (np.linalg.norm(g, axis=0) <= tol)
            status[done] = optim.CONVERGED
    return BatchResult(x=x.T.copy(), fun=f.copy(), nit=nit, status=status)


# ---------------------------------------------------------------- distinct minima

def label_minima(points, *, losses=None, tol: float = 1e-3, scale=None, period=None):
    """Group points that are the same minimum; number the groups by loss, lowest first.

    Two points belong together when every coordinate differs by at most ``tol`` (in units of
    ``scale``; modulo ``period`` for a periodic parameter such as a phase). Introduced in
    notebook 06.

    Parameters
    ----------
    points : array_like
        End points, shape ``(n_points, p)``.
    losses : array_like, optional
        The loss at each point: groups are numbered by their lowest loss (label 0 = the lowest
        minimum found). Default: in order of first appearance.
    tol : float
        How close two coordinates must be to count as the same minimum, > 0.
    scale : array_like, optional
        Per-coordinate units for ``tol`` (default 1).
    period : sequence of (float or None), optional
        Per-coordinate period; None for a coordinate that is not periodic.

    Returns
    -------
    labels : numpy.ndarray
        An int per point.
    minima : numpy.ndarray
        Shape ``(k, p)``: the representative (lowest-loss point) of each group, periodic
        coordinates wrapped into ``[-period/2, period/2)``.

    Examples
    --------
    >>> labels, minima = label_minima([[1.0, 0.0], [-1.0, 0.0], [1.0001, 0.0]],
    ...                               losses=[0.5, 0.1, 0.5])
    >>> labels.tolist(), minima.tolist()
    ([1, 0, 1], [[-1.0, 0.0], [1.0, 0.0]])
    """
    points = v.data_array("points", points, ndim=2)
    n, p = points.shape
    tol = v.positive("tol", tol)
    scale = np.ones(p) if scale is None else v.vector("scale", scale, size=p)
    if np.any(scale <= 0):
        raise ValueError(f"scale must be > 0, got {scale}")
    if losses is None:
        order = np.arange(n)
        losses = np.zeros(n)
    else:
        losses = v.vector("losses", losses, size=n)
        order = np.argsort(losses, kind="stable")
    periods = _check_period(period, p)
    wrapped = points.copy()
    for j, per in enumerate(periods):
        if per is not None:
            wrapped[:, j] = (wrapped[:, j] + per / 2) % per - per / 2
    labels = np.full(n, -1)
    reps: list[int] = []
    for i in order:
        for lab, r in enumerate(reps):
            d = np.abs(wrapped[i] - wrapped[r])
            for j, per in enumerate(periods):
                if per is not None:
                    d[j] = min(d[j], per - d[j])
            if np.all(d <= tol * scale):
                labels[i] = lab
                break
        else:
            labels[i] = len(reps)
            reps.append(i)
    return labels, wrapped[reps].reshape(len(reps), p)


def _check_period(period, p: int) -> list:
    if period is None:
        return [None] * p
    period = list(period)
    if len(period) != p:
        raise ValueError(f"period must have {p} entries (None where not periodic), got {period!r}")
    return [None if per is None else v.positive(f"period[{j}]", per) for j, per in enumerate(period)]


# ---------------------------------------------------------------- basins of attraction

@dataclass
class BasinMap:
    """Every start of a grid labelled by the minimum it reaches (:func:`basin_map`).

    Attributes
    ----------
    X, Y : numpy.ndarray
        The starts, shape ``(grid_n, grid_n)`` each (as :func:`course_utils.plotting.loss_grid`).
    labels : numpy.ndarray
        Shape ``(grid_n, grid_n)``: the minimum each start reaches, 0 = the lowest minimum found;
        -1 for a start that did not converge (steps ran out, or diverged).
    minima : numpy.ndarray
        Shape ``(k, 2)``: the distinct minima, lowest loss first.
    minima_losses : numpy.ndarray
        The loss at each minimum.
    result : BatchResult
        The runs, one row per start (row-major over the grid).
    """

    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray
    minima: np.ndarray
    minima_losses: np.ndarray
    result: BatchResult

    def fractions(self) -> np.ndarray:
        """Fraction of starts reaching each minimum (label order); the rest did not converge."""
        return np.array([np.mean(self.labels == k) for k in range(len(self.minima))])

    @property
    def unsettled(self) -> float:
        """Fraction of starts that did not converge."""
        return float(np.mean(self.labels < 0))


def basin_map(fun, xlim, ylim, *, grid_n: int = 60, optimizer: str = "gradient descent",
              lr: float = 0.1, max_iter: int = 1000, tol: float = 1e-6, same_tol: float = 1e-3,
              period=None, jac=None, **settings) -> BasinMap:
    """Run an optimizer from every point of a grid and label each by the minimum it reaches.

    Vectorised (:func:`batch_optimize`): all ``grid_n**2`` starts move together. Introduced in
    notebook 06.

    Parameters
    ----------
    fun : callable
        A vectorised two-parameter loss (shape ``(2, n)`` in, ``(n,)`` out).
    xlim, ylim : (float, float)
        Ranges of the first and second parameter.
    grid_n : int
        Starts per axis, >= 2.
    optimizer : str
        One of :data:`BATCH_OPTIMIZERS`.
    lr, max_iter, tol : float, int, float
        As in :func:`course_utils.optim.gradient_descent`.
    same_tol : float
        End points closer than this in every coordinate are the same minimum
        (see :func:`label_minima`).
    period : (float or None, float or None), optional
        Period of each parameter (a phase: ``2 * pi``), so minima one period apart are one.
    jac : callable, optional
        Vectorised gradient; default autograd's.
    **settings
        Passed to :func:`batch_optimize` (``beta`` of momentum, ...).

    Returns
    -------
    BasinMap

    Examples
    --------
    >>> double_well = lambda t: (t[0] ** 2 - 1) ** 2 + t[1] ** 2
    >>> bm = basin_map(double_well, (-2, 2), (-1, 1), grid_n=4, lr=0.05)
    >>> (bm.minima.round(3) + 0.0).tolist(), bm.labels[0].tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [0, 0, 1, 1])
    """
    xlim = v.interval("xlim", xlim)
    ylim = v.interval("ylim", ylim)
    grid_n = v.integer("grid_n", grid_n, minimum=2)
    same_tol = v.positive("same_tol", same_tol)
    X, Y = np.meshgrid(np.linspace(*xlim, grid_n), np.linspace(*ylim, grid_n))
    starts = np.column_stack([X.ravel(), Y.ravel()])
    out = batch_optimize(fun, starts, optimizer=optimizer, lr=lr, max_iter=max_iter, tol=tol,
                         jac=jac, **settings)
    ok = out.status == optim.CONVERGED
    labels = np.full(starts.shape[0], -1)
    if ok.any():
        lab, minima = label_minima(out.x[ok], losses=out.fun[ok], tol=same_tol, period=period)
        labels[ok] = lab
        minima_losses = np.array([out.fun[ok][lab == k].min() for k in range(len(minima))])
    else:
        minima, minima_losses = np.empty((0, 2)), np.empty(0)
    return BasinMap(X=X, Y=Y, labels=labels.reshape(X.shape), minima=minima,
                    minima_losses=minima_losses, result=out)


def _cell_edges(centres: np.ndarray) -> np.ndarray:
    """Edges of the cells around grid points (halfway between them; half a step past the ends)."""
    c = np.asarray(centres, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = 0.5 * (c[:-1] + c[1:])
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def basin_boundaries(basins: BasinMap) -> np.ndarray:
    """The segments between neighbouring starts that reach different minima, shape ``(m, 2, 2)``.

    Each start is the cell around its grid point (as ``pcolormesh(..., shading="nearest")``
    draws it); a segment is the side two cells of different labels share.

    Examples
    --------
    >>> bm = basin_map(lambda t: (t[0] ** 2 - 1) ** 2 + t[1] ** 2, (-2, 2), (-1, 1), grid_n=4,
    ...                lr=0.05)
    >>> basin_boundaries(bm).shape  # the starts left of x = 0 go left: one line of 4 sides
    (4, 2, 2)
    """
    if not isinstance(basins, BasinMap):
        raise ValueError(f"basins must be a BasinMap (from basin_map), got {type(basins).__name__}")
    xe, ye = _cell_edges(basins.X[0, :]), _cell_edges(basins.Y[:, 0])
    labels = basins.labels
    i, j = np.nonzero(labels[:, :-1] != labels[:, 1:])  # between columns j and j + 1
    across = np.stack([np.column_stack([xe[j + 1], ye[i]]),
                       np.column_stack([xe[j + 1], ye[i + 1]])], axis=1)
    i, j = np.nonzero(labels[:-1, :] != labels[1:, :])  # between rows i and i + 1
    along = np.stack([np.column_stack([xe[j], ye[i + 1]]),
                      np.column_stack([xe[j + 1], ye[i + 1]])], axis=1)
    return np.concatenate([across, along]).reshape(-1, 2, 2)


def plot_basin_map(basins: BasinMap, *, ax=None, labels=None, title=None, legend: bool = True,
                   max_listed: int = 6, loss_decimals: int = 2):
    """Draw a basin map: each start coloured by the minimum it reaches, each minimum marked.

    The lowest minimum found is drawn with a star, its basin in the first colour (which no other
    basin shares); the other minima are circles in the colour of their basin; starts that reached
    no minimum are white. A thin white line runs between neighbouring starts that reach different
    minima, so the basins stay apart where two colours look alike (in greyscale, say).
    Introduced in notebook 06.

    Parameters
    ----------
    basins : BasinMap
        From :func:`basin_map`.
    ax : matplotlib.axes.Axes, optional
    labels : (str, str), optional
        Axis labels.
    title : str, optional
    legend : bool
        List the minima (their loss) beside the axes.
    max_listed : int
        At most this many minima in the legend (the lowest ones).
    loss_decimals : int
        Decimals of the losses in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> bm = basin_map(lambda t: (t[0] ** 2 - 1) ** 2 + t[1] ** 2, (-2, 2), (-1, 1), grid_n=4,
    ...                lr=0.05)
    >>> ax = plot_basin_map(bm)
    >>> plt.close(ax.figure)
    """
    if not isinstance(basins, BasinMap):
        raise ValueError(f"basins must be a BasinMap (from basin_map), got {type(basins).__name__}")
    if ax is None:
        _, ax = plt.subplots()
    k = len(basins.minima)
    # the lowest minimum keeps the first colour; the others cycle through the rest
    colors = [BASIN_COLORS[0] if i == 0 else BASIN_COLORS[1 + (i - 1) % (len(BASIN_COLORS) - 1)]
              for i in range(k)]
    cmap = ListedColormap([UNSETTLED_COLOR, *colors])
    norm = BoundaryNorm(np.arange(-1.5, k + 0.5), cmap.N)
    ax.pcolormesh(basins.X, basins.Y, basins.labels, cmap=cmap, norm=norm, shading="nearest",
                  rasterized=True)
    ax.add_collection(LineCollection(basin_boundaries(basins), colors="white", linewidths=0.8,
                                     capstyle="projecting"), autolim=False)
    for i, (m, loss) in enumerate(zip(basins.minima, basins.minima_losses, strict=True)):
        star = i == 0
        ax.plot(*m, linestyle="none", marker="*" if star else "o", markersize=18 if star else 8,
                markerfacecolor="white" if star else colors[i], markeredgecolor="black",
                label=(f"{'lowest' if star else 'local'} minimum, loss {loss:.{loss_decimals}f}"
                       if i < max_listed else None))
    ax.set_xlim(basins.X.min(), basins.X.max())
    ax.set_ylim(basins.Y.min(), basins.Y.max())
    if labels is not None:
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
    if title is not None:
        ax.set_title(title)
    if legend and k:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return ax
