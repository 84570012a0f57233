"""Grid search, live: the grid's points over the NLL landscape, its best cell and its error."""

from __future__ import annotations

import time

import ipywidgets as w
import numpy as np
from matplotlib.patches import Patch, Rectangle

from course_utils import _validate as v
from course_utils import closed_form, grid, models, plotting
from course_utils.widgets._parts import (
    Panel,
    Readout,
    _digits,
    figure_legend,
    fmt,
    fmt_near,
    make_panels,
    on_grid,
    slider_range,
)

__all__ = ["GridExplorer"]


def _range_slider(description, value, lo, hi, *, positive=False):
    vmin, vmax, step = slider_range(lo, hi, positive=positive)
    value = tuple(min(max(on_grid(x, step), vmin), vmax) for x in value)
    return w.FloatRangeSlider(value=value, min=vmin, max=vmax, step=step,
                              description=description,
                              readout_format=f".{max(0, _digits(step) - 1)}f",
                              style={"description_width": "12em"}, layout=w.Layout(width="30em"))


def _with_readout(slider):
    """The range slider beside a label that reads "-1.00 to 2.90", kept up to date (the slider's
    own read-out box is too narrow for two numbers: it showed "-1.00 - 2.9")."""
    slider.readout = False
    slider.layout = w.Layout(width="26em")
    label = w.Label(layout=w.Layout(width="auto"))

    def show(_=None):
        lo, hi = slider.value
        label.value = f"{lo:{slider.readout_format}} to {hi:{slider.readout_format}}"

    show()
    slider.observe(show, names="value")
    return w.HBox([slider, label])


def _span(slider) -> tuple[float, float]:
    """A range slider's (low, high), at least one step wide (both handles may meet)."""
    lo, hi = map(float, slider.value)
    if hi > lo:
        return lo, hi
    step = float(slider.step)
    return (lo, lo + step) if lo + step <= slider.max else (hi - step, hi)


