"""Plot helpers draw on the given axes, return them, and leave global style alone."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils import data, models, plotting


def test_importing_plotting_changes_no_rcparams():
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(plotting)
    assert dict(matplotlib.rcParams) == before


def test_styles_apply_on_request_only():
    with plotting.style("lecture"):
        assert matplotlib.rcParams["font.size"] == 18
    assert matplotlib.rcParams["font.size"] != 18
    with pytest.raises(ValueError, match="name must be one of"):
        plotting.use_style("poster")


def test_loss_grid_vectorised_equals_pointwise():
    x = data.normal_sample(200, seed=0)
    loss = models.make_normal_nll(x)
    X, Y, Z = plotting.loss_grid(loss, (-1, 1), (0.5, 1.5), grid_n=7)
    assert X.shape == Y.shape == Z.shape == (7, 7)
    assert Z[3, 2] == pytest.approx(models.normal_nll(x, X[3, 2], Y[3, 2]))
    Xp, Yp, Zp = plotting.loss_grid(lambda t: float(loss(np.asarray(t))), (-1, 1), (0.5, 1.5), grid_n=7)
    np.testing.assert_allclose(Zp, Z)


def test_loss_grid_marks_undefined_points_nan():
    loss = models.make_normal_nll(data.normal_sample(50, seed=0))
    _, Y, Z = plotting.loss_grid(loss, (-1, 1), (-1, 1), grid_n=5)
    assert np.all(np.isnan(Z[Y <= 0])) and np.all(np.isfinite(Z[Y > 0]))


@pytest.mark.parametrize("log", [False, True])
def test_plot_landscape_draws_on_the_given_axes(log):
    X, Y, Z = plotting.loss_grid(lambda t: t[0] ** 2 + 3 * t[1] ** 2, (-1, 1), (-1, 1), grid_n=30)
    fig, ax = plt.subplots()
    out = plotting.plot_landscape(X, Y, Z, ax=ax, log=log, labels=("a", "b"), title="t")
    assert out is ax and ax.get_xlabel() == "a" and ax.get_title() == "t"
    assert len(fig.axes) == 2  # the landscape and its colour bar


def test_plot_landscape_rejects_all_nan():
    X, Y = np.meshgrid([0.0, 1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="Z must contain"):
        plotting.plot_landscape(X, Y, np.full((2, 2), np.nan))


def test_plot_path_takes_a_line_width_and_keeps_the_style_default():
    ax = plotting.plot_path([[0, 0], [1, 1]], linewidth=4.5)
    assert ax.get_lines()[0].get_linewidth() == 4.5
    ax = plotting.plot_path([[0, 0], [1, 1]])
    assert ax.get_lines()[0].get_linewidth() == plotting.RUN_STYLE["path"]["linewidth"]
    for bad in (0, -1.0, float("nan"), "wide"):
        with pytest.raises(ValueError, match="linewidth"):
            plotting.plot_path([[0, 0], [1, 1]], linewidth=bad)
    plt.close("all")


def test_plot_path_draws_the_iterates_and_marks_the_ends():
    path = np.array([[0.0, 0.0], [0.5, 0.2], [1.0, 1.0]])
    ax = plotting.plot_path(path, label="GD")
    line = ax.lines[0]
    np.testing.assert_allclose(np.column_stack(line.get_data()), path)
    assert [ln.get_marker() for ln in ax.lines[1:]] == ["s", "X"]
    with pytest.raises(ValueError, match="path must have shape"):
        plotting.plot_path(np.zeros((3, 3)))


def test_mark_point_and_density_fit():
    ax = plotting.mark_point([0.5, 1.0])
    assert ax.lines[0].get_marker() == "*"
    x = data.normal_sample(500, 1.0, 2.0, seed=0)
    ax = plotting.plot_density_fit(x, 1.0, 2.0, bins=20)
    gx, gy = ax.lines[0].get_data()
    i = np.argmax(gy)
    assert gx[i] == pytest.approx(1.0, abs=0.05)
    assert gy[i] == pytest.approx(1 / (2 * np.sqrt(2 * np.pi)), rel=1e-3)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        plotting.plot_density_fit(x, 0.0, -1.0)


def test_run_status_names_every_way_a_run_ends():
    from course_utils import optim

    q = models.make_quadratic(np.diag([1.0, 10.0]))  # stable for lr < 0.2
    assert plotting.run_status(optim.gradient_descent(q, [1.0, 1.0], lr=0.1, max_iter=500)) \
        .startswith("converged at step")
    assert plotting.run_status(optim.gradient_descent(q, [1.0, 1.0], lr=0.01, max_iter=5)) \
        == "still moving after 5 steps"
    # just above 2 / L the loss grows by about 1.1 per step: far from the blow-up threshold
    # after 10 steps, yet clearly diverging
    slow = optim.gradient_descent(q, [1.0, 1.0], lr=0.21, max_iter=10)
    assert slow.state == "max_iter"
    assert plotting.run_status(slow).startswith("loss growing after 10 steps: diverging")
    fast = optim.gradient_descent(q, [1.0, 1.0], lr=1.0, max_iter=500)
    assert plotting.run_status(fast) == f"diverged at step {fast.diverged_at} (last finite point shown)"


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("filled", [False, True])
def test_plot_landscape_of_a_flat_surface_does_not_raise(log, filled):
    X, Y = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 5))
    Z = np.full_like(X, 3.0)
    Z[0, 0] = np.nan
    ax = plotting.plot_landscape(X, Y, Z, log=log, filled=filled)
    assert ax.collections or ax.get_children()


def test_the_log_scale_is_the_height_above_the_floor_in_every_plot():
    Z = np.array([[1.0, 2.0], [np.nan, 11.0]])
    W, low, high = plotting._height_above_floor(Z)
    assert low == pytest.approx(1e-5) and high == pytest.approx(10.0 + 1e-5)
    np.testing.assert_allclose(W[np.isfinite(W)], [low, 1.0 + low, 10.0 + low])
    _, norm = plotting._landscape_norm(Z, True)
    assert (norm.vmin, norm.vmax) == (low, high)
    W, low, high = plotting._height_above_floor(np.full((2, 2), 5.0))
    assert low == pytest.approx(1e-12) and high == pytest.approx(2e-12)


def test_paths_and_points_share_the_run_style():
    ax = plotting.plot_path([[0, 0], [1, 1]], color="#0072B2", marker="^")
    line, start, end = ax.lines
    assert line.get_marker() == "^" and line.get_color() == "#0072B2"
    assert line.get_linewidth() == plotting.RUN_STYLE["path"]["linewidth"]
    assert start.get_marker() == plotting.RUN_STYLE["start"]["marker"]
    assert end.get_marker() == plotting.RUN_STYLE["end"]["marker"]
    star = plotting.mark_point([0.5, 0.5], ax=ax).lines[-1]
    assert star.get_marker() == "*" and star.get_markeredgecolor() == "black"


def test_density_fit_refuses_bins_beyond_the_limit_and_moves_in_place():
    with pytest.raises(ValueError, match="bins must be <= 1000"):
        plotting.plot_density_fit([0.0, 1.0], 0.0, 1.0, bins=10**6)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        plotting.plot_density_fit([0.0, 1.0], 0.0, 0.0)
    ax = plotting.plot_density_fit([0.0, 1.0, 2.0], 1.0, 1.0, bins=3, xlim=(-5.0, 5.0))
    line = ax.lines[-1]
    xs = line.get_xdata()
    assert (xs[0], xs[-1]) == (-5.0, 5.0)
    plotting.set_density(line, 0.0, 2.0)
    np.testing.assert_allclose(line.get_ydata(), models.normal_pdf(xs, 0.0, 2.0))
    with pytest.raises(ValueError, match="sigma must be > 0"):
        plotting.set_density(line, 0.0, -1.0)


@pytest.mark.parametrize("x, expected", [(1.0, 1.0), (1.0000001, 2.0), (2.2, 2.5), (7.0, 10.0),
                                         (0.03, 0.05), (1e-7, 1e-7), (260.0, 500.0)])
def test_nice_ceiling(x, expected):
    assert plotting.nice_ceiling(x) == pytest.approx(expected)
    assert plotting.nice_ceiling(x) >= x * (1 - 1e-12)


def test_loss_grid_takes_grid_n():
    with pytest.raises(ValueError, match="grid_n must be >= 2"):
        plotting.loss_grid(lambda t: t[0], (0, 1), (0, 1), grid_n=1)
