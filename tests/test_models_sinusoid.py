"""Tests of models.make_sinusoid_loss, the rough landscape of notebook 06."""

import autograd
import numpy as np
import pytest
import scipy.optimize
from numpy.testing import assert_allclose

from course_utils import models, optim
from tests.conftest import central_difference


def _data(seed=3, n=60, f=4.3, phi=1.0, noise_sd=0.5):
    t = np.linspace(0.0, 1.0, n)
    y = np.sin(2 * np.pi * f * (t - 0.5) + phi) + np.random.default_rng(seed).normal(0.0, noise_sd, n)
    return t, y


def test_noise_free_data_give_zero_loss_at_the_true_parameters():
    t, y = _data(noise_sd=0.0)
    loss = models.make_sinusoid_loss(t, y)
    assert float(loss(np.array([4.3, 1.0]))) < 1e-25
    assert_allclose(loss.grad(np.array([4.3, 1.0])), [0.0, 0.0], atol=1e-12)


def test_phase_is_measured_at_t_ref():
    t, y = _data(noise_sd=0.0)
    at_start = models.make_sinusoid_loss(t, y, t_ref=0.0)
    # sin(2 pi f (t - 0.5) + 1) = sin(2 pi f t + 1 - pi f)
    assert float(at_start(np.array([4.3, 1.0 - np.pi * 4.3]))) < 1e-25


def test_gradient_matches_finite_differences_and_hessian_is_symmetric():
    t, y = _data()
    loss = models.make_sinusoid_loss(t, y)
    for theta in ([3.3, 0.2], [4.25, 0.9], [7.0, -2.5]):
        theta = np.array(theta)
        assert_allclose(loss.grad(theta), central_difference(loss, theta), rtol=1e-6, atol=1e-8)
        H = loss.hess(theta)
        assert_allclose(H, H.T, atol=1e-12)


def test_hand_gradient_is_autograds_on_a_grid_of_parameters():
    t, y = _data()
    loss = models.make_sinusoid_loss(t, y)
    theta = np.random.default_rng(1).normal(size=(2, 4, 3)) * [[[2.0]], [[1.0]]] + [[[4.0]], [[0.0]]]
    value, grad = loss.value_and_grad(theta) if getattr(loss, "exact_gradient", False) else (
        loss(theta), None)
    assert value.shape == (4, 3)
    assert_allclose(value, [[float(loss(theta[:, i, j])) for j in range(3)] for i in range(4)])
    if grad is not None:
        for i in range(4):
            for j in range(3):
                assert_allclose(grad[:, i, j], autograd.grad(loss.fun)(theta[:, i, j]), rtol=1e-10)


def test_global_minimum_is_near_the_truth_and_local_minima_exist():
    t, y = _data()
    loss = models.make_sinusoid_loss(t, y)
    best = scipy.optimize.minimize(loss, [4.3, 1.0], jac=loss.grad, method="BFGS")
    assert abs(best.x[0] - 4.3) < 0.1 and abs(best.x[1] - 1.0) < 0.2
    local = optim.gradient_descent(loss, [2.0, 0.0], lr=0.3, max_iter=1000)
    assert local.state == "converged" and local.fun > best.fun + 0.5
    assert np.all(np.linalg.eigvalsh(loss.hess(local.x)) > 0)


@pytest.mark.parametrize("kwargs, name", [
    ({"t": [0.0, 1.0], "y": [1.0]}, "same shape"),
    ({"t": [1.0, 1.0], "y": [0.0, 0.0]}, "t must hold"),
    ({"t": [0.0, np.nan], "y": [0.0, 0.0]}, "t must be finite"),
    ({"t": [0.0, 1.0], "y": [0.0, 0.0], "amplitude": 0.0}, "amplitude"),
    ({"t": [0.0, 1.0], "y": [0.0, 0.0], "t_ref": np.inf}, "t_ref"),
])
def test_bad_input_is_a_value_error_naming_the_argument(kwargs, name):
    t, y = kwargs.pop("t"), kwargs.pop("y")
    with pytest.raises(ValueError, match=name):
        models.make_sinusoid_loss(t, y, **kwargs)
