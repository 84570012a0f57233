"""The fit-by-eye and grid widgets with non-default arguments: where the input bugs lived."""

import numpy as np
import pytest

from course_utils import closed_form, data, grid, models, plotting, widgets


@pytest.fixture(scope="module")
def sample():
    return data.normal_sample(300, 1.0, 1.0, seed=3)


def test_fit_by_eye_with_a_tiny_sigma_keeps_its_slider_above_zero(sample):
    fit = widgets.FitByEye(sample, sigma=0.01)
    assert fit.sigma.min > 0 and fit.sigma.value > 0
    assert np.isfinite(fit.nll)
    fit.sigma.value = fit.sigma.max
    before = fit.readout.text
    fit.sigma.value = fit.sigma.min  # the lowest the slider goes: still a density
    assert np.isfinite(fit.nll) and fit.readout.text != before
    assert np.all(np.isfinite(fit.density.get_ydata()))


def test_fit_by_eye_draws_the_density_of_plot_density_fit(sample):
    fit = widgets.FitByEye(sample, mu=0.5, sigma=2.0)
    xs, ys = fit.density.get_data()
    np.testing.assert_allclose(ys, models.normal_pdf(xs, 0.5, 2.0))
    line = fit.density
    fit.mu.value = 1.5
    assert fit.density is line  # moved in place, not drawn again
    np.testing.assert_allclose(fit.density.get_ydata(), models.normal_pdf(xs, 1.5, 2.0))


@pytest.mark.parametrize("bins, match", [(10**6, "bins must be <= 1000"), (0, "bins must be >= 1"),
                                         (2.5, "bins must be an integer")])
def test_fit_by_eye_refuses_absurd_bins_at_once(sample, bins, match):
    with pytest.raises(ValueError, match=match):
        widgets.FitByEye(sample, bins=bins)


def test_grid_explorer_with_sigma_near_zero_never_reports_an_infinite_cell(sample):
    g = widgets.GridExplorer(sample, grid_n=11, sigma_range=(0.001, 2.0))
    assert g.sigma_range.min > 0
    for value in [(g.sigma_range.min, 2.0), (g.sigma_range.min, g.sigma_range.min),
                  (g.sigma_range.max, g.sigma_range.max)]:
        g.sigma_range.value = value
        assert g.best[1] > 0 and np.isfinite(g.result.nll)
        assert g.result.nll == pytest.approx(float(models.normal_nll(sample, *g.best)), rel=1e-12)


def test_grid_explorer_agrees_with_grid_search(sample):
    g = widgets.GridExplorer(sample, grid_n=31, mu_range=(0.0, 2.0), sigma_range=(0.5, 1.5))
    res = grid.grid_search(sample, (0.0, 2.0), (0.5, 1.5), grid_n=31)
    assert g.best == (res.mu, res.sigma) and g.spacing == res.spacing
    assert g.evaluations == res.evaluations == 31 * 31
    mu_hat, sd_hat = closed_form.normal_mle(sample)
    assert g.error == (res.mu - mu_hat, res.sigma - sd_hat)


@pytest.mark.parametrize("kwargs, match", [
    ({"grid_n": 1}, "grid_n must be >= 2"),
    ({"grid_n": 50, "max_grid_n": 40}, "grid_n must be <= max_grid_n=40"),
    ({"landscape_grid_n": 1}, "landscape_grid_n must be >= 2"),
    ({"sigma_range": (0.0, 1.0)}, "sigma_range"),
    ({"mu_range": (1.0, 0.0)}, "mu_range must have low < high"),
])
def test_grid_explorer_bad_input(sample, kwargs, match):
    with pytest.raises(ValueError, match=match):
        widgets.GridExplorer(sample, **kwargs)


def test_the_one_rounding_rule_serves_every_caller():
    from course_utils.widgets._parts import nice_step, slider_range

    assert nice_step(3.0, 200) == plotting.nice_ceiling(0.015, rtol=1e-3) == 0.02
    assert nice_step(2.001 * 200, 200) == 2.0  # a hair above a round number rounds down
    assert plotting.nice_ceiling(2.001) == 2.5
    assert plotting.nice_ceiling(30.0, (1.0, 2.0, 5.0)) == 50.0
    vmin, vmax, step = slider_range(0.001, 3.0, positive=True)
    assert vmin == step == 0.02 and vmax == 3.0
    assert slider_range(0.001, 3.0)[0] == 0.0
