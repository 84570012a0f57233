"""The explorers: driven by setting their controls, checked against what the plot shows.

What a widget shows must be what the optimizer (or the model) computes: the path line is the
optimizer's path, the status line says how that run ended, the read-outs carry the model's values.
A fuzz sets every control of every explorer to its extremes and to random combinations: no
exception, no warning (pytest turns warnings into errors), finite axis limits.
"""

import io
import warnings
from contextlib import redirect_stdout

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.colors import LogNorm
from numpy.testing import assert_allclose

from course_utils import closed_form, data, models, optim, plotting, widgets

Q = models.make_quadratic(np.diag([1.0, 10.0]))  # L = 10: gradient descent stable for lr < 0.2


@pytest.fixture(scope="module")
def sample():
    return data.normal_sample(500, 1.0, 2.0, seed=3)


@pytest.fixture(scope="module")
def nll(sample):
    return models.make_normal_nll(sample)


def quad_explorer(**kw):
    kw = {"x0": (-1.5, 1.5), "lr": 0.05, "max_iter": 40, "grid_n": 30, **kw}
    return widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), **kw)


def shown_path(ex):
    line = ex.artists.path
    return np.column_stack([line.get_xdata(), line.get_ydata()])


# ---------------------------------------------------------------- the landscape explorer


def test_path_line_is_the_optimizers_path_and_status_says_how_it_ended():
    ex = quad_explorer()
    ex.lr.value = 0.15
    ex.max_iter.value = 200
    expected = optim.gradient_descent(Q, [-1.5, 1.5], lr=0.15, max_iter=200)
    assert_allclose(shown_path(ex), expected.path, rtol=1e-12, atol=1e-15)
    assert expected.state == "converged"
    assert ex.status.value == f"converged at step {expected.nit}" == "converged at step 88"
    assert ex.artists.ax.get_title() == ex.status.value
    assert_allclose(ex.artists.start.get_xydata()[0], [-1.5, 1.5])
    assert_allclose(ex.artists.end.get_xydata()[0], expected.path[-1])
    steps, gaps = ex.artists.loss_line.get_data()
    assert_allclose(steps, np.arange(expected.losses.size))
    assert ex.readout.value.startswith("final estimate: θ₁ = ")
    assert "optimum: θ₁ = 0, θ₂ = 0 (loss 0)" in ex.readout.value


def test_on_the_normal_nll_every_optimizer_matches_its_autograd_run(nll):
    ex = widgets.LandscapeExplorer(nll, (-1, 3), (0.5, 4), x0=(-0.5, 3.5), lr=1e-3,
                                   max_iter=60, grid_n=40)
    for name, fun in optim.OPTIMIZERS.items():
        ex.optimizer.value = name
        expected = fun(nll, [-0.5, 3.5], lr=1e-3, max_iter=60)
        assert_allclose(shown_path(ex), expected.path, rtol=1e-9)
        assert ex.status.value == plotting.run_status(expected)
        assert not ex.lr.disabled


def test_a_diverging_run_shows_its_status_and_its_last_finite_point():
    ex = quad_explorer()
    ex.lr.value = 0.25
    expected = optim.gradient_descent(Q, [-1.5, 1.5], lr=0.25, max_iter=40)
    assert ex.result.state == "diverged"
    assert ex.status.value == f"diverged at step {expected.diverged_at} (last finite point shown)"
    end = ex.artists.end.get_xydata()[0]
    assert np.all(np.isfinite(end))
    assert_allclose(end, expected.path[-1])
    assert ex.readout.value.startswith("last finite point: ")
    last = expected.path[-1]
    assert ex.artists.note.get_text() == f"end outside the view:\n({last[0]:.3g}, {last[1]:.3g})"
    assert ex.artists.ax.get_title() == f"diverged at step {expected.diverged_at}"
    ex.lr.value = 0.05
    assert ex.artists.note.get_text() == ""
    assert ex.artists.ax.get_xlim() == (-2.0, 2.0) and ex.artists.ax.get_ylim() == (-2.0, 2.0)


