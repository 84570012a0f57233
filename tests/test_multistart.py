"""Tests of course_utils.multistart: restarts, the vectorised optimizers, minima labels, basin maps."""

import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from numpy.testing import assert_allclose

from course_utils import models, multistart, optim


def double_well(theta):
    """Two basins split by the line x = 0: minima at (-1, 0) and (1, 0), the right one lower."""
    x, y = theta[0], theta[1]
    return (x**2 - 1.0) ** 2 + y**2 - 0.2 * x


def test_basin_map_labels_a_constructed_two_basin_function_correctly():
    bm = multistart.basin_map(double_well, (-2.0, 2.0), (-1.0, 1.0), grid_n=20, lr=0.02,
                              max_iter=3000, tol=1e-8)
    # the two minima, lowest first: x solves 4x^3 - 4x - 0.2 = 0 near +1 and -1
    roots = np.sort(np.roots([4.0, 0.0, -4.0, -0.2]).real)
    assert_allclose(bm.minima, [[roots[-1], 0.0], [roots[0], 0.0]], atol=1e-6)
    assert bm.minima_losses[0] < bm.minima_losses[1]
    # the basin boundary is the ridge x = x_ridge (the middle root): left of it -> 1, right -> 0
    expected = np.where(bm.X > roots[1], 0, 1)
    assert (bm.labels == expected).all()
    assert bm.unsettled == 0.0
    assert_allclose(bm.fractions().sum(), 1.0)


def test_basin_map_wraps_a_periodic_parameter():
    # cos has one minimum per period: modulo 2 pi every start reaches the same one
    bm = multistart.basin_map(lambda t: -anp.cos(t[1]) + t[0] ** 2, (-1, 1), (-7.0, 7.0), grid_n=9,
                              lr=0.2, max_iter=2000, tol=1e-8, period=(None, 2 * np.pi))
    starts_on_ridge = np.isclose(np.abs(bm.Y), np.pi, atol=0.1)
    assert len(bm.minima) == 1
    assert (bm.labels[~starts_on_ridge] == 0).all()
    assert_allclose(bm.minima[0], [0.0, 0.0], atol=1e-6)


def test_batch_optimize_matches_the_one_start_optimizers():
    loss = models.make_quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]), [1.0, -1.0])
    starts = np.array([[2.0, 2.0], [-3.0, 0.5], [0.1, -4.0]])
    settings = {"gradient descent": {"lr": 0.2}, "momentum": {"lr": 0.05},
                "RMSprop": {"lr": 0.01}, "Adam": {"lr": 0.05}}
    for name, kw in settings.items():
        # RMSprop with a fixed rate jitters about the minimum: compare its first steps only
        max_iter = 40 if name == "RMSprop" else 300
        out = multistart.batch_optimize(loss, starts, optimizer=name, max_iter=max_iter, tol=1e-7, **kw)
        for i, x0 in enumerate(starts):
            one = optim.OPTIMIZERS[name](loss, x0, max_iter=max_iter, tol=1e-7, **kw)
            assert_allclose(out.x[i], one.x, rtol=1e-9, atol=1e-12, err_msg=name)
            assert out.nit[i] == one.nit, name
            assert out.states[i] == one.state, name


def test_batch_optimize_reports_divergence_and_keeps_the_last_finite_point():
    loss = models.make_quadratic(np.diag([1.0, 10.0]))
    out = multistart.batch_optimize(loss, [[1.0, 1.0], [0.0, 0.0]], lr=0.5, max_iter=200)
    assert out.states.tolist() == ["diverged", "converged"]
    assert np.all(np.isfinite(out.x))
    one = optim.gradient_descent(loss, [1.0, 1.0], lr=0.5, max_iter=200)
    assert one.state == "diverged" and out.nit[0] == one.nit


