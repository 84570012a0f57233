"""What the exercise framework tells a student, word for word where the words are the point.

Mutation testing of ``course_utils/exercises/__init__.py`` found half of its mutants alive: the
other tests check that a malformed answer gets *a* message, not that it gets the *right* one (a
function told to call itself, a string told to drop its quotes). These tests pin each message to
its cause, and the helpers' edge cases (rounding, shapes, whole numbers, unknown ids).
"""

import numpy as np
import pytest

from course_utils import exercises
from course_utils.exercises import BadAnswer, Slip, Tiered

BIG = exercises.MAX_ELEMENTS + 1


def _invalid(answer, exercise_id="00.warmup"):
    fb = exercises.check(exercise_id, answer)
    assert fb.correct is False and fb.kind == "invalid" and fb.tier == 0
    assert exercises.attempts(exercise_id) == 0  # a malformed answer uses up no hint
    return fb.message


@pytest.mark.parametrize("answer, words", [
    (None, "The answer is None. Replace None by your answer, then run the cell again."),
    ("4", "The answer is a string (text in quotes). Give one number, without quotes."),
    (b"4", "The answer is a string (text in quotes). Give one number, without quotes."),
    (len, "The answer is a function. Give one number: call the function, e.g. f(x) rather than f."),
    ({"a": 4}, "The answer is a dict. Give one number."),
    ({4}, "The answer is a set. Give one number."),
    (np.zeros(BIG), f"The answer is an array of {BIG} numbers. Give one number."),
    ([0.0] * BIG, f"The answer has {BIG} elements. Give one number."),
    (10**400, "That number is too large to be a float (over 1e308). Check the computation"),
    (1 + 2j, "The answer is a complex number. Give one number."),
    (np.array([1 + 2j]), "The answer is a complex number. Give one number."),
    ([1 + 2j, 3.0], "The answer is a complex number. Give one number."),
    ([[0.0] * 1000] * 101, "The answer is an array of 101000 numbers. Give one number."),
    (object(), "The answer is an object, which is not a number. Give one number."),
    ([], "The answer is empty. Give one number."),
    (float("nan"), "The answer contains NaN (not a number): a computation went wrong, for "
                   "example 0/0 or the log of a negative number. Check the steps."),
    ([1.0, float("-inf")], "The answer contains inf (infinity): a computation overflowed or "
                           "divided by zero. Check the steps."),
])
def test_each_malformed_answer_gets_the_message_for_its_own_mistake(answer, words):
    assert _invalid(answer).startswith(words)


