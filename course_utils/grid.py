"""Grid search of the normal negative log-likelihood, three ways, and what a grid costs.

The same search over a ``(mu, sigma)`` grid, written three ways that give the same numbers:

* :func:`nll_grid_loop`: a Python loop over the cells, each calling ``scipy.stats.norm.logpdf``
  on every data point (slow: use it on a subset of cells and extrapolate);
* :func:`nll_grid_chunked`: numpy broadcasting of cells against data, a chunk of cells at a
  time so that memory stays below ``max_bytes``;
* :func:`nll_grid_sufficient`: the sufficient statistics ``n``, the mean and the sum of squared
  deviations, so each cell costs O(1) whatever the data size.

:func:`best_cell` picks the lowest cell and reports the grid spacing, the accuracy limit of any
grid search. :func:`curse_of_dimensionality` turns a measured cost per evaluation into the cost
of a grid in ``k`` dimensions. Nothing here prints. Introduced in notebook 02.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
import scipy.stats

from course_utils import _validate as v
from course_utils import models
from course_utils.models import LOG_2PI

__all__ = [
    "METHODS",
    "DEFAULT_MAX_BYTES",
    "MAX_CELLS",
    "grid_axes",
    "nll_grid_loop",
    "nll_grid_chunked",
    "nll_grid_sufficient",
    "chunk_cells",
    "GridResult",
    "best_cell",
    "grid_search",
    "CurseRow",
    "curse_of_dimensionality",
    "format_duration",
]

#: The three implementations, by name.
METHODS = ("loop", "chunked", "sufficient")
#: Default memory budget of one chunk of :func:`nll_grid_chunked`: 32 MiB.
DEFAULT_MAX_BYTES = 32 * 2**20


def grid_axes(mu_range, sigma_range, grid_n) -> tuple[np.ndarray, np.ndarray]:
    """The grid's axes: ``n_mu`` equally spaced means and ``n_sigma`` standard deviations.

    Introduced in notebook 02.

    Parameters
    ----------
    mu_range : (float, float)
        Lowest and highest mean, finite, low < high.
    sigma_range : (float, float)
        Lowest and highest standard deviation, finite, 0 < low < high.
    grid_n : int or (int, int)
        Points per axis (both axes, or ``(n_mu, n_sigma)``), each >= 2.

    Returns
    -------
    mus, sds : numpy.ndarray
        ``numpy.linspace`` over each range, end points included.

    Examples
    --------
    >>> mus, sds = grid_axes((-1, 1), (0.5, 1.5), 3)
    >>> mus.tolist(), sds.tolist()
    ([-1.0, 0.0, 1.0], [0.5, 1.0, 1.5])
    """
    mu_range = v.interval("mu_range", mu_range)
    sigma_range = v.interval("sigma_range", sigma_range)
    if sigma_range[0] <= 0:
        raise ValueError(f"sigma_range must lie above 0, got {sigma_range}")
    n_mu, n_sd = _sizes(grid_n)
    return np.linspace(*mu_range, n_mu), np.linspace(*sigma_range, n_sd)


def _sizes(grid_n) -> tuple[int, int]:
    """(n_mu, n_sigma) from an int or a pair, each >= 2."""
    if isinstance(grid_n, tuple | list):
        if len(grid_n) != 2:
            raise ValueError(f"grid_n must be an int or a pair (n_mu, n_sigma), got {grid_n!r}")
        return (v.integer("grid_n[0]", grid_n[0], minimum=2),
                v.integer("grid_n[1]", grid_n[1], minimum=2))
    grid_n = v.integer("grid_n", grid_n, minimum=2)
    return grid_n, grid_n


#: The largest grid the evaluators accept: 25 million cells (a 5000 x 5000 grid), whose result
#: alone takes 200 MB; a larger one is refused with an estimate of its cost.
MAX_CELLS = 25_000_000
#: Rough cost per cell of each implementation on a laptop (seconds), for the estimate.
_SECONDS_PER_CELL = {"loop": 3e-5, "chunked": 5e-9, "sufficient": 5e-9}
#: Arrays of one number per cell alive at once at the peak of each implementation.
_ARRAYS_PER_CELL = {"loop": 1, "chunked": 1, "sufficient": 3}


def _check_cost(n_mu: int, n_sd: int, method: str, name: str = "grid_n") -> None:
    """Refuse a grid of more than :data:`MAX_CELLS` cells, saying what it would cost."""
    cells = n_mu * n_sd
    if cells <= MAX_CELLS:
        return
    gib = 8 * _ARRAYS_PER_CELL[method] * cells / 2**30
    seconds = cells * _SECONDS_PER_CELL[method]
    raise ValueError(
        f"{name}: a {n_mu} x {n_sd} grid has {cells:.3g} cells, more than MAX_CELLS = "
        f"{MAX_CELLS:.3g}: about {gib:.3g} GiB of memory and {format_duration(seconds)} with "
        f"method {method!r}. Use fewer points per axis or narrower ranges around the estimate.")


def _check_axes(mus, sds, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Finite, non-empty 1-d axes with every sd > 0, and a grid small enough for ``method``."""
    mus = v.data_array("mus", mus)
    sds = v.data_array("sds", sds)
    if np.any(sds <= 0):
        raise ValueError(f"sds must be > 0, found {sds[sds <= 0][0]} in sds")
    _check_cost(mus.size, sds.size, method, "mus and sds")
    return mus, sds


