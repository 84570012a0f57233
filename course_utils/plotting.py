"""Plot helpers: loss landscapes, optimizer paths, fitted densities.

Each helper draws on the ``ax`` it is given (or a new one) and returns it; none changes global
style on import. :func:`use_style` applies the course's ``default`` or ``lecture`` look on request
(``lecture``: large type for a projector). Colour maps are viridis-family (colour-blind safe);
path markers differ in shape, not only in colour.
"""

from __future__ import annotations

import contextlib
from importlib import resources

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import LogFormatterSciNotation, LogLocator

from course_utils import _validate as v

__all__ = [
    "STYLES",
    "use_style",
    "style",
    "loss_grid",
    "plot_landscape",
    "plot_path",
    "mark_point",
    "plot_density_fit",
    "PATH_MARKERS",
]

STYLES = ("default", "lecture")
#: Okabe-Ito colours with a distinct marker each, for several paths on one landscape.
PATH_MARKERS = [
    ("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"),
    ("#56B4E9", "v"), ("#D55E00", "P"), ("#000000", "X"),
]


def _style_path(name: str) -> str:
    if name not in STYLES:
        raise ValueError(f"name must be one of {STYLES}, got {name!r}")
    return str(resources.files("course_utils").joinpath("styles", f"{name}.mplstyle"))


def use_style(name: str = "default") -> None:
    """Apply a course style to every figure from now on: ``"default"`` or ``"lecture"``.

    Introduced in notebook 00.

    Examples
    --------
    >>> use_style("default")
    """
    plt.style.use(_style_path(name))


