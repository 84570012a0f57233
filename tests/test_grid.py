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


@pytest.mark.slow
@pytest.mark.parametrize("method", ["sufficient", "chunked"])
def test_full_size_grid_finds_the_closed_form_within_half_a_step(x, method):
    res = grid.grid_search(x, (-1.0, 1.0), (0.5, 1.5), grid_n=1000, method=method)
    mu_hat, sd_hat = closed_form.normal_mle(x)
    assert res.evaluations == 1_000_000
    np.testing.assert_allclose(res.spacing, (2 / 999, 1 / 999))
    assert abs(res.mu - mu_hat) <= res.spacing[0] / 2 + 1e-12
    assert abs(res.sigma - sd_hat) <= res.spacing[1] / 2 + 1e-12


@pytest.mark.parametrize("seed", range(5))
def test_best_cell_is_within_half_a_step_for_several_samples_and_odd_grids(seed):
    xs = data.normal_sample(200, 0.2, 1.3, seed=seed)
    res = grid.grid_search(xs, (-0.5, 0.9), (0.8, 1.9), grid_n=(137, 91))
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
    found = {m: grid.grid_search(xs, (-1, 1), (0.5, 1.5), grid_n=31, method=m) for m in grid.METHODS}
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
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), 1), "grid_n must be >= 2"),
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), (10, 0)), r"grid_n\[1\] must be >= 2"),
    (lambda: grid.grid_axes((-1, np.inf), (0.5, 1.5), 10), r"mu_range\[1\] must be finite"),
    (lambda: grid.grid_axes((np.nan, 1), (0.5, 1.5), 10), r"mu_range\[0\] must be finite"),
    (lambda: grid.grid_axes((1, -1), (0.5, 1.5), 10), "mu_range must have low < high"),
    (lambda: grid.grid_axes((-1, 1), (0.0, 1.5), 10), "sigma_range must lie above 0"),
    (lambda: grid.grid_axes((-1, 1), (0.5, 1.5), 2.5), "grid_n must be an integer"),
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
    (lambda: grid.best_cell(np.full((2, 2), np.nan), [0.0, 1.0], [1.0, 2.0]),
     "values must hold at least one finite loss"),
    (lambda: grid.grid_search([1.0, 2.0], method="fast"), "method must be one of"),
    (lambda: grid.curse_of_dimensionality(0.0), "seconds_per_evaluation must be > 0"),
    (lambda: grid.curse_of_dimensionality(1e-9, dims=[]), "dims must hold"),
    (lambda: grid.curse_of_dimensionality(1e-9, points_per_axis=0), "points_per_axis must be >= 1"),
])
def test_bad_input_is_a_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match="^" + match):  # anchored: the message starts so
        call()


@pytest.mark.parametrize("cells", [[[4, 0]], [[0, 3]], [[4, 3]], [[-1, 0]], [[0, -1]]])
def test_a_cell_index_at_or_past_the_bound_is_refused(cells):
    # a (4, 3) grid: index 4 along mu and 3 along sigma are one past the end; -1 would wrap
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), (4, 3))
    with pytest.raises(ValueError, match="cells must index a"):
        grid.nll_grid_loop([0.0, 1.0], mus, sds, cells=cells)
    last = grid.nll_grid_loop([0.0, 1.0], mus, sds, cells=[[3, 2]])
    assert last[0] == pytest.approx(grid.nll_grid_sufficient([0.0, 1.0], mus, sds)[3, 2])


@pytest.mark.parametrize("method", grid.METHODS)
def test_a_grid_too_large_is_refused_with_its_cost_before_any_memory_is_taken(method):
    tracemalloc.start()
    with pytest.raises(ValueError, match=r"grid_n: a 100000 x 100000 grid has 1e\+10 cells.*GiB"):
        grid.grid_search([0.0, 1.0], grid_n=100_000, method=method)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2**20
    with pytest.raises(ValueError, match="mus and sds: a 6000 x 5000 grid"):
        grid.nll_grid_sufficient([0.0], np.zeros(6000), np.ones(5000))


def test_the_largest_grid_allowed_is_max_cells():
    side = int(np.sqrt(grid.MAX_CELLS))
    grid._check_cost(side, side, "sufficient")  # no error
    with pytest.raises(ValueError, match="MAX_CELLS"):
        grid._check_cost(side, side + 1 + grid.MAX_CELLS // side, "sufficient")


@pytest.mark.parametrize("mus, sds, match", [
    ([1.0, 0.0], [1.0, 2.0], "mus must be increasing"),
    ([0.0, 1.0], [2.0, 1.0], "sds must be increasing"),
    ([0.0, 0.0], [1.0, 2.0], "mus must be increasing"),
    ([0.0, 1.0, 3.0], [1.0, 2.0], "mus must be equally spaced"),
    ([0.0, 1.0], [1.0, 1.5, 3.0], "sds must be equally spaced"),
])
def test_best_cell_refuses_unsorted_or_uneven_axes(mus, sds, match):
    with pytest.raises(ValueError, match="^" + match):  # anchored: the message starts so
        grid.best_cell(np.ones((len(mus), len(sds))), mus, sds)


def test_best_cell_takes_the_axes_in_the_order_of_the_values():
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), (5, 3))
    values = np.full((5, 3), 10.0)
    values[3, 0] = 1.0
    res = grid.best_cell(values, mus, sds)
    assert (res.mu, res.sigma, res.index, res.nll) == (0.5, 0.5, (3, 0), 1.0)
    assert res.spacing == (0.5, 0.5) and res.evaluations == 15


