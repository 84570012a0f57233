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