def test_scipy_methods_disable_the_learning_rate_and_report_their_evaluations(nll):
    ex = widgets.LandscapeExplorer(nll, (-1, 3), (0.5, 4), x0=(-0.5, 3.5),
                                   optimizers=("gradient descent", *optim.SCIPY_METHODS), grid_n=30)
    for method in optim.SCIPY_METHODS:
        ex.optimizer.value = method
        assert ex.lr.disabled
        res = ex.result
        assert res.method == method
        assert_allclose(shown_path(ex), res.path)
        assert ex.readout.value.endswith(f"· {res.nfev} loss evaluations")
        assert res.state == "converged"
        assert ex.status.value == f"converged at step {res.nit}"
        assert_allclose(res.x, nll.minimum, rtol=1e-4, atol=1e-4)
    ex.optimizer.value = "gradient descent"
    assert not ex.lr.disabled


def test_controls_are_labelled_and_the_learning_rate_slider_is_logarithmic():
    ex = quad_explorer()
    assert isinstance(ex.lr, ipywidgets.FloatLogSlider)
    for c in (ex.x0_x, ex.x0_y, ex.lr, ex.max_iter, ex.optimizer, ex.log_color):
        assert c.description, c
    assert ex.x0_x.description == "start θ₁"
    assert list(ex.optimizer.options) == list(widgets.explorer.DEFAULT_OPTIMIZERS)


def test_the_colour_scale_toggle_recolours_the_same_image():
    ex = quad_explorer()
    image, path = ex.artists.image, ex.artists.path
    ex.log_color.value = True
    assert isinstance(image.norm, LogNorm) and ex.artists.image is image
    ex.log_color.value = False
    assert not isinstance(image.norm, LogNorm)
    ex.lr.value = 0.1
    assert ex.artists.path is path
    n_children = len(ex.artists.ax.get_children())
    for lr in (0.01, 0.1, 0.3):
        ex.lr.value = lr
    assert len(ex.artists.ax.get_children()) == n_children  # updated in place, never added


def test_a_click_on_the_landscape_moves_the_start_with_one_run():
    ex = quad_explorer()
    runs = []
    original = ex.update
    ex.update = lambda: (runs.append(1), original())[1]
    x, y = ex.artists.ax.transData.transform((0.5, -1.0))
    event = MouseEvent("button_press_event", ex.fig.canvas, x, y, button=1)
    ex.fig.canvas.callbacks.process("button_press_event", event)
    assert_allclose([ex.x0_x.value, ex.x0_y.value], [0.5, -1.0], atol=1e-9)
    assert len(runs) == 1
    assert_allclose(shown_path(ex)[0], [0.5, -1.0], atol=1e-9)
    # a click between the sliders' steps lands on them: the browser has nothing to correct
    x, y = ex.artists.ax.transData.transform((0.1234567, -0.7654321))
    ex.fig.canvas.callbacks.process(
        "button_press_event", MouseEvent("button_press_event", ex.fig.canvas, x, y, button=1))
    assert len(runs) == 2
    for slider in (ex.x0_x, ex.x0_y):
        k = (slider.value - slider.min) / slider.step
        assert abs(k - round(k)) < 1e-9 and repr(slider.value) == repr(round(slider.value, 6))
    assert_allclose([ex.x0_x.value, ex.x0_y.value], [0.12, -0.76])
    # the browser echoing the values back, rounded its own way, runs nothing
    ex.x0_x.value = ex.x0_x.value * (1 + 1e-15)
    assert len(runs) == 2
    # a click outside the landscape (on the loss panel) changes nothing
    x, y = ex.artists.loss_ax.transAxes.transform((0.5, 0.5))
    ex.fig.canvas.callbacks.process(
        "button_press_event", MouseEvent("button_press_event", ex.fig.canvas, x, y, button=1))
    assert len(runs) == 2


def test_construction_prints_nothing_and_reprs_are_stable(sample):
    out = io.StringIO()
    with redirect_stdout(out):
        a = quad_explorer()
        b = quad_explorer()
        f = widgets.FitByEye(sample)
        g = widgets.GridExplorer(sample)
    assert out.getvalue() == ""
    assert repr(a) == repr(b) == ("LandscapeExplorer('quadratic', optimizer='gradient descent', "
                                  "lr=0.05, max_iter=40)")
    assert repr(f) == repr(widgets.FitByEye(sample))
    assert repr(g) == repr(widgets.GridExplorer(sample))
    # the first picture, kept in the widget state of a saved notebook, is the same every run
    # (the grid's search time is left out of it)
    g2 = widgets.GridExplorer(sample)
    assert g.canvas._data_url.startswith("data:image/png;base64,")
    assert g.canvas._data_url == g2.canvas._data_url
    assert a.canvas._data_url == b.canvas._data_url
    for wdg in (a, f, g):
        bundle = wdg._repr_mimebundle_()
        assert bundle["text/plain"] == repr(wdg) and len(repr(wdg)) <= 110
        assert "application/vnd.jupyter.widget-view+json" in bundle


