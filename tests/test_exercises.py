"""Every registered exercise accepts its reference answer and rejects a typical wrong one."""

import pytest

from course_utils import exercises


@pytest.mark.parametrize("exercise_id", exercises.exercise_ids())
def test_reference_answer_is_correct_and_wrong_answer_gets_a_hint(exercise_id):
    ex = exercises._get(exercise_id)
    right = exercises.check(exercise_id, ex.solution())
    assert right.correct and str(right).startswith("✅ Correct!")
    wrong = exercises.check(exercise_id, ex.wrong())
    assert not wrong.correct and "Hint:" in str(wrong)


def test_every_notebook_with_exercises_has_at_least_two():
    ids = exercises.exercise_ids()
    per_nb = {}
    for i in ids:
        per_nb.setdefault(i.split(".")[0], []).append(i)
    assert all(len(v) >= 2 for v in per_nb.values()), per_nb


def test_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="exercise_id must be one of"):
        exercises.check("99.nope", 1)


def test_an_answer_of_the_wrong_type_gets_feedback_not_a_crash():
    fb = exercises.check("00.warmup", object())
    assert not fb.correct
