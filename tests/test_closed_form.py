"""Closed forms against scipy.stats.norm.fit and numpy.linalg.lstsq."""

import numpy as np
import pytest
import scipy.stats

from course_utils import closed_form, data


def test_normal_mle_equals_scipy_fit_and_uses_ddof_0():
    x = data.normal_sample(1000, 7.2, 2.8, seed=5)
    mu, sd = closed_form.normal_mle(x)
    mu_s, sd_s = scipy.stats.norm.fit(x)
    assert mu == pytest.approx(mu_s, rel=1e-12) and sd == pytest.approx(sd_s, rel=1e-12)
    assert sd == pytest.approx(np.std(x, ddof=1) * np.sqrt(999 / 1000), rel=1e-12)


def test_ols_equals_lstsq_and_classical_standard_errors():
    X, y, _ = data.linear_regression_data(200, 4, sigma=0.3, seed=1)
    fit = closed_form.ols(X, y)
    coef, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(fit.coef, coef, rtol=1e-10)
    assert fit.sigma2 == pytest.approx(rss[0] / (200 - 4))
    assert fit.sigma2_mle == pytest.approx(rss[0] / 200)
    se = np.sqrt(np.diag(rss[0] / 196 * np.linalg.inv(X.T @ X)))
    np.testing.assert_allclose(fit.se, se, rtol=1e-10)
    assert fit.df == 196


def test_ols_standard_error_of_a_mean_is_s_over_sqrt_n():
    y = data.normal_sample(50, 1.0, 2.0, seed=2)
    fit = closed_form.ols(np.ones((50, 1)), y)
    assert fit.coef[0] == pytest.approx(y.mean())
    assert fit.se[0] == pytest.approx(y.std(ddof=1) / np.sqrt(50))


@pytest.mark.parametrize(
    "call, match",
    [(lambda: closed_form.normal_mle([1.0]), "x must hold at least 2"),
     (lambda: closed_form.normal_mle([1.0, np.inf]), "x must be finite"),
     (lambda: closed_form.ols(np.ones((3, 2)), [1.0, 2.0]), "y must have 3 rows"),
     (lambda: closed_form.ols(np.ones((2, 2)), [1.0, 2.0]), "more rows than columns"),
     (lambda: closed_form.ols(np.ones((5, 2)), np.arange(5.0)), "full column rank"),
     (lambda: closed_form.ols(np.ones(5), np.arange(5.0)), "X must be 2-dimensional")],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
