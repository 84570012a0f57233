"""Plot helpers: loss landscapes, optimizer paths, fitted densities.

Each helper draws on the ``ax`` it is given (or a new one) and returns it; none changes global
style on import. :func:`use_style` applies the course's ``default`` or ``lecture`` look on request
(``lecture``: large type for a projector). Colour maps are viridis-family (colour-blind safe);
path markers differ in shape, not only in colour.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from importlib import resources

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation, LogLocator

from course_utils import _validate as v
from course_utils import models

__all__ = [
    "STYLES",
    "use_style",
    "style",
    "loss_grid",
    "plot_landscape",
    "plot_path",
    "mark_point",
    "plot_density_fit",
    "set_density",
    "MAX_BINS",
    "PATH_MARKERS",
    "RUN_STYLE",
    "nice_ceiling",
]

STYLES = ("default", "lecture")
#: Colours and markers of an optimizer run: shapes carry the meaning, colour only helps.
RUN_STYLE = {
    "path": {"color": "#D55E00", "marker": "o", "markersize": 3.5, "markeredgecolor": "white",
             "markeredgewidth": 0.5, "linewidth": 1.6},
    "start": {"color": "#D55E00", "marker": "s", "markersize": 9, "markeredgecolor": "white",
              "linestyle": "none"},
    "end": {"color": "#D55E00", "marker": "X", "markersize": 11, "markeredgecolor": "white",
            "linestyle": "none"},
    "optimum": {"color": "white", "marker": "*", "markersize": 16, "markeredgecolor": "black",
                "linestyle": "none"},
}

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


def loss_grid(loss, xlim, ylim, *, grid_n: int = 200):
    """Evaluate a two-parameter loss on a ``grid_n x grid_n`` grid.

    Introduced in notebook 02.

    Parameters
    ----------
    loss : callable
        ``loss(theta)``; vectorised losses (all of :mod:`course_utils.models`) take the whole grid
        of shape ``(2, grid_n, grid_n)`` at once, others are called point by point.
    xlim, ylim : (float, float)
        Ranges of the first and second parameter.
    grid_n : int
        Points per axis, >= 2.

    Returns
    -------
    X, Y, Z : numpy.ndarray
        Shape ``(grid_n, grid_n)`` each; ``Z[i, j]`` is the loss at ``(X[i, j], Y[i, j])``, ``nan`` where it
        is not finite.

    Examples
    --------
    >>> X, Y, Z = loss_grid(lambda t: t[0] ** 2 + t[1] ** 2, (-1, 1), (-1, 1), grid_n=3)
    >>> Z.tolist()
    [[2.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 2.0]]
    """
    xlim = v.interval("xlim", xlim)
    ylim = v.interval("ylim", ylim)
    grid_n = v.integer("grid_n", grid_n, minimum=2)
    X, Y = np.meshgrid(np.linspace(*xlim, grid_n), np.linspace(*ylim, grid_n))
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
    >>> X, Y, Z = loss_grid(lambda t: t[0] ** 2 + 3 * t[1] ** 2, (-1, 1), (-1, 1), grid_n=20)
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
        W, low, high = _height_above_floor(Z)
        cs = draw(X, Y, W, levels=np.geomspace(low, high, levels), norm=LogNorm(), cmap=cmap)
        cb_label = "loss − min (log scale)"
    else:
        lo, hi = float(finite.min()), float(finite.max())
        # a flat surface still gets increasing levels (matplotlib refuses equal ones)
        cs = draw(X, Y, Z, levels=levels if hi > lo else [lo - 0.5, lo + 0.5], cmap=cmap)
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
              show_ends: bool = True, linewidth: float | None = None):
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
    linewidth : float, optional
        Width of the line, > 0 (default ``RUN_STYLE["path"]``). Paths that share a stretch stay
        visible when each is drawn narrower than the one before it: the wider shows as a rim.

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
    width = RUN_STYLE["path"]["linewidth"] if linewidth is None else v.positive("linewidth",
                                                                                 linewidth)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(path[:, 0], path[:, 1], markevery=markevery, label=label,
            **{**RUN_STYLE["path"], "color": color, "marker": marker, "linewidth": width})
    if show_ends:
        ax.plot(*path[0], **{**RUN_STYLE["start"], "color": color})
        ax.plot(*path[-1], **{**RUN_STYLE["end"], "color": color})
    return ax


def mark_point(point, *, ax=None, label="minimum", marker="*", color="white", size=16):
    """Mark one point (the known minimum, say) with a large outlined star (``RUN_STYLE["optimum"]``).

    Examples
    --------
    >>> ax = mark_point([0.0, 1.0])
    >>> plt.close(ax.figure)
    """
    point = v.vector("point", point, size=2)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(*point, label=label,
            **{**RUN_STYLE["optimum"], "marker": marker, "markersize": size, "color": color})
    return ax


#: The most histogram bins :func:`plot_density_fit` draws (each bin is an artist: 10**6 take a minute).
MAX_BINS = 1000


def plot_density_fit(x, mu, sigma, *, ax=None, bins: int = 40, label=None, xlim=None):
    """Histogram of the data (as a density) with the normal density N(mu, sigma^2) over it.

    Introduced in notebook 01. The density is the last line on ``ax``; :func:`set_density` moves
    it to other parameters in place (the fit-by-eye widget does that at every slider move).

    Parameters
    ----------
    x : array_like
        Data, 1-d.
    mu : float
    sigma : float
        > 0.
    ax : matplotlib.axes.Axes, optional
    bins : int
        1 to :data:`MAX_BINS`.
    label : str, optional
        Legend entry of the density (default shows mu and sigma).
    xlim : (float, float), optional
        Where the density is drawn; default the data and mu +- 4 sigma.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_density_fit([0.1, -0.3, 0.5, 1.2], 0.0, 1.0, bins=3)
    >>> set_density(ax.lines[-1], 0.5, 2.0)
    >>> plt.close(ax.figure)
    """
    x = v.data_array("x", x)
    mu = v.finite("mu", mu)
    sigma = v.positive("sigma", sigma)
    bins = v.integer("bins", bins)
    if bins > MAX_BINS:
        raise ValueError(f"bins must be <= {MAX_BINS} (each bin is drawn), got {bins}")
    if xlim is None:
        xlim = (min(x.min(), mu - 4 * sigma), max(x.max(), mu + 4 * sigma))
    else:
        xlim = v.interval("xlim", xlim)
    if ax is None:
        _, ax = plt.subplots()
    ax.hist(x, bins=bins, density=True, color="#56B4E9", alpha=0.6, label="data")
    line, = ax.plot(np.linspace(*xlim, 400), np.zeros(400), color="#D55E00",
                    label=label or rf"N($\mu$={mu:.2f}, $\sigma$={sigma:.2f})")
    set_density(line, mu, sigma)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    return ax


def set_density(line, mu, sigma) -> None:
    """Move a density line drawn by :func:`plot_density_fit` to N(mu, sigma^2), in place.

    Examples
    --------
    >>> ax = plot_density_fit([0.0, 1.0], 0.5, 1.0, bins=2)
    >>> set_density(ax.lines[-1], 0.0, 1.0)
    >>> round(float(ax.lines[-1].get_ydata().max()), 3)
    0.399
    >>> plt.close(ax.figure)
    """
    mu = v.finite("mu", mu)
    sigma = v.positive("sigma", sigma)
    line.set_ydata(models.normal_pdf(np.asarray(line.get_xdata(), dtype=float), mu, sigma))


def nice_ceiling(x, mantissas=(1.0, 2.0, 2.5, 5.0), *, rtol: float = 1e-12) -> float:
    """The smallest round number ``m * 10**e`` (m one of ``mantissas``) that is >= ``x``.

    The one rounding rule behind the sliders' steps, the close-ups' half-widths and the loss
    panel's step axis: values that change only in round steps keep ticks and saved backgrounds
    steady. ``rtol`` lets ``x`` exceed the number by that fraction (a slider step may be a hair
    finer than asked).

    Parameters
    ----------
    x : float
        > 0.
    mantissas : sequence of float
        Increasing, in [1, 10).
    rtol : float
        Relative slack, >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> nice_ceiling(3.0), nice_ceiling(0.0013), nice_ceiling(26), nice_ceiling(3.0, (1, 2, 5))
    (5.0, 0.002, 50.0, 5.0)
    """
    x = v.positive("x", x)
    e = math.floor(math.log10(x))
    for m in (*mantissas, 10.0):
        if m * 10.0**e >= x * (1 - rtol):
            return m * 10.0**e
    return 10.0 ** (e + 1)  # pragma: no cover - 10 * 10**e >= x always


# ------------------------------------------------ optimizer runs (the explorers draw with these)

__all__ += ["run_status", "RunArtists", "plot_run", "plot_learning_rate_grid"]

_FAR = 1e3  # path points farther than this many view widths are cut at that distance


def run_status(result) -> str:
    """One short sentence saying how an optimizer run ended, for titles and status lines.

    Introduced in notebook 04.

    Parameters
    ----------
    result : course_utils.optim.OptimResult

    Returns
    -------
    str
        ``"converged at step k"``, ``"diverged at step k (last finite point shown)"``,
        ``"still moving after n steps"``, ``"loss growing after n steps: diverging ..."`` (the
        steps ran out while the loss was above its start) or
        ``"stopped after n steps: <scipy's message>"``.

    Examples
    --------
    >>> from course_utils import models, optim
    >>> q = models.make_quadratic(np.eye(2))
    >>> run_status(optim.gradient_descent(q, [1.0, 1.0], lr=3.0, max_iter=50))
    'diverged at step 11 (last finite point shown)'
    """
    state = result.state
    if state == "converged":
        return f"converged at step {result.nit}"
    if state == "diverged":
        if result.diverged_at == 0:
            return "diverged at step 0: the loss is not finite at the start"
        return f"diverged at step {result.diverged_at} (last finite point shown)"
    if state == "max_iter":
        if result.get("growing", False):
            # decided by optim: not yet past the blow-up threshold, but the loss ended above its start
            return f"loss growing after {result.nit} steps: diverging (learning rate too large?)"
        return f"still moving after {result.nit} steps"
    return f"stopped after {result.nit} steps: {str(result.message).rstrip('.')}"


@dataclass(eq=False)
class RunArtists:
    """The artists :func:`plot_run` drew, so that a later call can update them in place.

    ``log`` is the colour scale drawn; ``reference`` the loss the loss panel counts from; ``note``
    says where the end is when it lies outside the view.
    """

    ax: Axes
    image: AxesImage
    log: bool
    reference: float
    path: Line2D
    start: Line2D
    end: Line2D
    note: Text
    contours: object = None
    colorbar: object = None
    optimum: Line2D | None = None
    loss_ax: Axes | None = None
    loss_line: Line2D | None = None

    def __repr__(self) -> str:
        return f"RunArtists(log={self.log})"


def _height_above_floor(Z):
    """The log scale's data: ``W = Z - floor`` (> 0 where Z is finite) and its range (low, high).

    The floor sits a millionth of the span below the lowest value (1e-12 for a flat surface), and
    ``high >= 2 low``: the range always spans something, so levels and norms are increasing.
    """
    Z = np.asarray(Z, dtype=float)
    finite = Z[np.isfinite(Z)]
    lo, hi = float(finite.min()), float(finite.max())
    shift = lo - max((hi - lo) * 1e-6, 1e-12)
    return Z - shift, lo - shift, max(hi - shift, 2 * (lo - shift))


def _landscape_norm(Z, log: bool):
    """Colour data and norm of a landscape: the loss itself, or its height above the floor (log)."""
    if log:
        W, low, high = _height_above_floor(Z)
        return W, LogNorm(vmin=low, vmax=high)
    finite = Z[np.isfinite(Z)]
    lo, hi = float(finite.min()), float(finite.max())
    return Z, Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1.0)


def _display_path(path, xlim, ylim):
    """The path as drawn: cut where it leaves for far away (no overflow in the transforms)."""
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    lo = np.array([xlim[0], ylim[0]])
    span = np.array([xlim[1] - xlim[0], ylim[1] - ylim[0]])
    box_lo, box_hi = lo - _FAR * span, lo + (1 + _FAR) * span
    outside = np.any((path < box_lo) | (path > box_hi), axis=1)
    if not outside.any():
        return path
    k = int(np.argmax(outside))
    if k == 0:
        return np.clip(path[:1], box_lo, box_hi)
    a, b = path[k - 1], path[k]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        t_hi = np.where(d > 0, (box_hi - a) / d, np.inf)
        t_lo = np.where(d < 0, (box_lo - a) / d, np.inf)
    t = float(np.clip(min(t_hi.min(), t_lo.min(), 1.0), 0.0, 1.0))
    return np.vstack([path[:k], a + t * d])


def _loss_gap(losses, reference):
    """Loss above the reference, floored so that a log axis can show it."""
    losses = np.asarray(losses, dtype=float)
    gap = losses - reference
    floor = 1e-12 * max(1.0, abs(reference))
    return np.maximum(gap, floor), floor


def plot_run(X, Y, Z, result=None, *, ax=None, loss_ax=None, log: bool = False, optimum=None,
             floor=None, labels=None, title=None, cmap: str = "viridis",
             colorbar: bool = True, max_steps=None, loss_ylim=None,
             artists: RunArtists | None = None) -> RunArtists:
    """Draw a loss landscape with an optimizer's path (and its loss per iteration), or update them.

    The one drawing function behind the landscape explorer and the static small multiples. The
    first call draws; passing its return value back as ``artists`` updates the same artists in
    place (the landscape is recoloured only when ``log`` changes), which is what keeps a widget
    fast. Introduced in notebook 04.

    Parameters
    ----------
    X, Y, Z : numpy.ndarray
        The landscape, from :func:`loss_grid` (``nan`` where the loss is not finite).
    result : course_utils.optim.OptimResult, optional
        The run to draw; its ``path`` is drawn (start square, end cross), its ``losses`` on
        ``loss_ax``.
    ax : matplotlib.axes.Axes, optional
        The landscape's axes; default a new figure.
    loss_ax : matplotlib.axes.Axes, optional
        Where to draw the loss per iteration (log scale, height above the optimum).
    log : bool
        Colour by the height above the floor on a log scale (shows the valley floor).
    optimum : array_like, optional
        The known minimiser, marked with a star.
    floor : float, optional
        The loss at the optimum: the loss panel shows the height above it (default: the lowest
        value on the grid or on the path).
    labels : (str, str), optional
        Axis labels (parameter names).
    title : str, optional
        Title of the landscape; default the run's status (:func:`run_status`).
    cmap : str
        A colour-blind-safe colour map.
    colorbar : bool
        Add a colour bar (first call only).
    max_steps : int, optional
        Right end of the loss panel's step axis; default the run's last step.
    loss_ylim : (float, float), optional
        Fixed limits of the loss panel (height above the lowest loss); default whole decades
        around the run.
    artists : RunArtists, optional
        What a previous call returned: update it instead of drawing anew.

    Returns
    -------
    RunArtists

    Examples
    --------
    >>> from course_utils import models, optim
    >>> q = models.make_quadratic(np.diag([1.0, 4.0]))
    >>> X, Y, Z = loss_grid(q, (-2, 2), (-2, 2), grid_n=50)
    >>> res = optim.gradient_descent(q, [-1.5, 1.5], lr=0.2, max_iter=30)
    >>> art = plot_run(X, Y, Z, res, optimum=q.minimum)
    >>> art.path.get_xdata()[0], art.ax.get_title()
    (np.float64(-1.5), 'still moving after 30 steps')
    >>> plt.close(art.ax.figure)
    """
    Z = np.asarray(Z, dtype=float)
    if not np.isfinite(Z).any():
        raise ValueError("Z must contain at least one finite value")
    xlim = (float(X.min()), float(X.max()))
    ylim = (float(Y.min()), float(Y.max()))
    if artists is None:
        if ax is None:
            _, ax = plt.subplots()
        reference = float(np.nanmin(Z))
        if floor is not None:
            reference = min(v.finite("floor", floor), reference)
        artists = _draw_landscape(ax, X, Y, Z, xlim, ylim, log=log, cmap=cmap, colorbar=colorbar,
                                  labels=labels, reference=reference, optimum=optimum)
        if loss_ax is not None:
            artists.loss_ax, artists.loss_line = loss_ax, _draw_loss_panel(loss_ax)
    elif log != artists.log:
        _recolour(artists, Z, log)
    if result is not None:
        _update_run(artists, result, xlim, ylim, max_steps, loss_ylim)
    if title is not None:
        artists.ax.set_title(title)
    elif result is not None:
        artists.ax.set_title(run_status(result))
    return artists


def _draw_landscape(ax, X, Y, Z, xlim, ylim, *, log, cmap, colorbar, labels, reference,
                    optimum) -> RunArtists:
    """Step 1 of :func:`plot_run`: the coloured landscape, its contours, the run's empty artists."""
    W, norm = _landscape_norm(Z, log)
    cm = plt.get_cmap(cmap).with_extremes(bad="#d9d9d9")
    image = ax.imshow(W, origin="lower", extent=(*xlim, *ylim), aspect="auto", cmap=cm,
                      norm=norm, interpolation="nearest", zorder=0)
    levels = np.unique(np.nanquantile(Z, [0.003, 0.01, 0.03, 0.08, 0.16, 0.3, 0.5, 0.75]))
    contours = None
    if levels.size >= 2:
        contours = ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.6,
                              alpha=0.55, zorder=1, negative_linestyles="solid")
    cbar = None
    if colorbar:
        cbar = ax.figure.colorbar(image, ax=ax, pad=0.02)
        cbar.set_label("loss − floor (log)" if log else "loss")
    path_line, = ax.plot([], [], zorder=3, label="path", **RUN_STYLE["path"])
    start, = ax.plot([], [], zorder=4, label="start", **RUN_STYLE["start"])
    end, = ax.plot([], [], zorder=4, label="end", **RUN_STYLE["end"])
    opt = None
    if optimum is not None:
        opt, = ax.plot(*v.vector("optimum", optimum, size=2), zorder=5, label="optimum",
                       **RUN_STYLE["optimum"])
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_autoscale_on(False)
    ax.grid(False)
    if labels is not None:
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
    note = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize="small", zorder=6,
                   va="bottom", ha="left",
                   bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.85,
                         "edgecolor": "none"})
    return RunArtists(ax=ax, image=image, log=log, reference=reference, path=path_line,
                      start=start, end=end, note=note, contours=contours, colorbar=cbar,
                      optimum=opt)


