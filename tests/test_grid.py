"""Grid search of the normal NLL: against the closed form, the three ways against each other."""

import tracemalloc

import numpy as np
import pytest
import scipy.stats

from course_utils import closed_form, data, grid, models


@pytest.fixture(scope="module")
def x():
    return data.normal_sample(1000, 0.0, 1.0, seed=0)


def test_grid_axes_are_linspace_with_end_points():
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), (5, 3))
    np.testing.assert_allclose(mus, np.linspace(-1, 1, 5))
    np.testing.assert_allclose(sds, [0.5, 1.0, 1.5])


@pytest.mark.parametrize("method", ["sufficient", "chunked"])
def test_full_size_grid_finds_the_closed_form_within_half_a_step(x, method):
    res = grid.grid_search(x, (-1.0, 1.0), (0.5, 1.5), n=1000, method=method)
    mu_hat, sd_hat = closed_form.normal_mle(x)
    assert res.evaluations == 1_000_000
    np.testing.assert_allclose(res.spacing, (2 / 999, 1 / 999))
    assert abs(res.mu - mu_hat) <= res.spacing[0] / 2 + 1e-12
    assert abs(res.sigma - sd_hat) <= res.spacing[1] / 2 + 1e-12


@pytest.mark.parametrize("seed", range(5))
def test_best_cell_is_within_half_a_step_for_several_samples_and_odd_grids(seed):
    xs = data.normal_sample(200, 0.2, 1.3, seed=seed)
    res = grid.grid_search(xs, (-0.5, 0.9), (0.8, 1.9), n=(137, 91))
    mu_hat, sd_hat = closed_form.normal_mle(xs)
    assert abs(res.mu - mu_hat) <= res.spacing[0] / 2 + 1e-12
    assert abs(res.sigma - sd_hat) <= res.spacing[1] / 2 + 1e-12


def test_three_implementations_agree_cell_by_cell():
    xs = data.normal_sample(50, 0.5, 2.0, seed=3)
    mus, sds = grid.grid_axes((-1.0, 2.0), (1.0, 3.0), (17, 13))
    loop = grid.nll_grid_loop(xs, mus, sds)
    chunked = grid.nll_grid_chunked(xs, mus, sds, max_bytes=8 * xs.size * 7)  # 7 cells a chunk
    suff = grid.nll_grid_sufficient(xs, mus, sds)
    np.testing.assert_allclose(chunked, loop, rtol=1e-12)
    np.testing.assert_allclose(suff, loop, rtol=1e-12)
    assert loop[3, 5] == pytest.approx(-scipy.stats.norm.logpdf(xs, mus[3], sds[5]).sum(), rel=1e-14)
    assert loop[3, 5] == pytest.approx(float(models.normal_nll(xs, mus[3], sds[5])), rel=1e-12)
    cells = {grid.best_cell(z, mus, sds).index for z in (loop, chunked, suff)}
    assert len(cells) == 1


def test_grid_search_methods_find_the_same_cell():
    xs = data.normal_sample(100, 0.0, 1.0, seed=4)
    found = {m: grid.grid_search(xs, (-1, 1), (0.5, 1.5), n=31, method=m) for m in grid.METHODS}
    assert len({r.index for r in found.values()}) == 1
    assert len({round(r.nll, 9) for r in found.values()}) == 1


def test_loop_on_a_subset_of_cells_equals_the_whole_grid(x):
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), 50)
    cells = np.array([[0, 0], [10, 49], [25, 25], [49, 3]])
    sub = grid.nll_grid_loop(x, mus, sds, cells=cells)
    full = grid.nll_grid_sufficient(x, mus, sds)
    np.testing.assert_allclose(sub, full[cells[:, 0], cells[:, 1]], rtol=1e-12)


def test_chunked_memory_stays_within_budget_plus_result(x):
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), 200)
    budget = 2 * 2**20
    tracemalloc.start()
    z = grid.nll_grid_chunked(x, mus, sds, max_bytes=budget)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert grid.chunk_cells(x.size, budget) * x.size * 8 <= budget
    assert peak <= budget + z.nbytes + 256 * 1024  # + small per-chunk vectors
    np.testing.assert_allclose(z, grid.nll_grid_sufficient(x, mus, sds), rtol=1e-12)


