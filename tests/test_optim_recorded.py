"""optim.minimize_recorded on the normal NLL: its counts are scipy's, its paths are scipy's."""

import numpy as np
import pytest
import scipy.optimize

from course_utils import data, models, optim

METHODS = ["Nelder-Mead", "Powell", "BFGS", "CG", "L-BFGS-B", "TNC", "SLSQP"]


@pytest.fixture(scope="module")
def nll():
    return models.make_normal_nll(data.normal_sample(1000, 0.0, 1.0, seed=0))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("start", [(0.0, 1.0), (0.8, 0.6)])
def test_counts_equal_scipys_nfev(nll, method, start):
    rec = optim.minimize_recorded(nll, start, method=method)
    with np.errstate(all="ignore"):
        plain = scipy.optimize.minimize(nll, start, method=method)
    assert rec.nfev == plain.nfev == len(rec.evaluations) == len(rec.evaluation_losses)
    np.testing.assert_array_equal(rec.x, plain.x)
    assert rec.nit == plain.get("nit", rec.nit)


@pytest.mark.parametrize("method", ["BFGS", "CG", "L-BFGS-B", "TNC", "SLSQP"])
def test_with_an_exact_gradient_function_evaluations_are_counted_apart(nll, method):
    # bounds keep the line searches of the bounded methods away from sigma <= 0 (where the loss
    # is inf: TNC's line search fails there without them)
    bounds = [(None, None), (1e-3, None)] if method in ("L-BFGS-B", "TNC", "SLSQP") else None
    rec = optim.minimize_recorded(nll, (0.5, 1.5), method=method, jac=nll.grad, bounds=bounds)
    plain = scipy.optimize.minimize(nll, (0.5, 1.5), method=method, jac=nll.grad, bounds=bounds)
    assert rec.nfev == plain.nfev == len(rec.evaluations)
    assert rec.njev == plain.get("njev", rec.njev)
    np.testing.assert_allclose(rec.x, nll.minimum, atol=1e-5)


def test_counts_with_bounds_equal_scipys(nll):
    bounds = [(None, None), (1e-3, None)]
    rec = optim.minimize_recorded(nll, (-0.6, 1.4), method="L-BFGS-B", bounds=bounds)
    plain = scipy.optimize.minimize(nll, (-0.6, 1.4), method="L-BFGS-B", bounds=bounds)
    assert rec.nfev == plain.nfev == len(rec.evaluations)
    np.testing.assert_allclose(rec.x, nll.minimum, atol=1e-6)
    assert np.all(rec.evaluations[:, 1] >= 1e-3)  # no evaluation outside the bounds


def test_evaluations_are_the_points_scipy_evaluated(nll):
    seen = []

    def spy(t):
        seen.append(np.array(t, dtype=float))
        return nll(t)

    rec = optim.minimize_recorded(nll, (0.3, 1.2), method="Nelder-Mead")
    scipy.optimize.minimize(spy, (0.3, 1.2), method="Nelder-Mead")
    np.testing.assert_array_equal(rec.evaluations, np.array(seen))
    np.testing.assert_allclose(rec.evaluation_losses, [nll(p) for p in seen])


def test_path_starts_at_x0_ends_at_x_and_its_losses_match(nll):
    for method in ["Nelder-Mead", "BFGS", "L-BFGS-B", "Powell", "CG"]:
        rec = optim.minimize_recorded(nll, (-0.6, 1.4), method=method,
                                      bounds=[(None, None), (1e-3, None)] if method == "L-BFGS-B" else None)
        np.testing.assert_array_equal(rec.path[0], [-0.6, 1.4])
        np.testing.assert_allclose(rec.path[-1], rec.x, atol=1e-12)
        np.testing.assert_allclose(rec.losses, [nll(p) for p in rec.path])
        assert np.all(np.isfinite(rec.path))


def test_a_step_into_sigma_below_zero_is_recorded_as_inf_without_warnings(nll):
    rec = optim.minimize_recorded(nll, (-0.6, 1.4), method="L-BFGS-B", jac=nll.grad)
    bad = rec.evaluations[:, 1] <= 0
    assert bad.any() and np.all(np.isinf(rec.evaluation_losses[bad]))
    # the line search backs off from inf and stops early: "success" at a point that is not the minimum
    assert rec.success and np.abs(rec.x - nll.minimum).max() > 0.1
