"""The diagnostics helper flags what it should, and only that."""

import numpy as np
import pytest
import scipy.optimize

from course_utils import closed_form, data, diagnostics, models, optim


@pytest.fixture(scope="module")
def nll():
    return models.make_normal_nll(data.normal_sample(1000, 0.0, 1.0, seed=0))


def test_a_clean_fit_raises_no_flag_and_gives_hessian_standard_errors(nll):
    res = scipy.optimize.minimize(nll, [0.0, 1.0], method="L-BFGS-B", jac=nll.grad,
                                  bounds=[(None, None), (1e-6, None)])
    report = diagnostics.diagnose(res, jac=nll.grad, hess=nll.hess,
                                  bounds=[(None, None), (1e-6, None)], param_names=["mu", "sigma"])
    assert report.ok and report.flags == [] and report.at_bound == []
    assert all(line.startswith(("OK", "--")) for line in report.lines)
    # the normal MLE's standard errors: sd / sqrt(n) and sd / sqrt(2n)
    sd = nll.minimum[1]
    np.testing.assert_allclose(report.standard_errors, [sd / np.sqrt(1000), sd / np.sqrt(2000)],
                               rtol=1e-4)


def test_an_estimate_on_a_bound_is_flagged_with_the_direction_of_the_gradient(nll):
    bounds = [(-5.0, 5.0), (1.2, 5.0)]  # excludes the MLE sigma, about 0.98
    res = optim.minimize_recorded(nll, [0.5, 2.0], method="L-BFGS-B", jac=nll.grad, bounds=bounds)
    assert res.success  # the solver is content...
    report = diagnostics.diagnose(res, jac=nll.grad, hess=nll.hess, bounds=bounds,
                                  param_names=["mu", "sigma"])
    assert "at_bound" in report.kinds and report.at_bound == [1]  # ...the diagnostics are not
    flag = next(f for f in report.flags if f.kind == "at_bound")
    assert flag.parameter == 1 and "lower bound 1.2" in flag.message
    assert "data prefer a value outside the bounds" in flag.message
    assert "large_gradient" in report.kinds  # the loss still falls across the bound
    assert report.standard_errors is None and not report.ok
    assert res.x[1] == pytest.approx(1.2)


def test_a_scipy_bounds_object_and_the_upper_side_work_too():
    res = scipy.optimize.minimize(lambda t: (t[0] - 3.0) ** 2 + t[1] ** 2, [0.0, 1.0],
                                  method="L-BFGS-B", bounds=scipy.optimize.Bounds([-1, -1], [2, 1]))
    report = diagnostics.diagnose(res, bounds=scipy.optimize.Bounds([-1, -1], [2, 1]))
    assert report.at_bound == [0] and "upper bound 2" in report.flags[0].message


def test_an_interior_bound_that_is_not_touched_is_not_flagged(nll):
    bounds = [(-5.0, 5.0), (0.5, 5.0)]
    res = scipy.optimize.minimize(nll, [0.5, 2.0], method="L-BFGS-B", jac=nll.grad, bounds=bounds)
    assert diagnostics.diagnose(res, jac=nll.grad, bounds=bounds).ok


def test_a_run_that_did_not_converge_is_flagged(nll):
    res = optim.minimize_recorded(nll, [3.0, 3.0], method="Nelder-Mead", options={"maxiter": 10})
    assert not res.success
    report = diagnostics.diagnose(res, fun=nll)
    assert "not_converged" in report.kinds
    assert any(line.startswith("FLAG the solver did NOT succeed") for line in report.lines)
    assert "large_gradient" in report.kinds  # 10 iterations from (3, 3) are far from the minimum


def test_success_at_a_wrong_point_is_caught_by_the_gradient(nll):
    # L-BFGS-B without bounds steps to sigma < 0, meets inf and stops, "converged", too early
    res = optim.minimize_recorded(nll, [-0.6, 1.4], method="L-BFGS-B", jac=nll.grad)
    assert res.success and np.abs(res.x - nll.minimum).max() > 0.1
    report = diagnostics.diagnose(res, jac=nll.grad)
    assert report.kinds == {"large_gradient"}


