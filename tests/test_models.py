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
     (lambda: models.make_sum_of_squares(lambda t, x: x, [1, 2], [1], param_names="a"),
      "x and y must have the same shape"),
     (lambda: models.make_linear_regression_nll(np.ones((3, 2)), [1.0, 2.0]),
      "X and y must have the same number of rows"),
     (lambda: models.make_quadratic([[1.0, 2.0], [0.0, 1.0]]), "A must be symmetric"),
     (lambda: models.make_quadratic([[-1.0, 0.0], [0.0, 1.0]]), "A must be positive definite")],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match="^" + match):  # anchored: the message starts so
        call()


# ---------------------------------------------------------------- exact gradients, input checks

def _every_model():
    """Every model of the course with a point inside its domain and one grid of points."""
    x = data.normal_sample(500, 0.3, 1.7, seed=2)
    S, rate = data.michaelis_menten_data(seed=0)
    X, y, _ = data.linear_regression_data(200, 3, sigma=0.5, seed=0)
    xs = np.linspace(0.0, 4.0, 30)
    return {
        "normal sigma": (models.make_normal_nll(x), [0.9, 0.7]),
        "normal log_sigma": (models.make_normal_nll(x, parametrization="log_sigma"), [0.9, -0.2]),
        "normal variance": (models.make_normal_nll(x, parametrization="variance"), [0.9, 2.5]),
        "michaelis-menten": (models.make_michaelis_menten_loss(S, rate), [20.0, 4.0]),
        "michaelis-menten log": (models.make_michaelis_menten_loss(S, rate, log_params=True),
                                 [3.0, 1.5]),
        "linear regression": (models.make_linear_regression_nll(X, y), [0.5, -0.3, 1.2, 0.1]),
        "quadratic": (models.make_quadratic([[3.0, 1.0], [1.0, 2.0]], [1.0, -1.0], 2.0),
                      [0.4, -1.3]),
        "sum of squares": (models.make_sum_of_squares(lambda t, u: t[0] * anp.sin(t[1] * u), xs,
                                                      np.cos(xs), param_names=("a", "b")),
                           [1.1, 0.7]),
    }


import autograd  # noqa: E402
import autograd.numpy as anp  # noqa: E402
import scipy.optimize  # noqa: E402

# built inside each test, never at import: a mutation test must see the losses made anew
MODEL_NAMES = list(_every_model())


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_models_gradient_equals_autograds_and_autograds_equals_finite_differences(name):
    loss, theta = _every_model()[name]
    rng = np.random.default_rng(5)
    reference = autograd.value_and_grad(loss.fun)
    for t in [np.asarray(theta)] + [np.asarray(theta) * (1 + 0.2 * rng.standard_normal(len(theta)))
                                    for _ in range(5)]:
        value, grad = loss.value_and_grad(t)
        ref_value, ref_grad = reference(t)
        assert float(value) == pytest.approx(float(ref_value), rel=1e-13, abs=1e-13)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-10, atol=1e-12 * max(1, abs(ref_value)))
        # grad is autograd's own, whatever formula the model supplies (notebook 05 times it)
        np.testing.assert_array_equal(loss.grad(t), ref_grad)
        f = lambda u: float(loss(u))  # noqa: E731
        step = 1e-7 * np.maximum(np.abs(t), 1.0)
        fd = scipy.optimize.approx_fprime(t, f, step)
        np.testing.assert_allclose(ref_grad, fd, rtol=1e-4, atol=1e-5 * max(1.0, abs(ref_value)))
        assert scipy.optimize.check_grad(f, loss.grad, t, epsilon=1e-7) <= 1e-4 * max(
            1.0, np.abs(ref_grad).max(), abs(ref_value))


@pytest.mark.parametrize("name", [n for n in MODEL_NAMES if n != "linear regression"])
def test_every_models_exact_gradient_is_vectorised_over_a_grid(name):
    loss, theta = _every_model()[name]
    theta = np.asarray(theta)
    grid = theta[:, None, None] * np.linspace(0.8, 1.2, 12).reshape(3, 4)[None]
    value, grad = loss.value_and_grad(grid)
    assert value.shape == (3, 4) and grad.shape == (2, 3, 4)
    point_grad = autograd.grad(loss.fun)
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        np.testing.assert_allclose(value[i, j], float(loss(grid[:, i, j])), rtol=1e-13)
        np.testing.assert_allclose(grad[:, i, j], point_grad(grid[:, i, j]), rtol=1e-10)
    np.testing.assert_allclose(loss(grid), value, rtol=1e-13)


