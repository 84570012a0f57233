"""The checkers of notebook 01 recognise the typical mistakes and say which one it is."""

import numpy as np
import pytest
import scipy.stats

from course_utils import closed_form, data, exercises
from course_utils.exercises import nb01


def sample():
    return data.normal_sample(20, 5.0, 2.0, seed=1)


def regression():
    return data.linear_regression_data(50, 2, sigma=1.0, seed=2)


def hint(exercise_id, answer):
    exercises.reset_attempts()
    fb = exercises.check(exercise_id, answer)
    assert not fb.correct
    return str(fb)


def test_the_constants_describe_the_data_the_notebook_draws():
    assert nb01.SAMPLE == {"n": 20, "mu": 5.0, "sigma": 2.0, "seed": 1}
    np.testing.assert_array_equal(nb01._sample(), sample())


def test_mle_sd_reference_is_scipy_norm_fit():
    assert exercises.solution("01.mle_sd") == pytest.approx(scipy.stats.norm.fit(sample())[1])
    assert exercises.check("01.mle_sd", np.std(sample())).correct


@pytest.mark.parametrize(("answer", "words"), [
    (np.std(sample(), ddof=1), "n - 1 instead of n"),
    (np.var(sample()), "a variance"),
    (np.var(sample(), ddof=1), "a variance"),
    (-np.std(sample()), "a sign"),
    (np.std(data.normal_sample(1000, 0.0, 1.0, seed=0)), "the wrong sample"),
    (2.0, "the true value"),
    (123.0, "Hint: The MLE of sigma"),
])
def test_mle_sd_hints(answer, words):
    assert words in hint("01.mle_sd", answer)


def test_nll_reference_is_minus_the_sum_of_scipy_logpdf():
    ref = -np.sum(scipy.stats.norm.logpdf(sample(), 4.0, 1.5))
    assert exercises.solution("01.nll") == pytest.approx(ref, rel=1e-12)
    assert exercises.check("01.nll", ref).correct


@pytest.mark.parametrize(("transform", "words"), [
    (lambda logp: np.sum(logp), "a sign"),
    (lambda logp: np.prod(np.exp(logp)), "the likelihood, not its log"),
    (lambda logp: -np.mean(logp), "a mean, not a sum"),
    (lambda logp: -np.sum(logp) - 10 * np.log(2 * np.pi), "a missing constant"),
])
def test_nll_hints(transform, words):
    logp = scipy.stats.norm.logpdf(sample(), 4.0, 1.5)
    assert words in hint("01.nll", transform(logp))


def test_nll_hint_for_sigma_taken_as_variance():
    logp = scipy.stats.norm.logpdf(sample(), 4.0, np.sqrt(1.5))
    assert "variance for sd" in hint("01.nll", -np.sum(logp))
    swapped = scipy.stats.norm.logpdf(sample(), 1.5, 4.0)
    assert "swapped order" in hint("01.nll", -np.sum(swapped))


def test_ols_se_reference_matches_lstsq_and_the_formula():
    X, y, _ = regression()
    coef, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    se = np.sqrt(rss[0] / (50 - 2) * np.diag(np.linalg.inv(X.T @ X)))
    np.testing.assert_allclose(exercises.solution("01.ols_se"), se, rtol=1e-10)
    assert exercises.check("01.ols_se", list(se)).correct


def test_ols_se_hints():
    X, y, _ = regression()
    fit = closed_form.ols(X, y)
    d = np.diag(np.linalg.inv(X.T @ X))
    assert "n instead of n - k" in hint("01.ols_se", np.sqrt(fit.sigma2_mle * d))
    assert "variances, not standard errors" in hint("01.ols_se", fit.sigma2 * d)
    assert "the coefficients" in hint("01.ols_se", fit.coef)
    assert "a missing factor" in hint("01.ols_se", np.sqrt(d))
    assert "swapped order" in hint("01.ols_se", fit.se[::-1])
    assert "2 numbers" in hint("01.ols_se", np.ones(3))
    assert "Hint: A standard error" in hint("01.ols_se", np.ones(2))


def test_a_non_number_gets_feedback_not_a_crash():
    assert not exercises.check("01.mle_sd", "one").correct
    assert not exercises.check("01.nll", [1.0, 2.0]).correct


def test_rounded_answers_get_the_rounding_hint():
    assert "round" in hint("01.mle_sd", round(float(np.std(sample())), 3))
    nll = -np.sum(scipy.stats.norm.logpdf(sample(), 4.0, 1.5))
    assert "round" in hint("01.nll", round(float(nll), 1))
    assert "round" in hint("01.ols_se", np.round(exercises.solution("01.ols_se"), 3))


def test_more_typical_mistakes_get_their_own_hint():
    assert "both parameters" in hint("01.mle_sd", closed_form.normal_mle(sample()))
    logp = scipy.stats.norm.logpdf(sample(), 4.0, 1.5**2)
    assert "variance for sd" in hint("01.nll", -np.sum(logp))
    X, y, _ = regression()
    fit = closed_form.ols(X, y)
    d = np.diag(np.linalg.inv(X.T @ X))
    assert "slip: n - k - 1" in hint("01.ols_se", np.sqrt(fit.residuals @ fit.residuals / 47 * d))
