"""Notebook 04 (gradient descent): its exercises, its own code, and its claims about the learning rate.

The ascent loops and Newton's method live in the notebook (students read them there); these tests
take the functions from the committed notebook itself, so the tested code is the code shown.
"""

import ast
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize

from course_utils import conditioning, data, exercises, models, optim
from course_utils.exercises import nb04

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_gradient_descent.ipynb"


@pytest.fixture(scope="module")
def nb():
    """The functions the notebook defines, by name (only the ``def`` statements are run)."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    namespace = {"np": np, "models": models}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        if src.lstrip().startswith("%"):
            src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith("%"))
        tree = ast.parse(src)
        defs = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        if defs:
            exec(compile(ast.Module(body=defs, type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def sample():
    x = data.normal_sample(3_000, 7.2, 2.8, seed=11)
    return x[:2_400], x[2_400:]


# ---------------------------------------------------------------- the notebook's own code

def test_hand_gradient_equals_autograd_and_finite_differences(nb, sample):
    train, _ = sample
    nll = models.make_normal_nll(train, parametrization="variance")
    for theta in ([5.0, 4.0], [7.0, 9.0], [0.0, 1.0]):
        theta = np.array(theta)
        hand = nb["grad_loglik"](theta, train)
        np.testing.assert_allclose(hand, -nll.grad(theta) / train.size, rtol=1e-10, atol=1e-13)
        mean_ll = lambda t: np.mean(nb["loglik_points"](t, train))  # noqa: E731
        np.testing.assert_allclose(hand, scipy.optimize.approx_fprime(theta, mean_ll, 1e-7),
                                   rtol=1e-4, atol=1e-6)


def test_sufficient_statistics_ascent_equals_the_slow_one(nb, sample):
    train, valid = sample
    slow_path, ll_train, ll_valid = nb["ascent_slow"](train, valid, (0.0, 1.0), 0.1, 300)
    fast_path = nb["ascent_sufficient"](models.normal_sufficient_stats(train), (0.0, 1.0), 0.1, 300)
    assert slow_path.shape == fast_path.shape == (301, 2)
    np.testing.assert_allclose(fast_path, slow_path, rtol=1e-10, atol=1e-12)
    # the slow way's log-likelihoods are those of the path it took
    for k in (0, 10, 299):
        assert ll_train[k] == pytest.approx(np.mean(nb["loglik_points"](slow_path[k], train)))
        assert ll_valid[k] == pytest.approx(np.mean(nb["loglik_points"](slow_path[k], valid)))


def test_the_three_fixes_reach_the_closed_form(nb, sample):
    train, _ = sample
    stats = models.normal_sufficient_stats(train)
    n, mean, ss = stats
    mle = np.array([mean, ss / n])
    np.testing.assert_allclose(nb["ascent_scaled"](stats, (0.0, 1.0), 0.1, 400)[-1], mle, rtol=1e-9)
    newton_path = nb["newton"](stats, (0.0, 1.0), 30)
    np.testing.assert_allclose(newton_path[-1], mle, rtol=1e-12)
    assert np.all(newton_path[:, 1] > 0)  # step halving keeps the variance positive
    # plain ascent at lr = 0.1 is still short in sigma^2 after 10,000 epochs: the notebook's point
    plain = nb["ascent_sufficient"](stats, (0.0, 1.0), 0.1, 10_000)[-1]
    assert abs(plain[0] - mle[0]) < 1e-10 < 1e-5 < abs(plain[1] - mle[1])


def test_the_slow_rate_of_sigma2_is_predicted_by_the_hessian(nb, sample):
    train, _ = sample
    stats = models.normal_sufficient_stats(train)
    n, mean, ss = stats
    mle = np.array([mean, ss / n])
    H = models.make_normal_nll(train, parametrization="variance").hess(mle) / n
    np.testing.assert_allclose(H, np.diag([1 / mle[1], 1 / (2 * mle[1] ** 2)]), rtol=1e-9, atol=1e-12)
    assert conditioning.condition_number(H) == pytest.approx(2 * mle[1], rel=1e-9)
    path = nb["ascent_sufficient"](stats, (0.0, 1.0), 0.1, 10_000)
    k = np.arange(5_000, 10_001)
    measured = np.exp(np.polyfit(k, np.log(np.abs(path[k, 1] - mle[1])), 1)[0])
    assert measured == pytest.approx(conditioning.step_factors(H, 0.1)[0], abs=1e-6)


# ---------------------------------------------------------------- the learning-rate limit

def test_stability_limit_matches_where_gradient_descent_diverges_within_one_slider_step():
    """The explorer's learning-rate slider: the first value whose run diverges (or whose loss grows)
    is the first one above 2 / lambda_max, for the notebook's quadratic and for other Hessians."""
    from course_utils import widgets

    for A in (np.array([[5.5, 4.5], [4.5, 5.5]]), np.diag([3.0, 0.3]), np.array([[2.0, 1.9], [1.9, 2.0]])):
        q = models.make_quadratic(A, A @ np.array([1.0, 1.0]))
        limit = conditioning.stability_limit(A)
        ex = widgets.LandscapeExplorer(q, (-3.0, 5.0), (-3.0, 5.0), x0=(-2.0, 3.0), lr=0.05,
                                       max_iter=50, grid_n=20)
        s = ex.lr
        grid = s.base ** (s.min + s.step * np.arange(round((s.max - s.min) / s.step) + 1))
        assert grid[0] < limit < grid[-1]
        grid = grid[(grid > limit / 3) & (grid < limit * 3)]  # ten slider steps either side

        runs = [optim.run_optimizer(q, (-2.0, 3.0), lr=float(lr), max_iter=50) for lr in grid]
        flags = np.array([r.state == "diverged" or bool(r.growing) for r in runs])
        first = int(np.argmax(flags))
        assert flags.any() and np.all(flags[first:]), "every rate above the first divergent one diverges"
        # the predicted limit lies between the last stable slider value and the first divergent one
        assert grid[first - 1] <= limit <= grid[first]
        # and the explorer's status line says so at those two slider positions
        ex.lr.value = float(grid[first])
        assert "diverg" in ex.status.value
        ex.lr.value = float(grid[first - 1])
        assert "diverg" not in ex.status.value