def test_invalid_arguments_raise_value_errors_naming_them():
    with pytest.raises(ValueError, match="x0"):
        widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), x0=(5, 0))
    with pytest.raises(ValueError, match="lr"):
        widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), lr=0)
    with pytest.raises(ValueError, match="optimizer"):
        widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), optimizer="newton")
    with pytest.raises(ValueError, match="optimizers"):
        widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), optimizers=("SLSQPX",))
    with pytest.raises(ValueError, match="two parameters"):
        widgets.LandscapeExplorer(models.make_quadratic(np.eye(3)), (-2, 2), (-2, 2))
    only_scipy = widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), optimizers=("BFGS", "CG"),
                                           grid_n=10)
    assert only_scipy.optimizer.value == "BFGS" and only_scipy.lr.disabled
    with pytest.raises(ValueError, match="xlim"):
        widgets.LandscapeExplorer(Q, (2, -2), (-2, 2))
    with pytest.raises(ValueError, match="sigma"):
        widgets.FitByEye([1.0, 2.0, 3.0], sigma=0)
    with pytest.raises(ValueError, match="x"):
        widgets.FitByEye([1.0, np.nan])
    with pytest.raises(ValueError, match="sigma_range"):
        widgets.GridExplorer([1.0, 2.0, 3.0], sigma_range=(0.0, 1.0))
    with pytest.raises(ValueError, match="optimizer"):
        optim.run_optimizer(Q, [0.0, 0.0], optimizer="newton")


def huber(t):
    """A Huber-type loss: |t0 - 4| (with a rounded tip) plus a bowl in t1. Not analytic at its kink."""
    import autograd.numpy as anp

    r = t[0] - 4.0
    return anp.where(anp.abs(r) < 0.1, 5.0 * r**2 + 0.05, anp.abs(r)) + 0.5 * (t[1] - 1.0) ** 2


def test_the_explorer_default_gradient_is_exact_on_a_loss_with_abs():
    # the old default (a complex-step gradient trusted after a check at the start only) said
    # "converged at step 41" at t0 = 4.125, where the true gradient is (1, 0)
    ex = widgets.LandscapeExplorer(huber, (0, 6), (-1, 3), x0=(3.5, 1.0), lr=2.5, max_iter=100,
                                   lr_range=(1e-3, 10.0), grid_n=30)
    res = ex.result
    expected = optim.gradient_descent(huber, [3.5, 1.0], lr=float(ex.lr.value), max_iter=100)
    assert_allclose(res.path, expected.path)
    if res.state == "converged":
        assert np.linalg.norm(optim._exact_grad(huber)(res.x)) <= 1e-6
    assert not ex.status.value.startswith("converged at step 41")


def test_a_loss_supplied_gradient_is_used_by_default_and_matches_autograd(nll):
    calls = []
    own = nll.value_and_grad

    def counted(theta):
        calls.append(1)
        return own(theta)

    loss = models.Loss(nll.fun, "counted", nll.param_names, nll.minimum)
    loss.value_and_grad = counted
    res = optim.gradient_descent(loss, [0.5, 1.5], lr=1e-3, max_iter=5)
    assert len(calls) == res.nfev == 6


def test_cached_background_gives_the_same_pixels_as_a_full_draw():
    ex = quad_explorer()
    canvas = ex.fig.canvas
    ex.lr.value = 0.12
    canvas.draw()
    ex.lr.value = 0.08  # drawn over the saved background
    canvas.draw()
    cached = np.asarray(canvas.buffer_rgba()).copy()
    ex.fig.invalidate()  # everything rendered again
    canvas.draw()
    assert np.array_equal(cached, np.asarray(canvas.buffer_rgba()))
    # savefig (a layout pass with drawing disabled, then a print) gives the same picture
    buf = io.BytesIO()
    ex.fig.savefig(buf, format="rgba", dpi=ex.fig.dpi)
    saved = np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(cached.shape)
    assert np.array_equal(saved, cached)
    landscape = saved[40:-60, 60:300, :3]  # inside the landscape: colours, not a blank page
    assert landscape.std() > 20