class GridExplorer(Panel):
    """Grid search over (mu, sigma) for normal data: resolution and ranges on sliders.

    Left: every grid point over the NLL landscape, the search region, the best cell (diamond) and
    the closed-form MLE (star). Right: a close-up of the best cell and the MLE with the grid
    around them. The read-out gives the best cell, its error against the closed form beside the
    grid spacing, and the number of evaluations; the time of the search is shown in the figure
    only (and in :attr:`seconds`), so that stored text outputs stay the same from run to run.
    The search is :mod:`course_utils.grid`'s (:func:`~course_utils.grid.grid_axes`,
    :func:`~course_utils.grid.nll_grid_sufficient`, :func:`~course_utils.grid.best_cell`): the
    widget only wires sliders to it. An ``ipywidgets.VBox``. Introduced in notebook 02.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, at least two values.
    grid_n : int
        Grid points per axis (the grid has ``grid_n * grid_n`` cells).
    mu_range, sigma_range : (float, float), optional
        The search region; default the mean +- 2 sd and (sd / 2, 2 sd). Sigma must stay > 0 (its
        slider never reaches 0).
    max_grid_n : int
        Largest value of the resolution slider.
    landscape_grid_n : int
        Resolution of the landscape drawn behind the grid.

    Attributes
    ----------
    grid_n : ipywidgets.IntSlider
    mu_range, sigma_range : ipywidgets.FloatRangeSlider
    readout : ipywidgets.HTML
    result : course_utils.grid.GridResult
        The last search's best cell.
    best : (float, float)
        The best grid cell.
    error : (float, float)
        ``best - closed form``.
    spacing : (float, float)
        Grid spacing in mu and sigma.
    evaluations : int
        Number of NLL evaluations (``grid_n * grid_n``).
    seconds : float
        Time of the last search (not shown in any text output).
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> from course_utils import data
    >>> g = GridExplorer(data.normal_sample(1000, 0.0, 1.0, seed=0), grid_n=21,
    ...                  mu_range=(-1, 1), sigma_range=(0.5, 1.5))
    >>> g.evaluations, bool(abs(g.error[0]) <= g.spacing[0] / 2)
    (441, True)
    """

    def __init__(self, x, *, grid_n=21, mu_range=None, sigma_range=None, max_grid_n=101,
                 landscape_grid_n=150):
        x = v.data_array("x", x, min_size=2)
        max_grid_n = v.integer("max_grid_n", max_grid_n, minimum=2)
        grid_n = v.integer("grid_n", grid_n, minimum=2)
        if grid_n > max_grid_n:
            raise ValueError(f"grid_n must be <= max_grid_n={max_grid_n}, got {grid_n}")
        landscape_grid_n = v.integer("landscape_grid_n", landscape_grid_n, minimum=2)
        mu_hat, sd_hat = closed_form.normal_mle(x)
        if sd_hat <= 0:
            raise ValueError("x must not be constant: its standard deviation is 0")
        mu_range = ((mu_hat - 2 * sd_hat, mu_hat + 2 * sd_hat) if mu_range is None
                    else v.interval("mu_range", mu_range))
        sigma_range = ((sd_hat / 2, 2 * sd_hat) if sigma_range is None
                       else v.interval("sigma_range", sigma_range))
        v.positive("sigma_range[0]", sigma_range[0])
        mu_lim = (min(mu_hat - 3 * sd_hat, mu_range[0]), max(mu_hat + 3 * sd_hat, mu_range[1]))
        sd_lim = (min(sd_hat / 5, sigma_range[0]), max(3 * sd_hat, sigma_range[1]))
        self.x, self.optimum = x, (mu_hat, sd_hat)
        self.loss = models.make_normal_nll(x)

        self.grid_n = w.IntSlider(value=grid_n, min=2, max=max_grid_n,
                                  description="grid points per axis",
                                  style={"description_width": "12em"},
                                  layout=w.Layout(width="30em"))
        self.mu_range = _range_slider("μ range", mu_range, *mu_lim)
        self.sigma_range = _range_slider("σ range", sigma_range, *sd_lim, positive=True)
        self.readout = Readout()

        self.fig, self.canvas, (ax, zax) = make_panels(
            height=3.6, stacked_heights=(4.4, 3.4), width_ratios=(1.35, 1.0))
        X, Y, Z = plotting.loss_grid(self.loss, mu_lim, sd_lim, grid_n=landscape_grid_n)
        self.artists = plotting.plot_run(X, Y, Z, None, ax=ax, log=True, optimum=self.optimum,
                                         labels=("μ", "σ"), title="")
        self.region = Rectangle((0, 0), 0, 0, fill=False, edgecolor="white", linestyle="--",
                                linewidth=1.2, zorder=2)
        ax.add_patch(self.region)
        self.points, self.best_marks = [], []
        for a in (ax, zax):
            pts, = a.plot([], [], linestyle="none", marker=".", color="black", markersize=2,
                          label="grid points", zorder=3)
            best, = a.plot([], [], linestyle="none", marker="D", markersize=11,
                           markerfacecolor="none", markeredgecolor="#D55E00", markeredgewidth=2.2,
                           label="best cell", zorder=7)  # hollow: the star shows through
            self.points.append(pts)
            self.best_marks.append(best)
        zoom_star, zoom_legend = self._draw_close_up(zax)
        # drawn over the saved background at each change (the stars too: they stay on top)
        self.fig.set_dynamic([*self.points, *self.best_marks, self.region, ax.title,
                              self.artists.optimum, zoom_star, zoom_legend])
        self._lay_out(zoom_legend)
        self.seconds = float("nan")
        self.update()
        # the stored first picture (kept in saved notebooks) shows no time: it differs run to run
        timed = self.artists.ax.get_title()
        self._title(f"{self.evaluations} evaluations")
        self.canvas.go_live()
        self._title(timed)
        super().__init__([self.grid_n, _with_readout(self.mu_range),
                          _with_readout(self.sigma_range), self.readout, self.canvas])
        for c in (self.grid_n, self.mu_range, self.sigma_range):
            c.observe(self._on_change, names="value")

    def _lay_out(self, zoom_legend) -> None:
        """Titles at the style's medium size, a title that fits the close-up, one legend in the
        figure's margin where it never covers the cells or the star, drawn once with the still
        parts (layout only: what is drawn is unchanged)."""
        zoom_legend.remove()
        self.fig.set_dynamic([a for a in self.fig._dynamic if a is not zoom_legend])
        self.zoom_ax.set_title("around the MLE", fontsize="medium")
        region = Patch(fill=False, edgecolor="0.35", linestyle="--")  # white on white: grey here
        zoom_star = next(a for a in self.zoom_ax.lines if a.get_label() == "closed form")
        figure_legend(self.fig, [self.points[1], self.best_marks[1], zoom_star, region],
                      labels=["grid points", "best cell", "closed form", "search region"])

    def _title(self, text: str) -> None:
        self.artists.ax.set_title(text, fontsize="medium")


    def _draw_close_up(self, zax):
        """The close-up's still parts: the closed form's star, labels, legend."""
        zoom_star, = zax.plot(*self.optimum, zorder=6, label="closed form",
                              **plotting.RUN_STYLE["optimum"])
        zax.set_facecolor("#f2f2f2")
        zax.set_xlabel("μ")
        zax.set_ylabel("σ")
        zax.set_title("close-up near the MLE")
        zoom_legend = zax.legend(loc="upper right", fontsize="x-small", framealpha=0.9)
        zoom_legend.set_zorder(10)
        self.zoom_ax = zax
        return zoom_star, zoom_legend

    def search(self):
        """Evaluate the NLL on the current grid: (mu values, sigma values, NLL of shape
        ``(len(mus), len(sigmas))``), by :func:`course_utils.grid.nll_grid_sufficient`."""
        mus, sds = grid.grid_axes(_span(self.mu_range), _span(self.sigma_range),
                                  int(self.grid_n.value))
        return mus, sds, grid.nll_grid_sufficient(self.x, mus, sds)

    def update(self) -> None:
        """Search the grid again and redraw."""
        t0 = time.perf_counter()
        mus, sds, values = self.search()
        self.result = grid.best_cell(values, mus, sds)  # skips cells whose loss is not finite
        self.seconds = time.perf_counter() - t0
        self.best = (self.result.mu, self.result.sigma)
        self.error = (self.best[0] - self.optimum[0], self.best[1] - self.optimum[1])
        self.spacing = self.result.spacing
        self.evaluations = self.result.evaluations
        M, S = np.meshgrid(mus, sds)
        sizes = (float(np.clip(4.0 - mus.size / 10.0, 1.0, 3.0)), 5.0)
        for pts, best, size in zip(self.points, self.best_marks, sizes, strict=True):
            pts.set_data(M.ravel(), S.ravel())
            pts.set_markersize(size)
            best.set_data([self.best[0]], [self.best[1]])
        self.region.set_bounds(mus[0], sds[0], mus[-1] - mus[0], sds[-1] - sds[0])
        # the close-up is centred on the closed form; its half-width, a round number, changes
        # only in steps, so that most moves redraw only the points
        cx, cy = self.optimum
        hx = plotting.nice_ceiling(max(2.5 * self.spacing[0], 1.3 * abs(self.error[0]), 1e-3 * cy),
                                   (1.0, 2.0, 5.0))
        hy = plotting.nice_ceiling(max(2.5 * self.spacing[1], 1.3 * abs(self.error[1]), 1e-3 * cy),
                                   (1.0, 2.0, 5.0))
        self.zoom_ax.set_xlim(cx - hx, cx + hx)
        self.zoom_ax.set_ylim(cy - hy, cy + hy)
        self._title(f"{self.evaluations} evaluations in {self.seconds * 1e3:.2f} ms")
        self.readout.text = (
            f"best cell: μ = {fmt_near(self.best[0], self.spacing[0])}, "
            f"σ = {fmt_near(self.best[1], self.spacing[1])} · closed form: "
            f"μ̂ = {fmt(self.optimum[0])}, σ̂ = {fmt(self.optimum[1])} · error: "
            f"Δμ = {self.error[0]:.2g}, Δσ = {self.error[1]:.2g} (grid spacing "
            f"{fmt(self.spacing[0])}, {fmt(self.spacing[1])}) · {self.evaluations} evaluations")
        self._draw()

    def __repr__(self) -> str:
        (m0, m1), (s0, s1) = self.mu_range.value, self.sigma_range.value
        return (f"GridExplorer(grid_n={self.grid_n.value}, mu_range=({m0:.4g}, {m1:.4g}), "
                f"sigma_range=({s0:.4g}, {s1:.4g}))")