def test_curse_of_dimensionality_refuses_a_time_beyond_a_float():
    with pytest.raises(ValueError, match="dims: 1000\\*\\*200 .* keep k <= 102"):
        grid.curse_of_dimensionality(1e-9, points_per_axis=1000, dims=[200])
    row = grid.curse_of_dimensionality(1e-9, points_per_axis=1000, dims=[102])[0]
    assert np.isfinite(row.seconds) and row.evaluations == 1000**102
    assert grid.curse_of_dimensionality(1e-9, points_per_axis=1, dims=[10**6])[0].evaluations == 1
    with pytest.raises(ValueError, match="keep k <= 101"):  # a slow evaluation leaves less room
        grid.curse_of_dimensionality(1000.0, points_per_axis=1000, dims=[102])


@pytest.mark.parametrize("seconds, text", [(0.9999, "1 s"), (0.99949, "999 ms"), (59.99, "1 min"),
                                           (9.9996e-7, "1 µs"), (3599.9, "1 h"), (0.0, "0 ns"),
                                           (1e-3, "1 ms")])
def test_format_duration_rounds_before_choosing_the_unit(seconds, text):
    assert grid.format_duration(seconds) == text


@pytest.mark.parametrize("method, cost", [("loop", "about 74.5 GiB of memory and 3.47 days"),
                                          ("chunked", "about 74.5 GiB of memory and 50 s"),
                                          ("sufficient", "about 224 GiB of memory and 50 s")])
def test_the_cost_estimate_of_each_method(method, cost):
    with pytest.raises(ValueError) as info:
        grid.grid_search([0.0, 1.0], grid_n=100_000, method=method)
    assert str(info.value) == (
        f"grid_n: a 100000 x 100000 grid has 1e+10 cells, more than MAX_CELLS = 2.5e+07: {cost} "
        f"with method {method!r}. Use fewer points per axis or narrower ranges around the estimate.")


def test_grid_result_repr_and_fields():
    res = grid.grid_search([0.0, 1.0], (-1, 1), (0.5, 1.5), grid_n=5)
    assert repr(res) == ("GridResult(mu=0.5, sigma=0.5, index=(3, 0), nll=1.451583, "
                         "spacing=(0.5, 0.25), evaluations=25)")
    assert res.values.shape == (5, 5) and res.values[3, 0] == res.nll


def test_grid_search_passes_its_arguments_on():
    with pytest.raises(ValueError, match="max_bytes must be >= 16"):
        grid.grid_search([0.0, 1.0], grid_n=3, method="chunked", max_bytes=8)
    with pytest.raises(ValueError, match="x must be finite"):
        grid.grid_search([0.0, np.nan], grid_n=3, method="loop")
    res = grid.grid_search([0.0, 1.0], (0.0, 1.0), (0.5, 1.0), grid_n=(3, 2), method="loop")
    assert res.values.shape == (3, 2) and res.index == (1, 0)
    with pytest.raises(ValueError, match=r"grid_n must be an int or a pair \(n_mu, n_sigma\)"):
        grid.grid_axes((0, 1), (0.5, 1), (3, 3, 3))
    with pytest.raises(ValueError, match=r"grid_n\[0\] must be >= 2"):
        grid.grid_axes((0, 1), (0.5, 1), [1, 3])


