"""course_utils.derivatives: finite differences, their step-size error, standard errors, costs."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize
from conftest import central_difference

from course_utils import closed_form, data, derivatives, models


def cobb_douglas(t):
    return t[0] ** 0.8 * t[1] ** 0.2


X0 = np.array([2.0, 3.0])


def test_autograd_gradient_of_the_notebook_function_matches_the_hand_derivative():
    hand = np.array([0.8 * (3.0 / 2.0) ** 0.2, 0.2 * (2.0 / 3.0) ** 0.8])
    np.testing.assert_allclose(autograd.grad(cobb_douglas)(X0), hand, rtol=1e-14)
    np.testing.assert_allclose(hand, [0.86757742, 0.14459624], atol=5e-9)


@pytest.mark.parametrize("scheme, rtol", [("forward", 1e-6), ("central", 1e-9)])
def test_finite_difference_gradient_is_close_to_exact(scheme, rtol):
    g = derivatives.finite_difference_gradient(cobb_douglas, X0, scheme=scheme)
    np.testing.assert_allclose(g, autograd.grad(cobb_douglas)(X0), rtol=rtol)


def test_finite_difference_hessian_matches_autograd():
    H = derivatives.finite_difference_hessian(autograd.grad(cobb_douglas), X0)
    np.testing.assert_allclose(H, autograd.hessian(cobb_douglas)(X0), rtol=1e-7)


def test_step_size_error_curve_is_v_shaped_with_its_bottom_near_the_theory():
    steps = np.logspace(-15, 0, 61)
    exact = autograd.grad(cobb_douglas)(X0)
    for scheme in ("forward", "central"):
        err = derivatives.step_size_errors(cobb_douglas, X0, exact, steps, scheme=scheme)
        best = int(np.nanargmin(err))
        # within a factor 30 of the predicted optimum, and far better than both ends
        assert abs(np.log10(steps[best] / derivatives.optimal_step(scheme))) < 1.5
        assert err[best] < 1e-3 * err[0] and err[best] < 1e-3 * err[-1]
    central = derivatives.step_size_errors(cobb_douglas, X0, exact, [6e-6])[0]
    forward = derivatives.step_size_errors(cobb_douglas, X0, exact, [1.5e-8], scheme="forward")[0]
    assert central < 1e-9 < forward < 1e-6


def test_a_step_that_rounds_away_gives_nan_not_an_error():
    err = derivatives.step_size_errors(cobb_douglas, X0, [1.0, 1.0], [1e-20, 1e-3])
    assert np.isnan(err[0]) and np.isfinite(err[1])


def test_optimal_steps():
    assert derivatives.optimal_step("forward") == pytest.approx(np.sqrt(np.finfo(float).eps))
    assert derivatives.optimal_step("central") == pytest.approx(np.cbrt(np.finfo(float).eps))


def test_gradient_discrepancy():
    assert derivatives.gradient_discrepancy([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert derivatives.gradient_discrepancy([1.0, -2.0], [1.0, 2.0]) == pytest.approx(2.0)


@pytest.fixture(scope="module")
def regression():
    X, y, _ = data.linear_regression_data(2000, 6, sigma=0.7, seed=3)
    return X, y


def test_hessian_standard_errors_equal_closed_form_ols(regression):
    X, y = regression
    nll = models.make_linear_regression_nll(X, y)
    fit = closed_form.ols(X, y)
    theta = np.append(fit.coef, 0.5 * np.log(fit.sigma2_mle))
    np.testing.assert_allclose(nll.grad(theta), 0.0, atol=1e-8)
    se_hess = np.sqrt(np.diag(np.linalg.inv(nll.hess(theta))))
    np.testing.assert_allclose(se_hess, derivatives.ols_mle_standard_errors(X, y), rtol=1e-6)
    # and the coefficients' part is OLS's covariance rescaled from n - k to n
    np.testing.assert_allclose(se_hess[:-1] ** 2, fit.se**2 * (X.shape[0] - X.shape[1]) / X.shape[0],
                               rtol=1e-9)


def test_linear_regression_nll_gradient_and_hessian_match_finite_differences(regression):
    X, y = regression
    nll = models.make_linear_regression_nll(X, y)
    theta = np.linspace(-0.5, 0.5, X.shape[1] + 1)
    np.testing.assert_allclose(nll.grad(theta), central_difference(nll, theta), rtol=1e-6)
    np.testing.assert_allclose(nll.hess(theta),
                               derivatives.finite_difference_hessian(nll.grad, theta), rtol=1e-6)


def test_hess_inv_standard_errors_read_bfgs_and_lbfgsb(regression):
    X, y = regression
    nll = models.make_linear_regression_nll(X, y)
    x0 = np.zeros(X.shape[1] + 1)
    exact = derivatives.ols_mle_standard_errors(X, y)
    for method in ("BFGS", "L-BFGS-B"):
        res = scipy.optimize.minimize(nll, x0, method=method, jac=nll.grad)
        se = derivatives.hess_inv_standard_errors(res)
        assert se.shape == exact.shape and np.all(se > 0)
    with pytest.raises(ValueError, match="hess_inv"):
        derivatives.hess_inv_standard_errors(scipy.optimize.minimize(nll, x0, method="Nelder-Mead",
                                                                     options={"maxiter": 5}))


def test_evaluations_until():
    assert derivatives.evaluations_until([5.0, 2.0, 1.0], 1.0) == 3
    assert derivatives.evaluations_until([5.0, np.nan, 2.0], 1.0) is None
    assert derivatives.evaluations_until(np.array([np.inf, 1.0 + 1e-12]), 1.0) == 2


@pytest.mark.parametrize("call, match", [
    (lambda: derivatives.optimal_step("backward"), "scheme must be one of"),
    (lambda: derivatives.finite_difference_gradient(cobb_douglas, [np.nan, 1.0]), "x must be finite"),
    (lambda: derivatives.finite_difference_gradient(cobb_douglas, X0, h=-1.0), "h must be > 0"),
    (lambda: derivatives.finite_difference_gradient(cobb_douglas, X0, h=1e-30), "too small"),
    (lambda: derivatives.step_size_errors(cobb_douglas, X0, [1.0], [1e-3]), "exact must have 2"),
    (lambda: derivatives.step_size_errors(cobb_douglas, X0, [1.0, 1.0], [0.0]), "steps must all"),
    (lambda: derivatives.gradient_discrepancy([1.0], [1.0, 2.0]), "same shape"),
    (lambda: derivatives.ols_mle_standard_errors(np.ones((3, 3)), [1.0, 2.0, 3.0]), "more rows"),
    (lambda: derivatives.hess_inv_standard_errors({}), "hess_inv"),
    (lambda: derivatives.evaluations_until([], 1.0), "non-empty"),
    (lambda: derivatives.evaluations_until([1.0], 1.0, rtol=0.0), "rtol must be > 0"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_autograd_differentiates_through_numpy_code():
    # the notebook's point: any function written with autograd.numpy, loops and ifs included
    def f(t):
        total = 0.0
        for k in range(3):
            total = total + anp.sin(t[0] * k) if k % 2 else total + t[1] ** k
        return total

    t = np.array([0.3, 1.7])
    np.testing.assert_allclose(autograd.grad(f)(t), central_difference(f, t), rtol=1e-7)
