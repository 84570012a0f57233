"""Notebook 05's facts and exercises: standard errors against OLS, Michaelis-Menten against
curve_fit, the gradients and Hessians it uses against finite differences, the exercise references."""

import numpy as np
import pytest
import scipy.optimize
from conftest import central_difference

from course_utils import closed_form, data, derivatives, exercises, models, optim
from course_utils.exercises import nb05


@pytest.fixture(scope="module")
def regression():
    X, y, _ = data.linear_regression_data(5000, 10, seed=0)
    return X, y, models.make_linear_regression_nll(X, y)


@pytest.fixture(scope="module")
def mm():
    S, rate = data.michaelis_menten_data(seed=0)
    return S, rate, models.make_michaelis_menten_loss(S, rate)


def _curve_fit(S, rate):
    popt, _ = scipy.optimize.curve_fit(lambda s, vmax, km: vmax * s / (km + s), S, rate,
                                       p0=[10.0, 10.0])
    return popt


def test_hessian_standard_errors_equal_closed_form_ols_to_1e_6(regression):
    X, y, nll = regression
    fit = optim.minimize_recorded(nll, np.zeros(11), method="BFGS", jac=nll.grad)
    se_hess = np.sqrt(np.diag(np.linalg.inv(nll.hess(fit.x))))
    ols = closed_form.ols(X, y)
    se_closed = np.sqrt(np.diag(ols.sigma2_mle * np.linalg.inv(X.T @ X)))
    np.testing.assert_allclose(se_hess[:10], se_closed, rtol=1e-6)
    np.testing.assert_allclose(se_hess[10], 1.0 / np.sqrt(2 * 5000), rtol=1e-6)
    np.testing.assert_allclose(se_hess, derivatives.ols_mle_standard_errors(X, y), rtol=1e-6)


def test_hess_inv_is_not_fit_for_standard_errors(regression):
    # the notebook's claim: BFGS's hess_inv within ~20%, L-BFGS-B's off by factors of 10 or more
    X, y, nll = regression
    exact = derivatives.ols_mle_standard_errors(X, y)
    bfgs = scipy.optimize.minimize(nll, np.zeros(11), method="BFGS", jac=nll.grad)
    lbfgs = scipy.optimize.minimize(nll, np.zeros(11), method="L-BFGS-B", jac=nll.grad)
    r_bfgs = derivatives.hess_inv_standard_errors(bfgs) / exact
    r_lbfgs = derivatives.hess_inv_standard_errors(lbfgs) / exact
    assert 0.9 < r_bfgs.min() and r_bfgs.max() < 1.3 and r_bfgs.max() > 1.05
    assert r_lbfgs.min() > 5.0


def test_exact_gradient_needs_about_ten_times_fewer_evaluations(regression):
    X, y, nll = regression
    ols = closed_form.ols(X, y)
    f_min = float(nll(np.append(ols.coef, 0.5 * np.log(ols.sigma2_mle))))
    auto = optim.minimize_recorded(nll, np.zeros(11), method="BFGS", jac=nll.grad)
    fd = optim.minimize_recorded(nll, np.zeros(11), method="BFGS")
    n_auto = derivatives.evaluations_until(auto.evaluation_losses, f_min, rtol=1e-9)
    n_fd = derivatives.evaluations_until(fd.evaluation_losses, f_min, rtol=1e-9)
    assert n_auto is not None and n_fd is not None and 8 < n_fd / n_auto < 14


def test_a_too_fine_gtol_reports_precision_loss_at_the_right_answer(regression):
    X, y, nll = regression
    res = optim.minimize_recorded(nll, np.zeros(11), method="BFGS", jac=nll.grad,
                                  options={"gtol": 1e-8})
    assert not res.success and "precision loss" in res.message
    np.testing.assert_allclose(res.x[:10], closed_form.ols(X, y).coef, atol=1e-7)


def test_michaelis_menten_descent_run_to_convergence_matches_curve_fit(mm):
    S, rate, mse = mm
    res = optim.gradient_descent(mse, [10.0, 10.0], lr=0.5, max_iter=20000, tol=1e-9)
    assert res.state == "converged"
    np.testing.assert_allclose(res.x, _curve_fit(S, rate), rtol=0.01)
    np.testing.assert_allclose(res.x, _curve_fit(S, rate), rtol=1e-6)  # in fact much closer


