"""Property-based tests (Hypothesis) of the input checks and the numbers of the core.

Each property states what holds for every input, not for one example: the checks refuse exactly
the inputs they should (no off-by-one), and the numbers stay right where a formula could lose
them (a large mean, a rounding at a unit's edge). Runs are derandomized: the same examples every
run, on every machine.
"""

import math
import re

import autograd
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils import data, diagnostics, grid, models, optim, plotting

settings.register_profile("course", derandomize=True, database=None, deadline=None,
                          max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")

reals = st.floats(allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


# ---------------------------------------------------------------- grid

@given(n_mu=st.integers(1, 20), n_sd=st.integers(1, 20), i=st.integers(-3, 23),
       j=st.integers(-3, 23))
def test_a_cell_index_is_accepted_exactly_when_it_is_inside_the_grid(n_mu, n_sd, i, j):
    inside = 0 <= i < n_mu and 0 <= j < n_sd
    if inside:
        assert grid._check_cells([[i, j]], n_mu, n_sd).tolist() == [[i, j]]
    else:
        with pytest.raises(ValueError, match="cells must index"):
            grid._check_cells([[i, j]], n_mu, n_sd)


@given(values=st.lists(st.one_of(reals, st.just(np.nan), st.just(np.inf)), min_size=6,
                       max_size=6), lo=st.floats(-10, 10), step=st.floats(0.01, 5))
def test_best_cell_is_the_lowest_finite_cell(values, lo, step):
    z = np.array(values).reshape(3, 2)
    mus, sds = lo + step * np.arange(3), 1.0 + step * np.arange(2)
    finite = np.isfinite(z)
    if not finite.any():
        with pytest.raises(ValueError, match="finite loss"):
            grid.best_cell(z, mus, sds)
        return
    res = grid.best_cell(z, mus, sds)
    assert res.nll == z[finite].min() and z[res.index] == res.nll
    assert (res.mu, res.sigma) == (mus[res.index[0]], sds[res.index[1]])
    assert res.spacing[0] == pytest.approx(step) and res.spacing[1] == pytest.approx(step)


@given(mus=st.lists(st.floats(-100, 100), min_size=2, max_size=6))
def test_best_cell_accepts_axes_only_when_increasing_and_even(mus):
    mus = np.array(mus)
    steps = np.diff(mus)
    even = np.all(steps > 0) and np.allclose(steps, steps[0], rtol=1e-6, atol=0)
    call = lambda: grid.best_cell(np.zeros((mus.size, 2)), mus, [1.0, 2.0])  # noqa: E731
    if even:
        assert call().index == (0, 0)
    else:
        with pytest.raises(ValueError, match="mus must be"):
            call()


@given(mu_lo=st.floats(-1e3, 1e3), width=st.floats(1e-3, 1e3), sd_lo=st.floats(-1.0, 10.0),
       n=st.integers(-1, 50))
def test_grid_axes_are_linspace_or_a_value_error_naming_the_argument(mu_lo, width, sd_lo, n):
    if sd_lo <= 0 or n < 2:
        with pytest.raises(ValueError, match="sigma_range|grid_n"):
            grid.grid_axes((mu_lo, mu_lo + width), (sd_lo, sd_lo + 1.0), n)
        return
    mus, sds = grid.grid_axes((mu_lo, mu_lo + width), (sd_lo, sd_lo + 1.0), n)
    np.testing.assert_array_equal(mus, np.linspace(mu_lo, mu_lo + width, n))
    assert sds.size == n and sds[0] == sd_lo and np.all(sds > 0)


@given(shift=st.floats(-1e9, 1e9), scale=st.floats(1e-2, 1e2), seed=st.integers(0, 2**16))
def test_sufficient_statistics_do_not_cancel_at_a_large_mean(shift, scale, seed):
    z = scale * np.random.default_rng(seed).standard_normal(50)
    x = shift + z
    n, mean, ss = models.normal_sufficient_stats(x)
    dev = x - x.mean()
    assert n == 50 and ss == pytest.approx(float(np.sum(dev * dev)), rel=1e-9)
    # the grid evaluated from them equals the direct sum at the mean (mu = mean is exact: other
    # values of mu are rounded to the shift's last digit, and the direct sum loses more)
    sds = np.array([scale / 2, scale])
    direct = [[float(models.normal_nll(x, mean, s)) for s in sds]]
    np.testing.assert_allclose(grid.nll_grid_sufficient(x, [mean], sds), direct, rtol=1e-9)


@given(seconds=st.one_of(st.just(0.0), st.floats(1e-12, 1e18)))
def test_format_duration_is_three_digits_below_a_thousand_in_the_right_unit(seconds):
    text = grid.format_duration(seconds)
    number, unit = text.split(" ")
    scales = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0,
              "days": 86400.0, "years": 365.25 * 86400.0}
    value = float(number)
    assert unit in scales
    if unit != "years":
        assert "e" not in number and value < 1000
        assert unit == "ns" or value >= 1
    digits = 2 if "e" in number else 3  # thousands of years: 1.0e+03
    assert value * scales[unit] == pytest.approx(seconds, rel=0.51 * 10.0 ** (1 - digits),
                                                 abs=1e-12)


@given(cost=st.floats(1e-12, 1e6), g=st.integers(1, 10**4), k=st.integers(1, 400))
def test_curse_of_dimensionality_gives_a_float_time_or_refuses_naming_dims(cost, g, k):
    try:
        row = grid.curse_of_dimensionality(cost, points_per_axis=g, dims=[k])[0]
    except ValueError as exc:
        assert str(exc).startswith("dims")
        assert k * math.log10(g) > 300
        return
    assert row.evaluations == g**k and math.isfinite(row.seconds) and row.seconds > 0


@given(x=st.floats(1e-300, 1e300))
def test_nice_ceiling_is_the_next_round_number(x):
    y = plotting.nice_ceiling(x)
    assert x * (1 - 1e-12) <= y <= 2.0 * x * (1 + 1e-12)
    mantissa = y / 10.0 ** math.floor(math.log10(y) + 1e-12)
    assert min(abs(mantissa - m) for m in (1.0, 2.0, 2.5, 5.0, 10.0)) < 1e-9


# ---------------------------------------------------------------- models

@given(mu=st.floats(-5, 5), second=st.floats(0.05, 5), par=st.sampled_from(
    ["sigma", "log_sigma", "variance"]))
def test_the_exact_normal_gradient_equals_autograds(mu, second, par):
    loss = models.make_normal_nll([0.3, -1.2, 2.5, 0.9, 1.1], parametrization=par)
    theta = np.array([mu, second if par != "log_sigma" else math.log(second)])
    value, grad = loss.value_and_grad(theta)
    ref_value, ref_grad = autograd.value_and_grad(loss.fun)(theta)
    assert value == pytest.approx(ref_value, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-9)


@given(size=st.integers(0, 6).filter(lambda k: k != 2), extra=st.integers(0, 2))
def test_a_theta_of_the_wrong_length_is_refused_naming_theta(size, extra):
    loss = models.make_normal_nll([0.0, 1.0, 3.0])
    theta = np.ones((size,) + (3,) * extra)
    for call in (loss, loss.grad, loss.value_and_grad):
        with pytest.raises(ValueError, match="theta must have 2 entries"):
            call(theta)


@given(sigma=st.one_of(st.floats(max_value=0.0), st.just(np.nan)))
def test_normal_pdf_and_nll_refuse_a_sigma_that_is_not_positive(sigma):
    with pytest.raises(ValueError, match="sigma"):
        models.normal_pdf(0.0, 0.0, sigma)
    with pytest.raises(ValueError, match="sigma"):
        models.normal_nll([0.0, 1.0], 0.0, sigma)


@given(mu=st.floats(-3, 3), sigma=st.floats(1e-3, 1e3))
def test_normal_pdf_integrates_to_one(mu, sigma):
    xs = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 4001)
    assert np.trapezoid(models.normal_pdf(xs, mu, sigma), xs) == pytest.approx(1.0, rel=1e-6)


