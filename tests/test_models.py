"""Losses against scipy and closed forms; every gradient against finite differences."""

import numpy as np
import pytest
import scipy.stats
from conftest import central_difference

from course_utils import closed_form, data, models


@pytest.fixture(scope="module")
def x():
    return data.normal_sample(1000, 0.3, 1.7, seed=0)


def test_normal_nll_equals_scipy_logpdf_sum(x):
    expected = -scipy.stats.norm.logpdf(x, 0.1, 1.2).sum()
    assert models.normal_nll(x, 0.1, 1.2) == pytest.approx(expected, rel=1e-12)
    for par, theta in [("sigma", [0.1, 1.2]), ("log_sigma", [0.1, np.log(1.2)]),
                       ("variance", [0.1, 1.44])]:
        loss = models.make_normal_nll(x, parametrization=par)
        assert float(loss(np.array(theta))) == pytest.approx(expected, rel=1e-12)


def test_normal_nll_minimum_is_the_closed_form(x):
    loss = models.make_normal_nll(x)
    np.testing.assert_allclose(loss.minimum, closed_form.normal_mle(x))
    np.testing.assert_allclose(loss.grad(loss.minimum), 0.0, atol=1e-9)
    for par in ("log_sigma", "variance"):
        lp = models.make_normal_nll(x, parametrization=par)
        np.testing.assert_allclose(lp.grad(lp.minimum), 0.0, atol=1e-8)


@pytest.mark.parametrize("par", ["sigma", "log_sigma", "variance"])
def test_normal_nll_gradient_and_hessian_match_finite_differences(x, par):
    loss = models.make_normal_nll(x, parametrization=par)
    theta = np.array([0.9, 0.7 if par != "log_sigma" else -0.2])
    f = lambda t: float(loss(t))  # noqa: E731
    np.testing.assert_allclose(loss.grad(theta), central_difference(f, theta), rtol=1e-6)
    num_hess = np.array([central_difference(lambda t, i=i: loss.grad(t)[i], theta)
                         for i in range(2)])
    np.testing.assert_allclose(loss.hess(theta), num_hess, rtol=1e-5)


def test_normal_nll_hand_derivatives_in_mu_and_variance(x):
    # d/dmu = -sum(x - mu)/s2 ; d/ds2 = n/(2 s2) - sum(x - mu)^2/(2 s2^2)
    loss = models.make_normal_nll(x, parametrization="variance")
    mu, s2 = 0.5, 2.0
    g = loss.grad(np.array([mu, s2]))
    assert g[0] == pytest.approx(-np.sum(x - mu) / s2)
    assert g[1] == pytest.approx(x.size / (2 * s2) - np.sum((x - mu) ** 2) / (2 * s2**2))


def test_normal_nll_is_not_convex_but_has_one_minimum():
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    loss = models.make_normal_nll(x)
    assert np.linalg.eigvalsh(loss.hess(np.array([2.0, 1.0]))).min() < 0
    assert np.all(np.linalg.eigvalsh(loss.hess(loss.minimum)) > 0)


def test_normal_nll_vectorises_over_a_grid_and_is_inf_for_nonpositive_sigma(x):
    loss = models.make_normal_nll(x)
    mu, sd = np.meshgrid(np.linspace(-1, 1, 7), np.linspace(-0.5, 1.5, 5))
    Z = loss(np.stack([mu, sd]))
    assert Z.shape == (5, 7)
    expected = np.array([[models.normal_nll(x, m, s) if s > 0 else np.inf
                          for m, s in zip(rm, rs, strict=True)] for rm, rs in zip(mu, sd, strict=True)])
    np.testing.assert_allclose(Z, expected, rtol=1e-12)


def test_sum_of_squares_of_a_line_and_its_gradient():
    rng = np.random.default_rng(1)
    xs = rng.uniform(0, 5, 40)
    ys = 1.5 - 0.7 * xs + rng.normal(0, 0.1, 40)
    loss = models.make_sum_of_squares(lambda t, x: t[0] + t[1] * x, xs, ys, param_names=("a", "b"))
    theta = np.array([0.3, 0.2])
    assert float(loss(theta)) == pytest.approx(np.sum((ys - 0.3 - 0.2 * xs) ** 2))
    np.testing.assert_allclose(loss.grad(theta), central_difference(lambda t: float(loss(t)), theta),
                               rtol=1e-6)
    X = np.column_stack([np.ones_like(xs), xs])
    coef = np.linalg.lstsq(X, ys, rcond=None)[0]
    np.testing.assert_allclose(loss.grad(coef), 0.0, atol=1e-8)
    grid = loss(np.stack(np.meshgrid([0.0, 1.0], [0.5, 0.2, 0.1])))
    assert grid.shape == (3, 2) and grid[1, 0] == pytest.approx(float(loss(np.array([0.0, 0.2]))))


def test_michaelis_menten_loss_is_zero_at_the_truth_and_its_gradient_matches():
    S, rate = data.michaelis_menten_data(noise_sd=0.0, seed=0)
    loss = models.make_michaelis_menten_loss(S, rate)
    assert float(loss(np.array([29.0, 6.0]))) == pytest.approx(0.0, abs=1e-20)
    theta = np.array([10.0, 10.0])
    np.testing.assert_allclose(loss.grad(theta),
                               central_difference(lambda t: float(loss(t)), theta), rtol=1e-6)
    logl = models.make_michaelis_menten_loss(S, rate, log_params=True)
    assert float(logl(np.log([29.0, 6.0]))) == pytest.approx(0.0, abs=1e-20)
    t = np.log(theta)
    np.testing.assert_allclose(logl.grad(t), central_difference(lambda u: float(logl(u)), t),
                               rtol=1e-6)


def test_linear_regression_nll_minimum_is_ols():
    X, y, _ = data.linear_regression_data(500, 3, sigma=0.5, seed=0)
    loss = models.make_linear_regression_nll(X, y)
    fit = closed_form.ols(X, y)
    theta = np.append(fit.coef, 0.5 * np.log(fit.sigma2_mle))
    np.testing.assert_allclose(loss.grad(theta), 0.0, atol=1e-8)
    t = theta + 0.1
    np.testing.assert_allclose(loss.grad(t), central_difference(lambda u: float(loss(u)), t),
                               rtol=1e-5)


def test_quadratic_minimum_gradient_and_hessian():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    q = models.make_quadratic(A, [1.0, -1.0], 2.0)
    np.testing.assert_allclose(q.grad(q.minimum), 0.0, atol=1e-12)
    np.testing.assert_allclose(q.hess(np.zeros(2)), A)
    assert q(np.stack(np.meshgrid([0.0, 1.0], [0.0, 1.0, 2.0]))).shape == (3, 2)


@pytest.mark.parametrize(
    "call, match",
    [(lambda: models.make_normal_nll([]), "x must hold at least 2"),
     (lambda: models.make_normal_nll([1.0, np.nan]), "x must be finite"),
     (lambda: models.make_normal_nll([1.0, 2.0], parametrization="sd"), "parametrization"),
     (lambda: models.normal_nll([1.0, 2.0], 0.0, 0.0), "sigma must be > 0"),
     (lambda: models.normal_nll([1.0, 2.0], np.inf, 1.0), "mu must be finite"),
     (lambda: models.make_sum_of_squares(lambda t, x: x, [1, 2], [1], param_names="a"), "same shape"),
     (lambda: models.make_linear_regression_nll(np.ones((3, 2)), [1.0, 2.0]), "same number of rows"),
     (lambda: models.make_quadratic([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
     (lambda: models.make_quadratic([[-1.0, 0.0], [0.0, 1.0]]), "positive definite")],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