# ---------------------------------------------------------------- exercises

IDS = ["04.grad_log_sigma", "04.stability_limit", "04.rate"]


@pytest.mark.parametrize("ex_id", IDS)
def test_solution_passes_and_placeholder_and_wrong_answer_fail(ex_id):
    assert exercises.check(ex_id, exercises.solution(ex_id)).correct
    ex = exercises._get(ex_id)
    assert exercises.check(ex_id, ex.placeholder()).kind == "invalid"
    assert exercises.check(ex_id, ex.wrong()).kind == "hint"


@pytest.mark.parametrize("ex_id", IDS)
def test_every_slip_is_recognised_and_named(ex_id):
    ex = exercises._get(ex_id)
    assert len(ex.slips) >= 3
    for name, make in ex.slips.items():
        fb = exercises.check(ex_id, make())
        assert not fb.correct and fb.slip == name and name in str(fb), (name, str(fb))


@pytest.mark.parametrize("ex_id", IDS)
@pytest.mark.parametrize("bad", [None, "abc", np.nan, 10**400, [], object(), [1.0, 2.0, 3.0],
                                 lambda theta, x: 1 / 0, lambda: 0])
def test_malformed_answers_get_a_message(ex_id, bad):
    fb = exercises.check(ex_id, bad)
    assert not fb.correct and str(fb).startswith("✘ Not yet") and len(fb.message) > 10


@pytest.mark.parametrize("ex_id", IDS)
def test_hints_never_give_the_answer_away(ex_id):
    sol = exercises.solution(ex_id)
    texts = [str(exercises.check(ex_id, a)) for a in (0.5, 0.3, 2.0, 0.9, lambda t, x: np.ones(2))]
    texts += [str(exercises.check(ex_id, make())) for make in exercises._get(ex_id).slips.values()]
    if not callable(sol):
        for digits in (2, 3, 4):
            assert not any(f"{sol:.{digits}f}" in t for t in texts)


def test_numeric_exercises_accept_rounded_answers_and_give_tiered_hints():
    limit = exercises.solution("04.stability_limit")
    assert exercises.check("04.stability_limit", round(limit, 3)).correct
    assert limit == pytest.approx(2 / 7)
    assert exercises.check("04.rate", round(exercises.solution("04.rate"), 3)).correct
    first, second = (exercises.check("04.rate", a) for a in (0.9, 0.95))
    assert first.tier == 1 and second.tier == 2 and first.message != second.message


def test_gradient_exercise_tries_hidden_cases_and_names_the_parameter():
    good = nb04.grad_mean_loglik_log_sigma
    # a gradient right at one point only (a constant) fails on the hidden cases
    fixed = good(np.array([0.3, 0.1]), np.ones(5))
    assert not exercises.check("04.grad_log_sigma", lambda t, x: fixed).correct
    # mu right, tau wrong: the hint says the mu part is right
    fb = exercises.check("04.grad_log_sigma", lambda t, x: np.array([good(t, x)[0], 0.0]))
    assert "mu component is right" in str(fb)
    # autograd agrees with the reference on the hidden cases
    for theta, x in nb04._cases():
        nll = models.make_normal_nll(x, parametrization="log_sigma")
        np.testing.assert_allclose(good(theta, x), -nll.grad(theta) / x.size, rtol=1e-10, atol=1e-12)
