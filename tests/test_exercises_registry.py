"""Every registered exercise, 00 to 07 as they land, meets the teaching standard of DESIGN.md.

For each exercise: the reference solution passes; the notebook's placeholder and a typical wrong
answer fail; each registered slip is recognised and named; the second wrong try gets a stronger
hint than the first; malformed answers get a message (no traceback, no warning); no message gives
the reference answer away (its digits to 3 significant figures); and an answer off by 1% fails.
"""

import re
import warnings
from collections import Counter

import numpy as np
import pytest

from course_utils import exercises

IDS = exercises.exercise_ids()


def quiet_check(exercise_id, answer):
    """``check``, with any warning turned into a test failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb = exercises.check(exercise_id, answer)
    assert isinstance(fb, exercises.Feedback)
    return fb


def reference(exercise_id):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return exercises.solution(exercise_id)


def numbers_in(text):
    """Every number written in a message (as floats; '1/2' gives 1 and 2)."""
    return [float(m) for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text)]


def gives_away(message, ref) -> bool:
    """True when a number in the message is the reference answer (or one of its entries) to 3
    significant figures, ignoring the sign."""
    refs = [abs(float(r)) for r in np.atleast_1d(np.asarray(ref, dtype=float)).ravel()]
    for num in numbers_in(message):
        for r in refs:
            if r != 0 and float(f"{num:.3g}") == float(f"{r:.3g}"):
                return True
    return False


def is_numeric(ans) -> bool:
    if callable(ans):
        return False
    try:
        np.asarray(ans, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def too_lax(exercise_id) -> list:
    """Answers off by 1% (and by 0.05) that the checker wrongly accepts."""
    ref = np.asarray(reference(exercise_id), dtype=float)
    accepted = []
    for off in (ref * 1.01, ref * 0.99, ref + 0.05, ref - 0.05):
        if exercises.check(exercise_id, off.tolist() if off.ndim else float(off)).correct:
            accepted.append(off)
        exercises.reset_attempts(exercise_id)
    return accepted


MALFORMED = {
    "None": None,
    "a string": "abc",
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": -np.inf,
    "a huge integer": 10**400,
    "an empty list": [],
    "an object": object(),
    "a huge array": np.zeros(2_000_000),
    "a function": lambda *args: 1.0,
    "a complex number": 1 + 2j,
    "a ragged list": [[1.0, 2.0], [3.0]],
    "a dict": {"a": 1},
    "an array of nan": np.full(3, np.nan),
    "a 1e200 pair": (1e200, 1e200),
    "a -1e308 triple": (-1e308, -1e308, -1e308),
}


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_reference_solution_passes(exercise_id):
    fb = quiet_check(exercise_id, reference(exercise_id))
    assert fb.correct, str(fb)
    assert str(fb).startswith("✔ Correct")


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_placeholder_fails_with_a_neutral_message(exercise_id):
    ex = exercises._get(exercise_id)
    fb = quiet_check(exercise_id, ex.placeholder())
    assert not fb.correct and str(fb).startswith("✘ Not yet")
    assert fb.kind == "invalid", "the placeholder must not use up a hint or name a slip"
    assert exercises.attempts(exercise_id) == 0


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_second_wrong_try_gets_a_stronger_hint_than_the_first(exercise_id):
    ex = exercises._get(exercise_id)
    first = quiet_check(exercise_id, ex.wrong())
    second = quiet_check(exercise_id, ex.wrong())
    assert not first.correct and not second.correct
    assert first.kind == "hint" and first.tier == 1, f"wrong() should get a Tiered hint: {first}"
    assert second.tier == 2 and second.message != first.message, (first, second)


@pytest.mark.parametrize(("exercise_id", "slip"), [
    (i, name) for i in IDS for name in exercises._get(i).slips])
def test_each_registered_slip_is_recognised_and_named(exercise_id, slip):
    answer = exercises._get(exercise_id).slips[slip]()
    fb = quiet_check(exercise_id, answer)
    assert not fb.correct
    assert fb.kind == "slip" and fb.slip == slip, str(fb)
    assert slip in str(fb)


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_answers_get_a_message_never_a_traceback_or_a_warning(exercise_id, kind):
    fb = quiet_check(exercise_id, MALFORMED[kind])
    text = str(fb)
    assert "Traceback" not in text and len(text) < 600
    if kind not in ("a 1e200 pair",):  # a far-away point may be a right answer
        assert not fb.correct, text


@pytest.mark.parametrize("exercise_id", IDS)
def test_a_misspelled_id_is_answered_with_the_close_ids(exercise_id):
    fb = quiet_check(exercise_id.upper() + "x", reference(exercise_id))
    assert not fb.correct and exercise_id in str(fb)


@pytest.mark.parametrize("exercise_id", [i for i in IDS if exercises._get(i).unique])
def test_no_message_gives_the_answer_away(exercise_id):
    ex = exercises._get(exercise_id)
    ref = reference(exercise_id)
    if not is_numeric(ref):
        pytest.skip("the answer is a function: there are no digits to give away")
    answers = [ex.placeholder(), ex.wrong(), ex.wrong(), *[f() for f in ex.slips.values()],
               *MALFORMED.values()]
    for answer in answers:
        fb = quiet_check(exercise_id, answer)
        if not fb.correct:
            assert not gives_away(fb.message, ref), (fb.message, ref)


@pytest.mark.parametrize("exercise_id", [i for i in IDS if exercises._get(i).unique
                                         and exercises._get(i).exact])
def test_an_answer_off_by_one_percent_fails(exercise_id):
    if not is_numeric(reference(exercise_id)):
        pytest.skip("the answer is a function, checked on hidden cases")
    assert too_lax(exercise_id) == []


def test_the_lax_checker_detector_catches_a_checker_that_accepts_plus_minus_0_05():
    @exercises.register("99.lax", solution=lambda: 0.977, wrong=lambda: 2.0)
    def _lax(answer):
        a = exercises.as_number(answer)
        return None if abs(a - 0.977) <= 0.05 else exercises.Tiered("a", "b")

    try:
        assert len(too_lax("99.lax")) >= 3  # 1% either way, and +0.05
    finally:
        del exercises._REGISTRY["99.lax"]
        exercises._EXPECTED.pop("99.lax", None)


def test_the_digit_detector_finds_an_answer_in_a_message():
    assert gives_away("the sd is 1.15", 1.15433534)
    assert gives_away("try (0.0909, 0.6364)", [1 / 11, 7 / 11])
    assert not gives_away("divide by n - 1", 1.15433534)
    assert not gives_away("theta = (1, 2)", 4.5)


@pytest.mark.parametrize("exercise_id", IDS)
def test_feedback_is_plain_text_with_the_right_mark(exercise_id):
    ex = exercises._get(exercise_id)
    for answer, mark in ((reference(exercise_id), "✔ Correct. "), (ex.wrong(), "✘ Not yet. ")):
        fb = quiet_check(exercise_id, answer)
        assert str(fb).startswith(mark) and repr(fb) == str(fb)
        assert bool(fb) == fb.correct


def test_every_notebook_with_exercises_has_at_least_three():
    per_nb = Counter(i.split(".")[0] for i in IDS if i != "00.warmup")
    assert all(n >= 3 for n in per_nb.values()), per_nb
