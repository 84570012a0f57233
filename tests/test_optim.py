"""Our optimizers: convergence on quadratics, divergence reported with its step, one result type."""

import warnings

import numpy as np
import pytest

from course_utils import data, models, optim

A = np.diag([1.0, 10.0])  # L = 10: gradient descent is stable for lr < 2 / L = 0.2


@pytest.fixture
def quad():
    return models.make_quadratic(A, [1.0, 10.0])


def test_gradient_descent_converges_on_a_quadratic_to_1e_8(quad):
    res = optim.gradient_descent(quad, [-3.0, 4.0], lr=0.1, max_iter=5000, tol=1e-10)
    assert res.state == "converged" and res.success and res.status == optim.CONVERGED
    np.testing.assert_allclose(res.x, quad.minimum, atol=1e-8)
    assert res.path.shape == (res.nit + 1, 2) and res.losses.shape == (res.nit + 1,)
    np.testing.assert_allclose(res.path[0], [-3.0, 4.0])
    assert res.nfev == res.njev == res.nit + 1
    assert res.fun == pytest.approx(float(quad(res.x)))
    assert np.all(np.diff(res.losses) <= 1e-12)


def test_gradient_descent_step_matches_the_update_rule(quad):
    res = optim.gradient_descent(quad, [0.0, 0.0], lr=0.05, max_iter=1)
    np.testing.assert_allclose(res.path[1], -0.05 * quad.grad(np.zeros(2)))
    assert res.state == "max_iter" and res.nit == 1 and "Still moving" in res.message