def test_batch_optimize_with_the_models_own_gradient_agrees_with_autograd():
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 1.0, 40)
    y = np.sin(2 * np.pi * 3.0 * (t - 0.5) + 0.5) + rng.normal(0.0, 0.3, t.size)
    loss = models.make_sinusoid_loss(t, y)
    assert loss.exact_gradient
    starts = multistart.random_starts([(2.0, 4.0), (-1.0, 1.0)], 5, seed=1)
    by_hand = multistart.batch_optimize(loss, starts, lr=0.2, max_iter=50)
    by_autograd = multistart.batch_optimize(loss.fun, starts, lr=0.2, max_iter=50)
    assert_allclose(by_hand.x, by_autograd.x, rtol=1e-10)
    assert_allclose(by_hand.fun, by_autograd.fun, rtol=1e-12)


def test_multistart_runs_scipy_methods_by_name():
    loss = models.make_quadratic(np.diag([1.0, 100.0]), [1.0, 100.0])
    runs = multistart.multistart(loss, [[5.0, 5.0], [-5.0, 0.0]], optimizer="BFGS", max_iter=200)
    assert runs.states == ["converged", "converged"]
    assert_allclose(runs.ends, [[1.0, 1.0], [1.0, 1.0]], atol=1e-5)


def test_label_minima_groups_close_points_and_orders_by_loss():
    pts = [[1.0, 0.0], [-1.0, 0.0], [1.0 + 1e-5, 0.0], [-1.0, 1e-5]]
    labels, minima = multistart.label_minima(pts, losses=[0.5, 0.1, 0.4, 0.2], tol=1e-3)
    assert labels.tolist() == [1, 0, 1, 0]
    assert_allclose(minima, [[-1.0, 0.0], [1.0 + 1e-5, 0.0]])


def test_label_minima_modulo_a_period():
    labels, minima = multistart.label_minima([[0.0, 3.1], [0.0, 3.1 - 2 * np.pi], [0.0, 0.0]],
                                             period=(None, 2 * np.pi), tol=1e-6)
    assert labels.tolist() == [0, 0, 1]
    assert_allclose(minima[0], [0.0, 3.1])


def test_multistart_table_has_one_row_per_start_and_rounded_numbers():
    loss = models.make_quadratic(np.eye(2), [1.0, 2.0])
    runs = multistart.multistart(loss, [[0.0, 0.0], [5.0, -5.0]], lr=0.5, max_iter=100)
    text = runs.table(decimals=2)
    lines = text.splitlines()
    assert len(lines) == 3 and "state" in lines[0]
    assert "1.00" in lines[1] and "2.00" in lines[1] and "converged" in lines[1]
    assert runs.best is runs.results[0] or runs.best is runs.results[1]
    assert_allclose(runs.ends, [[1.0, 2.0], [1.0, 2.0]], atol=1e-6)


def test_random_starts_are_seeded_and_inside_the_box():
    a = multistart.random_starts([(0.0, 1.0), (5.0, 6.0)], 50, seed=3)
    b = multistart.random_starts([(0.0, 1.0), (5.0, 6.0)], 50, seed=3)
    assert_allclose(a, b)
    assert a.shape == (50, 2)
    assert (a[:, 0] >= 0).all() and (a[:, 0] <= 1).all() and (a[:, 1] >= 5).all()


