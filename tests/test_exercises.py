"""The exercise framework: tiered hints, named slips, and feedback (never a traceback) for any input."""

import warnings

import numpy as np
import pytest

from course_utils import exercises
from course_utils.exercises import Slip, Tiered


@pytest.fixture
def toy(make_exercise):
    """A throw-away exercise "99.toy" (answer 4; slip 4.5; anything else gets a tiered hint)."""

    def _toy(answer):
        a = exercises.as_number(answer)
        if a == 4.0:
            return None
        if a == 4.5:
            return Slip("added instead", "Double means times two.")
        return Tiered("First nudge.", "Second, stronger hint.")

    return make_exercise("99.toy", _toy, slips={"added instead": lambda: 4.5},
                         praise="Two times two.")


def test_feedback_marks_are_plain_characters_every_font_has():
    assert str(exercises.check("00.warmup", 4)).startswith("✔ Correct")
    assert str(exercises.check("00.warmup", 5)).startswith("✘ Not yet")
    for text in (str(exercises.check("00.warmup", 4)), str(exercises.check("00.warmup", 5))):
        assert not any(0x1F000 <= ord(ch) <= 0x1FAFF for ch in text)   # no emoji
        assert "\ufe0f" not in text                                      # no emoji presentation


def test_feedback_is_truthy_only_when_correct():
    assert exercises.check("00.warmup", 4)
    assert exercises.check("00.warmup", 4).correct
    assert not exercises.check("00.warmup", 3)


def test_tiers_the_first_wrong_try_gets_the_nudge_later_ones_the_stronger_hint(toy):
    first, second, third = (exercises.check(toy, x) for x in (1.0, 2.0, 3.0))
    assert "First nudge." in str(first) and first.tier == 1
    assert "Second, stronger hint." in str(second) and second.tier == 2
    assert "Second, stronger hint." in str(third)
    exercises.reset_attempts(toy)
    assert "First nudge." in str(exercises.check(toy, 1.0))


def test_attempts_are_counted_per_exercise(toy):
    exercises.check(toy, 1.0)
    assert exercises.attempts(toy) == 1
    assert exercises.attempts("00.warmup") == 0
    exercises.check("00.warmup", 5)
    assert exercises.attempts(toy) == 1


def test_a_recognised_slip_is_named(toy):
    fb = exercises.check(toy, 4.5)
    assert not fb.correct and fb.kind == "slip" and fb.slip == "added instead"
    assert "added instead" in str(fb) and "Double means times two." in str(fb)


def test_the_old_contract_a_plain_string_hint_still_works(toy):
    @exercises.register("99.old", solution=lambda: 1.0, wrong=lambda: 0.0)
    def _old(answer):
        return None if answer == 1.0 else "an old-style hint"

    try:
        assert exercises.check("99.old", 1.0).correct
        assert "an old-style hint" in str(exercises.check("99.old", 0.0))
    finally:
        del exercises._REGISTRY["99.old"]


def test_a_checker_that_crashes_gives_a_message_not_a_traceback():
    @exercises.register("99.crash", solution=lambda: 1.0, wrong=lambda: 0.0)
    def _crash(answer):
        raise ZeroDivisionError("boom")

    try:
        fb = exercises.check("99.crash", 1.0)
        assert not fb.correct and "could not be checked" in str(fb)
    finally:
        del exercises._REGISTRY["99.crash"]


@pytest.mark.parametrize("bad_id", ["01.mle_sdd", "1.mle_sd", "01.MLE_SD", "01 mle_sd"])
def test_a_misspelled_id_gets_the_close_ids(bad_id):
    fb = exercises.check(bad_id, 1.0)
    assert not fb.correct and "01.mle_sd" in str(fb)


@pytest.mark.parametrize("bad_id", ["zzz", "", None, 3, ("01.mle_sd",)])
def test_an_unknown_id_gets_a_message(bad_id):
    fb = exercises.check(bad_id, 1.0)
    assert not fb.correct and fb.kind == "invalid" and "exercise" in str(fb)


def test_solution_of_an_unknown_id_names_the_close_ids():
    with pytest.raises(ValueError, match="01.mle_sd"):
        exercises.solution("01.mle_sdd")


def test_as_number_and_as_vector():
    assert exercises.as_number(np.array([2.5])) == 2.5
    np.testing.assert_array_equal(exercises.as_vector((1, 2), 2), [1.0, 2.0])
    for bad in (None, "1", np.nan, np.inf, 10**400, [], [1, 2], object(), len):
        with pytest.raises(exercises.BadAnswer):
            exercises.as_number(bad)
    with pytest.raises(exercises.BadAnswer, match="2 numbers"):
        exercises.as_vector([1, 2, 3], 2)


def test_check_never_warns(toy):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for answer in (np.float64(np.inf), np.array([1e308, np.nan]), -0.0, 1e-320, 10**400):
            exercises.check(toy, answer)