@pytest.mark.parametrize("lr", [0.21, 0.25, 0.5, 5.0])
def test_divergence_above_2_over_L_is_reported_with_its_step(quad, lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.gradient_descent(quad, [0.0, 0.0], lr=lr, max_iter=10_000)
    assert res.state == "diverged" and not res.success
    assert 1 <= res.diverged_at < 10_000
    assert f"step {res.diverged_at}" in res.message
    assert np.all(np.isfinite(res.path)) and np.all(np.isfinite(res.losses))
    assert np.isfinite(res.fun) and np.all(np.isfinite(res.x))


def test_divergence_threshold_is_the_stability_limit(quad):
    below = optim.gradient_descent(quad, [0.0, 0.0], lr=0.199, max_iter=20_000, tol=1e-8)
    above = optim.gradient_descent(quad, [0.0, 0.0], lr=0.201, max_iter=20_000)
    assert below.state == "converged" and above.state == "diverged"


def test_loss_that_overflows_to_inf_is_a_result_not_a_warning():
    loss = lambda t: np.exp(t[0] ** 2) + t[1] ** 2  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.gradient_descent(loss, [3.0, 1.0], lr=1.0, max_iter=100)
    assert res.state == "diverged" and res.diverged_at >= 1
    assert np.all(np.isfinite(res.path))


def test_non_finite_loss_at_the_start_is_diverged_at_step_0():
    loss = models.make_normal_nll(data.normal_sample(50, seed=0))
    res = optim.gradient_descent(loss, [0.0, -1.0], lr=0.1)
    assert res.state == "diverged" and res.diverged_at == 0 and res.nit == 0
    assert "start" in res.message


def test_stepping_to_negative_sigma_is_divergence_not_an_error():
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    loss = models.make_normal_nll(x)
    # at sigma = 2 the gradient in sigma is about +380: one step of 0.01 lands at sigma < 0
    res = optim.gradient_descent(loss, [0.0, 2.0], lr=0.01, max_iter=50)
    assert res.state == "diverged" and res.diverged_at == 1
    assert np.all(res.path[:, 1] > 0) and res.path.shape == (1, 2)


def test_normal_mle_by_gradient_descent_matches_the_closed_form():
    x = data.normal_sample(1000, 7.2, 2.8, seed=0)
    loss = models.make_normal_nll(x)
    per_point = lambda t: loss(t) / x.size  # noqa: E731
    res = optim.gradient_descent(per_point, [0.0, 3.0], lr=0.1, max_iter=20_000, tol=1e-10)
    np.testing.assert_allclose(res.x, loss.minimum, atol=1e-7)


def test_explicit_jacobian_is_used(quad):
    calls = []

    def jac(t):
        calls.append(1)
        return quad.grad(t)

    res = optim.gradient_descent(quad, [1.0, 1.0], jac=jac, lr=0.1, max_iter=10)
    assert len(calls) == res.njev


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_every_optimizer_reaches_the_minimum_of_an_ill_conditioned_quadratic(name):
    q = models.make_quadratic(np.diag([1.0, 50.0]), [1.0, 50.0])
    lr = {"gradient descent": 0.03, "momentum": 0.01, "RMSprop": 0.01, "Adam": 0.05}[name]
    res = optim.OPTIMIZERS[name](q, [-2.0, 3.0], lr=lr, max_iter=5000, tol=1e-8)
    np.testing.assert_allclose(res.x, q.minimum, atol=0.02)
    assert res.method == name and isinstance(res, optim.OptimResult)


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_every_optimizer_survives_a_huge_learning_rate(name):
    q = models.make_quadratic(np.diag([1.0, 50.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.OPTIMIZERS[name](q, [1.0, 1.0], lr=50.0, max_iter=2000)
    # plain and heavy-ball steps scale with the gradient and blow up; RMSprop and Adam
    # normalise the step to about lr, so they wander but stay finite
    if name in ("gradient descent", "momentum"):
        assert res.state == "diverged" and res.diverged_at <= 10
    assert np.all(np.isfinite(res.path)) and np.isfinite(res.fun)


def test_momentum_with_beta_zero_is_gradient_descent(quad):
    a = optim.momentum(quad, [0.0, 0.0], lr=0.05, beta=0.0, max_iter=30)
    b = optim.gradient_descent(quad, [0.0, 0.0], lr=0.05, max_iter=30)
    np.testing.assert_allclose(a.path, b.path)


def test_momentum_beats_gradient_descent_on_a_narrow_valley():
    q = models.make_quadratic(np.diag([1.0, 100.0]))
    gd = optim.gradient_descent(q, [1.0, 1.0], lr=0.019, max_iter=20_000, tol=1e-6)
    mo = optim.momentum(q, [1.0, 1.0], lr=0.019, beta=0.8, max_iter=20_000, tol=1e-6)
    assert gd.state == mo.state == "converged" and mo.nit < gd.nit / 3


def test_adam_first_step_has_size_lr_in_every_coordinate():
    q = models.make_quadratic(np.diag([1.0, 1000.0]))
    res = optim.adam(q, [1.0, 1.0], lr=0.01, max_iter=1)
    np.testing.assert_allclose(np.abs(res.path[1] - res.path[0]), 0.01, rtol=1e-5)


def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_rho():
    q = models.make_quadratic(np.diag([1.0, 1000.0]))
    res = optim.rmsprop(q, [1.0, 1.0], lr=0.01, rho=0.9, max_iter=1)
    np.testing.assert_allclose(np.abs(res.path[1] - res.path[0]), 0.01 / np.sqrt(0.1), rtol=1e-5)


def test_callback_sees_every_accepted_step(quad):
    seen = []
    res = optim.gradient_descent(quad, [0.0, 0.0], lr=0.1, max_iter=20, callback=seen.append)
    np.testing.assert_allclose(np.array(seen), res.path[1:])


@pytest.mark.parametrize(
    "kwargs, match",
    [({"x0": [np.nan, 1.0]}, "x0 must be finite"), ({"x0": []}, "x0 must hold at least 1"),
     ({"lr": 0.0}, "lr must be > 0"), ({"lr": -1.0}, "lr must be > 0"),
     ({"lr": np.inf}, "lr must be finite"), ({"max_iter": 0}, "max_iter must be >= 1"),
     ({"tol": -1.0}, "tol must be >= 0")],
)
def test_bad_input(quad, kwargs, match):
    args = {"x0": [0.0, 0.0], "lr": 0.1, "max_iter": 10} | kwargs
    x0 = args.pop("x0")
    with pytest.raises(ValueError, match=match):
        optim.gradient_descent(quad, x0, **args)


@pytest.mark.parametrize(
    "fn, kwargs, match",
    [(optim.momentum, {"beta": 1.0}, "beta must be in"), (optim.rmsprop, {"rho": -0.1}, "rho"),
     (optim.adam, {"beta2": 1.5}, "beta2"), (optim.adam, {"eps": 0.0}, "eps must be > 0")],
)
def test_bad_hyperparameters(quad, fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(quad, [0.0, 0.0], **kwargs)


def test_recorder_counts_every_evaluation():
    rec = optim.Recorder(lambda t: float(np.sum(t**2)))
    for p in ([1.0, 2.0], [0.0, 0.0], [3.0, -1.0]):
        rec(np.array(p))
    assert rec.nfev == 3 and rec.values == [5.0, 0.0, 10.0]
    np.testing.assert_allclose(rec.points[2], [3.0, -1.0])


@pytest.mark.parametrize("method", ["Nelder-Mead", "BFGS", "L-BFGS-B", "Powell", "CG",
                                    "trust-constr", "TNC", "SLSQP", "COBYLA"])
def test_minimize_recorded_counts_equal_scipy_and_it_finds_the_minimum(method, quad):
    import scipy.optimize

    res = optim.minimize_recorded(quad, [-1.0, 2.0], method=method)
    plain = scipy.optimize.minimize(quad, [-1.0, 2.0], method=method)
    assert res.nfev == plain.nfev == len(res.evaluations)
    np.testing.assert_allclose(res.x, plain.x)
    np.testing.assert_allclose(res.x, quad.minimum, atol=1e-3)
    np.testing.assert_allclose(res.path[0], [-1.0, 2.0])
    assert res.state == "converged" and res.losses.shape == (len(res.path),)


def test_minimize_recorded_with_autograd_gradient_counts_gradients_apart(quad):
    res = optim.minimize_recorded(quad, [-1.0, 2.0], method="BFGS", jac=quad.grad)
    assert res.njev >= 1 and res.nfev == len(res.evaluations) < 20


def test_minimize_recorded_reports_a_stop_on_the_iteration_limit(quad):
    res = optim.minimize_recorded(quad, [-1.0, 2.0], method="Nelder-Mead", options={"maxiter": 5})
    assert res.state == "max_iter" and not res.success


# ------------------------------------------------ the result contract (issue: no silent wrong answer)

CONTRACT = {"x", "fun", "jac", "nit", "nfev", "njev", "success", "status", "message", "path",
            "losses", "evaluations", "evaluation_losses", "diverged_at", "growing", "method"}


@pytest.fixture
def normal_nll():
    return models.make_normal_nll(data.normal_sample(200, 0.0, 1.0, seed=3))


@pytest.mark.parametrize("name", [*optim.OPTIMIZERS, *optim.SCIPY_METHODS])
def test_every_optimizer_fills_the_same_fields(normal_nll, name):
    res = optim.run_optimizer(normal_nll, [0.3, 1.4], optimizer=name, lr=1e-3, max_iter=30)
    assert CONTRACT <= set(res)
    assert res.state in {"converged", "max_iter", "diverged", "failed"}
    assert res.jac.shape == (2,) and np.all(np.isfinite(res.jac))
    assert res.evaluations.shape == (res.nfev, 2) and res.evaluation_losses.shape == (res.nfev,)
    assert res.losses.shape == (len(res.path),)
    np.testing.assert_allclose(res.jac, normal_nll.grad(res.x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("method", ["BFGS", "CG", "L-BFGS-B"])
def test_scipy_from_an_infinite_loss_is_diverged_at_step_0_naming_the_start(normal_nll, method):
    res = optim.minimize_recorded(normal_nll, [0.0, -0.5], method=method, jac=normal_nll.grad)
    assert res.state == "diverged" and res.diverged_at == 0 and not res.success
    assert "x0 = (0, -0.5)" in res.message
    assert res.nit == 0 and res.path.shape == (1, 2)


def test_our_optimizers_from_an_infinite_loss_say_the_same(normal_nll):
    res = optim.gradient_descent(normal_nll, [0.0, -0.5])
    assert res.state == "diverged" and res.diverged_at == 0 and "x0 = (0, -0.5)" in res.message


def test_the_explorer_from_an_infinite_loss_does_not_say_converged(normal_nll):
    from course_utils import widgets

    ex = widgets.LandscapeExplorer(normal_nll, (-1, 1), (-1, 2), x0=(0.0, -0.5), grid_n=20,
                                   optimizers=("BFGS",), optimizer="BFGS")
    assert ex.result.state == "diverged"
    assert ex.status.value.startswith("diverged at step 0")


@pytest.mark.parametrize(("method", "options"), [
    ("TNC", {"maxfun": 5}), ("Nelder-Mead", {"maxiter": 5}), ("Nelder-Mead", {"maxfev": 5}),
    ("Powell", {"maxiter": 1}), ("BFGS", {"maxiter": 2}), ("CG", {"maxiter": 2}),
    ("L-BFGS-B", {"maxiter": 2}), ("SLSQP", {"maxiter": 2}), ("trust-constr", {"maxiter": 3}),
])
def test_scipy_limits_map_to_max_iter_from_status_codes_not_words(normal_nll, method, options):
    jac = normal_nll.grad if method not in ("Nelder-Mead", "Powell") else None
    bounds = [(None, None), (0.1, None)] if method in ("TNC", "L-BFGS-B", "SLSQP") else None
    res = optim.minimize_recorded(normal_nll, [2.0, 3.0], method=method, jac=jac, bounds=bounds,
                                  options=options)
    assert res.state == "max_iter", (res.scipy_status, res.message)


def test_a_scipy_failure_that_is_not_a_limit_is_failed():
    # a line search that cannot go on: BFGS on a loss with a wrong gradient
    loss = models.make_quadratic(np.eye(2))
    res = optim.minimize_recorded(loss, [1.0, 1.0], method="BFGS", jac=lambda x: -x)
    assert res.state == "failed" and not res.success


def test_a_diverged_run_has_nit_plus_one_rows_and_x_is_its_last_accepted_point(quad):
    res = optim.gradient_descent(quad, [0.0, 0.0], lr=0.25, max_iter=1000)
    assert res.state == "diverged"
    assert res.nit == res.diverged_at - 1
    assert res.path.shape == (res.nit + 1, 2)
    np.testing.assert_array_equal(res.x, res.path[-1])
    assert res.fun == res.losses[-1] == pytest.approx(float(quad(res.x)))
    # the step that diverged is recorded among the evaluations, not in the path
    assert res.nfev == len(res.evaluations) == res.nit + 2
    assert res.evaluation_losses[-1] > res.losses.max()


def test_convergence_on_the_last_allowed_step_is_converged():
    q = models.make_quadratic(np.eye(2))  # lr = 1: one step lands on the minimum
    res = optim.gradient_descent(q, [3.0, -2.0], lr=1.0, max_iter=1, tol=1e-12)
    assert res.state == "converged" and res.nit == 1 and res.success


def test_growing_is_decided_on_the_whole_run_not_the_last_two_steps():
    assert optim.is_growing([1.0, 0.2, 0.1, 0.3, 0.5]) is False
    assert optim.is_growing([1.0, 5.0, 9.0, 4.0, 2.0]) is True
    assert optim.is_growing([1.0]) is False


def test_a_run_whose_loss_grows_without_blowing_up_is_flagged_growing(quad):
    res = optim.gradient_descent(quad, [0.0, 0.0], lr=0.21, max_iter=20)
    assert res.state == "max_iter" and res.growing and "growing" in res.message.lower()
    from course_utils import plotting

    assert plotting.run_status(res).startswith("loss growing after 20 steps")
    slow = optim.gradient_descent(quad, [0.0, 0.0], lr=0.01, max_iter=20)
    assert slow.state == "max_iter" and not slow.growing


def test_no_argument_means_something_else_than_in_scipy(quad):
    with pytest.raises(ValueError, match="jac"):
        optim.minimize_recorded(quad, [0.0, 0.0], method="BFGS", jac=True)
    with pytest.raises(ValueError, match="jac"):
        optim.gradient_descent(quad, [0.0, 0.0], jac=True)


def test_a_scalar_or_wrong_length_gradient_is_an_error(quad):
    with pytest.raises(ValueError, match="jac"):
        optim.gradient_descent(quad, [0.0, 0.0], jac=lambda x: 1.0)
    with pytest.raises(ValueError, match="jac"):
        optim.gradient_descent(quad, [0.0, 0.0], jac=lambda x: np.ones(3))


def test_newton_converges_in_one_step_on_a_quadratic_and_reports_divergence(quad):
    res = optim.newton(quad, [-3.0, 4.0])
    assert res.state == "converged" and res.nit == 1
    np.testing.assert_allclose(res.x, quad.minimum, atol=1e-12)
    flat = models.Loss(lambda t: t[0] ** 4 + t[1] ** 2, "quartic", ("a", "b"))
    singular = optim.newton(flat, [0.0, 1.0], tol=0.0)
    assert singular.state == "diverged" and singular.diverged_at == 1  # a singular Hessian
    assert "learning rate" not in singular.message


def test_learning_rate_sweep_carries_each_runs_learning_rate(quad):
    runs = optim.learning_rate_sweep(quad, [(0.0, 0.0)], [0.1, 0.25], max_iter=200)
    assert [r.lr for r in runs[0]] == [0.1, 0.25]
    assert [r.state for r in runs[0]] == ["converged", "diverged"]


def test_a_gradient_norm_exactly_at_tol_counts_as_converged():
    q = models.make_quadratic(np.eye(1))  # gradient = x
    at_start = optim.gradient_descent(q, [1.0], lr=0.5, tol=1.0)
    assert at_start.state == "converged" and at_start.nit == 0
    after_last = optim.gradient_descent(q, [2.0], lr=0.5, max_iter=1, tol=1.0)  # x1 = 1, |g| = 1
    assert after_last.state == "converged" and after_last.nit == 1
