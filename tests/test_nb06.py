"""Notebook 06's facts, computed: what its text and its exercise checkers rely on."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from course_utils import exercises, models, multistart, optim, plotting
from course_utils.exercises import nb06

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_rough_landscapes.ipynb"


def notebook_source() -> str:
    nb = json.loads(NOTEBOOK.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def test_the_checkers_data_are_the_notebooks():
    src = notebook_source()
    assert "rng = np.random.default_rng(3)" in src
    assert "y = np.sin(2 * np.pi * 4.3 * (t - 0.5) + 1.0) + rng.normal(0.0, 0.5, t.size)" in src
    assert "np.linspace(0.05, 0.5, 20), vmax=29.0, km=6.0,\n" in src and "noise_sd=0.2, seed=0)" in src
    assert "grid_n=40, lr=0.3, max_iter=1000, tol=1e-4" in src and "same_tol=0.03" in src
    rng = np.random.default_rng(3)
    t = np.linspace(0.0, 1.0, 60)
    y = np.sin(2 * np.pi * 4.3 * (t - 0.5) + 1.0) + rng.normal(0.0, 0.5, t.size)
    t2, y2 = nb06.sinusoid_data()
    np.testing.assert_array_equal(t, t2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.slow
def test_the_basin_map_gives_the_share_the_exercise_uses_and_the_answer_holds_for_it():
    p = nb06.global_fraction()
    assert round(p, 2) == nb06.PRINTED_SHARE
    assert abs(p - 0.225) > 0.002          # not on a rounding edge
    # the exact share and the printed one need the same number of starts
    assert math.ceil(math.log(0.01) / math.log(1 - p)) == exercises.solution("06.restarts_needed")


def test_the_global_minimum_is_the_best_of_a_fine_grid_and_of_differential_evolution():
    import scipy.optimize

    loss = models.make_sinusoid_loss(*nb06.sinusoid_data())
    de = scipy.optimize.differential_evolution(loss, nb06.BOX, rng=np.random.default_rng(0), tol=1e-10)
    fine = optim.minimize_recorded(loss, de.x, method="BFGS", jac=loss.grad)
    np.testing.assert_allclose(fine.x, [4.246, 0.897], atol=1e-3)
    F, P, Z = plotting.loss_grid(loss, *nb06.BOX, grid_n=400)
    assert np.nanmin(Z) >= fine.fun - 1e-12


def test_low_concentration_restarts_agree_on_the_slope_only():
    S, v = nb06.low_s_data()
    mm = models.make_michaelis_menten_loss(S, v)
    r = nb06.LOW_S_RESTARTS
    runs = multistart.multistart(mm, multistart.random_starts(r["box"], r["n_starts"], seed=r["seed"]),
                                 optimizer="BFGS", max_iter=1000)
    assert all(s == "converged" for s in runs.states)
    assert np.ptp(runs.losses) < 0.01 * runs.losses.min()          # the same loss, to 1%
    assert runs.ends[:, 0].max() > 50 * runs.ends[:, 0].min()       # estimates a factor 50 apart
    ratio = runs.ends[:, 0] / runs.ends[:, 1]
    slope = S @ v / (S @ S)
    assert np.all(np.abs(ratio / slope - 1) < 0.05)


def test_the_second_labs_restarts_are_accepted_by_the_checker():
    S, v = nb06.second_lab_data()
    mm = models.make_michaelis_menten_loss(S, v)
    runs = multistart.multistart(mm, multistart.random_starts([(5.0, 100.0), (1.0, 20.0)], 8, seed=1),
                                 optimizer="BFGS", max_iter=1000)
    for x in runs.ends:
        assert exercises.check("06.identifiable", x[0] / x[1]).correct
    assert exercises.check("06.identifiable", S @ v / (S @ S)).correct


def test_the_wider_bound_stops_inside():
    assert exercises.solution("06.wider_bound") == "C"