def nll_grid_loop(x, mus, sds, *, cells=None) -> np.ndarray:
    """The NLL cell by cell: a Python loop calling ``scipy.stats.norm.logpdf`` on all the data.

    The way one writes it first, and the slowest: every cell pays Python's and scipy's overhead
    and visits every data point. Time it on a subset of cells (``cells``) and extrapolate.
    Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mus, sds : array_like
        The grid's axes (1-d; every sd > 0).
    cells : array_like of int, optional
        Shape ``(m, 2)``: the ``(i, j)`` indices of the cells to evaluate. Default: every cell.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(mus), len(sds))`` for the whole grid, ``(m,)`` for ``cells``.

    Examples
    --------
    >>> nll_grid_loop([0.0], [0.0], [1.0]).round(6).tolist()
    [[0.918939]]
    """
    x = v.data_array("x", x)
    mus, sds = _check_axes(mus, sds, "loop")
    if cells is None:
        out = np.empty((mus.size, sds.size))
        for i, mu in enumerate(mus):
            for j, sd in enumerate(sds):
                out[i, j] = -np.sum(scipy.stats.norm.logpdf(x, mu, sd))
        return out
    cells = _check_cells(cells, mus.size, sds.size)
    out = np.empty(len(cells))
    for k, (i, j) in enumerate(cells):
        out[k] = -np.sum(scipy.stats.norm.logpdf(x, mus[i], sds[j]))
    return out


