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
    res = optim.minimize_recorded(quad, [-1.0, 2.0], method="BFGS", jac=True)
    assert res.njev >= 1 and res.nfev == len(res.evaluations) < 20


def test_minimize_recorded_reports_a_stop_on_the_iteration_limit(quad):
    res = optim.minimize_recorded(quad, [-1.0, 2.0], method="Nelder-Mead", options={"maxiter": 5})
    assert res.state == "max_iter" and not res.success