def _draw_loss_panel(loss_ax) -> Line2D:
    """Step 2 of :func:`plot_run`: the loss-per-iteration panel (log scale), empty."""
    loss_line, = loss_ax.semilogy([], [], color="#0072B2", marker="o", markersize=2.5,
                                  linewidth=1.4)
    loss_ax.set_xlabel("step")
    loss_ax.set_ylabel("loss − lowest loss")
    loss_ax.set_title("loss per iteration")
    loss_ax.set_autoscale_on(False)
    return loss_line


def _recolour(artists: RunArtists, Z, log: bool) -> None:
    """Switch the landscape between the loss and its height above the floor on a log scale."""
    W, norm = _landscape_norm(Z, log)
    artists.image.set_data(W)
    artists.image.set_norm(norm)
    if artists.colorbar is not None:
        artists.colorbar.update_normal(artists.image)
        artists.colorbar.set_label("loss − floor (log)" if log else "loss")
    artists.log = log


def _update_run(artists: RunArtists, result, xlim, ylim, max_steps=None, loss_ylim=None) -> None:
    """Move the path, start, end and loss-curve artists to a new run."""
    path = _display_path(result.path, xlim, ylim)
    artists.path.set_data(path[:, 0], path[:, 1])
    artists.start.set_data(path[:1, 0], path[:1, 1])
    artists.end.set_data(path[-1:, 0], path[-1:, 1])
    if artists.note is not None:
        last = np.asarray(result.path, dtype=float)[-1]
        inside = xlim[0] <= last[0] <= xlim[1] and ylim[0] <= last[1] <= ylim[1]
        artists.note.set_text("" if inside else
                              f"end outside the view:\n({last[0]:.3g}, {last[1]:.3g})")
    if artists.loss_line is not None:
        losses = np.asarray(result.losses, dtype=float)
        finite = np.isfinite(losses)
        reference = min(artists.reference, float(losses[finite].min()) if finite.any() else np.inf)
        gap, floor = _loss_gap(losses[finite], reference)
        steps = np.arange(losses.size)[finite]
        artists.loss_line.set_data(steps, gap)
        lax = artists.loss_ax
        last = int(steps[-1]) if steps.size else 1
        lax.set_xlim(0, max(last if max_steps is None else max_steps, 1))
        if loss_ylim is not None:
            lax.set_ylim(loss_ylim)
        elif gap.size:
            # whole decades: the axis keeps its ticks while runs change a little
            top = 10.0 ** min(np.ceil(np.log10(float(gap.max()) * 2.0)), 300.0)
            bottom = 10.0 ** np.floor(np.log10(max(float(gap.min()) / 2.0, floor / 2.0)))
            if not top > bottom * 10:
                top = bottom * 10
            lax.set_ylim(bottom, top)