def test_finite_difference_gradient_matches_autograd(nll):
    res = scipy.optimize.OptimizeResult(x=np.array([0.3, 1.4]), success=True, message="m",
                                        fun=float(nll(np.array([0.3, 1.4]))))
    report = diagnostics.diagnose(res, fun=nll)
    np.testing.assert_allclose(report.gradient, nll.grad(np.array([0.3, 1.4])), rtol=1e-5)


def test_relative_gradient_threshold(nll):
    x = nll.minimum + np.array([1e-3, 0.0])
    res = scipy.optimize.OptimizeResult(x=x, success=True, message="m", fun=float(nll(x)))
    rel = diagnostics.diagnose(res, jac=nll.grad).relative_gradient
    assert diagnostics.diagnose(res, jac=nll.grad, grad_rtol=rel * 1.01).ok
    assert not diagnostics.diagnose(res, jac=nll.grad, grad_rtol=rel * 0.99).ok


def test_a_hessian_that_is_not_positive_definite_is_flagged(nll):
    x = np.array([2.0, 1.0])  # the NLL is not convex there
    res = scipy.optimize.OptimizeResult(x=x, success=True, message="m", fun=float(nll(x)))
    report = diagnostics.diagnose(res, hess=nll.hess, grad_rtol=1e6, jac=nll.grad)
    assert report.kinds == {"not_minimum"} and report.standard_errors is None


def test_hessian_standard_errors_match_ols():
    X, y, _ = data.linear_regression_data(200, 3, sigma=0.5, seed=5)
    ols = closed_form.ols(X, y)
    loss = models.make_linear_regression_nll(X, y)
    theta = np.append(ols.coef, 0.5 * np.log(ols.sigma2_mle))
    se = diagnostics.hessian_standard_errors(loss.hess(theta))
    # the MLE of the noise variance divides by n, OLS by n - k
    np.testing.assert_allclose(se[:3], ols.se * np.sqrt(ols.df / 200), rtol=1e-6)


def test_report_prints_its_lines(nll):
    res = scipy.optimize.minimize(nll, [0.0, 1.0], method="Nelder-Mead")
    report = diagnostics.diagnose(res, fun=nll)
    assert str(report) == "\n".join(report.lines) == repr(report)
    assert report.lines[0].startswith("OK   the solver reports success")


@pytest.mark.parametrize("kwargs, match", [
    ({"bounds": [(0, 1)]}, "bounds must have 2"),
    ({"bounds": [(0, 1), (2, 1)]}, "bounds must have low <= high"),
    ({"bounds": [(0, 1), 3]}, r"bounds\[1\] must be a pair"),
    ({"bounds": 5}, "bounds must be a scipy Bounds"),
    ({"param_names": ["a"]}, "param_names must have 2"),
    ({"grad_rtol": 0.0}, "grad_rtol must be > 0"),
    ({"bound_rtol": -1.0}, "bound_rtol must be >= 0"),
])
def test_bad_input_is_a_value_error(kwargs, match):
    res = scipy.optimize.OptimizeResult(x=np.array([0.5, 0.5]), success=True, message="m", fun=1.0)
    with pytest.raises(ValueError, match=match):
        diagnostics.diagnose(res, **kwargs)


def test_a_non_finite_estimate_is_a_value_error():
    res = scipy.optimize.OptimizeResult(x=np.array([np.nan, 1.0]), success=False, message="m")
    with pytest.raises(ValueError, match="result.x must be finite"):
        diagnostics.diagnose(res)


@pytest.mark.parametrize("H, match", [([[1.0, 0.0], [0.0, -1.0]], "positive definite"),
                                      ([[1.0, 0.0, 0.0]], "square")])