def test_michaelis_menten_500_steps_stop_short_of_the_optimum(mm):
    S, rate, mse = mm
    res = optim.gradient_descent(mse, [10.0, 10.0], lr=0.1, max_iter=500, tol=1e-8)
    best = _curve_fit(S, rate)
    assert res.state == "max_iter"
    assert 0.01 < np.abs(res.x - best).max() < 0.2
    assert 0.0 < res.fun - float(mse(best)) < 1e-3


def test_michaelis_menten_hessian_indefinite_at_start_and_the_stability_limit(mm):
    S, rate, mse = mm
    start = np.linalg.eigvalsh(mse.hess(np.array([10.0, 10.0])))
    assert start[0] < 0 < start[1]
    best = _curve_fit(S, rate)
    limit = 2.0 / np.linalg.eigvalsh(mse.hess(best)).max()
    assert 0.75 < limit < 0.79
    below = optim.gradient_descent(mse, [10.0, 10.0], lr=limit - 0.02, max_iter=5000, tol=1e-8)
    above = optim.gradient_descent(mse, [10.0, 10.0], lr=limit + 0.03, max_iter=5000, tol=1e-8)
    assert below.state == "converged" and above.state != "converged"


@pytest.mark.parametrize("theta", [[10.0, 10.0], [29.0, 6.0], [40.0, 2.0]])
def test_michaelis_menten_gradient_and_hessian_match_finite_differences(mm, theta):
    S, rate, mse = mm
    theta = np.array(theta)
    np.testing.assert_allclose(mse.grad(theta), central_difference(mse, theta), rtol=1e-6)
    np.testing.assert_allclose(mse.hess(theta),
                               derivatives.finite_difference_hessian(mse.grad, theta),
                               rtol=1e-6, atol=1e-9)
    log_mse = models.make_michaelis_menten_loss(S, rate, log_params=True)
    t = np.log(theta)
    np.testing.assert_allclose(log_mse.grad(t), central_difference(log_mse, t), rtol=1e-6)
    np.testing.assert_allclose(log_mse.hess(t),
                               derivatives.finite_difference_hessian(log_mse.grad, t),
                               rtol=1e-6, atol=1e-8)


def test_the_reference_hand_gradient_equals_autograd_and_finite_differences(mm):
    S, rate, mse = mm
    hand = nb05.solution_mse_grad()
    for theta in ([10.0, 10.0], [29.0, 6.0], [40.0, 2.0]):
        theta = np.array(theta)
        np.testing.assert_allclose(hand(theta, S, rate), mse.grad(theta), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(hand(theta, S, rate), central_difference(mse, theta), rtol=1e-6)


def test_stable_lr_log_reference_is_where_descent_starts_to_fail(mm):
    S, rate, _ = mm
    limit = nb05.solution_stable_lr_log()
    log_mse = models.make_michaelis_menten_loss(S, rate, log_params=True)
    x0 = np.log([10.0, 10.0])
    ok = optim.gradient_descent(log_mse, x0, lr=0.95 * limit, max_iter=20000, tol=1e-9)
    bad = optim.gradient_descent(log_mse, x0, lr=1.05 * limit, max_iter=20000, tol=1e-9)
    assert ok.state == "converged" and bad.state != "converged"


def test_se_slope_reference_is_the_closed_form():
    X, y = nb05.regression_data()
    assert nb05.solution_se_slope() == pytest.approx(derivatives.ols_mle_standard_errors(X, y)[1],
                                                     rel=1e-6)


def test_truncation_factor_reference_is_read_off_the_central_right_branch():
    f = lambda v: v[0] ** 0.8 * v[1] ** 0.2  # noqa: E731
    point = np.array([2.0, 3.0])
    exact = np.array([0.8 * 1.5**0.2, 0.2 * (2.0 / 3.0) ** 0.8])
    steps = np.array([1e-4, 1e-3, 1e-2])
    for scheme, factor in [("central", nb05.solution_truncation_factor()), ("forward", 10)]:
        err = derivatives.step_size_errors(f, point, exact, steps, scheme=scheme)
        np.testing.assert_allclose(np.diff(np.log10(err)), np.log10(factor), atol=0.1)


def test_mse_grad_checker_answers_a_gradient_off_in_one_entry_with_its_name():
    def half_right(theta, S, rate):
        g = nb05.solution_mse_grad()(theta, S, rate)
        return np.array([g[0], 0.0])

    fb = exercises.check("05.mse_grad", half_right)
    assert not fb.correct and "dL/dVmax is right" in str(fb)