@pytest.mark.parametrize("call, name", [
    (lambda: multistart.random_starts([(1.0, 0.0)], 3, seed=0), "bounds"),
    (lambda: multistart.random_starts([(0.0, 1.0)], 0, seed=0), "n_starts"),
    (lambda: multistart.random_starts([(0.0, 1.0)], 3, seed=None), "seed"),
    (lambda: multistart.multistart(double_well, [[0.0, np.nan]]), "starts"),
    (lambda: multistart.multistart(double_well, [[0.0, 0.0]], optimizer="newton?"), "optimizer"),
    (lambda: multistart.multistart(double_well, [[0.0, 0.0]], lr=-1.0), "lr"),
    (lambda: multistart.batch_optimize(double_well, [[0.0, 0.0]], optimizer="BFGS"), "optimizer"),
    (lambda: multistart.batch_optimize(double_well, [[0.0, 0.0]], max_iter=0), "max_iter"),
    (lambda: multistart.label_minima([[0.0, 0.0]], tol=0.0), "tol"),
    (lambda: multistart.label_minima([[0.0, 0.0]], period=(1.0,)), "period"),
    (lambda: multistart.basin_map(double_well, (1.0, -1.0), (0.0, 1.0)), "xlim"),
    (lambda: multistart.basin_map(double_well, (-1.0, 1.0), (0.0, 1.0), grid_n=1), "grid_n"),
    (lambda: multistart.plot_basin_map("map"), "basins"),
])
def test_bad_input_is_a_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_plot_basin_map_draws_every_minimum_and_returns_the_axes():
    bm = multistart.basin_map(double_well, (-2.0, 2.0), (-1.0, 1.0), grid_n=10, lr=0.02,
                              max_iter=3000)
    ax = multistart.plot_basin_map(bm, labels=("a", "b"), title="basins")
    assert ax.get_title() == "basins" and ax.get_xlabel() == "a"
    assert len(ax.get_legend().get_texts()) == 2


def test_basin_boundaries_run_between_the_cells_of_different_basins():
    # the double well's basins meet at x = 0: on a 6 x 6 grid over (-2.5, 2.5) x (-1, 1), the
    # cells are 1 wide and 0.4 high, so the line is the cell edge x = 0, from y = -1.2 to 1.2,
    # one side per row
    bm = multistart.basin_map(double_well, (-2.5, 2.5), (-1.0, 1.0), grid_n=6, lr=0.02,
                              max_iter=3000)
    assert set(np.unique(bm.labels)) == {0, 1}
    segments = multistart.basin_boundaries(bm)
    assert segments.shape == (6, 2, 2)
    assert_allclose(segments[:, :, 0], 0.0, atol=1e-12)
    ys = np.sort(segments[:, :, 1], axis=1)
    assert_allclose(np.sort(ys[:, 0]), np.linspace(-1.2, 0.8, 6), atol=1e-12)
    assert_allclose(ys[:, 1] - ys[:, 0], 0.4, atol=1e-12)


def test_basin_boundaries_count_every_pair_of_neighbours_that_differ():
    bm = multistart.basin_map(lambda t: -anp.cos(t[0]) * anp.cos(t[1]) + 0.01 * t[0] ** 2,
                              (-10.0, 10.0), (-3.0, 3.0), grid_n=25, lr=0.3, max_iter=2000)
    L = bm.labels
    pairs = np.count_nonzero(L[:, 1:] != L[:, :-1]) + np.count_nonzero(L[1:, :] != L[:-1, :])
    assert pairs > 0
    assert multistart.basin_boundaries(bm).shape == (pairs, 2, 2)
    # and the map draws exactly these lines, in white, over the colours
    ax = multistart.plot_basin_map(bm, legend=False)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == pairs
    assert_allclose(lines.get_colors()[0], (1.0, 1.0, 1.0, 1.0))
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="basins"):
        multistart.basin_boundaries(L)


def test_plot_basin_map_gives_the_lowest_minimum_a_colour_of_its_own():
    # 12 minima of -cos(x) cos(y)-like ripples: more minima than colours
    bm = multistart.basin_map(lambda t: -anp.cos(t[0]) * anp.cos(t[1]) + 0.01 * t[0] ** 2,
                              (-10.0, 10.0), (-1.0, 1.0), grid_n=40, lr=0.3, max_iter=2000)
    assert len(bm.minima) > len(multistart.BASIN_COLORS)
    ax = multistart.plot_basin_map(bm, legend=False)
    mesh = ax.collections[0]
    colours = mesh.cmap(mesh.norm(np.arange(len(bm.minima))))
    first = colours[0]
    assert not any(np.allclose(c, first) for c in colours[1:])
