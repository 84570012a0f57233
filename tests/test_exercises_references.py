"""The reference answers of 00, 02 and 03 agree with an independent computation."""

import numpy as np
import pytest
import scipy.optimize

from course_utils import data, exercises, models
from course_utils.exercises import nb00, nb02, nb03


def test_00_loss_value_is_the_quadratic_at_the_point():
    q = models.make_quadratic(np.array(nb00.QUAD_A), np.array(nb00.QUAD_B))
    assert exercises.solution("00.loss_value") == pytest.approx(q(np.array([1.0, 2.0])))


def test_00_minimum_is_where_minimize_ends_and_not_the_widget_bowl():
    q2 = models.make_quadratic(np.array(nb00.BOWL2_A), np.array(nb00.BOWL2_B))
    fit = scipy.optimize.minimize(q2, [0.0, 0.0], method="BFGS", jac=q2.grad, tol=1e-12)
    np.testing.assert_allclose(exercises.solution("00.minimum"), fit.x, atol=1e-7)
    q = models.make_quadratic(np.array(nb00.QUAD_A), np.array(nb00.QUAD_B))
    assert not exercises.check("00.minimum", q.minimum).correct


def test_00_quadratic_accepts_other_correct_spellings_and_reports_a_crash():
    assert exercises.check("00.quadratic", lambda t, A, b: 0.5 * t.dot(A.dot(t)) - b.dot(t))
    fb = exercises.check("00.quadratic", lambda t, A, b: 1 / 0)
    assert not fb.correct and "ZeroDivisionError" in str(fb)
    fb = exercises.check("00.quadratic", 3.0)
    assert not fb.correct and "function" in str(fb)


def test_02_spacing_is_the_linspace_step():
    assert exercises.solution("02.spacing") == pytest.approx(np.diff(np.linspace(0.5, 1.5, 200))[0])


def test_02_nonconvex_scaled_hessian_has_the_sign_of_the_true_hessian():
    nll = models.make_normal_nll(data.normal_sample(1000, 0.0, 1.0, seed=0))
    rng = np.random.default_rng(0)
    for mu, sigma in zip(rng.uniform(-4, 4, 40), rng.uniform(0.2, 4, 40), strict=True):
        true = np.linalg.eigvalsh(nll.hess(np.array([mu, sigma]))).min()
        assert np.sign(nb02._min_scaled_eigenvalue((mu, sigma))) == np.sign(true)


@pytest.mark.parametrize("point", [(2.0, 1.001), (2.1, 1.1), (1.9, 0.95)])
def test_02_nonconvex_rejects_nudges_of_the_notebooks_point(point):
    fb = exercises.check("02.nonconvex", point)
    assert not fb.correct and fb.slip == "the notebook's point"


def test_02_nonconvex_accepts_other_points_of_the_region_and_answers_far_points_quietly():
    assert exercises.check("02.nonconvex", (-2.0, 1.0))
    assert exercises.check("02.nonconvex", (0.0, 2.0))
    assert not exercises.check("02.nonconvex", (0.0, 1.0))
    fb = exercises.check("02.nonconvex", (1e200, 1e200))
    assert "Traceback" not in str(fb)


def test_03_log_sigma_is_not_the_value_printed_in_notebook_03():
    assert exercises.solution("03.log_sigma") == pytest.approx(np.std(nb03._log_sigma_sample()),
                                                               rel=1e-6)
    assert not exercises.check("03.log_sigma", 0.97675296).correct


def test_03_on_bound_ends_on_the_upper_wall():
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    assert np.std(x) > nb03.ON_BOUND["bounds"][1][1]  # sigma-hat lies above the box
    assert exercises.solution("03.on_bound") == nb03.ON_BOUND["bounds"][1][1]