def plot_learning_rate_grid(loss, xlim, ylim, runs, *, grid_n: int = 100, log: bool = True,
                            fig=None):
    """Small multiples: the runs of :func:`course_utils.optim.learning_rate_sweep`, one panel each.

    The static companion of the landscape explorer, for readers without a kernel: rows are start
    points, columns learning rates; each panel is titled with its learning rate and how the run
    ended (converged at step k / diverged at step k / still moving after n steps). It only draws:
    the runs are computed by ``optim.learning_rate_sweep``. Introduced in notebook 04.

    Parameters
    ----------
    loss : callable
        The two-parameter loss of the runs (a :class:`course_utils.models.Loss` adds axis labels
        and the optimum's star).
    xlim, ylim : (float, float)
        Ranges of the two parameters.
    runs : numpy.ndarray of OptimResult, shape (starts, learning rates)
        From :func:`course_utils.optim.learning_rate_sweep` (each run carries its ``lr``).
    grid_n : int
        Landscape resolution.
    log : bool
        Log colour scale (height above the floor).
    fig : matplotlib.figure.Figure, optional
        Where to draw; default a new figure sized to the grid.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : numpy.ndarray of Axes, the shape of ``runs``

    Examples
    --------
    >>> from course_utils import models, optim
    >>> q = models.make_quadratic(np.diag([1.0, 10.0]))
    >>> runs = optim.learning_rate_sweep(q, [(-1.5, 1.5)], [0.05, 0.15, 0.3], max_iter=100)
    >>> fig, axes = plot_learning_rate_grid(q, (-2, 2), (-2, 2), runs, grid_n=30)
    >>> [ax.get_title().splitlines()[1] for ax in axes[0]]
    ['still moving after 100 steps', 'converged at step 88', 'diverged at step 11']
    >>> plt.close(fig)
    """
    xlim = v.interval("xlim", xlim)
    ylim = v.interval("ylim", ylim)
    runs = np.atleast_2d(np.asarray(runs, dtype=object))
    if runs.ndim != 2 or runs.size == 0:
        raise ValueError(f"runs must be a non-empty 2-d array of results, got shape {runs.shape}")
    X, Y, Z = loss_grid(loss, xlim, ylim, grid_n=grid_n)
    names = getattr(loss, "param_names", None)
    optimum = getattr(loss, "minimum", None)
    nr, nc = runs.shape
    if fig is None:
        fig = plt.figure(figsize=(min(2.2 * nc + 0.4, 6.5), 2.1 * nr + 0.6), layout="constrained")
    axes = np.atleast_2d(np.asarray(fig.subplots(nr, nc, sharex=True, sharey=True, squeeze=False)))
    for (i, j), res in np.ndenumerate(runs):
        ax = axes[i, j]
        status = run_status(res).replace(" (last finite point shown)", "")
        plot_run(X, Y, Z, res, ax=ax, log=log, optimum=optimum, colorbar=False,
                 title=f"lr = {res.lr:g}\n{status}")
        if names is not None and i == nr - 1:
            ax.set_xlabel(names[0])
        if names is not None and j == 0:
            ax.set_ylabel(names[1])
    first = runs.flat[0]
    fig.suptitle(f"{first.method}, from {nr} start(s)")
    return fig, axes