# ---------------------------------------------------------------- fit by eye and grid search


def test_fit_by_eye_readout_is_the_models_nll_and_its_distance_to_the_mle(sample):
    fit = widgets.FitByEye(sample, mu=0.0, sigma=1.0)
    mu_hat, sd_hat = closed_form.normal_mle(sample)
    assert fit.optimum == (mu_hat, sd_hat)
    for mu, sigma in [(0.5, 1.5), (mu_hat, sd_hat), (3.0, 4.5)]:
        with fit.batch():
            fit.mu.value, fit.sigma.value = mu, sigma
        expected = float(models.normal_nll(sample, mu, sigma))
        best = float(models.normal_nll(sample, mu_hat, sd_hat))
        assert fit.nll == pytest.approx(expected, rel=1e-12)
        assert f"= {expected:.2f} · lowest possible NLL = {best:.2f}" in fit.readout.value
        assert f"{mu_hat:.3f}" not in fit.readout.value  # the answer is not given away
        assert fit.readout.value.endswith(f"{expected - best:.2f} above the optimum")
        xs, ys = fit.density.get_data()
        pdf = np.exp(-0.5 * ((xs - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
        assert_allclose(ys, pdf)
        assert_allclose(fit.guess.get_xydata()[0], [mu, sigma])
        assert fit.hist_ax.get_ylim()[1] >= ys.max()


def test_grid_explorer_finds_the_brute_force_best_cell_within_half_a_spacing():
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    g = widgets.GridExplorer(x, grid_n=21, mu_range=(-1, 1), sigma_range=(0.5, 1.5))
    mu_hat, sd_hat = closed_form.normal_mle(x)
    for n in (5, 21, 60):
        g.grid_n.value = n
        mus, sds = np.linspace(-1, 1, n), np.linspace(0.5, 1.5, n)
        values = np.array([[models.normal_nll(x, m, s) for m in mus] for s in sds])
        i, j = np.unravel_index(np.argmin(values), values.shape)
        assert_allclose(g.best, (mus[j], sds[i]))
        assert_allclose(g.error, (mus[j] - mu_hat, sds[i] - sd_hat))
        assert abs(g.error[0]) <= g.spacing[0] / 2 + 1e-12
        assert abs(g.error[1]) <= g.spacing[1] / 2 + 1e-12
        assert g.evaluations == n * n
        assert_allclose(np.column_stack(g.points[0].get_data()).shape, (n * n, 2))
        assert g.readout.value.endswith(f"· {n * n} evaluations")
    # time only in the figure: never in the read-out or the repr
    assert "ms" not in g.readout.value and " s " not in g.readout.value
    assert "ms" not in repr(g)
    assert np.isfinite(g.seconds) and g.seconds >= 0
    assert "evaluations in" in g.artists.ax.get_title()


# ---------------------------------------------------------------- static small multiples


def test_learning_rate_grid_titles_each_panel_with_its_run_and_prints_nothing():
    out = io.StringIO()
    with redirect_stdout(out):
        runs = optim.learning_rate_sweep(Q, [(-1.5, 1.5), (1.5, -1.0)], [0.05, 0.15, 0.3],
                                         max_iter=100)
        fig, axes = plotting.plot_learning_rate_grid(Q, (-2, 2), (-2, 2), runs, grid_n=30)
    assert out.getvalue() == ""
    assert axes.shape == (2, 3)
    for i, start in enumerate([(-1.5, 1.5), (1.5, -1.0)]):
        for j, lr in enumerate([0.05, 0.15, 0.3]):
            res = optim.gradient_descent(Q, start, lr=lr, max_iter=100)
            title = axes[i, j].get_title()
            assert title.splitlines()[0] == f"lr = {lr:g}"
            assert title.splitlines()[1] == plotting.run_status(res).replace(
                " (last finite point shown)", "")
    assert "diverged at step 11" in axes[0, 2].get_title()
    plt.close(fig)


# ---------------------------------------------------------------- fuzz


def _controls(wdg):
    if isinstance(wdg, widgets.LandscapeExplorer):
        return [wdg.x0_x, wdg.x0_y, wdg.lr, wdg.max_iter, wdg.optimizer, wdg.log_color]
    if isinstance(wdg, widgets.FitByEye):
        return [wdg.mu, wdg.sigma]
    return [wdg.grid_n, wdg.mu_range, wdg.sigma_range]


def _extremes(c):
    if isinstance(c, ipywidgets.Dropdown):
        return list(c.options)
    if isinstance(c, ipywidgets.Checkbox):
        return [True, False]
    if isinstance(c, ipywidgets.FloatLogSlider):
        return [c.base ** c.min, c.base ** c.max]
    if isinstance(c, ipywidgets.FloatRangeSlider):
        return [(c.min, c.min), (c.max, c.max), (c.min, c.max)]
    return [c.min, c.max]


def _random_value(c, rng):
    if isinstance(c, ipywidgets.Dropdown):
        return c.options[rng.integers(len(c.options))]
    if isinstance(c, ipywidgets.Checkbox):
        return bool(rng.integers(2))
    if isinstance(c, ipywidgets.FloatLogSlider):
        return float(c.base ** rng.uniform(c.min, c.max))
    if isinstance(c, ipywidgets.IntSlider):
        return int(rng.integers(c.min, c.max + 1))
    if isinstance(c, ipywidgets.FloatRangeSlider):
        return tuple(sorted(rng.uniform(c.min, c.max, 2)))
    return float(rng.uniform(c.min, c.max))


def _check_sane(wdg):
    for ax in wdg.fig.axes:
        for lo, hi in (ax.get_xlim(), ax.get_ylim()):
            assert np.isfinite(lo) and np.isfinite(hi) and lo < hi, (ax, lo, hi)
    if isinstance(wdg, widgets.LandscapeExplorer):
        ax = wdg.artists.ax
        assert ax.get_xlim() == wdg.xlim and ax.get_ylim() == wdg.ylim
        path = shown_path(wdg)
        assert path.shape[0] >= 1 and np.all(np.isfinite(path))
        assert wdg.status.value == plotting.run_status(wdg.result)
        if wdg.result.state == "diverged":
            assert wdg.status.value.startswith("diverged at step")
            assert np.all(np.isfinite(wdg.artists.end.get_xydata()))
        assert wdg.artists.loss_ax.get_ylim()[0] > 0
    elif isinstance(wdg, widgets.FitByEye):
        assert np.isfinite(wdg.nll)
    else:
        assert np.all(np.isfinite(wdg.best)) and wdg.evaluations == wdg.grid_n.value ** 2


def _explorers(sample, nll):
    return [
        widgets.LandscapeExplorer(nll, (-3, 5), (0.05, 6), x0=(0.0, 3.0), lr=1e-3, max_iter=30,
                                  max_iter_limit=120, grid_n=24,
                                  optimizers=(*optim.OPTIMIZERS, *optim.SCIPY_METHODS)),
        widgets.LandscapeExplorer(Q, (-2, 2), (-2, 2), lr=0.1, max_iter=20, max_iter_limit=120,
                                  grid_n=24, log_color=True),
        widgets.FitByEye(sample, bins=12),
        widgets.GridExplorer(sample, grid_n=5, max_grid_n=40, landscape_grid_n=24),
    ]


def test_fuzz_every_control_extremes_and_random_combinations(sample, nll):
    rng = np.random.default_rng(20260411)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for wdg in _explorers(sample, nll):
            controls = _controls(wdg)
            for c in controls:  # one at a time, to each extreme
                for value in _extremes(c):
                    c.value = value
                    _check_sane(wdg)
            wdg.fig.canvas.draw()
            for k in range(200):  # random combinations, set together
                with wdg.batch():
                    for c in controls:
                        c.value = _random_value(c, rng)
                _check_sane(wdg)
                if k % 25 == 0:
                    wdg.fig.canvas.draw()
            for c in controls:  # and one control at a time, at random
                c.value = _random_value(c, rng)
                _check_sane(wdg)
            wdg.fig.canvas.draw()


def test_widgets_leave_the_notebooks_matplotlib_backend_alone(sample):
    # ``import ipympl`` would switch pyplot to the widget backend (every later static figure of a
    # notebook on ``%matplotlib inline`` would become a live canvas); the explorers prevent it
    import matplotlib

    widgets.FitByEye(sample)
    assert matplotlib.get_backend().lower() == "agg"
    fig, _ = plt.subplots()
    assert type(fig.canvas).__module__.startswith("matplotlib.backends.backend_agg")
    plt.close(fig)


@pytest.mark.parametrize(("latex", "text"), [
    (r"$\mu$", "μ"), (r"$\log\sigma$", "log σ"), (r"$\sigma^2$", "σ²"), (r"$\theta_1$", "θ₁"),
    (r"$V_{max}$", "Vmax"), (r"$\beta_{10}$", "β₁₀"),
])
def test_control_labels_are_plain_text_for_screen_readers(latex, text):
    from course_utils.widgets._parts import plain

    assert plain(latex) == text


# ---------------------------------------------------------------- live canvas and layout parts


def test_png_frames_decode_to_the_same_pixels():
    from PIL import Image

    from course_utils.widgets._parts import encode_png

    rng = np.random.default_rng(0)
    for shape in [(1, 1, 4), (7, 5, 4), (350, 580, 4)]:
        rgba = rng.integers(0, 256, shape, dtype=np.uint8)
        rgba[: shape[0] // 2] = 0  # mostly zeros, like a diff frame
        decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgba))))
        assert decoded.shape == shape and np.array_equal(decoded, rgba)


