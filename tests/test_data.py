"""Seeded generators and shipped data sets."""

import numpy as np
import pytest

from course_utils import data


def test_normal_sample_is_seeded_and_has_the_right_moments():
    a = data.normal_sample(100_000, 7.2, 2.8, seed=3)
    b = data.normal_sample(100_000, 7.2, 2.8, seed=3)
    np.testing.assert_array_equal(a, b)
    assert abs(a.mean() - 7.2) < 0.05 and abs(a.std() - 2.8) < 0.05
    assert not np.array_equal(a, data.normal_sample(100_000, 7.2, 2.8, seed=4))


def test_normal_sample_matches_numpy_generator():
    np.testing.assert_array_equal(data.normal_sample(5, seed=0),
                                  np.random.default_rng(0).normal(0.0, 1.0, 5))


def test_michaelis_menten_data_defaults():
    S, rate = data.michaelis_menten_data(seed=0)
    np.testing.assert_allclose(S, np.linspace(0.1, 30, 100))
    resid = rate - 29 * S / (6 + S)
    assert abs(resid.std() - 0.5) < 0.1
    S0, r0 = data.michaelis_menten_data(noise_sd=0.0, seed=0)
    np.testing.assert_allclose(r0, 29 * S0 / (6 + S0))


def test_linear_regression_data_shapes_and_truth():
    X, y, beta = data.linear_regression_data(5000, 4, sigma=0.1, seed=2)
    assert X.shape == (5000, 4) and np.all(X[:, 0] == 1)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(coef, beta, atol=0.01)


@pytest.mark.parametrize(
    "call, match",
    [(lambda: data.normal_sample(0, seed=0), "n must be >= 1"),
     (lambda: data.normal_sample(10, 0.0, 0.0, seed=0), "sigma must be > 0"),
     (lambda: data.normal_sample(10, np.nan, 1.0, seed=0), "mu must be finite"),
     (lambda: data.michaelis_menten_data([-1.0, 2.0], seed=0), "S must be >= 0"),
     (lambda: data.michaelis_menten_data(vmax=-1, seed=0), "vmax must be > 0"),
     (lambda: data.michaelis_menten_data(km=0.0, seed=0), "km must be > 0"),
     (lambda: data.michaelis_menten_data(noise_sd=-0.1, seed=0), "noise_sd must be >= 0"),
     (lambda: data.michaelis_menten_data(noise_sd=np.nan, seed=0), "noise_sd must be finite"),
     (lambda: data.linear_regression_data(10, 2, sigma=0.0, seed=0), "sigma must be > 0"),
     (lambda: data.linear_regression_data(10, 2, beta=[1.0], seed=0), "beta must have 2"),
     (lambda: data.normal_sample(10, seed=0, sigma=-1.0), "sigma must be > 0"),
     (lambda: data.linear_regression_data(3, 3, seed=0), "n must exceed k"),
     (lambda: data.load_nist("Nope"), "name must be one of")],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_noise_sd_zero_gives_the_exact_curve():
    S, rate = data.michaelis_menten_data([0.0, 6.0], vmax=29.0, km=6.0, noise_sd=0.0, seed=0)
    np.testing.assert_array_equal(rate, [0.0, 14.5])


def test_puromycin_ships_with_the_package():
    d = data.load_puromycin()
    assert d.x.shape == d.y.shape == (12,)
    assert d.info["published"]["Vm"] == pytest.approx(212.68, abs=0.01)
    u = data.load_puromycin(treated=False)
    assert u.x.shape == (11,)


@pytest.mark.parametrize("name", data.nist_names())
def test_nist_problems_load_with_certified_values(name):
    d = data.load_nist(name)
    assert d.x.shape == d.y.shape and d.x.size >= 6
    assert d.certified.shape == d.certified_sd.shape == d.starts["start1"].shape
    assert d.certified_sse > 0


def test_misra1a_certified_values_fit_the_data():
    d = data.load_nist("Misra1a")
    b1, b2 = d.certified
    sse = np.sum((d.y - b1 * (1 - np.exp(-b2 * d.x))) ** 2)
    assert sse == pytest.approx(d.certified_sse, rel=1e-8)