def test_messages_name_what_is_wrong_with_the_axes_and_the_cells():
    with pytest.raises(ValueError, match=r"mus must be increasing, found mus\[1\] >= mus\[2\]"):
        grid.best_cell(np.ones((3, 2)), [0.0, 1.0, 0.5], [1.0, 2.0])
    with pytest.raises(ValueError, match="found steps from 1 to 2"):
        grid.best_cell(np.ones((3, 2)), [0.0, 1.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"values must have shape \(3, 2\), got \(2, 3\)"):
        grid.best_cell(np.ones((2, 3)), [0.0, 1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"cells must index a \(2, 2\) grid, got indices up to "
                                         r"\[2, 0\]"):
        grid.nll_grid_loop([0.0], [0.0, 1.0], [1.0, 2.0], cells=[[2, 0]])
    with pytest.raises(ValueError, match="cells must hold integer indices"):
        grid.nll_grid_loop([0.0], [0.0, 1.0], [1.0, 2.0], cells=[[0.0, 1.0]])
    with pytest.raises(ValueError, match=r"cells must have shape \(m, 2\)"):
        grid.nll_grid_loop([0.0], [0.0, 1.0], [1.0, 2.0], cells=[0, 1])
    with pytest.raises(ValueError, match=r"sds must be > 0, found -1.0 in sds"):
        grid.nll_grid_loop([0.0], [0.0], [1.0, -1.0, -2.0])


@pytest.mark.parametrize("seconds, text", [(2 * 86400, "2 days"), (5e-6, "5 µs"),
                                           (3 * 365.25 * 86400, "3 years"), (1.0, "1 s"),
                                           (999.0 * 365.25 * 86400, "999 years"),
                                           (1.5e-6, "1.5 µs"), (2.5e-10, "0.25 ns")])
def test_format_duration_in_every_unit(seconds, text):
    assert grid.format_duration(seconds) == text


def test_chunk_cells_and_the_chunked_grid_at_the_smallest_budget():
    assert grid.chunk_cells(10, 80) == 1 and grid.chunk_cells(10, 159) == 1
    assert grid.chunk_cells(10, 160) == 2
    xs = np.array([0.0, 1.0, 3.0])
    mus, sds = np.array([0.0, 1.0, 2.0]), np.array([0.5, 1.0])
    np.testing.assert_allclose(grid.nll_grid_chunked(xs, mus, sds, max_bytes=24),
                               grid.nll_grid_loop(xs, mus, sds), rtol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: grid.grid_axes((0, 1), (1.0, np.nan), 3), "sigma_range[1] must be finite, got nan"),
    (lambda: grid.nll_grid_loop([0.0], [0.0], [1.0, 0.0]), "sds must be > 0, found 0.0 in sds"),
    (lambda: grid.chunk_cells(0), "n_data must be >= 1, got 0"),
    (lambda: grid.nll_grid_chunked([np.nan], [0.0], [1.0]), "x must be finite, found nan in x"),
    (lambda: grid.best_cell(np.ones((2, 2)), [0.0, np.nan], [1.0, 2.0]),
     "mus must be finite, found nan in mus"),
    (lambda: grid.best_cell(np.ones((1, 2)), [0.0], [1.0, 2.0]),
     "mus must hold at least 2 value(s), got 1"),
    (lambda: grid.best_cell(np.ones((4, 2)), [0.0, 1.0, 1.0, 2.0], [1.0, 2.0]),
     "mus must be increasing, found mus[1] >= mus[2]"),
    (lambda: grid.best_cell(np.ones((3, 2)), [0.0, 1.0, 2.0 + 5e-6], [1.0, 2.0]),
     "mus must be equally spaced (as from grid_axes), found steps from 1 to 1"),
    (lambda: grid.best_cell(np.ones((3, 2)), [0.0, 1e-9, 3e-9], [1.0, 2.0]),
     "mus must be equally spaced (as from grid_axes), found steps from 1e-09 to 2e-09"),
    (lambda: grid.best_cell(np.full((2, 2), np.inf), [0.0, 1.0], [1.0, 2.0]),
     "values must hold at least one finite loss"),
    (lambda: grid.curse_of_dimensionality(1e-9, dims=[0]), "dims must be >= 1, got 0"),
    (lambda: grid.curse_of_dimensionality(1e-9, dims=[]),
     "dims must hold at least one number of parameters"),
    (lambda: grid.format_duration(-1.0), "seconds must be >= 0, got -1.0"),
])
def test_exact_messages(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize("evaluate, method", [(grid.nll_grid_loop, "loop"),
                                              (grid.nll_grid_chunked, "chunked")])
def test_the_evaluators_refuse_a_huge_grid_naming_their_method(evaluate, method):
    with pytest.raises(ValueError, match=f"mus and sds: a 6000 x 5000 grid .* with method '{method}'"):
        evaluate([0.0], np.zeros(6000), np.ones(5000))


def test_defaults_of_grid_search_and_the_curse():
    res = grid.grid_search(data.normal_sample(100, 0.0, 1.0, seed=1))
    assert res.evaluations == 1000 * 1000 and res.spacing == pytest.approx((2 / 999, 1 / 999))
    rows = grid.curse_of_dimensionality(1e-9)
    assert [r.evaluations for r in rows] == [1000**k for k in range(1, 7)]


def test_the_float_room_left_by_a_slow_evaluation():
    # 10**307 evaluations of 5 s each: 5e307 s, still a float
    assert grid.curse_of_dimensionality(5.0, points_per_axis=10, dims=[307])[0].seconds == 5e307
    with pytest.raises(ValueError, match="keep k <= 307"):
        grid.curse_of_dimensionality(5.0, points_per_axis=10, dims=[308])


def test_a_thousand_years_is_written_in_powers_of_ten():
    year = 365.25 * 86400
    assert grid.format_duration(1000 * year) == "1.0e+03 years"
    assert grid.format_duration(999.4 * year) == "999 years"


def test_the_float_room_counts_a_cost_between_one_and_ten_seconds():
    # 2**1021 evaluations of 5 s: 1.1e308 s, just a float; log10(5) = 0.7 of room is taken
    assert np.isfinite(grid.curse_of_dimensionality(5.0, points_per_axis=2, dims=[1021])[0].seconds)