def _attach_browser(canvas):
    """What a browser view does when it shows the canvas; returns the list of binary frames."""
    frames = []
    canvas.send = lambda content, buffers=None: frames.append(buffers) if buffers else None
    canvas._handle_message(canvas, {"type": "initialized"}, [])
    return frames


def test_with_a_browser_view_each_change_sends_one_frame_in_the_same_turn(sample):
    from PIL import Image

    fit = widgets.FitByEye(sample)
    canvas = fit.fig.canvas
    frames = _attach_browser(canvas)
    canvas.draw()  # the first frame: the whole picture
    frames.clear()
    before = fit.frames
    fit.mu.value = fit.mu.value + fit.mu.step
    assert fit.frames == before + 1 and len(frames) == 1
    # a diff frame: the changed pixels, zero elsewhere, pasted over the last picture
    diff = np.asarray(Image.open(io.BytesIO(bytes(frames[0][0]))))
    assert diff.shape[:2] == np.asarray(canvas.buffer_rgba()).shape[:2]
    changed = diff.view(np.uint32).squeeze(2) != 0
    assert 0 < changed.mean() < 0.5
    # the browser handing back a rounded value (a billionth of a step off) runs nothing
    fit.mu.value = fit.mu.value + 1e-12 * fit.mu.step
    assert fit.frames == before + 1 and len(frames) == 1