@contextlib.contextmanager
def style(name: str = "default"):
    """Context manager: a course style for the figures made inside the ``with`` block.

    Examples
    --------
    >>> with style("lecture"):
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with plt.style.context(_style_path(name)):
        yield


def loss_grid(loss, xlim, ylim, *, n: int = 200):
    """Evaluate a two-parameter loss on an ``n x n`` grid.

    Introduced in notebook 02.

    Parameters
    ----------
    loss : callable
        ``loss(theta)``; vectorised losses (all of :mod:`course_utils.models`) take the whole grid
        of shape ``(2, n, n)`` at once, others are called point by point.
    xlim, ylim : (float, float)
        Ranges of the first and second parameter.
    n : int
        Points per axis, >= 2.

    Returns
    -------
    X, Y, Z : numpy.ndarray
        Shape ``(n, n)`` each; ``Z[i, j]`` is the loss at ``(X[i, j], Y[i, j])``, ``nan`` where it
        is not finite.

    Examples
    --------
    >>> X, Y, Z = loss_grid(lambda t: t[0] ** 2 + t[1] ** 2, (-1, 1), (-1, 1), n=3)
    >>> Z.tolist()
    [[2.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 2.0]]
    """
    xlim = v.interval("xlim", xlim)
    ylim = v.interval("ylim", ylim)
    n = v.integer("n", n, minimum=2)
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    with np.errstate(all="ignore"):
        try:
            Z = np.asarray(loss(np.stack([X, Y])), dtype=float)
            if Z.shape != X.shape:
                raise ValueError("not vectorised")
        except (ValueError, TypeError, IndexError):
            Z = np.array([float(loss(np.array([a, b]))) for a, b in zip(X.ravel(), Y.ravel(), strict=True)])
            Z = Z.reshape(X.shape)
    Z = np.where(np.isfinite(Z), Z, np.nan)
    return X, Y, Z


def plot_landscape(X, Y, Z, *, ax=None, log: bool = False, filled: bool = True, levels: int = 30,
                   cmap: str = "viridis", colorbar: bool = True, labels=None, title=None):
    """Draw a loss landscape as (filled) contours.

    Introduced in notebook 02.

    Parameters
    ----------
    X, Y, Z : numpy.ndarray
        From :func:`loss_grid`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    log : bool
        Colour by ``log(Z - min Z + small)``: shows the floor of a steep valley.
    filled : bool
        Filled contours (``contourf``) or contour lines only.
    levels : int
        Number of contour levels.
    cmap : str
        A colour-blind-safe map (viridis, cividis, ...).
    colorbar : bool
        Add a colour bar.
    labels : (str, str), optional
        Axis labels (parameter names).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> X, Y, Z = loss_grid(lambda t: t[0] ** 2 + 3 * t[1] ** 2, (-1, 1), (-1, 1), n=20)
    >>> ax = plot_landscape(X, Y, Z, labels=("a", "b"))
    >>> plt.close(ax.figure)
    """
    if ax is None:
        _, ax = plt.subplots()
    Z = np.asarray(Z, dtype=float)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("Z must contain at least one finite value")
    draw = ax.contourf if filled else ax.contour
    if log:
        span = float(finite.max() - finite.min())
        shift = finite.min() - max(span * 1e-6, 1e-12)
        W = Z - shift
        lev = np.geomspace(np.nanmin(W), np.nanmax(W), levels)
        cs = draw(X, Y, W, levels=lev, norm=LogNorm(), cmap=cmap)
        cb_label = "loss − min (log scale)"
    else:
        cs = draw(X, Y, Z, levels=levels, cmap=cmap)
        cb_label = "loss"
    if colorbar:
        if log:
            ax.figure.colorbar(cs, ax=ax, label=cb_label, ticks=LogLocator(numticks=8),
                               format=LogFormatterSciNotation())
        else:
            ax.figure.colorbar(cs, ax=ax, label=cb_label)
    if labels is not None:
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
    if title is not None:
        ax.set_title(title)
    return ax


def plot_path(path, *, ax=None, label=None, color="#D55E00", marker="o", markevery=None,
              show_ends: bool = True):
    """Draw an optimizer's path: a line through the iterates, a square at the start, a cross at the end.

    Introduced in notebook 03.

    Parameters
    ----------
    path : array_like
        Iterates, shape ``(k, 2)``.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Legend entry.
    color, marker : str
        Line colour and iterate marker (use both: shapes help readers who do not see colour).
    markevery : int, optional
        Mark every n-th iterate (long paths).
    show_ends : bool
        Mark the start (square) and the end (cross).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_path([[0, 0], [0.5, 0.2], [1, 1]], label="GD")
    >>> plt.close(ax.figure)
    """
    path = v.data_array("path", path, ndim=2)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (k, 2), got {path.shape}")
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(path[:, 0], path[:, 1], color=color, marker=marker, markersize=4, linewidth=1.5,
            markevery=markevery, label=label)
    if show_ends:
        ax.plot(*path[0], marker="s", markersize=9, color=color, markeredgecolor="white",
                linestyle="none")
        ax.plot(*path[-1], marker="X", markersize=11, color=color, markeredgecolor="white",
                linestyle="none")
    return ax


def mark_point(point, *, ax=None, label="minimum", marker="*", color="white", size=18):
    """Mark one point (the known minimum, say) with a large outlined star.

    Examples
    --------
    >>> ax = mark_point([0.0, 1.0])
    >>> plt.close(ax.figure)
    """
    point = v.vector("point", point, size=2)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(*point, marker=marker, markersize=size, color=color, markeredgecolor="black",
            linestyle="none", label=label)
    return ax


def plot_density_fit(x, mu, sigma, *, ax=None, bins: int = 40, label=None):
    """Histogram of the data (as a density) with the normal density N(mu, sigma^2) over it.

    Introduced in notebook 01.

    Parameters
    ----------
    x : array_like
        Data, 1-d.
    mu : float
    sigma : float
        > 0.
    ax : matplotlib.axes.Axes, optional
    bins : int
    label : str, optional
        Legend entry of the density (default shows mu and sigma).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_density_fit([0.1, -0.3, 0.5, 1.2], 0.0, 1.0, bins=3)
    >>> plt.close(ax.figure)
    """
    x = v.data_array("x", x)
    mu = v.finite("mu", mu)
    sigma = v.positive("sigma", sigma)
    bins = v.integer("bins", bins)
    if ax is None:
        _, ax = plt.subplots()
    ax.hist(x, bins=bins, density=True, color="#56B4E9", alpha=0.6, label="data")
    lo = min(x.min(), mu - 4 * sigma)
    hi = max(x.max(), mu + 4 * sigma)
    grid = np.linspace(lo, hi, 400)
    pdf = np.exp(-0.5 * ((grid - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    ax.plot(grid, pdf, color="#D55E00",
            label=label or rf"N($\mu$={mu:.2f}, $\sigma$={sigma:.2f})")
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    return ax
