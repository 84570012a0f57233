"""The optimizers' contract in detail: defaults, arguments passed on, exact gradients used.

Written against the survivors of mutation testing (``make mutation``): each test pins down a
detail that a plausible slip would change without any other test noticing.
"""

import inspect
import warnings

import numpy as np
import pytest

from course_utils import models, optim


def _quadratic():
    return models.make_quadratic(np.diag([1.0, 4.0]))


class SpyLoss:
    """A loss with its own exact gradient and Hessian, counting their calls."""

    def __init__(self):
        self.q = _quadratic()
        self.calls = {"value_and_grad": 0, "grad": 0, "hess": 0}

    def __call__(self, theta):
        return self.q(theta)

    def value_and_grad(self, theta):
        self.calls["value_and_grad"] += 1
        return self.q.value_and_grad(theta)

    def grad(self, theta):
        self.calls["grad"] += 1
        return self.q.grad(theta)

    def hess(self, theta):
        self.calls["hess"] += 1
        return self.q.hess(theta)


@pytest.mark.parametrize("function, defaults", [
    (optim.gradient_descent, {"jac": None, "lr": 0.1, "max_iter": 1000, "tol": 1e-6,
                              "blowup": 1e6, "callback": None}),
    (optim.momentum, {"jac": None, "lr": 0.1, "beta": 0.9, "max_iter": 1000, "tol": 1e-6,
                      "blowup": 1e6, "callback": None}),
    (optim.rmsprop, {"jac": None, "lr": 0.01, "rho": 0.9, "eps": 1e-8, "max_iter": 1000,
                     "tol": 1e-6, "blowup": 1e6, "callback": None}),
    (optim.adam, {"jac": None, "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                  "max_iter": 1000, "tol": 1e-6, "blowup": 1e6, "callback": None}),
    (optim.newton, {"jac": None, "hess": None, "max_iter": 100, "tol": 1e-8, "blowup": 1e6}),
    (optim.minimize_recorded, {"method": "Nelder-Mead", "jac": None, "hess": None,
                               "bounds": None, "tol": None, "options": None}),
    (optim.run_optimizer, {"optimizer": "gradient descent", "lr": 0.1, "max_iter": 50,
                           "tol": 1e-6, "jac": None, "bounds": None}),
])
def test_the_documented_defaults(function, defaults):
    params = inspect.signature(function).parameters
    for name, value in defaults.items():
        assert params[name].default == value, name
        assert params[name].kind == inspect.Parameter.KEYWORD_ONLY, name


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_our_optimizers_use_the_losss_own_gradient_and_pass_their_arguments_on(name):
    spy = SpyLoss()
    seen = []
    res = optim.OPTIMIZERS[name](spy, [1.0, 1.0], lr=0.05, max_iter=5, tol=0.0,
                                 callback=lambda x: seen.append(np.array(x)))
    assert spy.calls["value_and_grad"] >= 5 and len(seen) == 5
    assert res.path.dtype == np.float64 and res.path.shape == (6, 2)
    calls = []
    optim.OPTIMIZERS[name](_quadratic(), [1.0, 1.0], lr=0.05, max_iter=3, tol=0.0,
                           jac=lambda x: (calls.append(1), np.asarray(x) * [1.0, 4.0])[1])
    assert len(calls) >= 3
    # a plain function has no gradient of its own: autograd's
    plain = optim.OPTIMIZERS[name](lambda t: 0.5 * t[0] ** 2 + 2 * t[1] ** 2, [1.0, 1.0],
                                   lr=0.05, max_iter=3, tol=0.0)
    np.testing.assert_allclose(plain.x, optim.OPTIMIZERS[name](_quadratic(), [1.0, 1.0],
                                                               lr=0.05, max_iter=3, tol=0.0).x)


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_a_diverged_run_names_its_learning_rate(name):
    res = optim.OPTIMIZERS[name](_quadratic(), [1.0, 1.0], lr=30.0, max_iter=200, blowup=10.0)
    if res.state == "diverged":
        assert "learning rate 30 is too large?" in res.message


def test_gradient_descent_diverges_with_a_message_naming_its_learning_rate():
    res = optim.gradient_descent(_quadratic(), [1.0, 1.0], lr=3.0, max_iter=100)
    assert res.state == "diverged" and "(learning rate 3 is too large?)." in res.message


@pytest.mark.parametrize("name", ["RMSprop", "Adam"])
def test_eps_is_added_to_the_root_mean_square(name):
    # a gradient of 1e-9: sqrt(s) is below eps, so eps sets the step, downhill
    res = optim.OPTIMIZERS[name](lambda t: 1e-9 * t[0] + 0.0 * t[1], [0.0, 0.0], lr=0.01,
                                 max_iter=1, tol=0.0)
    assert res.path[1, 0] < 0


@pytest.mark.parametrize("call, message", [
    (lambda: optim.rmsprop(_quadratic(), [1.0, 1.0], rho=1.5), "rho must be in [0, 1), got 1.5"),
    (lambda: optim.rmsprop(_quadratic(), [1.0, 1.0], eps=0.0), "eps must be > 0, got 0.0"),
    (lambda: optim.adam(_quadratic(), [1.0, 1.0], beta1=1.0), "beta1 must be in [0, 1), got 1.0"),
    (lambda: optim.adam(_quadratic(), [1.0, 1.0], beta2=-0.1), "beta2 must be in [0, 1), got -0.1"),
    (lambda: optim.adam(_quadratic(), [1.0, 1.0], eps=-1.0), "eps must be > 0, got -1.0"),
    (lambda: optim.newton(_quadratic(), [1.0, 1.0], hess=np.eye(2)),
     "hess must be a callable returning the Hessian, or None, got array"),
    (lambda: optim.newton(_quadratic(), [1.0, 1.0], hess=lambda x: np.eye(3)),
     "hess must return a (2, 2) matrix, got shape (3, 3)"),
    (lambda: optim.minimize_recorded(_quadratic(), [np.nan, 1.0]),
     "x0 must be finite, found nan in x0"),
])
def test_messages_name_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(message)


def test_newton_uses_the_hessian_it_is_given_or_the_losss_own():
    spy = SpyLoss()
    res = optim.newton(spy, [1.0, 1.0])
    assert spy.calls["hess"] >= 1 and res.method == "Newton" and res.state == "converged"
    given = []
    optim.newton(_quadratic(), [1.0, 1.0], hess=lambda x: (given.append(1), np.diag([1.0, 4.0]))[1])
    assert given
    jacs = []
    optim.newton(_quadratic(), [1.0, 1.0], jac=lambda x: (jacs.append(1), x * [1.0, 4.0])[1])
    assert jacs
    seen = []
    optim.newton(_quadratic(), [1.0, 1.0], callback=lambda x: seen.append(1))
    assert seen
    plain = optim.newton(lambda t: t[0] ** 2 + 4 * t[1] ** 2, [1.0, 1.0])
    assert plain.state == "converged" and np.abs(plain.x).max() < 1e-12


def test_the_start_message_of_an_infinite_start():
    loss = models.make_normal_nll([1.0, 2.0, 4.0])
    res = optim.minimize_recorded(loss, [0.5, -1.0], method="BFGS", jac=loss.grad)
    assert res.message == ("Diverged at step 0: the loss is inf at the start x0 = (0.5, -1). "
                           "Start where the loss is finite (a standard deviation > 0, say).")


@pytest.mark.parametrize("losses, growing", [
    ([1.0, 2.0], True), ([1.0, 1.0], False), ([2.0], False), ([1.0, 2.0, np.inf], False),
    ([1.0, np.inf, 2.0], True), ([1.0, 2.0, 0.5], False), ([1.0, 0.5, 2.0], True),
])
def test_is_growing_compares_the_last_finite_loss_with_the_first(losses, growing):
    assert optim.is_growing(losses) is growing


def test_scipy_runs_report_scipys_gradient_else_the_losss_own():
    spy = SpyLoss()
    res = optim.minimize_recorded(spy, [1.0, 1.0], method="BFGS")
    np.testing.assert_array_equal(res.jac, res.scipy_result.jac)  # scipy's finite differences
    nm = optim.minimize_recorded(spy, [1.0, 1.0], method="Nelder-Mead")
    # Nelder-Mead has none: the loss's exact one, its value_and_grad (the model's own formula,
    # faster than grad, which is autograd's)
    assert spy.calls["value_and_grad"] >= 1 and spy.calls["grad"] == 0
    np.testing.assert_array_equal(nm.jac, spy.q.value_and_grad(nm.x)[1])
    plain = optim.minimize_recorded(lambda t: t[0] ** 2 + 4 * t[1] ** 2, [1.0, 1.0])
    np.testing.assert_allclose(plain.jac, [2 * plain.x[0], 8 * plain.x[1]], rtol=1e-12)
    with pytest.raises(ValueError, match="^jac"):
        optim.minimize_recorded(spy, [1.0, 1.0], method="BFGS", jac=lambda x: np.zeros(3))


def test_scipy_runs_keep_the_users_warnings_inside():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.minimize_recorded(_quadratic(), [1.0, 1.0], method="Nelder-Mead",
                                      options={"maxiter": 5})
        optim._gradient_at(lambda t: float(np.log(0.0 * t[0])), lambda x: np.log(np.zeros(2)),
                           np.array([1.0, 1.0]), res.scipy_result)


def test_a_method_without_a_limit_code_is_not_max_iter():
    res = optim.minimize_recorded(_quadratic(), [1.0, 1.0], method="COBYQA",
                                  options={"maxiter": 3})
    assert res.state in {"failed", "converged"}


def _bowl(t):
    return (t[0] - 1.0) ** 2 + 10.0 * (t[1] + 0.5) ** 2


def _bowl_grad(t):
    return np.array([2.0 * (t[0] - 1.0), 20.0 * (t[1] + 0.5)])


def _bowl_hess(t):
    return np.diag([2.0, 20.0])


@pytest.mark.parametrize("method, kwargs", [
    ("Nelder-Mead", {"tol": 1e-2}),
    ("BFGS", {"jac": _bowl_grad, "options": {"maxiter": 3}}),
    ("L-BFGS-B", {"jac": _bowl_grad, "bounds": [(-2.0, 0.5), (-2.0, 2.0)]}),
    ("Newton-CG", {"jac": _bowl_grad, "hess": _bowl_hess}),
    ("COBYLA", {"options": {"maxiter": 20}}),
])
def test_minimize_recorded_is_scipys_run_field_by_field(method, kwargs):
    import scipy.optimize

    x0 = np.array([-1.0, 1.0])
    ours = optim.minimize_recorded(_bowl, x0, method=method, **kwargs)
    theirs = scipy.optimize.minimize(_bowl, x0, method=method, **kwargs)
    np.testing.assert_array_equal(ours.x, theirs.x)
    assert ours.fun == float(theirs.fun) and isinstance(ours.fun, float)
    assert ours.nfev == theirs.nfev == len(ours.evaluations) == len(ours.evaluation_losses)
    assert ours.nit == theirs.get("nit", len(ours.path) - 1)
    assert ours.njev == theirs.get("njev", 0)
    assert ours.message == str(theirs.message) and ours.method == method
    assert ours.scipy_status == theirs.status and ours.scipy_result.nfev == theirs.nfev
    assert ours.diverged_at is None and ours.growing is False
    assert ours.success == (ours.state == "converged") == bool(theirs.success)
    np.testing.assert_array_equal(ours.path[0], x0)
    assert ours.path.dtype == np.float64 and ours.losses[0] == _bowl(x0)
    if "jac" in kwargs:
        np.testing.assert_allclose(ours.jac, _bowl_grad(ours.x))


def test_a_run_that_ends_at_an_infinite_loss_is_diverged():
    def cliff(t):
        return np.inf if t[0] > 2.0 else -t[0]

    res = optim.minimize_recorded(cliff, [0.0], method="Nelder-Mead")
    if res.state == "diverged":
        bad = np.flatnonzero(~np.isfinite(res.losses))
        assert res.diverged_at == (int(bad[0]) if bad.size else len(res.path))
        assert res.message.startswith("Diverged: the loss is inf at the end. scipy says: ")
        assert res.fun == np.inf


def test_the_diverged_start_result_in_full():
    loss = models.make_normal_nll([1.0, 2.0, 4.0])
    res = optim.minimize_recorded(loss, [0.5, -1.0], method="BFGS")
    assert res.state == "diverged" and res.diverged_at == 0 and res.nit == 0
    assert res.njev == 0 and res.method == "BFGS" and res.path.tolist() == [[0.5, -1.0]]
    assert res.jac.shape == (2,) and np.all(np.isnan(res.jac))
    assert res.evaluations.shape[1] == 2 and len(res.evaluations) == res.nfev >= 1
    assert np.isinf(res.losses[0])


def test_minimize_recorded_names_its_bad_arguments():
    with pytest.raises(ValueError, match="^method must be a string, got 3"):
        optim.minimize_recorded(_bowl, [0.0, 0.0], method=3)
    with pytest.raises(ValueError, match="^jac"):
        optim.minimize_recorded(_bowl, [0.0, 0.0], method="BFGS", jac=True)
    with pytest.raises(ValueError, match="^hess"):
        optim.minimize_recorded(_bowl, [0.0, 0.0], method="Newton-CG", jac=_bowl_grad, hess=3)
    with pytest.raises(ValueError, match="^x0 must be finite"):
        optim.run_optimizer(_bowl, [np.inf, 0.0])
    with pytest.raises(ValueError, match="^max_iter must be >= 1"):
        optim.run_optimizer(_bowl, [0.0, 0.0], max_iter=0)
    with pytest.raises(ValueError, match="^optimizer must be one of"):
        optim.run_optimizer(_bowl, [0.0, 0.0], optimizer="SGD")


@pytest.mark.parametrize("optimizer", ["BFGS", "L-BFGS-B", "Nelder-Mead"])
def test_run_optimizer_passes_its_settings_to_scipy(optimizer):
    bounds = [(-2.0, 0.5), (-2.0, 2.0)] if optimizer == "L-BFGS-B" else None
    res = optim.run_optimizer(_bowl, [-1.0, 1.0], optimizer=optimizer, max_iter=4, bounds=bounds)
    direct = optim.minimize_recorded(_bowl, [-1.0, 1.0], method=optimizer, bounds=bounds,
                                     jac=None if optimizer == "Nelder-Mead" else
                                     optim._exact_grad(_bowl),
                                     options={"maxiter": 4})
    np.testing.assert_array_equal(res.x, direct.x)
    assert res.method == optimizer and res.nit == direct.nit <= 4
    if bounds is not None:
        assert res.x[0] <= 0.5
    used = []
    optim.run_optimizer(_bowl, [-1.0, 1.0], optimizer="BFGS", max_iter=4,
                        jac=lambda t: (used.append(1), _bowl_grad(t))[1])
    assert used


@pytest.mark.parametrize("optimizer", sorted(optim.OPTIMIZERS))
def test_run_optimizer_passes_its_settings_to_ours(optimizer):
    res = optim.run_optimizer(_bowl, [-1.0, 1.0], optimizer=optimizer, lr=0.02, max_iter=7,
                              tol=0.0)
    direct = optim.OPTIMIZERS[optimizer](_bowl, [-1.0, 1.0], lr=0.02, max_iter=7, tol=0.0)
    np.testing.assert_array_equal(res.x, direct.x)
    assert res.nit == 7
    loose = optim.run_optimizer(_bowl, [1.0, -0.5 + 1e-9], optimizer=optimizer, tol=1.0)
    assert loose.state == "converged" and loose.nit <= 1
    used = []
    optim.run_optimizer(_bowl, [-1.0, 1.0], optimizer=optimizer, max_iter=2,
                        jac=lambda t: (used.append(1), _bowl_grad(t))[1])
    assert used


def test_run_optimizer_defaults_to_fifty_steps_of_gradient_descent():
    res = optim.run_optimizer(_bowl, [-1.0, 1.0])
    direct = optim.gradient_descent(_bowl, [-1.0, 1.0], lr=0.1, max_iter=50, tol=1e-6)
    assert res.method == direct.method and res.nit == direct.nit
    np.testing.assert_array_equal(res.x, direct.x)


def test_learning_rate_sweep_defaults_and_messages():
    runs = optim.learning_rate_sweep(_quadratic(), [(1.0, 1.0)], [1e-3])
    assert runs[0, 0].nit == 50 and runs[0, 0].lr == 1e-3
    with pytest.raises(ValueError, match=r"^x0s\[0\] must be finite"):
        optim.learning_rate_sweep(_quadratic(), [(np.nan, 1.0)], [0.1])
    with pytest.raises(ValueError, match=r"^lrs\[1\] must be > 0"):
        optim.learning_rate_sweep(_quadratic(), [(1.0, 1.0)], [0.1, 0.0])
    with pytest.raises(ValueError, match="^x0s and lrs must not be empty, got 1 and 0"):
        optim.learning_rate_sweep(_quadratic(), [(1.0, 1.0)], [])
    with pytest.raises(ValueError, match="^x0s and lrs must not be empty, got 0 and 1"):
        optim.learning_rate_sweep(_quadratic(), [], [0.1])


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_a_default_call_is_the_documented_call(name):
    # a slow valley: 1000 steps do not reach the tolerance
    slow = models.make_quadratic(np.diag([1e-4, 1.0]))
    explicit = {"gradient descent": {"lr": 0.1}, "momentum": {"lr": 0.1, "beta": 0.9},
                "RMSprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-8},
                "Adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}[name]
    default = optim.OPTIMIZERS[name](slow, [1.0, 1.0])
    documented = optim.OPTIMIZERS[name](slow, [1.0, 1.0], max_iter=1000, tol=1e-6, blowup=1e6,
                                        **explicit)
    np.testing.assert_array_equal(default.path, documented.path)
    assert default.nit == documented.nit


def test_newtons_default_call_is_the_documented_call():
    quartic = lambda t: t[0] ** 4  # noqa: E731 - Newton converges linearly: x -> 2x/3
    far = optim.newton(quartic, [1e30])
    assert far.nit == 100 and far.state == "max_iter"
    near = optim.newton(quartic, [1.0])
    documented = optim.newton(quartic, [1.0], max_iter=100, tol=1e-8, blowup=1e6)
    assert near.nit == documented.nit > 5 and near.state == "converged"


class Cliff:
    """A loss of 0 at the start and ``top`` one step away, with a constant gradient."""

    def __init__(self, start, top):
        self.start, self.top = start, top

    def __call__(self, t):
        return self.start if t[0] == 0.0 else self.top

    def value_and_grad(self, t):
        return self(t), np.array([-1.0])


@pytest.mark.parametrize("start, top, diverged", [
    (0.0, 1e6, False), (0.0, 1e6 + 0.5, True), (1.0, 2e6 + 1.0, False), (1.0, 2e6 + 2.0, True),
])
def test_the_blowup_threshold_exactly(start, top, diverged):
    # limit = |f0| + blowup (1 + |f0|), with blowup = 1e6
    res = optim.gradient_descent(Cliff(start, top), [0.0], lr=1.0, max_iter=1, tol=0.0)
    assert (res.state == "diverged") is diverged


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_a_gradient_of_exactly_zero_meets_a_tolerance_of_zero(name):
    res = optim.OPTIMIZERS[name](_quadratic(), [0.0, 0.0], tol=0.0, max_iter=5)
    assert res.state == "converged" and res.nit == 0
    assert res.message == "Converged: gradient norm below tolerance after 0 steps."


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_an_infinite_loss_with_a_finite_gradient_is_not_a_step(name):
    loss = models.make_normal_nll([1.0, 2.0, 4.0])  # its gradient is 0 where sigma <= 0
    res = optim.OPTIMIZERS[name](loss, [2.0, 0.3], lr=50.0, max_iter=20)
    assert np.all(np.isfinite(res.losses)) and np.all(res.path[:, 1] > 0)


@pytest.mark.parametrize("name", [*sorted(optim.OPTIMIZERS), "Newton"])
def test_our_diverged_start_in_full(name):
    loss = models.make_normal_nll([1.0, 2.0, 4.0])
    run = optim.newton if name == "Newton" else optim.OPTIMIZERS[name]
    res = run(loss, [0.5, -1.0])
    assert res.state == "diverged" and res.diverged_at == 0 and res.method == name
    assert res.message == ("Diverged at step 0: the loss is inf at the start x0 = (0.5, -1). "
                           "Start where the loss is finite (a standard deviation > 0, say).")
    assert res.jac.shape == (2,) and res.evaluations.shape == (1, 2)
    assert res.evaluation_losses.tolist() == [np.inf]


def test_evaluations_and_their_losses_are_recorded():
    res = optim.gradient_descent(_quadratic(), [1.0, 1.0], lr=0.1, max_iter=5, tol=0.0)
    assert res.evaluations.shape == (6, 2) and res.evaluation_losses.shape == (6,)
    np.testing.assert_array_equal(res.evaluation_losses, res.losses)
    np.testing.assert_array_equal(res.evaluations, res.path)


def test_the_messages_of_a_diverged_newton_run_and_of_a_growing_run():
    res = optim.newton(lambda t: -(t[0] ** 2) * 1e3 + t[0] ** 4, [1e-3], blowup=1e-3)
    if res.state == "diverged":
        assert res.message.endswith(".") and "learning rate" not in res.message
        assert not res.message.endswith("XX")
    grow = optim.gradient_descent(_quadratic(), [1.0, 1.0], lr=0.55, max_iter=3, tol=0.0)
    if grow.growing:
        assert grow.message.endswith("(learning rate too large?).")


def test_a_scipy_run_that_ends_at_an_infinite_loss_is_diverged_where_the_loss_first_was():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = optim.minimize_recorded(lambda t: -np.exp(t[0] ** 2), [0.5], method="Nelder-Mead")
    assert res.state == "diverged" and not res.success and res.fun == -np.inf
    bad = np.flatnonzero(~np.isfinite(res.losses))
    assert res.diverged_at == (int(bad[0]) if bad.size else len(res.path)) > 0
    assert res.message.startswith("Diverged: the loss is -inf at the end. scipy says: ")


def test_the_gradient_of_a_loss_autograd_cannot_trace_is_taken_by_differences():
    import math

    res = optim.minimize_recorded(lambda t: math.cos(t[0]) + t[1] ** 2, [3.0, 1.0])
    np.testing.assert_allclose(res.jac, [-math.sin(res.x[0]), 2 * res.x[1]], atol=1e-6)
    assert res.jac.dtype == np.float64 and res.jac.shape == (2,)


def test_the_recorder_keeps_warnings_of_the_loss_inside():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.minimize_recorded(lambda t: float(np.log(t[0] ** 2)) + t[1] ** 2, [0.0, 1.0])
    assert res.state == "diverged" and res.diverged_at == 0


class Jump(Cliff):
    """Like Cliff, with a chosen value and gradient one step away."""

    def __init__(self, top, top_grad):
        super().__init__(0.0, top)
        self.top_grad = top_grad

    def value_and_grad(self, t):
        return self(t), (np.array([-1.0]) if t[0] == 0.0 else np.array([self.top_grad]))


@pytest.mark.parametrize("top, top_grad", [(np.nan, 1.0), (1.0, np.nan)])
def test_a_step_to_a_nan_loss_or_a_nan_gradient_is_divergence(top, top_grad):
    res = optim.gradient_descent(Jump(top, top_grad), [0.0], lr=1.0, max_iter=3, tol=0.0)
    assert res.state == "diverged" and res.diverged_at == 1


def test_a_gradient_of_exactly_zero_after_a_step_meets_a_tolerance_of_zero():
    res = optim.gradient_descent(models.make_quadratic(np.eye(2)), [1.0, 1.0], lr=1.0, tol=0.0,
                                 max_iter=5)
    assert res.state == "converged" and res.nit == 1


@pytest.mark.parametrize("name", [*sorted(optim.OPTIMIZERS), "Newton"])
def test_the_default_blowup_is_a_million(name):
    run = optim.newton if name == "Newton" else optim.OPTIMIZERS[name]
    kwargs = {"hess": lambda t: np.array([[1.0]])} if name == "Newton" else {"lr": 1.0}
    assert run(Cliff(0.0, 1e6 + 0.5), [0.0], max_iter=1, tol=0.0, **kwargs).state == "diverged"
    assert run(Cliff(0.0, 1e6), [0.0], max_iter=1, tol=0.0, **kwargs).state != "diverged"


def _linear(t):
    return t[0] + 0.0 * t[1]  # never converges, never explodes


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_the_default_number_of_steps_is_a_thousand(name):
    assert optim.OPTIMIZERS[name](_linear, [0.0, 0.0]).nit == 1000


def test_newtons_diverged_message_names_no_learning_rate():
    res = optim.newton(Cliff(0.0, 1e7), [0.0], hess=lambda t: np.array([[1.0]]))
    assert res.message == "Diverged at step 1: the loss became non-finite or exploded."


def test_run_optimizer_and_the_sweep_pass_tol_on():
    assert optim.run_optimizer(_linear, [0.0, 0.0]).nit == 50  # default tol 1e-6 < |g| = 1
    assert optim.run_optimizer(_linear, [0.0, 0.0], tol=2.0).nit == 0
    runs = optim.learning_rate_sweep(_linear, [(0.0, 0.0)], [0.1], tol=2.0)
    assert runs[0, 0].nit == 0
    with pytest.raises(ValueError) as info:
        optim.learning_rate_sweep(_linear, [(0.0, 0.0)], [0.1], optimizer="BFGS")
    assert str(info.value) == (f"optimizer must be one of {tuple(optim.OPTIMIZERS)}, "
                               "got 'BFGS'")


def test_our_optimizers_name_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match="^jac"):
        optim.gradient_descent(_quadratic(), [1.0, 1.0], jac=lambda t: np.zeros(3))


def test_minimize_recorded_defaults_to_nelder_mead_by_its_name():
    assert optim.minimize_recorded(_bowl, [0.0, 0.0]).method == "Nelder-Mead"


def test_the_jac_wrapper_keeps_the_users_warnings_inside():
    def noisy_grad(t):
        return _bowl_grad(t) + np.minimum(np.float64(1e308) * 10.0, 0.0)  # overflow warning

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = optim.minimize_recorded(_bowl, [0.0, 0.0], method="BFGS", jac=noisy_grad)
    assert res.state == "converged"
