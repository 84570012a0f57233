"""The landscape explorer: an optimizer's path over any two-parameter loss, live."""

from __future__ import annotations

import math

import ipywidgets as w
import numpy as np

from course_utils import _validate as v
from course_utils import optim, plotting
from course_utils.widgets._parts import (
    Panel,
    Readout,
    figure_legend,
    float_slider,
    fmt,
    fmt_point,
    log_slider,
    make_panels,
    plain,
    snap,
    status_label,
)

__all__ = ["LandscapeExplorer"]

DEFAULT_OPTIMIZERS = (*optim.OPTIMIZERS, "Nelder-Mead", "BFGS")
_BOUNDED = ("L-BFGS-B",)  # given the plotted ranges as bounds


def short_status(status: str) -> str:
    """The status line cut to its first clause, for the figure's title (the line has it all).

    >>> short_status("diverged at step 18 (last finite point shown)")
    'diverged at step 18'
    """
    return status.split(" (")[0].split(":")[0]


def _lr_range(lr: float, lr_range):
    if lr_range is None:
        e = math.floor(math.log10(lr))
        return 10.0 ** (e - 3), 10.0 ** (e + 2)
    lo, hi = v.interval("lr_range", lr_range)
    v.positive("lr_range[0]", lo)
    if not lo <= lr <= hi:
        raise ValueError(f"lr must lie in lr_range {lr_range}, got {lr}")
    return lo, hi


