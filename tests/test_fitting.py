"""The nonlinear least-squares pipeline and the binomial likelihood of notebook 07, against
certified and published values."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize
import scipy.stats

from course_utils import data, diagnostics, fitting, models, optim

NIST = data.nist_names()


def nist(name):
    d = data.load_nist(name)
    return d, fitting.nist_model(name)


# ---------------------------------------------------------------- the models and their Jacobians

@pytest.mark.parametrize("name", NIST)
def test_model_is_the_formula_nist_publishes(name):
    d, f = nist(name)
    env = {f"b{i + 1}": b for i, b in enumerate(d.certified)} | {"x": d.x, "exp": np.exp}
    expected = eval(d.model, {"__builtins__": {}}, env)  # the formula string of the data file
    np.testing.assert_allclose(f(d.certified, d.x), expected, rtol=1e-14)


@pytest.mark.parametrize("name", NIST)
def test_certified_values_give_the_certified_sum_of_squares(name):
    d, f = nist(name)
    assert fitting.sum_of_squares(f, d.certified, d.x, d.y) == pytest.approx(d.certified_sse, rel=1e-7)


@pytest.mark.parametrize("name", NIST)
def test_model_jacobian_equals_autograd_jacobian_and_finite_differences(name):
    d, f = nist(name)
    b = d.starts["start2"]
    J = fitting.model_jacobian(f, b, d.x)
    np.testing.assert_allclose(J, autograd.jacobian(lambda t: f(t, d.x))(b), rtol=1e-12, atol=1e-300)
    fd = np.column_stack([(f(b + h, d.x) - f(b - h, d.x)) / (2 * h[k])
                          for k, h in enumerate(np.diag(1e-6 * np.abs(b)))])
    np.testing.assert_allclose(J, fd, rtol=1e-5, atol=1e-8 * np.abs(J).max())


# ---------------------------------------------------------------- the pipeline on NIST StRD

@pytest.mark.parametrize("start", ["start1", "start2"])
@pytest.mark.parametrize("name", NIST)
def test_recommended_pipeline_reaches_the_certified_values(name, start):
    d, f = nist(name)
    res = fitting.fit_nls(f, d.x, d.y, d.starts[start])
    np.testing.assert_allclose(res.x, d.certified, rtol=1e-6)
    assert res.fun == pytest.approx(d.certified_sse, rel=1e-9)
    assert res.success and res.method == "least_squares (trf)"
    np.testing.assert_allclose(res.se, d.certified_sd, rtol=1e-4)
    assert np.all(fitting.log_relative_error(res.x, d.certified) >= 6.5)


@pytest.mark.slow
@pytest.mark.parametrize("start", ["start1", "start2"])
@pytest.mark.parametrize("name", NIST)
def test_pipeline_with_minimize_also_gets_six_digits(name, start):
    d, f = nist(name)
    res = fitting.fit_nls(f, d.x, d.y, d.starts[start], solver="minimize")
    np.testing.assert_allclose(res.x, d.certified, rtol=1e-6)


def test_levenberg_marquardt_stalls_on_the_boxbod_plateau_without_a_start_search():
    d, f = nist("BoxBOD")
    naive = fitting.fit_least_squares(f, d.x, d.y, d.starts["start1"], method="lm", tol=None)
    assert naive.fun == pytest.approx(9771.5, abs=0.05)
    assert naive.fun == pytest.approx(np.sum((d.y - d.y.mean()) ** 2), rel=1e-6)
    found = fitting.fit_nls(f, d.x, d.y, d.starts["start1"], method="lm")
    np.testing.assert_allclose(found.x, d.certified, rtol=1e-6)


def test_default_tolerances_stop_short_and_tight_ones_do_not():
    d, f = nist("Thurber")
    loose = fitting.fit_least_squares(f, d.x, d.y, d.starts["start2"], tol=None)
    tight = fitting.fit_least_squares(f, d.x, d.y, d.starts["start2"])
    assert fitting.log_relative_error(loose.x, d.certified).min() < 6
    assert fitting.log_relative_error(tight.x, d.certified).min() > 7


# ---------------------------------------------------------------- Puromycin

def test_puromycin_matches_the_published_fit_to_four_significant_digits():
    d = data.load_dataset("Puromycin")
    res = fitting.fit_nls(models.michaelis_menten, d.x, d.y, d.starts["start"])
    pub = d.info["published"]
    vm, k = res.x
    se_vm, se_k = res.se
    assert (f"{vm:.2f}", f"{k:.5f}", f"{se_vm:.3f}", f"{se_k:.6f}") == ("212.68", "0.06412", "6.947",
                                                                         "0.008281")
    np.testing.assert_allclose(res.x, [pub["Vm"], pub["K"]], rtol=1e-6)
    assert res.fun == pytest.approx(pub["rss"], rel=1e-6)


# ---------------------------------------------------------------- Challenger

def challenger_fit():
    d = data.load_dataset("Challenger")
    nll = fitting.make_binomial_logistic_nll(d.x, d.y, d.info["at_risk"])
    res = optim.newton(nll, [0.0, 0.0], jac=nll.grad, hess=nll.hess, tol=1e-10)
    return d, nll, res


def test_binomial_nll_is_the_binomial_log_pmf_and_its_gradient_is_exact():
    d = data.load_dataset("Challenger")
    nll = fitting.make_binomial_logistic_nll(d.x, d.y, 6)
    theta = np.array([4.0, -0.1])
    p = 1 / (1 + np.exp(-(theta[0] + theta[1] * d.x)))
    assert float(nll(theta)) == pytest.approx(-scipy.stats.binom.logpmf(d.y, 6, p).sum(), rel=1e-12)
    h = np.array([1e-6, 1e-8])
    fd = [(nll(theta + e) - nll(theta - e)) / (2 * e.sum()) for e in np.diag(h)]
    np.testing.assert_allclose(nll.grad(theta), fd, rtol=1e-5)
    grid = nll(np.array([[4.0, 5.0], [-0.1, -0.1]]))
    assert grid.shape == (2,) and grid[0] == pytest.approx(float(nll(theta)))


def test_binomial_nll_is_finite_far_from_the_data():
    nll = fitting.make_binomial_logistic_nll([50.0, 80.0], [0, 6], 6)
    far = np.array([-500.0, 10.0])
    assert np.isfinite(nll(far)) and np.all(np.isfinite(nll.grad(far)))


def test_challenger_matches_dalal_fowlkes_hoadley():
    d, nll, res = challenger_fit()
    ref = d.info["reference_fits"]["binomial_logistic"]
    se = diagnostics.hessian_standard_errors(nll.hess(res.x))
    assert res.state == "converged"
    assert f"{res.x[0]:.3f}" == "5.085" and f"{res.x[1]:.4f}" == "-0.1156"
    assert f"{se[0]:.2f}" == "3.05" and f"{se[1]:.3f}" == "0.047"
    # the file's refit is ~6e-6 short of the minimum in beta (its gradient is 2e-4 there, ours 1e-12)
    np.testing.assert_allclose(res.x, [ref["alpha"], ref["beta"]], rtol=2e-5)
    assert np.abs(nll.grad(res.x)).max() < 1e-8
    np.testing.assert_allclose(se, [ref["se_alpha"], ref["se_beta"]], rtol=1e-5)


def test_probability_of_distress_at_31F_by_the_delta_method():
    d, nll, res = challenger_fit()
    cov = np.linalg.inv(nll.hess(res.x))
    p, se = fitting.delta_method(lambda t: 1 / (1 + anp.exp(-(t[0] + t[1] * 31.0))), res.x, cov)
    assert p == pytest.approx(d.info["reference_fits"]["binomial_logistic"]["p_at_31F"], abs=1e-4)
    eta, se_eta = fitting.delta_method(lambda t: t[0] + t[1] * 31.0, res.x, cov)
    c = np.array([1.0, 31.0])
    assert se_eta == pytest.approx(np.sqrt(c @ cov @ c), rel=1e-12)  # exact for a linear function
    assert se == pytest.approx(p * (1 - p) * se_eta, rel=1e-12)  # the chain rule
    assert p + 1.96 * se > 1  # the symmetric interval leaves [0, 1]: use the logit scale


# ---------------------------------------------------------------- the small pieces

def test_log_relative_error():
    lre = fitting.log_relative_error([1.001, 100.0, 30.0, 0.5, 1e-9], [1.0, 100.0, 2.0, 0.0, 0.0])
    np.testing.assert_allclose(lre, [3.0, 11.0, 0.0, 0.30103, 9.0], atol=1e-4)


def test_standard_errors_of_a_straight_line_match_ols():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 20)
    y = 1 + 2 * x + rng.normal(0, 0.1, 20)
    res = fitting.fit_least_squares(lambda b, x: b[0] + b[1] * x, x, y, [0.0, 0.0])
    X = np.column_stack([np.ones_like(x), x])
    coef, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    se = np.sqrt(np.diag(np.linalg.inv(X.T @ X)) * rss[0] / (20 - 2))
    np.testing.assert_allclose(res.x, coef, rtol=1e-10)
    np.testing.assert_allclose(res.se, se, rtol=1e-8)


def test_scatter_starts_and_coarse_search():
    pts = fitting.scatter_starts([2.0, -3.0, 0.0], 500, spread=10.0, seed=1)
    assert pts.shape == (500, 3) and pts[0].tolist() == [2.0, -3.0, 0.0]
    assert np.all((pts[:, 0] >= 0.2) & (pts[:, 0] <= 20.0)) and np.all(pts[:, 1] < 0)
    assert np.all(np.abs(pts[1:, 2]) <= 1.0)
    np.testing.assert_array_equal(pts, fitting.scatter_starts([2.0, -3.0, 0.0], 500, spread=10.0, seed=1))
    d, f = nist("BoxBOD")
    best, sse = fitting.coarse_search(f, d.x, d.y, fitting.scatter_starts([100.0, 1.0], 300, seed=0))
    assert np.all(np.diff(sse) >= 0) and sse[0] < 9771.5 / 2  # well below the plateau


@pytest.mark.parametrize(
    "call, match",
    [(lambda: fitting.nist_model("Nope"), "name must be one of"),
     (lambda: fitting.fit_least_squares("f", [1.0, 2.0], [1.0, 2.0], [1.0]), "model must be"),
     (lambda: fitting.fit_least_squares(fitting.nist_model("BoxBOD"), [1.0, 2.0], [1.0], [1.0, 1.0]),
      "x and y must have the same shape"),
     (lambda: fitting.fit_least_squares(fitting.nist_model("BoxBOD"), [1, 2, 3], [1, 2, 3], [np.nan, 1]),
      "x0 must be finite"),
     (lambda: fitting.fit_least_squares(fitting.nist_model("BoxBOD"), [1, 2, 3], [1, 2, 3], [1, 1],
                                        method="newton"), "method must be"),
     (lambda: fitting.fit_least_squares(fitting.nist_model("BoxBOD"), [1, 2, 3], [1, 2, 3], [1, 1],
                                        tol=-1.0), "tol must be > 0"),
     (lambda: fitting.fit_minimize(fitting.nist_model("BoxBOD"), [1, 2, 3], [1, 2, 3], [1, 1], gtol=0),
      "gtol must be > 0"),
     (lambda: fitting.fit_nls(fitting.nist_model("BoxBOD"), [1, 2, 3], [1, 2, 3], [1, 1], solver="x"),
      "solver must be"),
     (lambda: fitting.scatter_starts([1.0], 5, spread=1.0), "spread must be > 1"),
     (lambda: fitting.scatter_starts([1.0], 0), "n_starts must be >= 1"),
     (lambda: fitting.coarse_search(fitting.nist_model("BoxBOD"), [1.0], [1.0], [1.0, 2.0]),
      "points must be 2-dimensional"),
     (lambda: fitting.least_squares_standard_errors(np.ones((2, 2)), 1.0), "more rows than columns"),
     (lambda: fitting.least_squares_standard_errors(np.ones((4, 2)), 1.0), "full column rank"),
     (lambda: fitting.least_squares_standard_errors(np.eye(3)[:, :2].repeat(2, 0), -1.0), "sse must be"),
     (lambda: fitting.log_relative_error([1.0], [1.0, 2.0]), "same shape"),
     (lambda: fitting.log_relative_error([np.nan], [1.0]), "estimate must be finite"),
     (lambda: fitting.make_binomial_logistic_nll([1.0, 2.0], [1, 7], 6), r"k must hold integers in \[0, m\]"),
     (lambda: fitting.make_binomial_logistic_nll([1.0, 2.0], [1, 2], 0), "m must hold integers >= 1"),
     (lambda: fitting.make_binomial_logistic_nll([1.0, 2.0], [1], 6), "k must have the shape"),
     (lambda: fitting.delta_method(3.0, [1.0], [[1.0]]), "fun must be"),
     (lambda: fitting.delta_method(lambda t: t[0], [1.0], [[1.0, 0.0]]), "cov must have shape"),
     (lambda: fitting.model_jacobian(lambda b, x: b[0] * x, [np.inf], [1.0]), "b must be finite")],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