def test_hessian_standard_errors_bad_input(H, match):
    with pytest.raises(ValueError, match=match):
        diagnostics.hessian_standard_errors(H)


def _result_at(x, fun=1.0, **extra):
    return scipy.optimize.OptimizeResult(x=np.asarray(x, dtype=float), success=True, message="m",
                                         fun=fun, **extra)


@pytest.mark.parametrize("H", [np.eye(3), np.eye(1), np.ones(2), [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
def test_a_hessian_of_the_wrong_size_is_a_value_error_naming_hess(H):
    with pytest.raises(ValueError, match=r"hess must be a \(2, 2\) matrix"):
        diagnostics.diagnose(_result_at([0.5, 0.5]), hess=H)
    with pytest.raises(ValueError, match=r"hess must be a \(2, 2\) matrix"):
        diagnostics.diagnose(_result_at([0.5, 0.5]), hess=lambda t: H)


def test_a_nan_hessian_is_not_finite_rather_than_not_a_minimum():
    report = diagnostics.diagnose(_result_at([0.5, 0.5]), jac=lambda t: np.zeros(2),
                                  hess=[[np.nan, 0.0], [0.0, 1.0]])
    assert report.kinds == {"not_finite"} and report.standard_errors is None
    assert any("Hessian is not finite" in line for line in report.lines)


@pytest.mark.parametrize("fun", [np.nan, np.inf])
def test_a_non_finite_loss_at_the_estimate_is_flagged(fun):
    report = diagnostics.diagnose(_result_at([0.5, 0.5], fun=fun), jac=lambda t: np.zeros(2))
    assert not report.ok and report.kinds == {"not_finite"}
    report = diagnostics.diagnose(_result_at([0.5, 0.5], fun=None), fun=lambda t: fun,
                                  jac=lambda t: np.zeros(2))
    assert report.kinds == {"not_finite"}


@pytest.mark.parametrize("jac", [lambda t: 0.0, lambda t: np.zeros(3), lambda t: np.zeros((2, 1))])
def test_a_user_gradient_of_the_wrong_shape_is_a_value_error_naming_jac(jac):
    with pytest.raises(ValueError, match="jac must return 2 values"):
        diagnostics.diagnose(_result_at([0.5, 0.5]), jac=jac)


@pytest.mark.parametrize("side, x, slope, falls", [
    ("lower", 0.0, +1.0, True),   # loss(t) = t: it falls below the lower bound
    ("lower", 0.0, -1.0, False),
    ("upper", 1.0, -1.0, True),   # loss(t) = -t: it falls above the upper bound
    ("upper", 1.0, +1.0, False),
])
def test_the_direction_of_the_gradient_at_each_bound(side, x, slope, falls):
    report = diagnostics.diagnose(_result_at([x, 0.0]), jac=lambda t: np.array([slope, 0.0]),
                                  bounds=[(0.0, 1.0), (None, None)])
    flag = next(f for f in report.flags if f.kind == "at_bound")
    assert f"on its {side} bound" in flag.message and flag.parameter == 0
    assert ("data prefer a value outside the bounds" in flag.message) is falls
    assert ("the loss rises beyond it" in flag.message) is (not falls)


def test_the_bound_tolerance_is_relative_to_the_bound():
    bounds = [(100.0, 200.0)]
    near = diagnostics.diagnose(_result_at([100.0 + 5e-5]), bounds=bounds, bound_rtol=1e-6)
    assert near.at_bound == [0]  # within 1e-6 * 100
    far = diagnostics.diagnose(_result_at([100.0 + 2e-4]), bounds=bounds, bound_rtol=1e-6)
    assert far.at_bound == [] and far.ok
    assert diagnostics.diagnose(_result_at([1e-7]), bounds=[(0.0, 1.0)]).at_bound == [0]
    assert diagnostics.diagnose(_result_at([2e-6]), bounds=[(0.0, 1.0)]).at_bound == []