# ---------------------------------------------------------------- data, optim, diagnostics

@given(noise_sd=st.floats(max_value=-1e-300, allow_infinity=False))
def test_a_negative_noise_sd_is_refused(noise_sd):
    with pytest.raises(ValueError, match="noise_sd must be >= 0"):
        data.michaelis_menten_data(noise_sd=noise_sd, seed=0)


@given(blowup=st.floats(max_value=0.0, allow_infinity=False), name=st.sampled_from(sorted(optim.OPTIMIZERS)))
def test_a_blowup_that_is_not_positive_is_refused(blowup, name):
    with pytest.raises(ValueError, match="blowup must be > 0"):
        optim.OPTIMIZERS[name](models.make_quadratic(np.eye(2)), [1.0, 1.0], blowup=blowup)


@given(low=st.floats(-100, 100), width=st.floats(0.1, 100), upper=st.booleans(),
       slope=st.floats(-10, 10).filter(lambda s: abs(s) > 1e-6))
def test_the_bound_verdict_follows_the_gradient_on_both_sides(low, width, upper, slope):
    b = low + width if upper else low
    report = diagnostics.diagnose({"x": np.array([b]), "success": True, "fun": 0.0},
                                  jac=lambda t: np.array([slope]), bounds=[(low, low + width)])
    message = next(f.message for f in report.flags if f.kind == "at_bound")
    falls_beyond = slope > 0 if not upper else slope < 0
    assert ("prefer a value outside" in message) is falls_beyond
    assert re.search(f"on its {'upper' if upper else 'lower'} bound", message)