def test_slider_snapping_and_negligible_changes():
    from course_utils.widgets._parts import fmt_near, negligible, snap

    s = ipywidgets.FloatSlider(min=-2.0, max=2.0, step=0.02, value=0.0)
    assert snap(s, 0.51001) == 0.52 and snap(s, 0.50999) == 0.5
    assert snap(s, -7) == -2.0 and snap(s, 0.7 - 1e-15) == 0.7
    odd = ipywidgets.FloatSlider(min=-0.99, max=1.0, step=0.02, value=0.01)
    assert snap(odd, 0.0) == 0.01 and snap(odd, 0.9999) == 0.99
    assert negligible({"owner": s, "old": -0.7, "new": -0.7000000000000001})
    assert not negligible({"owner": s, "old": -0.7, "new": -0.72})
    log = ipywidgets.FloatLogSlider(value=0.1, min=-3, max=1, step=0.05)
    assert negligible({"owner": log, "old": 0.1, "new": 0.1 * (1 + 1e-14)})
    assert not negligible({"owner": log, "old": 0.1, "new": 0.11})
    rng = ipywidgets.FloatRangeSlider(value=(0.0, 1.0), min=-2, max=2, step=0.01)
    assert negligible({"owner": rng, "old": (0.0, 1.0), "new": (0.0, 1.0 + 1e-15)})
    assert not negligible({"owner": rng, "old": (0.0, 1.0), "new": (0.0, 1.01)})
    assert not negligible({"owner": ipywidgets.IntSlider(), "old": 1, "new": 2})
    assert fmt_near(-3.331e-16, 0.1) == "0" and fmt_near(0.0123, 0.1) == "0.0123"