@pytest.mark.parametrize("par, bad", [("sigma", [0.2, 0.0]), ("sigma", [0.2, -1.0]),
                                      ("variance", [0.2, -0.5]), ("sigma", [np.nan, 1.0])])
def test_exact_normal_gradient_outside_the_domain_matches_autograd_inf_and_zero(par, bad):
    loss = models.make_normal_nll([1.0, 2.0, 4.0], parametrization=par)
    value, grad = loss.value_and_grad(np.array(bad))
    ref_value, ref_grad = autograd.value_and_grad(loss.fun)(np.array(bad))
    assert np.isinf(value) == np.isinf(ref_value) and np.isnan(value) == np.isnan(ref_value)
    np.testing.assert_array_equal(grad, ref_grad)


@pytest.mark.parametrize("sigma", [0.0, -1.0, np.nan, [1.0, -2.0]])
def test_normal_pdf_refuses_a_sigma_that_is_not_positive(sigma):
    with pytest.raises(ValueError, match="sigma must be > 0"):
        models.normal_pdf(0.0, 0.0, sigma)


@pytest.mark.parametrize("par", ["sigma", "log_sigma", "variance"])
def test_constant_data_has_no_minimum_and_says_so(par):
    with pytest.raises(ValueError, match="x must not be constant"):
        models.make_normal_nll([2.0, 2.0, 2.0], parametrization=par)


def test_grad_hess_and_value_accept_integer_arrays_and_lists():
    loss = models.make_normal_nll([1.0, 2.0, 4.0])
    theta = np.array([2, 1])
    np.testing.assert_allclose(loss.grad(theta), loss.grad(theta.astype(float)))
    np.testing.assert_allclose(loss.hess(theta), loss.hess([2.0, 1.0]))
    assert float(loss([2, 1])) == float(loss(np.array([2.0, 1.0])))
    sos = _every_model()["sum of squares"][0]
    np.testing.assert_allclose(sos.grad([1, 1]), sos.grad(np.ones(2)))


@pytest.mark.parametrize("name", MODEL_NAMES)
@pytest.mark.parametrize("size", [1, 5])
def test_a_parameter_vector_of_the_wrong_length_is_refused_not_truncated(name, size):
    loss, theta = _every_model()[name]
    wrong = np.resize(np.asarray(theta, dtype=float), len(theta) + size - 3 if size == 1
                      else len(theta) + 1)
    for call in (loss, loss.grad, loss.hess, loss.value_and_grad):
        with pytest.raises(ValueError, match="theta must have"):
            call(wrong)
    with pytest.raises(ValueError, match="theta must have"):
        loss(np.float64(1.0))


def test_loss_is_still_differentiable_by_autograd_as_a_whole():
    loss = _every_model()["normal sigma"][0]
    np.testing.assert_allclose(autograd.grad(loss)(np.array([0.5, 1.5])),
                               loss.grad(np.array([0.5, 1.5])), rtol=1e-12)


def test_sufficient_statistics_stay_accurate_at_a_large_mean():
    z = data.normal_sample(1000, 0.0, 1.0, seed=0)
    n, mean, ss = models.normal_sufficient_stats(1e8 + z)
    assert n == 1000 and mean == pytest.approx(1e8 + z.mean(), rel=1e-15)
    # sum(x^2) - n mean^2 loses every digit here (x^2 is 1e16, ss is 1e3)
    assert ss == pytest.approx(np.sum((z - z.mean()) ** 2), rel=1e-6)
    nll = models.make_normal_nll(1e8 + z)
    assert nll.minimum[1] == pytest.approx(z.std(), rel=1e-6)


