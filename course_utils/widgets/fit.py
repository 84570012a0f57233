"""Fit by eye: move a normal density over a histogram and read the negative log-likelihood."""

from __future__ import annotations

import numpy as np

from course_utils import _validate as v
from course_utils import closed_form, models, plotting
from course_utils.widgets._parts import (
    Panel,
    Readout,
    figure_legend,
    float_slider,
    fmt,
    make_panels,
)

__all__ = ["FitByEye"]


class FitByEye(Panel):
    """Sliders for mu and sigma move a normal density over a histogram; the NLL answers live.

    The right panel shows where the guess sits on the NLL landscape, with the maximum-likelihood
    estimate (:func:`course_utils.closed_form.normal_mle`) as a star. An ``ipywidgets.VBox``:
    show it as the last expression of a cell. Introduced in notebook 01.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, at least two values.
    mu, sigma : float, optional
        First guess; default one sd left of the sample mean and 1.5 times the sd.
    bins : int
        Histogram bins, 1 to :data:`course_utils.plotting.MAX_BINS`.

    Attributes
    ----------
    mu, sigma : ipywidgets.FloatSlider
    readout : ipywidgets.HTML
        NLL of the guess, the optimum's NLL and the distance between them.
    nll : float
        NLL of the current guess (:func:`course_utils.models.normal_nll`).
    optimum : (float, float)
        The MLE (mean, population sd).
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> from course_utils import data
    >>> fit = FitByEye(data.normal_sample(200, 5.0, 2.0, seed=1))
    >>> fit.mu.value, fit.sigma.value = fit.optimum
    >>> fit.readout.value.endswith("0.00 above the optimum")
    True
    """

    def __init__(self, x, *, mu=None, sigma=None, bins=40):
        x = v.data_array("x", x, min_size=2)
        bins = v.integer("bins", bins)
        if bins > plotting.MAX_BINS:
            raise ValueError(f"bins must be <= {plotting.MAX_BINS}, got {bins}")
        mu_hat, sd_hat = closed_form.normal_mle(x)
        if sd_hat <= 0:
            raise ValueError("x must not be constant: its standard deviation is 0")
        mu = mu_hat - sd_hat if mu is None else v.finite("mu", mu)
        sigma = 1.5 * sd_hat if sigma is None else v.positive("sigma", sigma)
        mu_lim = (min(mu_hat - 3.0 * sd_hat, mu), max(mu_hat + 3.0 * sd_hat, mu))
        sd_lim = (min(sd_hat / 5.0, sigma), max(3.0 * sd_hat, sigma))
        self.x = x
        self.optimum = (mu_hat, sd_hat)
        self.nll_min = float(models.normal_nll(x, mu_hat, sd_hat))
        self.mu = float_slider("μ (mean)", mu, *mu_lim)
        # sigma's slider never reaches 0, whatever the guess rounds to on its grid
        self.sigma = float_slider("σ (sd)", sigma, *sd_lim, positive=True)
        self.readout = Readout()

        self.fig, self.canvas, (hax, lax) = make_panels(
            height=3.5, stacked_heights=(3.6, 3.8), width_ratios=(1.15, 1.0))
        self.hist_ax = self._draw_histogram(hax, bins, mu_lim)
        self.density = hax.lines[-1]
        self.artists = self._draw_landscape(lax, mu_lim, sd_lim)
        self._lay_out()
        self.fig.set_dynamic([self.density, self.guess])
        self.nll = np.nan
        self.update()
        self.canvas.go_live()
        super().__init__([self.mu, self.sigma, self.readout, self.canvas])
        self.mu.observe(self._on_change, names="value")
        self.sigma.observe(self._on_change, names="value")

    def _lay_out(self) -> None:
        """Short titles at the style's medium size; one legend, in the figure's margin, where it
        never covers the curve or the guess (layout only: what is drawn is unchanged)."""
        hax, lax = self.hist_ax, self.artists.ax
        for ax in (hax, lax):
            if ax.get_legend() is not None:
                ax.get_legend().remove()
        hax.set_title("data and N(μ, σ²)", fontsize="medium")
        lax.set_title("NLL of your guess", fontsize="medium")
        figure_legend(self.fig, [hax.patches[0], self.density, self.guess, self.artists.optimum],
                      labels=["data", "your density", "your guess", "MLE"])

    def _draw_histogram(self, hax, bins, mu_lim):
        """The data and the guess's density (:func:`course_utils.plotting.plot_density_fit`)."""
        pad = 0.1 * (self.x.max() - self.x.min())
        xlim = (min(self.x.min() - pad, mu_lim[0]), max(self.x.max() + pad, mu_lim[1]))
        plotting.plot_density_fit(self.x, float(self.mu.value), float(self.sigma.value), ax=hax,
                                  bins=bins, label="your guess", xlim=xlim)
        hax.lines[-1].set_linewidth(2.2)
        self._hist_top = max(patch.get_height() for patch in hax.patches)
        hax.set_xlim(*xlim)
        hax.set_title("data and the normal density N(μ, σ²)")
        hax.legend(loc="upper right", fontsize="small")
        hax.set_autoscale_on(False)
        return hax

    def _draw_landscape(self, lax, mu_lim, sd_lim):
        """The NLL landscape with the MLE (star) and the guess (dot)."""
        X, Y, Z = plotting.loss_grid(models.make_normal_nll(self.x), mu_lim, sd_lim, grid_n=120)
        artists = plotting.plot_run(X, Y, Z, None, ax=lax, log=True, optimum=self.optimum,
                                    labels=("μ", "σ"), title="NLL: your guess and the MLE")
        self.guess, = lax.plot([], [], marker="o", markersize=10, color="#D55E00",
                               markeredgecolor="white", linestyle="none", label="your guess",
                               zorder=6)
        lax.legend(handles=[self.guess, artists.optimum], loc="upper right",
                   fontsize="x-small", labels=["your guess", "MLE"])
        return artists

    def update(self) -> None:
        """Move the density and the guess marker; write the NLL read-out."""
        mu, sigma = float(self.mu.value), float(self.sigma.value)
        plotting.set_density(self.density, mu, sigma)
        # the density axis grows in steps of 25 %: between steps only the curve is redrawn
        top = 1.08 * max(self._hist_top, float(np.max(self.density.get_ydata())))
        self.hist_ax.set_ylim(0.0, 1.25 ** np.ceil(np.log(top) / np.log(1.25)))
        self.guess.set_data([mu], [sigma])
        self.nll = float(models.normal_nll(self.x, mu, sigma))
        # the optimum's coordinates stay off the read-out: finding them is the student's game
        self.readout.text = (
            f"NLL(μ = {fmt(mu)}, σ = {fmt(sigma)}) = {self.nll:.2f} · lowest possible NLL = "
            f"{self.nll_min:.2f} · distance: {self.nll - self.nll_min:.2f} above the optimum")
        self._draw()

    def __repr__(self) -> str:
        return f"FitByEye(n={self.x.size}, mu={self.mu.value:.4g}, sigma={self.sigma.value:.4g})"