def test_layout_problems_finds_a_cut_title_and_colliding_labels():
    from course_utils.widgets._parts import layout_problems, make_canvas

    fig, canvas = make_canvas((3.0, 2.0))
    ax = fig.subplots()
    fig.set_layout_engine("none")
    ax.set_title("a title much too long to fit inside a figure only three inches wide")
    problems = layout_problems(fig)
    assert any(p.startswith("title 'a title much") and "cut" in p for p in problems), problems
    ax.set_title("short")
    ax.set_position([0.02, 0.02, 0.96, 0.9])  # no room for the tick labels: cut on the left
    assert any("tick label" in p for p in layout_problems(fig))
    fig2, _ = make_canvas((4.0, 4.0))
    a1, a2 = fig2.subplots(2, 1)
    fig2.set_layout_engine("none")
    a1.set_position([0.2, 0.5, 0.7, 0.35])
    a2.set_position([0.2, 0.1, 0.7, 0.35])
    a1.set_ylabel("a label of the upper panel")
    a2.set_ylabel("a label of the lower panel")
    assert not any("cut" in p for p in layout_problems(fig2))
    assert any("axis label" in p and "overlaps axis label" in p for p in layout_problems(fig2))


@pytest.mark.parametrize("style", ["default", "lecture"])
def test_every_explorer_fits_580_px_with_nothing_cut_or_colliding(style, sample, nll):
    from course_utils.widgets._parts import layout_problems

    mm = models.make_michaelis_menten_loss(*data.michaelis_menten_data(seed=0))
    with plotting.style(style):
        explorers = [
            quad_explorer(),
            widgets.LandscapeExplorer(nll, (-1, 3), (0.5, 4), x0=(-0.5, 3.5), log_color=True,
                                      optimizer="Nelder-Mead", grid_n=30),
            widgets.LandscapeExplorer(mm, (15.0, 45.0), (1.0, 16.0), x0=(18.0, 14.0), lr=0.05,
                                      max_iter=200, grid_n=30),
            widgets.FitByEye(sample),
            widgets.GridExplorer(sample),
        ]
        for ex in explorers:
            assert ex.fig.canvas.get_width_height()[0] <= 580
            assert layout_problems(ex.fig) == [], type(ex).__name__
            # the legend is in the figure's margin, drawn once: never over a panel
            assert len(ex.fig.legends) == 1 and not any(ax.get_legend() for ax in ex.fig.axes)
            legend = ex.fig.legends[0]
            assert legend not in ex.fig._dynamic
            box = legend.get_window_extent(ex.fig.canvas.get_renderer())
            assert all(box.y1 <= ax.get_tightbbox().y0 + 1 for ax in ex.fig.axes)
        # the longest titles and notes: a run that diverges far away, one still moving
        q = explorers[0]
        for lr, max_iter in [(0.6, 500), (0.01, 500), (0.25, 40)]:
            with q.batch():
                q.lr.value, q.max_iter.value = lr, max_iter
            assert layout_problems(q.fig) == [], (lr, max_iter, q.status.value)
        # stacked panels under large type, side by side otherwise
        a, b = q.artists.ax.get_position(), q.artists.loss_ax.get_position()
        assert (a.y0 > b.y1) == (style == "lecture")


def test_the_end_of_a_converged_run_is_drawn_over_the_star():
    ex = quad_explorer(lr=0.15, max_iter=200)
    assert ex.result.state == "converged"
    assert ex.artists.end.get_zorder() > ex.artists.optimum.get_zorder()
    order = ex.fig._dynamic
    assert order.index(ex.artists.end) > order.index(ex.artists.optimum)


def test_grid_explorer_prints_rounding_noise_as_zero_and_reads_its_ranges_out(sample):
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    g = widgets.GridExplorer(x - x.mean(), grid_n=21, mu_range=(-1, 1), sigma_range=(0.5, 1.5))
    assert abs(g.best[0]) < 1e-12  # the best cell is mu = 0 up to rounding
    assert g.readout.value.startswith("best cell: μ = 0, σ = ")
    labels = [c.children[1].value for c in g.children if isinstance(c, ipywidgets.HBox)]
    assert labels == ["-1.00 to 1.00", "0.50 to 1.50"]
    g.mu_range.value = (-0.5, 0.9)
    labels = [c.children[1].value for c in g.children if isinstance(c, ipywidgets.HBox)]
    assert labels[0] == "-0.50 to 0.90"
    assert not g.mu_range.readout and not g.sigma_range.readout