@pytest.mark.parametrize("name, title, params", [
    ("normal sigma", "normal NLL, 500 points", (r"$\mu$", r"$\sigma$")),
    ("normal log_sigma", "normal NLL, 500 points", (r"$\mu$", r"$\log\sigma$")),
    ("normal variance", "normal NLL, 500 points", (r"$\mu$", r"$\sigma^2$")),
    ("michaelis-menten", "Michaelis-Menten MSE", (r"$V_{max}$", r"$K_m$")),
    ("michaelis-menten log", "Michaelis-Menten MSE", (r"$\log V_{max}$", r"$\log K_m$")),
    ("linear regression", "linear regression NLL",
     (r"$\beta_0$", r"$\beta_1$", r"$\beta_2$", r"$\log\sigma$")),
    ("quadratic", "quadratic", (r"$\theta_1$", r"$\theta_2$")),
    ("sum of squares", "sum of squares", ("a", "b")),
])
def test_every_model_names_itself_and_its_parameters(name, title, params):
    loss = _every_model()[name][0]
    assert loss.name == title and loss.param_names == params and loss.n_params == len(params)
    assert repr(loss) == f"Loss({title!r}, params={params})"
    assert loss.exact_gradient is (name != "sum of squares")


def test_names_of_larger_quadratics_and_mean_squares():
    q = models.make_quadratic(np.eye(3))
    assert q.param_names == (r"$\theta_0$", r"$\theta_1$", r"$\theta_2$")
    mse = models.make_sum_of_squares(lambda t, u: t[0] * u, [1.0, 2.0], [1.0, 2.0],
                                     param_names=["a"], mean=True)
    assert mse.name == "mean squared error" and float(mse(np.array([0.0]))) == 2.5
    sos = models.make_sum_of_squares(lambda t, u: t[0] * u, [1.0, 2.0], [1.0, 2.0],
                                     param_names=["a"])
    assert float(sos(np.array([0.0]))) == 5.0


def test_linear_regression_nll_equals_the_sum_of_normal_log_densities():
    X, y, _ = data.linear_regression_data(50, 3, sigma=0.5, seed=1)
    loss = models.make_linear_regression_nll(X, y)
    theta = np.array([0.2, -0.4, 1.1, np.log(0.7)])
    expected = -scipy.stats.norm.logpdf(y, X @ theta[:3], 0.7).sum()
    assert float(loss(theta)) == pytest.approx(expected, rel=1e-12)
    assert float(loss.value_and_grad(theta)[0]) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="theta must be one vector of 4 entries, got shape"):
        loss.value_and_grad(np.ones((4, 2)))


def test_mse_and_quadratic_values_by_hand():
    S, rate = np.array([1.0, 3.0]), np.array([2.0, 1.0])
    for log_params in (False, True):
        loss = models.make_michaelis_menten_loss(S, rate, log_params=log_params)
        t = np.array([4.0, 1.0])
        vmax, km = np.exp(t) if log_params else t
        expected = np.mean((rate - vmax * S / (km + S)) ** 2)
        assert float(loss.value_and_grad(t)[0]) == pytest.approx(expected, rel=1e-14)
        assert float(loss(t)) == pytest.approx(expected, rel=1e-14)
    q = models.make_quadratic([[2.0, 0.0], [0.0, 4.0]], [1.0, 1.0], 3.0)
    value, grad = q.value_and_grad(np.array([1.0, 2.0]))
    assert float(value) == 0.5 * (2 + 16) - 3 + 3 and grad.tolist() == [1.0, 7.0]