def test_best_cell_skips_non_finite_cells():
    mus, sds = np.array([0.0, 1.0]), np.array([1.0, 2.0])
    z = np.array([[np.nan, 5.0], [np.inf, 3.0]])
    res = grid.best_cell(z, mus, sds)
    assert res.index == (1, 1) and res.nll == 3.0 and res.spacing == (1.0, 1.0)


def test_curse_of_dimensionality_counts_and_times():
    rows = grid.curse_of_dimensionality(2e-9, points_per_axis=1000)
    assert [r.k for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r.evaluations for r in rows] == [1000**k for k in range(1, 7)]
    assert rows[5].evaluations == 10**18  # exact integers, no float rounding
    np.testing.assert_allclose([r.seconds for r in rows], [2e-9 * 1000.0**k for k in range(1, 7)])


@pytest.mark.parametrize("seconds, text", [(5e-10, "0.5 ns"), (0.0025, "2.5 ms"), (90, "1.5 min"),
                                           (7200, "2 h"), (3.156e13, "1.0e+06 years"),
                                           (3.2e10, "1.0e+03 years")])
def test_format_duration(seconds, text):
    assert grid.format_duration(seconds) == text


@pytest.mark.parametrize("call, match", [
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), 1), "n must be >= 2"),
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), (10, 0)), r"n\[1\] must be >= 2"),
    (lambda: grid.grid_axes((-1, np.inf), (0.5, 1.5), 10), r"mu_range\[1\] must be finite"),
    (lambda: grid.grid_axes((np.nan, 1), (0.5, 1.5), 10), r"mu_range\[0\] must be finite"),
    (lambda: grid.grid_axes((1, -1), (0.5, 1.5), 10), "mu_range must have low < high"),
    (lambda: grid.grid_axes((-1, 1), (0.0, 1.5), 10), "sd_range must lie above 0"),
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), 2.5), "n must be an integer"),
    (lambda: grid.nll_grid_sufficient([1.0, 2.0], [], [1.0]), "mus must hold at least 1"),
    (lambda: grid.nll_grid_chunked([1.0, 2.0], [0.0], []), "sds must hold at least 1"),
    (lambda: grid.nll_grid_loop([], [0.0], [1.0]), "x must hold at least 1"),
    (lambda: grid.nll_grid_sufficient([1.0, np.nan], [0.0], [1.0]), "x must be finite"),
    (lambda: grid.nll_grid_sufficient([1.0], [0.0, np.inf], [1.0]), "mus must be finite"),
    (lambda: grid.nll_grid_sufficient([1.0], [0.0], [1.0, -1.0]), "sds must be > 0"),
    (lambda: grid.nll_grid_loop([1.0], [0.0], [1.0], cells=np.zeros((0, 2), int)), "cells must"),
    (lambda: grid.nll_grid_loop([1.0], [0.0], [1.0], cells=[[0, 1]]), "cells must index"),
    (lambda: grid.nll_grid_chunked([1.0, 2.0], [0.0], [1.0], max_bytes=8), "max_bytes must be >="),
    (lambda: grid.best_cell(np.ones((2, 3)), [0.0, 1.0], [1.0, 2.0]), "values must have shape"),
    (lambda: grid.best_cell(np.full((2, 2), np.nan), [0.0, 1.0], [1.0, 2.0]), "finite loss"),
    (lambda: grid.grid_search([1.0, 2.0], method="fast"), "method must be one of"),
    (lambda: grid.curse_of_dimensionality(0.0), "seconds_per_evaluation must be > 0"),
    (lambda: grid.curse_of_dimensionality(1e-9, dims=[]), "dims must hold"),
    (lambda: grid.curse_of_dimensionality(1e-9, points_per_axis=0), "points_per_axis must be >= 1"),
])
def test_bad_input_is_a_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