def test_exactly_as_many_numbers_as_allowed_are_read():
    M = exercises.MAX_ELEMENTS
    assert exercises._as_float_array(np.zeros(M), "x").size == M
    assert exercises._as_float_array([0.0] * M, "x").size == M
    assert exercises._as_float_array([[0.0] * (M // 4)] * 4, "x").size == M


def test_the_answer_asked_for_is_named_in_the_message():
    with pytest.raises(BadAnswer, match=r"^The answer is a string \(text in quotes\)\. Give the "
                                        r"mean, without quotes\.$"):
        exercises.as_number("x", what="the mean")
    with pytest.raises(BadAnswer, match=r"Give 2 numbers, without quotes\.$"):
        exercises.as_vector("x", 2)
    with pytest.raises(BadAnswer, match=r"Give mu and sigma, without quotes\.$"):
        exercises.as_vector("x", 2, what="mu and sigma")
    with pytest.raises(BadAnswer, match=r"Give a count, without quotes\.$"):
        exercises.as_integer("x", what="a count")


def test_an_array_of_objects_and_a_ragged_list_are_not_plain_numbers():
    assert _invalid(np.array([object()], dtype=object)).startswith(
        "The answer is a NumPy array of shape (1,), which is not a number. Give one number.")
    assert _invalid([[1.0], [1.0, 2.0]]).startswith(
        "The answer is a list, which is not a number. Give one number.")


def test_a_numpy_array_that_is_callable_is_still_read_as_numbers():
    class CallableArray(np.ndarray):
        def __call__(self):
            return 0

    answer = np.array([4.0]).view(CallableArray)
    assert exercises.check("00.warmup", answer).correct


def test_too_many_numbers_for_one_and_too_few_for_a_vector():
    with pytest.raises(BadAnswer, match=r"^Give one number, not 2 numbers \(got shape \(2,\)\)\.$"):
        exercises.as_number([1.0, 2.0])
    with pytest.raises(BadAnswer, match=r"^Give 3 numbers: got 1 number\.$"):
        exercises.as_vector(1.0, 3)
    with pytest.raises(BadAnswer, match=r"^Give 3 numbers: got 2 numbers\.$"):
        exercises.as_vector([1.0, 2.0], 3)
    with pytest.raises(BadAnswer, match=r"^Give mu and sigma: got 1 number\.$"):
        exercises.as_vector([1.0], 2, what="mu and sigma")
    np.testing.assert_array_equal(exercises.as_vector([[1.0], [2.0]], 2), [1.0, 2.0])
    assert exercises.as_number(np.array([[2.5]])) == 2.5
    assert exercises.as_number(np.float32(0.5)) == 0.5


@pytest.mark.parametrize("answer, whole", [
    (3, 3), (3.0, 3), (np.int64(7), 7), (np.array([5.0]), 5), (True, 1), (-2.0, -2),
    (2.5, None), (-0.5, None), (1e-9, None),
    (10**17 + 1, 10**17 + 1),  # a Python integer stays exact (a float would drop the 1)
])
def test_as_integer_reads_whole_numbers_and_says_none_for_the_rest(answer, whole):
    got = exercises.as_integer(answer)
    assert got == whole and (got is None or type(got) is int)


def test_as_integer_refuses_what_as_number_refuses():
    with pytest.raises(BadAnswer, match="too large to be a float"):
        exercises.as_integer(10**400)
    with pytest.raises(BadAnswer, match="^Give a whole number, not 2 numbers"):
        exercises.as_integer([1, 2])
    with pytest.raises(BadAnswer, match="^The answer is a string"):
        exercises.as_integer("3")


@pytest.mark.parametrize("answer, kind", [
    (None, "None"), (len, "a function"), (lambda: 0, "a function"), ("x", "a string"),
    (np.zeros((2, 3)), "a NumPy array of shape (2, 3)"), (3, "an int"), (2.5, "a float"),
    (object(), "an object"), ([1], "a list"), ({}, "a dict"),
])
def test_kind_of_names_an_answer_without_printing_it(answer, kind):
    assert exercises._kind_of(answer) == kind


@pytest.mark.parametrize("a, ref, rounded", [
    (3.14, np.pi, True),          # two decimals
    (3.1416, np.pi, True),        # four decimals
    (1.23e-5, 1.2345e-5, True),   # three significant figures (decimals cannot say it)
    (np.pi, np.pi, False),        # the answer itself is not "rounded"
    (3.2, np.pi, False),          # 2% off: a different number
    (3.1, np.pi, True),           # one decimal
    ([3.14, 2.72], [np.pi, np.e], True),
    ([3.14, 2.72], [np.pi], False),  # shapes differ
    (3.1413, np.pi, True),        # within 5e-3 though no rounding gives it
    (3.0, np.pi, False),          # to a whole number is too coarse to be "rounded"
    (12.0, 12.345, True),         # two significant figures, no decimal
    (0.1, 0.123456, True),        # one decimal (two significant figures would be 0.12)
    (0.0001, 0.000123456, True),  # four decimals (one significant figure)
    (np.array([[3.14, 2.72], [1.41, 1.73]]), np.array([[np.pi, np.e], [2**0.5, 3**0.5]]), True),
])
def test_is_rounded_tells_a_rounded_answer_from_the_answer_and_from_a_wrong_one(a, ref, rounded):
    assert exercises.is_rounded(a, ref) is rounded


def test_close_needs_one_shape_and_agreement_to_rtol():
    assert exercises.close(1.0, 1.0 + 1e-7)
    assert not exercises.close(1.0, 1.0 + 1e-5)
    assert exercises.close(1.0, 1.0 + 1e-5, rtol=1e-4)
    assert not exercises.close([1.0, 2.0], [1.0])
    assert not exercises.close([1.0], 1.0)
    assert exercises.close(0.0, 1e-13) and not exercises.close(0.0, 1e-11)


def test_call_student_reports_what_went_wrong_with_the_students_function():
    with pytest.raises(BadAnswer, match=r'^The answer is an int\. The exercise asks for a function: '
                                        r'pass its name without brackets, e\.g\. check\("NN\.name", '):
        exercises.call_student(3, 1.0)
    with pytest.raises(BadAnswer, match=r"^Your function raised ZeroDivisionError when the checker "
                                        r"called it: division by zero$"):
        exercises.call_student(lambda x: x / 0, 1)
    long = "x" * 500
    with pytest.raises(BadAnswer) as info:
        exercises.call_student(lambda: (_ for _ in ()).throw(ValueError(long)))
    assert str(info.value).endswith(": " + "x" * 200)
    with pytest.raises(BadAnswer, match=r"^Your function returns None\. Does it end with a `return` "
                                        r"line that gives the result\?$"):
        exercises.call_student(lambda x: None, 1)
    with pytest.raises(BadAnswer, match="^mine$"):  # the checker's own message passes through
        exercises.call_student(lambda: exercises.as_number(None) if False else (_ for _ in ()).throw(
            BadAnswer("mine")))
    assert exercises.call_student(lambda a, b: a * b, 2, 3) == 6


def test_the_placeholder_name_in_a_message_becomes_the_exercise_id(make_exercise):
    ex = make_exercise("99.fn", lambda f: exercises.call_student(f, 1.0),
                       solution=lambda: (lambda x: x))
    assert _invalid(3, ex).startswith(
        'The answer is an int. The exercise asks for a function: pass its name without brackets, '
        'e.g. check("99.fn", my_function).')


def test_feedback_for_a_slip_a_nudge_a_stronger_hint_a_plain_hint_and_praise(make_exercise):
    def checker(answer):
        a = exercises.as_number(answer)
        return {4.0: None, 4.5: Slip("added", "Times, not plus."), 1.0: "Plain."}.get(
            a, Tiered("Nudge.", "Stronger."))

    ex = make_exercise("99.all", checker, praise="Well done.")
    fb = exercises.check(ex, 4.5)
    assert (fb.correct, fb.message, fb.kind, fb.slip, fb.tier) == (
        False, "Looks like a common slip: added. Times, not plus.", "slip", "added", 1)
    fb = exercises.check(ex, 0.0)
    assert (fb.correct, fb.message, fb.kind, fb.tier) == (False, "Stronger hint: Stronger.", "hint", 2)
    fb = exercises.check(ex, 4.5)
    assert fb.tier == 2 and exercises.attempts(ex) == 3
    fb = exercises.check(ex, 1.0)
    assert (fb.correct, fb.message, fb.kind, fb.tier) == (False, "Hint: Plain.", "hint", 2)
    exercises.reset_attempts(ex)
    fb = exercises.check(ex, 0.0)
    assert (fb.message, fb.kind, fb.tier) == ("Hint: Nudge.", "hint", 1)
    fb = exercises.check(ex, 1.0)
    assert fb.tier == 2
    exercises.reset_attempts(ex)
    assert exercises.check(ex, 1.0).tier == 1
    fb = exercises.check(ex, 4.0)
    assert (fb.correct, fb.message, fb.kind, str(fb)) == (
        True, "Well done.", "correct", "✔ Correct. Well done.")
    assert exercises.attempts(ex) == 1  # a right answer is no wrong try


def test_reset_attempts_of_one_exercise_keeps_the_others(make_exercise):
    a = make_exercise("99.a", lambda x: "no")
    b = make_exercise("99.b", lambda x: "no")
    exercises.check(a, 1.0)
    exercises.check(b, 1.0)
    exercises.reset_attempts(a)
    assert (exercises.attempts(a), exercises.attempts(b)) == (0, 1)
    exercises.reset_attempts("99.never")  # nothing to forget: no error
    exercises.reset_attempts()
    assert exercises.attempts(b) == 0


def test_a_checker_that_crashes_says_what_the_exercise_asks_for(make_exercise):
    def crash(answer):
        raise TypeError("boom")

    one = make_exercise("99.one", crash)
    three = make_exercise("99.three", crash, solution=lambda: [1.0, 2.0, 3.0])
    fn = make_exercise("99.fn2", crash, solution=lambda: (lambda x: x))
    broken = make_exercise("99.broken", crash, solution=lambda: 1 / 0)
    assert _invalid(2.0, one) == ("This answer could not be checked (TypeError). The answer is a "
                                  "float; the exercise asks for one number.")
    assert _invalid([1.0, 2.0, 3.0], three).endswith("the exercise asks for 3 numbers.")
    assert _invalid(len, fn).endswith(
        "The answer is a function; the exercise asks for the kind of answer the question describes.")
    assert _invalid(2.0, broken).endswith("the kind of answer the question describes.")
    # no reference to read: a function answer goes to the checker, not refused as "not a number"
    assert _invalid(len, broken).endswith(
        "The answer is a function; the exercise asks for the kind of answer the question describes.")
    # a function exercise does not refuse non-numbers up front: the checker sees None and crashes
    assert _invalid(None, fn) == ("The answer is None. Replace None by your answer, then run the "
                                  "cell again.")


def test_numbers_expected_reads_the_reference_answer_once(make_exercise):
    calls = []

    def ref():
        calls.append(1)
        return np.zeros(3)

    ex = make_exercise("99.vec", lambda a: None, solution=ref)
    assert exercises._numbers_expected(exercises._REGISTRY[ex]) == "3 numbers"
    assert exercises._numbers_expected(exercises._REGISTRY[ex]) == "3 numbers"
    assert len(calls) == 1
    assert exercises.check(ex, "abc").message == ("The answer is a string (text in quotes). Give 3 "
                                                   "numbers, without quotes.")


def test_unknown_ids_get_the_closest_names_or_the_notebooks_list():
    ids = exercises.exercise_ids()
    assert ids == sorted(ids) and "00.warmup" in ids
    assert exercises.check(3, 4).message == (
        f'The exercise name must be a string in quotes, like "{ids[0]}", got a int.')
    assert exercises.check("01.mle_sdd", 1.0).message.startswith(
        'There is no exercise "01.mle_sdd". Did you mean "01.mle_sd"')
    msg = exercises.check("05.zzzzzzzz", 1.0).message
    fives = [i for i in ids if i.startswith("05")]
    assert msg == ('There is no exercise "05.zzzzzzzz". The exercises are: '
                   + ", ".join(f'"{i}"' for i in fives) + ".")
    msg = exercises.check("qq", 1.0).message  # no notebook "qq": every exercise is listed
    assert msg.endswith(", ".join(f'"{i}"' for i in ids) + ".")
    msg = exercises.check("05zzzzzzzz", 1.0).message  # the notebook is the first two characters
    assert msg.endswith(", ".join(f'"{i}"' for i in fives) + ".")
    msg = exercises.check("01.mle_sdd", 1.0).message
    # five ids are alike enough ('01.mle_sd', '01.ols_se', '05.mse_grad', ...): the best three
    assert msg == 'There is no exercise "01.mle_sdd". Did you mean "01.mle_sd" or "01.ols_se" or ' \
                  '"05.mse_grad"?'
    assert exercises.check("01.mle_sdd", 1.0).correct is False
    with pytest.raises(ValueError, match=r'^exercise_id: There is no exercise "zz9"'):
        exercises.solution("zz9")


def test_an_id_registered_twice_is_refused(make_exercise):
    make_exercise("99.twice", lambda a: None)
    with pytest.raises(ValueError, match="exercise_id '99.twice' is registered twice"):
        make_exercise("99.twice", lambda a: None)


def test_a_broken_exercise_module_is_reported_and_the_others_still_work(monkeypatch):
    monkeypatch.setitem(exercises._LOAD_ERRORS, "course_utils.exercises.nb99",
                        SyntaxError("bad"))
    with pytest.raises(ImportError, match=r"^course_utils\.exercises\.nb99 failed to import: "
                                          r"SyntaxError\('bad'\)$"):
        exercises.exercise_ids()
    assert exercises.check("00.warmup", 4).correct


def test_a_checker_that_breaks_the_framework_still_gets_a_message(monkeypatch, make_exercise):
    ex = make_exercise("99.odd", lambda a: 12345)  # not None, Slip, Tiered or str
    assert exercises.check(ex, 1.0).message == "Hint: 12345"
    monkeypatch.setattr(exercises, "_numbers_expected", lambda ex: 1 / 0)
    fb = exercises.check(ex, 1.0)
    assert fb.correct is False and fb.kind == "invalid" and fb.message == (
        "The checker could not run (ZeroDivisionError). Please tell your instructor; your answer "
        "may still be right.")


def test_feedback_prints_the_same_everywhere():
    fb = exercises.Feedback(False, "Look again.")
    assert str(fb) == repr(fb) == "✘ Not yet. Look again."

    class Printer:
        def __init__(self):
            self.out = []

        def text(self, s):
            self.out.append(s)

    p = Printer()
    fb._repr_pretty_(p, False)
    assert p.out == ["✘ Not yet. Look again."]
    assert not fb and exercises.Feedback(True, "ok")


def test_register_keeps_every_setting_and_its_defaults(make_exercise):
    wrong = lambda: 0.0  # noqa: E731
    exercises.register("99.defaults", solution=lambda: 1.0, wrong=wrong)(lambda a: None)
    try:
        ex = exercises._REGISTRY["99.defaults"]
        assert (ex.praise, ex.slips, ex.unique, ex.question, ex.exact) == (
            "That matches the reference answer.", {}, True, "", True)
        assert ex.wrong is wrong and ex.placeholder() is None
    finally:
        exercises._REGISTRY.pop("99.defaults")
    slip = lambda: 2.0  # noqa: E731
    make_exercise("99.set", lambda a: None, praise="P.", slips={"s": slip}, unique=False,
                  placeholder=lambda: 0, question="Q?", exact=False)
    ex = exercises._REGISTRY["99.set"]
    assert (ex.praise, ex.slips, ex.unique, ex.placeholder(), ex.question, ex.exact) == (
        "P.", {"s": slip}, False, 0, "Q?", False)


def test_a_fresh_kernel_loads_every_notebooks_exercises():
    import subprocess
    import sys

    code = ("from course_utils import exercises; ids = exercises.exercise_ids(); "
            "print(len(ids), sorted({i[:2] for i in ids}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, notebooks = out.stdout.split(" ", 1)
    assert int(count) >= 29 and notebooks.strip() == str([f"{k:02d}" for k in range(8)])


def test_a_module_that_fails_to_import_is_tried_once_and_named(monkeypatch):
    real = exercises.importlib.import_module
    tries = []

    def fake(name):
        if name.endswith(".nb03"):
            tries.append(name)
            raise RuntimeError("broken")
        return real(name)

    monkeypatch.setattr(exercises, "_LOAD_ERRORS", {})
    monkeypatch.setattr(exercises.importlib, "import_module", fake)
    for _ in range(2):
        with pytest.raises(ImportError, match=r"^course_utils\.exercises\.nb03 failed to import: "
                                              r"RuntimeError\('broken'\)$"):
            exercises.exercise_ids()
    assert tries == ["course_utils.exercises.nb03"]
    assert exercises.check("00.warmup", 4).correct