def _check_cells(cells, n_mu: int, n_sd: int) -> np.ndarray:
    """An (m, 2) integer array of valid cell indices."""
    arr = np.asarray(cells)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
        raise ValueError(f"cells must have shape (m, 2) with m >= 1, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"cells must hold integer indices, got dtype {arr.dtype}")
    if np.any(arr < 0) or np.any(arr[:, 0] >= n_mu) or np.any(arr[:, 1] >= n_sd):
        raise ValueError(f"cells must index a ({n_mu}, {n_sd}) grid, got indices up to "
                         f"{arr.max(axis=0).tolist()}")
    return arr


def chunk_cells(n_data: int, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """How many cells one chunk of :func:`nll_grid_chunked` holds: ``max_bytes // (8 n_data)``.

    One chunk is a ``(cells, n_data)`` float64 array, so its size is at most ``max_bytes``.
    Introduced in notebook 02.

    Examples
    --------
    >>> chunk_cells(1000, 32 * 2**20)
    4194
    """
    n_data = v.integer("n_data", n_data)
    max_bytes = v.integer("max_bytes", max_bytes, minimum=8 * n_data)
    return max_bytes // (8 * n_data)


def nll_grid_chunked(x, mus, sds, *, max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """The NLL by broadcasting cells against data, a chunk of cells at a time.

    Each chunk forms the ``(cells, n_data)`` array of deviations ``x_i - mu``, squares it in place
    and sums each row: the same arithmetic as the loop, without the per-cell overhead. The chunk
    array is at most ``max_bytes``; besides it and the result (8 bytes per cell) only a few
    vectors of one number per cell of the chunk are allocated, so the peak extra memory is about
    ``max_bytes`` plus the result. Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mus, sds : array_like
        The grid's axes (1-d; every sd > 0).
    max_bytes : int
        Memory budget of one chunk, at least one cell's worth (``8 * len(x)``).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(mus), len(sds))``.

    Examples
    --------
    >>> nll_grid_chunked([0.0], [0.0], [1.0]).round(6).tolist()
    [[0.918939]]
    """
    x = v.data_array("x", x)
    mus, sds = _check_axes(mus, sds, "chunked")
    per_chunk = chunk_cells(x.size, max_bytes)
    n = x.size
    n_cells = mus.size * sds.size
    out = np.empty(n_cells)
    for start in range(0, n_cells, per_chunk):
        flat = np.arange(start, min(start + per_chunk, n_cells))
        mu, sd = mus[flat // sds.size], sds[flat % sds.size]
        dev = np.subtract(x[None, :], mu[:, None])  # (cells, n): the chunk, <= max_bytes
        np.square(dev, out=dev)
        out[flat] = dev.sum(axis=1) / (2.0 * sd**2) + n * np.log(sd) + 0.5 * n * LOG_2PI
        del dev
    return out.reshape(mus.size, sds.size)


def nll_grid_sufficient(x, mus, sds) -> np.ndarray:
    """The NLL over the whole grid from the sufficient statistics (n, mean, sum of squares).

    ``sum (x_i - mu)^2 = ss + n (mean - mu)^2`` with ``ss = sum (x_i - mean)^2``: after one pass
    over the data, each cell costs a multiply and an add, whatever the data size.
    Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mus, sds : array_like
        The grid's axes (1-d; every sd > 0).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(mus), len(sds))``.

    Examples
    --------
    >>> nll_grid_sufficient([0.0], [0.0], [1.0]).round(6).tolist()
    [[0.918939]]
    """
    x = v.data_array("x", x)
    mus, sds = _check_axes(mus, sds, "sufficient")
    n, mean, ss = models.normal_sufficient_stats(x)
    # the same O(1) formula the models use, broadcast: mu down the rows, sd along the columns
    return np.asarray(models.normal_nll_terms(n, mean, ss, mus[:, None], sds[None, :]), dtype=float)


def _even_axis(name: str, axis) -> np.ndarray:
    """A finite axis of >= 2 increasing, equally spaced values (what a spacing is defined for)."""
    axis = v.data_array(name, axis, min_size=2)
    steps = np.diff(axis)
    if not np.all(steps > 0):
        raise ValueError(f"{name} must be increasing, found {name}[{int(np.argmin(steps > 0))}] >= "
                         f"{name}[{int(np.argmin(steps > 0)) + 1}]")
    if not np.allclose(steps, steps[0], rtol=1e-6, atol=0.0):
        raise ValueError(f"{name} must be equally spaced (as from grid_axes), found steps from "
                         f"{steps.min():.6g} to {steps.max():.6g}")
    return axis


@dataclass(frozen=True)
class GridResult:
    """The best cell of a grid search.

    Attributes
    ----------
    mu, sigma : float
        The best cell's parameters.
    index : (int, int)
        Its indices ``(i, j)`` into ``mus`` and ``sds``.
    nll : float
        The loss there.
    spacing : (float, float)
        Grid steps along mu and sigma: no grid search is more accurate than this.
    evaluations : int
        Number of cells evaluated.
    values : numpy.ndarray or None
        The whole grid of losses, shape ``(len(mus), len(sds))``.
    """

    mu: float
    sigma: float
    index: tuple[int, int]
    nll: float
    spacing: tuple[float, float]
    evaluations: int
    values: np.ndarray | None = None

    def __repr__(self) -> str:
        return (f"GridResult(mu={self.mu:.6g}, sigma={self.sigma:.6g}, index={self.index}, "
                f"nll={self.nll:.6f}, spacing=({self.spacing[0]:.4g}, {self.spacing[1]:.4g}), "
                f"evaluations={self.evaluations})")


def best_cell(values, mus, sds) -> GridResult:
    """The lowest cell of a grid of losses, with its indices and the grid spacing.

    Introduced in notebook 02.

    Parameters
    ----------
    values : array_like
        Shape ``(len(mus), len(sds))``; non-finite cells are skipped.
    mus, sds : array_like
        The grid's axes, each increasing and equally spaced with at least two points (a
        ValueError otherwise: the spacing would mean nothing).

    Returns
    -------
    GridResult

    Examples
    --------
    >>> mus, sds = grid_axes((-1, 1), (0.5, 1.5), 5)
    >>> best_cell(nll_grid_sufficient([-0.4, 0.6], mus, sds), mus, sds)
    GridResult(mu=0, sigma=0.5, index=(2, 0), nll=1.491583, spacing=(0.5, 0.25), evaluations=25)
    """
    mus = _even_axis("mus", mus)
    sds = _even_axis("sds", sds)
    values = np.asarray(values, dtype=float)
    if values.shape != (mus.size, sds.size):
        raise ValueError(f"values must have shape {(mus.size, sds.size)}, got {values.shape}")
    finite = np.isfinite(values)
    if not finite.any():
        raise ValueError("values must hold at least one finite loss")
    flat = int(np.argmin(np.where(finite, values, np.inf)))
    i, j = np.unravel_index(flat, values.shape)
    return GridResult(
        mu=float(mus[i]), sigma=float(sds[j]), index=(int(i), int(j)), nll=float(values[i, j]),
        spacing=(float(mus[1] - mus[0]), float(sds[1] - sds[0])), evaluations=int(values.size),
        values=values,
    )


def grid_search(x, mu_range=(-1.0, 1.0), sigma_range=(0.5, 1.5), *, grid_n=1000,
                method: str = "sufficient", max_bytes: int = DEFAULT_MAX_BYTES) -> GridResult:
    """Grid search of the normal NLL of ``x``: evaluate every cell, keep the lowest.

    Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mu_range, sigma_range : (float, float)
        Ranges of the mean and the standard deviation (sigma above 0).
    grid_n : int or (int, int)
        Points per axis, >= 2; a grid of more than :data:`MAX_CELLS` cells is refused with an
        estimate of its memory and time.
    method : {"sufficient", "chunked", "loop"}
        Which implementation evaluates the grid (all give the same cell).
    max_bytes : int
        Memory budget of one chunk (``method="chunked"``).

    Returns
    -------
    GridResult
        The best cell; it lies within one grid step of the closed-form MLE when the MLE is inside
        the ranges (within half a step along mu, where the loss is symmetric).

    Examples
    --------
    >>> grid_search([-1.0, 1.0], (-1, 1), (0.5, 1.5), grid_n=11)
    GridResult(mu=0, sigma=1, index=(5, 5), nll=2.837877, spacing=(0.2, 0.1), evaluations=121)
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    n_mu, n_sd = _sizes(grid_n)
    _check_cost(n_mu, n_sd, method)  # before the axes are even made
    mus, sds = grid_axes(mu_range, sigma_range, (n_mu, n_sd))
    evaluate = {"loop": nll_grid_loop, "sufficient": nll_grid_sufficient,
                "chunked": lambda *a: nll_grid_chunked(*a, max_bytes=max_bytes)}[method]
    return best_cell(evaluate(x, mus, sds), mus, sds)


@dataclass(frozen=True)
class CurseRow:
    """One row of :func:`curse_of_dimensionality`: ``k`` parameters, ``G**k`` evaluations."""

    k: int
    evaluations: int
    seconds: float


def curse_of_dimensionality(seconds_per_evaluation, *, points_per_axis: int = 1000,
                            dims=range(1, 7)) -> list[CurseRow]:
    """Evaluations and estimated time of a grid with ``points_per_axis`` points on each of k axes.

    A grid in ``k`` dimensions has ``G**k`` cells: the cost multiplies by ``G`` with every
    parameter added. Introduced in notebook 02.

    Parameters
    ----------
    seconds_per_evaluation : float
        Measured cost of one evaluation, > 0.
    points_per_axis : int
        ``G``, >= 1.
    dims : iterable of int
        The numbers of parameters ``k`` (each >= 1, and small enough that the time of ``G**k``
        evaluations is a float: about 100 for ``G = 1000``).

    Returns
    -------
    list of CurseRow
        ``k``, ``evaluations = G**k`` (an exact int) and ``seconds = evaluations * cost``.

    Examples
    --------
    >>> [r.evaluations for r in curse_of_dimensionality(1e-6, points_per_axis=10, dims=[1, 2, 3])]
    [10, 100, 1000]
    """
    cost = v.positive("seconds_per_evaluation", seconds_per_evaluation)
    g = v.integer("points_per_axis", points_per_axis)
    ks = [v.integer("dims", k) for k in dims]
    if not ks:
        raise ValueError("dims must hold at least one number of parameters")
    # G**k is an exact int, but it and its time must also be floats: beyond 1.8e308 there are none
    room = _LOG10_FLOAT_MAX - max(0.0, math.log10(cost))
    for k in ks:
        if k * math.log10(g) > room:
            limit = int(room / math.log10(g))
            raise ValueError(f"dims: {g}**{k} evaluations take more seconds than a float holds; "
                             f"keep k <= {limit}")
    return [CurseRow(k, g**k, float(g**k) * cost) for k in ks]


_LOG10_FLOAT_MAX = math.log10(sys.float_info.max)
_UNITS = [(1e-6, "µs"), (1e-3, "ms"), (1.0, "s"), (60.0, "min"), (3600.0, "h"), (86400.0, "days"),
          (365.25 * 86400.0, "years")]


def format_duration(seconds) -> str:
    """A duration in the largest unit that keeps the number >= 1 (µs ... years).

    For the timing tables of notebooks 02 and 03.

    Examples
    --------
    >>> format_duration(0.0025), format_duration(0.9999), format_duration(90), format_duration(3.2e10)
    ('2.5 ms', '1 s', '1.5 min', '1.0e+03 years')
    """
    # round to the 3 digits shown first, so that 0.9999 s is "1 s", not "1e+03 ms"
    s = float(f"{v.nonnegative('seconds', seconds):.3g}")
    if s < 1e-6:
        return f"{s * 1e9:.3g} ns"
    scale, unit = next((sc, u) for sc, u in reversed(_UNITS) if s >= sc)
    value = s / scale
    if unit == "years" and value >= 1000:
        return f"{value:.1e} years"
    return f"{value:.3g} {unit}"