@pytest.mark.parametrize("call, match", [
    (lambda: models.make_linear_regression_nll(np.ones(3), [1.0, 2.0, 3.0]), "X must be 2-dim"),
    (lambda: models.make_linear_regression_nll(np.ones((3, 2)), [[1.0]]), "y must be 1-dim"),
    (lambda: models.make_linear_regression_nll(np.ones((3, 2)), [1.0, 2.0]),
     "X and y must have the same number of rows, got 3 and 2"),
    (lambda: models.make_sum_of_squares(lambda t, u: u, [np.nan], [1.0], param_names="a"),
     "x must be finite"),
    (lambda: models.make_sum_of_squares(lambda t, u: u, [1.0], [np.inf], param_names="a"),
     "y must be finite"),
    (lambda: models.make_sum_of_squares(lambda t, u: u, [1.0, 2.0], [1.0], param_names="a"),
     r"x and y must have the same shape, got \(2,\) and \(1,\)"),
    (lambda: models.make_michaelis_menten_loss([1.0, np.nan], [1.0, 2.0]), "S must be finite"),
    (lambda: models.make_michaelis_menten_loss([1.0, 2.0], [1.0, np.nan]), "rate must be finite"),
    (lambda: models.make_quadratic([[1.0, 0.0]]), r"A must be square, got shape \(1, 2\)"),
    (lambda: models.make_quadratic(np.eye(2), [1.0]), "b must have 2 entries"),
    (lambda: models.make_quadratic(np.eye(2), c=np.nan), "c must be finite"),
    (lambda: models.make_normal_nll([1.0, 2.0], parametrization="sd"),
     r"parametrization must be one of \('sigma', 'log_sigma', 'variance'\), got 'sd'"),
    (lambda: models.normal_nll([1.0, 2.0], np.nan, 1.0), "mu must be finite"),
    (lambda: models.normal_nll([], 0.0, 1.0), "x must hold at least 1"),
    (lambda: models.Loss(3, "f", ["a"]), "fun must be callable"),
    (lambda: models.Loss(lambda t: t[0], "f", ["a"], value_and_grad=3), "value_and_grad must be"),
])
def test_every_argument_is_named_when_refused(call, match):
    with pytest.raises(ValueError, match="^" + match):  # anchored: the message starts so
        call()


def test_loss_details_a_mutant_could_change():
    f = lambda t: t[0] ** 2  # noqa: E731
    assert models.Loss(f, "f", ["a"]).minimum is None
    loss = models.Loss(f, "f", ["a"], minimum=[1])
    assert loss.minimum.dtype == np.float64 and loss.minimum.tolist() == [1.0]
    assert loss._theta(np.ones(1, dtype=np.float32)).dtype == np.float32  # inexact types kept
    assert loss._theta(np.ones(1, dtype=int)).dtype == np.float64
    with pytest.raises(ValueError, match="theta must be numeric"):
        loss(["a"])
    assert float(models.make_quadratic(np.eye(2))(np.zeros(2))) == 0.0  # c defaults to 0
    with pytest.raises(ValueError, match="A must be positive definite"):
        models.make_quadratic([[1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="A must be 2-dimensional"):
        models.make_quadratic([1.0, 2.0])
    # a spread below 1 is not constant data
    assert models.make_normal_nll([0.0, 0.1]).minimum[1] == pytest.approx(0.05)


@pytest.mark.parametrize("par", ["sigma", "variance"])
def test_the_normal_nll_is_infinite_at_a_scale_of_exactly_zero(par):
    loss = models.make_normal_nll([1.0, 2.0, 4.0], parametrization=par)
    assert np.isinf(float(loss(np.array([2.0, 0.0]))))
    assert np.isinf(float(loss.value_and_grad(np.array([2.0, 0.0]))[0]))
    assert loss.grad(np.array([2.0, 0.0])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("name", ["sum of squares", "michaelis-menten", "michaelis-menten log"])
def test_a_grid_of_one_extra_axis_is_vectorised_too(name):
    loss, theta = _every_model()[name]
    grid = np.asarray(theta)[:, None] * np.linspace(0.9, 1.1, 5)[None, :]  # shape (2, 5)
    value, grad = loss.value_and_grad(grid)
    assert value.shape == (5,) and grad.shape == (2, 5)
    for j in range(5):
        assert value[j] == pytest.approx(float(loss(grid[:, j])), rel=1e-12)
        np.testing.assert_allclose(grad[:, j], autograd.grad(loss.fun)(grid[:, j]), rtol=1e-10)
    np.testing.assert_allclose(loss(grid), value, rtol=1e-12)


def test_the_messages_of_the_sufficient_statistics_and_of_constant_data():
    with pytest.raises(ValueError) as info:
        models.normal_sufficient_stats([1.0, np.nan])
    assert str(info.value) == "x must be finite, found nan in x"
    with pytest.raises(ValueError) as info:
        models.make_normal_nll([2.0, 2.0])
    assert str(info.value) == ("x must not be constant (every value is 2): the likelihood grows "
                               "without bound as sigma falls to 0, so there is no minimum")