class LandscapeExplorer(Panel):
    """Move the start, the learning rate and the optimizer; watch the path answer at once.

    An ``ipywidgets.VBox``: show it as the last expression of a cell. A click on the landscape
    sets the start. The status line says how the run ended (converged at step k / diverged at step
    k / still moving after n steps); the read-out puts the final estimate beside the optimum.
    Introduced in notebook 04 (used in 01-06).

    Parameters
    ----------
    loss : callable
        A two-parameter loss (a :class:`course_utils.models.Loss` gives names and the optimum).
    xlim, ylim : (float, float)
        Ranges of the two parameters: the landscape shown and the start sliders' ranges.
    x0 : (float, float), optional
        Start point; default near the top-left corner.
    lr : float
        Learning rate (log-scale slider over ``lr_range``).
    max_iter : int
        Maximum number of steps.
    optimizer : str
        The optimizer selected first (the first of ``optimizers`` when the default is not
        among them).
    optimizers : sequence of str, optional
        Choices: keys of :data:`course_utils.optim.OPTIMIZERS` and scipy methods
        (Nelder-Mead, Powell, CG, BFGS, L-BFGS-B). Default: our four, Nelder-Mead and BFGS.
        L-BFGS-B gets the plotted ranges as bounds; the learning rate is disabled for scipy's
        methods, which choose their own steps.
    log_color : bool
        Colour the landscape on a log scale (height above the floor).
    grid_n : int
        Landscape resolution (points per axis).
    lr_range : (float, float), optional
        Range of the learning-rate slider; default from ``lr / 1000`` to ``lr * 100``
        (rounded to powers of ten).
    max_iter_limit : int, optional
        Largest value of the steps slider; default ``max(500, max_iter)``.
    tol : float
        Gradient-norm tolerance of our optimizers.
    jac : callable, optional
        Gradient for our optimizers and scipy's gradient methods. Default: the loss's own exact
        gradient (a :class:`course_utils.models.Loss` may supply a fast hand-written one), else
        autograd's.

    Attributes
    ----------
    x0_x, x0_y, lr, max_iter, optimizer, log_color : ipywidgets controls
        ``x0_x`` and ``x0_y`` are the start sliders.
    status : ipywidgets.Label
        How the last run ended.
    readout : ipywidgets.HTML
        Final estimate, optimum, losses and evaluation count.
    result : course_utils.optim.OptimResult
        The last run.
    fig : matplotlib.figure.Figure
    artists : course_utils.plotting.RunArtists

    Examples
    --------
    >>> from course_utils import models
    >>> q = models.make_quadratic(np.diag([1.0, 10.0]))
    >>> ex = LandscapeExplorer(q, (-2, 2), (-2, 2), x0=(-1.5, 1.5), lr=0.05, grid_n=40)
    >>> ex.lr.value = 0.25
    >>> ex.status.value
    'diverged at step 18 (last finite point shown)'
    """

    def __init__(self, loss, xlim, ylim, *, x0=None, lr=0.1, max_iter=50,
                 optimizer="gradient descent", optimizers=None, log_color=False, grid_n=200,
                 lr_range=None, max_iter_limit=None, tol=1e-6, jac=None):
        xlim = v.interval("xlim", xlim)
        ylim = v.interval("ylim", ylim)
        if not callable(loss):
            raise ValueError(f"loss must be callable, got {loss!r}")
        if getattr(loss, "n_params", 2) != 2:
            raise ValueError(f"loss must take two parameters, got {loss.n_params}: {loss!r}")
        if x0 is None:
            x0 = (xlim[0] + 0.2 * (xlim[1] - xlim[0]), ylim[0] + 0.8 * (ylim[1] - ylim[0]))
        x0 = v.vector("x0", x0, size=2)
        for name, s, (lo, hi) in (("x0[0]", x0[0], xlim), ("x0[1]", x0[1], ylim)):
            if not lo <= s <= hi:
                raise ValueError(f"{name} must lie in [{lo}, {hi}], got {s}")
        lr = v.positive("lr", lr)
        max_iter = v.integer("max_iter", max_iter)
        limit = (max(500, max_iter) if max_iter_limit is None
                 else v.integer("max_iter_limit", max_iter_limit))
        if max_iter > limit:
            raise ValueError(f"max_iter must be <= max_iter_limit={limit}, got {max_iter}")
        if jac is not None and not callable(jac):
            raise ValueError(f"jac must be a callable returning the gradient, or None, got {jac!r}")
        grid_n = v.integer("grid_n", grid_n, minimum=2)
        choices = tuple(DEFAULT_OPTIMIZERS if optimizers is None else optimizers)
        allowed = (*optim.OPTIMIZERS, *optim.SCIPY_METHODS)
        bad = [c for c in choices if c not in allowed]
        if bad or not choices:
            raise ValueError(f"optimizers must be names from {allowed}, got {optimizers!r}")
        if optimizer == "gradient descent" and optimizer not in choices:
            optimizer = choices[0]  # the default, when the choices leave it out (notebook 03)
        if optimizer not in choices:
            raise ValueError(f"optimizer must be one of {choices}, got {optimizer!r}")
        lr_lo, lr_hi = _lr_range(lr, lr_range)

        self.loss, self.xlim, self.ylim, self.tol, self._jac = loss, xlim, ylim, tol, jac
        names = tuple(getattr(loss, "param_names", ("x", "y")))[:2]
        self.names = tuple(plain(n) for n in names)
        self.optimum = getattr(loss, "minimum", None)
        self.X, self.Y, self.Z = plotting.loss_grid(loss, xlim, ylim, grid_n=grid_n)
        if not np.isfinite(self.Z).any():
            raise ValueError("loss must be finite somewhere in xlim x ylim")
        self.floor = None
        if self.optimum is not None:
            with np.errstate(all="ignore"):
                f_opt = float(loss(np.asarray(self.optimum, dtype=float)))
            self.floor = f_opt if np.isfinite(f_opt) else None
        # the loss panel keeps one scale: from 1e-9 of the loss (near-converged) to the landscape's
        # highest point above the floor (paths starting in view begin below it)
        low = float(np.nanmin(self.Z)) if self.floor is None else min(self.floor,
                                                                       float(np.nanmin(self.Z)))
        height = max(float(np.nanmax(self.Z)) - low, 1e-300)
        self.loss_ylim = (10.0 ** np.floor(np.log10(max(1e-9 * max(1.0, abs(low)),
                                                        1e-12 * height))),
                          10.0 ** np.ceil(np.log10(height * 2.0)))

        self.x0_x = float_slider(f"start {self.names[0]}", float(x0[0]), *xlim)
        self.x0_y = float_slider(f"start {self.names[1]}", float(x0[1]), *ylim)
        self.lr = log_slider("learning rate", lr, lr_lo, lr_hi)
        self.max_iter = w.IntSlider(value=max_iter, min=1, max=limit, description="steps",
                                 style={"description_width": "9em"},
                                 layout=w.Layout(width="26em"))
        self.optimizer = w.Dropdown(options=choices, value=optimizer, description="optimizer",
                                    style={"description_width": "6em"},
                                    layout=w.Layout(width="18em"))
        self.log_color = w.Checkbox(value=bool(log_color), description="log colour scale",
                                    indent=False, layout=w.Layout(width="18em"))
        self.status = status_label()
        self.readout = Readout()

        self.fig, self.canvas, (ax, loss_ax) = make_panels(
            height=3.6, stacked_heights=(4.6, 3.0), width_ratios=(1.45, 1.0))
        self.artists = plotting.plot_run(
            self.X, self.Y, self.Z, None, ax=ax, loss_ax=loss_ax, log=bool(log_color),
            optimum=self.optimum, floor=self.floor, labels=names)
        a = self.artists
        for panel in (ax, loss_ax):
            panel.title.set_fontsize("medium")
        # the legend sits in the figure's margin (it never covers the path's end or the star) and
        # is drawn once with the still parts; the end is drawn over the star, so that a run that
        # converges shows its end
        figure_legend(self.fig, [x for x in (a.path, a.start, a.end, a.optimum) if x is not None])
        if a.optimum is not None:
            a.end.set_zorder(a.optimum.get_zorder() + 0.5)
        # drawn over the saved background at each change
        self.fig.set_dynamic([x for x in (a.path, a.start, a.end, a.optimum, a.loss_line,
                                          ax.title, a.note) if x is not None])
        self.fig.background_state = lambda: self.artists.log
        self.canvas.mpl_connect("button_press_event", self._on_click)

        # two columns of controls that wrap to one on a narrow screen
        controls = w.HBox([
            w.VBox([self.x0_x, self.x0_y, self.lr, self.max_iter]),
            w.VBox([self.optimizer, self.log_color]),
        ], layout=w.Layout(flex_flow="row wrap"))
        self.result = None
        self.update()
        self.canvas.go_live()
        super().__init__([controls, self.status, self.readout, self.canvas])
        for c in (self.x0_x, self.x0_y, self.lr, self.max_iter, self.optimizer):
            c.observe(self._on_change, names="value")
        self.log_color.observe(self._on_color, names="value")

    # ------------------------------------------------------------------ wiring
    def _on_color(self, change) -> None:
        plotting.plot_run(self.X, self.Y, self.Z, None, log=bool(self.log_color.value),
                          artists=self.artists, title=self.artists.ax.get_title())
        self.artists.ax.title.set_fontsize("medium")
        self._draw()

    def _on_click(self, event) -> None:
        """A click on the landscape moves the start there."""
        if event.inaxes is not self.artists.ax or event.xdata is None or event.ydata is None:
            return
        # on the sliders' steps: the browser would round the values and send them back
        x, y = snap(self.x0_x, event.xdata), snap(self.x0_y, event.ydata)
        with self.batch():
            self.x0_x.value = x
            self.x0_y.value = y

    def update(self) -> None:
        """Run the selected optimizer from the current controls and redraw the run."""
        name = self.optimizer.value
        self.lr.disabled = name not in optim.OPTIMIZERS
        x0 = np.array([self.x0_x.value, self.x0_y.value], dtype=float)
        bounds = (self.xlim, self.ylim) if name in _BOUNDED else None
        self.result = optim.run_optimizer(self.loss, x0, optimizer=name, lr=float(self.lr.value),
                                          max_iter=int(self.max_iter.value), tol=self.tol,
                                          jac=self._jac, bounds=bounds)
        status = plotting.run_status(self.result)
        plotting.plot_run(self.X, self.Y, self.Z, self.result, log=bool(self.log_color.value),
                          max_steps=int(plotting.nice_ceiling(int(self.max_iter.value))),
                          loss_ylim=self.loss_ylim, artists=self.artists,
                          title=short_status(status))
        self.artists.ax.title.set_fontsize("medium")  # set_title gave it the style's size
        note = self.artists.note
        if note is not None and note.get_text():  # two short lines stay inside the panel
            note.set_text(note.get_text().replace(": (", ":\n(", 1))
        self.status.value = status
        self.readout.text = self._readout_text()
        self._draw()

    def _readout_text(self) -> str:
        res = self.result
        which = "last finite point" if res.state == "diverged" else "final estimate"
        text = f"{which}: {fmt_point(self.names, res.path[-1])} (loss {fmt(res.losses[-1])})"
        if self.optimum is not None:
            text += f" · optimum: {fmt_point(self.names, self.optimum)}"
            if self.floor is not None:
                text += f" (loss {fmt(self.floor)})"
        if res.method in _BOUNDED:
            text += " · bounds: the plotted ranges"
        return text + f" · {int(res.nfev)} loss evaluations"

    def __repr__(self) -> str:
        name = str(getattr(self.loss, "name", type(self.loss).__name__))[:30]
        return (f"LandscapeExplorer({name!r}, optimizer={self.optimizer.value!r}, "
                f"lr={self.lr.value:.3g}, max_iter={self.max_iter.value})")
