"""course_utils.conditioning against closed forms, and its predictions against the course's optimizers."""

import math

import numpy as np
import pytest

from course_utils import conditioning as c
from course_utils import models, optim


def rotated(eigenvalues, degrees=30.0):
    """A symmetric matrix with the given eigenvalues, its eigenvectors turned by ``degrees``."""
    t = np.deg2rad(degrees)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return R @ np.diag(eigenvalues) @ R.T


A = rotated([1.0, 10.0])  # kappa = 10, stability limit 0.2, zigzag above 0.1


@pytest.fixture
def quad():
    return models.make_quadratic(A, A @ np.array([1.0, 2.0]))


# ---------------------------------------------------------------- closed forms

def test_eigenvalues_and_condition_number_of_a_rotated_matrix():
    np.testing.assert_allclose(c.hessian_eigenvalues(A), [1.0, 10.0], rtol=1e-12)
    assert c.condition_number(A) == pytest.approx(10.0, rel=1e-12)
    assert c.condition_number(np.eye(3)) == pytest.approx(1.0)


def test_limits_and_best_rate_closed_forms():
    assert c.stability_limit(A) == pytest.approx(0.2, rel=1e-12)
    assert c.oscillation_limit(A) == pytest.approx(0.1, rel=1e-12)
    assert c.best_learning_rate(A) == pytest.approx(2.0 / 11.0, rel=1e-12)
    # at the best rate both extreme directions shrink by (kappa - 1) / (kappa + 1)
    f = c.step_factors(A, c.best_learning_rate(A))
    np.testing.assert_allclose(np.abs(f), [9.0 / 11.0, 9.0 / 11.0], rtol=1e-12)
    assert c.rate_at(A, c.best_learning_rate(A)) == pytest.approx(c.gd_rate(10.0), rel=1e-12)


@pytest.mark.parametrize("kappa", [1.0, 2.0, 10.0, 100.0, 1e4])
def test_rates_closed_forms(kappa):
    assert c.gd_rate(kappa) == pytest.approx((kappa - 1) / (kappa + 1))
    assert c.gd_rate(kappa, steps=7) == pytest.approx(((kappa - 1) / (kappa + 1)) ** 7)
    r = math.sqrt(kappa)
    assert c.heavy_ball_rate(kappa) == pytest.approx((r - 1) / (r + 1))
    assert c.heavy_ball_rate(kappa) <= c.gd_rate(kappa)


def test_heavy_ball_parameters_closed_form():
    lr, beta = c.heavy_ball_parameters(np.diag([1.0, 9.0]))
    assert lr == pytest.approx(0.25) and beta == pytest.approx(0.25)
    # with these settings the iteration matrix of momentum has spectral radius sqrt(beta)
    for lam in (1.0, 9.0):
        T = np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]])
        assert np.abs(np.linalg.eigvals(T)).max() == pytest.approx(math.sqrt(beta), rel=1e-6)


def test_measured_rate_of_a_geometric_sequence():
    assert c.measured_rate(3.0 + 0.5 ** (2 * np.arange(30)), fmin=3.0) == pytest.approx(0.5)
    # without fmin the run's lowest loss stands in, and the unresolved tail drops out
    assert c.measured_rate(3.0 + 0.9 ** (2 * np.arange(200))) == pytest.approx(0.9, rel=1e-3)


# ---------------------------------------------------------------- predictions against our optimizers

@pytest.mark.parametrize("lr", [0.02, 0.05, 2.0 / 11.0, 0.19])
def test_predicted_rate_matches_gradient_descent(quad, lr):
    res = optim.gradient_descent(quad, [-3.0, 4.0], lr=lr, max_iter=150, tol=0.0)
    fmin = float(quad(quad.minimum))
    assert c.measured_rate(res, fmin=fmin) == pytest.approx(c.rate_at(A, lr), rel=1e-4)


def test_heavy_ball_rate_matches_momentum_within_its_finite_window(quad):
    lr, beta = c.heavy_ball_parameters(A)
    res = optim.momentum(quad, [-3.0, 4.0], lr=lr, beta=beta, max_iter=80, tol=0.0)
    measured = c.measured_rate(res, fmin=float(quad(quad.minimum)), start=20, stop=60)
    predicted = c.heavy_ball_rate(c.condition_number(A))
    # a double root: the error decays like k r^k, a little slower than r^k over a finite window
    assert predicted < measured < predicted * 1.1
    assert measured < c.gd_rate(c.condition_number(A))


def test_zigzag_starts_above_one_over_lambda_max(quad):
    below = optim.gradient_descent(quad, [-3.0, 4.0], lr=0.08, max_iter=8)
    above = optim.gradient_descent(quad, [-3.0, 4.0], lr=0.12, max_iter=8)
    _, vecs = np.linalg.eigh(A)
    top = vecs[:, -1]
    along = lambda res: (res.path - quad.minimum) @ top  # noqa: E731  (error along the steep axis)
    assert np.all(np.sign(along(below)) == np.sign(along(below)[0]))
    assert np.all(np.sign(along(above)[1:]) != np.sign(along(above)[:-1]))


# ---------------------------------------------------------------- input checks

@pytest.mark.parametrize("bad, match", [
    ([[1.0, 2.0, 3.0]], "hess must be square"),
    ([[1.0, 2.0], [0.0, 1.0]], "hess must be symmetric"),
    ([[np.nan, 0.0], [0.0, 1.0]], "hess must be finite"),
    ("abc", "hess must be numeric"),
])
def test_bad_hessians_name_the_argument(bad, match):
    with pytest.raises(ValueError, match=match):
        c.hessian_eigenvalues(bad)


def test_not_positive_definite_is_rejected_where_it_matters():
    indefinite = np.diag([-1.0, 2.0])
    for f in (c.condition_number, c.best_learning_rate, c.heavy_ball_parameters):
        with pytest.raises(ValueError, match="positive definite"):
            f(indefinite)
    assert c.stability_limit(indefinite) == pytest.approx(1.0)  # defined by the top eigenvalue
    with pytest.raises(ValueError, match="positive eigenvalue"):
        c.stability_limit(-np.eye(2))


@pytest.mark.parametrize("call, match", [
    (lambda: c.gd_rate(0.5), "kappa must be >= 1"),
    (lambda: c.heavy_ball_rate(np.nan), "kappa must be finite"),
    (lambda: c.gd_rate(10.0, steps=-1), "steps must be >= 0"),
    (lambda: c.step_factors(A, 0.0), "lr must be > 0"),
    (lambda: c.measured_rate([1.0, 0.5]), "at least 3 losses"),
    (lambda: c.measured_rate([np.inf] * 4), "finite losses"),
    (lambda: c.measured_rate([1.0, 1.0, 1.0], fmin=1.0), "fewer than 2 steps"),
])
def test_other_bad_inputs_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
