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

from dataclasses import dataclass

import numpy as np
import scipy.stats

from course_utils import _validate as v
from course_utils import models
from course_utils.models import LOG_2PI

__all__ = [
    "METHODS",
    "DEFAULT_MAX_BYTES",
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


def grid_axes(mu_range, sd_range, n) -> tuple[np.ndarray, np.ndarray]:
    """The grid's axes: ``n_mu`` equally spaced means and ``n_sd`` standard deviations.

    Introduced in notebook 02.

    Parameters
    ----------
    mu_range : (float, float)
        Lowest and highest mean, finite, low < high.
    sd_range : (float, float)
        Lowest and highest standard deviation, finite, 0 < low < high.
    n : int or (int, int)
        Points per axis (both axes, or ``(n_mu, n_sd)``), each >= 2.

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
    sd_range = v.interval("sd_range", sd_range)
    if sd_range[0] <= 0:
        raise ValueError(f"sd_range must lie above 0, got {sd_range}")
    n_mu, n_sd = _sizes(n)
    return np.linspace(*mu_range, n_mu), np.linspace(*sd_range, n_sd)


def _sizes(n) -> tuple[int, int]:
    """(n_mu, n_sd) from an int or a pair, each >= 2."""
    if isinstance(n, tuple | list):
        if len(n) != 2:
            raise ValueError(f"n must be an int or a pair (n_mu, n_sd), got {n!r}")
        return v.integer("n[0]", n[0], minimum=2), v.integer("n[1]", n[1], minimum=2)
    n = v.integer("n", n, minimum=2)
    return n, n


def _check_axes(mus, sds) -> tuple[np.ndarray, np.ndarray]:
    """Finite, non-empty 1-d axes with every sd > 0."""
    mus = v.data_array("mus", mus)
    sds = v.data_array("sds", sds)
    if np.any(sds <= 0):
        raise ValueError(f"sds must be > 0, found {sds[sds <= 0][0]} in sds")
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
    mus, sds = _check_axes(mus, sds)
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
    if arr.min() < 0 or np.any(arr[:, 0] >= n_mu) or np.any(arr[:, 1] >= n_sd):
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
    mus, sds = _check_axes(mus, sds)
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
    mus, sds = _check_axes(mus, sds)
    n, mean, ss = models.normal_sufficient_stats(x)
    # the same O(1) formula the models use, broadcast: mu down the rows, sd along the columns
    return np.asarray(models.normal_nll_terms(n, mean, ss, mus[:, None], sds[None, :]), dtype=float)


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
        The grid's axes, each equally spaced with at least two points.

    Returns
    -------
    GridResult

    Examples
    --------
    >>> mus, sds = grid_axes((-1, 1), (0.5, 1.5), 5)
    >>> best_cell(nll_grid_sufficient([-0.4, 0.6], mus, sds), mus, sds)
    GridResult(mu=0, sigma=0.5, index=(2, 0), nll=1.491583, spacing=(0.5, 0.25), evaluations=25)
    """
    mus = v.data_array("mus", mus, min_size=2)
    sds = v.data_array("sds", sds, min_size=2)
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


def grid_search(x, mu_range=(-1.0, 1.0), sd_range=(0.5, 1.5), *, n=1000,
                method: str = "sufficient", max_bytes: int = DEFAULT_MAX_BYTES) -> GridResult:
    """Grid search of the normal NLL of ``x``: evaluate every cell, keep the lowest.

    Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, not empty.
    mu_range, sd_range : (float, float)
        Ranges of the mean and the standard deviation (sd above 0).
    n : int or (int, int)
        Points per axis, >= 2.
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
    >>> grid_search([-1.0, 1.0], (-1, 1), (0.5, 1.5), n=11)
    GridResult(mu=0, sigma=1, index=(5, 5), nll=2.837877, spacing=(0.2, 0.1), evaluations=121)
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    mus, sds = grid_axes(mu_range, sd_range, n)
    if method == "loop":
        values = nll_grid_loop(x, mus, sds)
    elif method == "chunked":
        values = nll_grid_chunked(x, mus, sds, max_bytes=max_bytes)
    else:
        values = nll_grid_sufficient(x, mus, sds)
    return best_cell(values, mus, sds)


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
        The numbers of parameters ``k`` (each >= 1).

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
    return [CurseRow(k, g**k, float(g**k) * cost) for k in ks]


_UNITS = [(1e-6, "µs"), (1e-3, "ms"), (1.0, "s"), (60.0, "min"), (3600.0, "h"), (86400.0, "days"),
          (365.25 * 86400.0, "years")]


def format_duration(seconds) -> str:
    """A duration in the largest unit that keeps the number >= 1 (µs ... years).

    For the timing tables of notebooks 02 and 03.

    Examples
    --------
    >>> format_duration(0.0025), format_duration(90), format_duration(3.2e10)
    ('2.5 ms', '1.5 min', '1.0e+03 years')
    """
    s = v.nonnegative("seconds", seconds)
    if s < 1e-6:
        return f"{s * 1e9:.3g} ns"
    scale, unit = next((sc, u) for sc, u in reversed(_UNITS) if s >= sc)
    value = s / scale
    if unit == "years" and value >= 1000:
        return f"{value:.1e} years"
    return f"{value:.3g} {unit}"
