"""Exercise checkers: each says "correct" to a right answer and gives a hint to a wrong one.

``check(exercise_id, answer)`` looks the exercise up and returns a :class:`Feedback` whose text is
what the student sees (``print`` it, or let the notebook display it). It never raises: an unknown
exercise id, or an answer of the wrong kind (None, a string, NaN, a huge integer, a function...),
gets a message instead of a traceback.

Hints come in tiers. A checker returns one of

- ``None``: the answer is right;
- ``Slip(name, message)``: a common slip, recognised and named ("swapped order", ...);
- ``Tiered(nudge, stronger)``: the first wrong try of an exercise gets the nudge, the second and
  later ones the stronger hint (``check`` counts the wrong tries per exercise in this kernel);
- a plain ``str``: one hint for every try (the older contract, still accepted).

Exercises are registered by the per-notebook modules (``nb00``, ``nb01``, ...) with
:func:`register`; their reference answers live there too, apart from the notebooks, so an
instructor can hand out notebooks without solutions. ``solution(exercise_id)`` returns the
reference answer; ``tools/solutions.py`` writes them all to ``solutions/NN_solutions.md``.

What the tests (``tests/test_exercises_registry.py``) ask of every registered exercise:

- ``solution()`` passes; write it as a student would (``def solution_name(): ...``), it is
  printed in the solutions file;
- ``placeholder()`` (None unless given) fails with a neutral message (``BadAnswer``), using up no
  hint: the notebook's answer line holds it, so its stored output gives nothing away;
- ``wrong()`` gets a :class:`Tiered` hint, and a second try the stronger one;
- each ``slips[name]()`` gets ``Slip(name, ...)``;
- malformed answers (None, "abc", NaN, inf, 10**400, [], object(), a huge array, a function,
  a complex number, a dict...) get a message, never a traceback or a warning;
- no message quotes the reference answer (any entry, to 3 significant figures), unless
  ``unique=False``;
- an answer 1% off fails, unless ``exact=False``.

Checkers read answers with :func:`as_number`, :func:`as_vector`, :func:`as_integer` (they raise
:class:`BadAnswer` with a message for the student) and call a student's function with
:func:`call_student`; :func:`close` and :func:`is_rounded` help to recognise slips.
"""

from __future__ import annotations

import difflib
import importlib
import math
import numbers
import pkgutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from course_utils import data

__all__ = ["COURSE_SAMPLE", "normal_sample_of", "Feedback", "Exercise", "Slip", "Tiered",
           "BadAnswer", "register", "check", "solution", "exercise_ids", "reset_attempts",
           "attempts", "as_number", "as_vector", "as_integer", "close", "is_rounded", "call_student"]

CORRECT_MARK = "✔ Correct"
WRONG_MARK = "✘ Not yet"
#: An answer with more elements than this is not looked at (a checker never needs so many).
MAX_ELEMENTS = 100_000
#: The normal sample notebooks 01-03 work with: ``data.normal_sample(1000, 0.0, 1.0, seed=0)``.
COURSE_SAMPLE = {"n": 1000, "mu": 0.0, "sigma": 1.0, "seed": 0}


def normal_sample_of(spec: dict) -> np.ndarray:
    """The seeded normal sample that ``spec = {"n", "mu", "sigma", "seed"}`` describes."""
    return data.normal_sample(spec["n"], spec["mu"], spec["sigma"], seed=spec["seed"])


# ---------------------------------------------------------------- what checkers return

@dataclass(frozen=True)
class Slip:
    """A common slip the checker recognised: ``name`` says which ("swapped order"), ``message``
    says what to look at, without giving the answer."""

    name: str
    message: str


@dataclass(frozen=True)
class Tiered:
    """A hint in two tiers: ``nudge`` for the first wrong try, ``stronger`` for later ones."""

    nudge: str
    stronger: str


class BadAnswer(ValueError):
    """Raised by :func:`as_number` and friends when an answer has the wrong kind or shape.

    Its message is written for the student; :func:`check` shows it as feedback.
    """


@dataclass(frozen=True)
class Feedback:
    """What a checker says: whether the answer is right, and a message (a hint when it is not).

    ``kind`` is "correct", "slip", "hint" or "invalid" (an answer that could not be checked);
    ``slip`` names the recognised slip; ``tier`` is 1 for a nudge, 2 for a stronger hint.
    """

    correct: bool
    message: str
    kind: str = "hint"
    slip: str | None = None
    tier: int = 0

    def __str__(self) -> str:
        return f"{CORRECT_MARK if self.correct else WRONG_MARK}. {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))

    def __bool__(self) -> bool:
        return self.correct


@dataclass(frozen=True)
class Exercise:
    """One exercise: an id like ``"01.mle_sd"``, a checker and its reference answer.

    ``checker(answer)`` returns ``None`` when the answer is right, else a :class:`Slip`, a
    :class:`Tiered` hint or a plain ``str``. ``solution()`` returns the reference answer,
    ``wrong()`` a typical wrong one that is no known slip (it gets the tiered hint), and
    ``slips`` maps each recognised slip's name to a callable giving an answer that makes that
    slip; ``placeholder()`` is what the notebook's answer line holds (None by default). The tests
    check that the solution passes, the others fail and each slip is named. ``unique`` is False
    when many answers are right (any point of a region): then hints may quote numbers near the
    solution. ``question`` is the question in one or two sentences (for the solutions file).
    ``exact`` is False when the exercise accepts an approximate answer (a value read off a
    plot); otherwise an answer 1% off must fail.
    """

    id: str
    checker: Callable
    solution: Callable
    wrong: Callable
    praise: str = "That matches the reference answer."
    slips: dict = field(default_factory=dict)
    unique: bool = True
    placeholder: Callable = lambda: None
    question: str = ""
    exact: bool = True


_REGISTRY: dict[str, Exercise] = {}
_ATTEMPTS: dict[str, int] = {}


def register(exercise_id: str, *, solution: Callable, wrong: Callable,
             praise: str = "That matches the reference answer.", slips: dict | None = None,
             unique: bool = True, placeholder: Callable | None = None, question: str = "",
             exact: bool = True):
    """Decorator: register ``checker(answer) -> None | Slip | Tiered | str`` under ``exercise_id``.

    Introduced for the authors of ``nbNN.py`` (not used in the notebooks).

    Parameters
    ----------
    exercise_id : str
        ``"NN.name"``, NN the notebook's number.
    solution, wrong : callable
        ``solution()`` gives the reference answer, ``wrong()`` a typical wrong answer that is
        no known slip (the checker gives it a :class:`Tiered` hint).
    praise : str
        Shown after "✔ Correct." A sentence that sums up the idea.
    slips : dict, optional
        ``{slip name: callable giving an answer that makes this slip}``; the checker must
        return ``Slip(name, ...)`` for each (the tests check it).
    unique : bool
        False when many answers are right.
    placeholder : callable, optional
        ``placeholder()`` is the value on the notebook's answer line (default: None). It must
        give a neutral message: no hint, no slip.
    question : str
        The question in a sentence or two, for ``solutions/NN_solutions.md``.
    exact : bool
        False when an approximate answer is right (read off a plot); the tests then skip the
        check that an answer 1% off fails.

    Examples
    --------
    >>> @register("99.double", solution=lambda: 4, wrong=lambda: 0,
    ...           slips={"added instead": lambda: 4.5})          # doctest: +SKIP
    ... def _double(answer):
    ...     a = as_number(answer)
    ...     if a == 4: return None
    ...     if a == 4.5: return Slip("added instead", "Double means times 2, not plus 2.")
    ...     return Tiered("What is 2 times 2?", "Multiply, with *.")
    """

    def wrap(checker: Callable) -> Callable:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise_id {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, checker, solution, wrong, praise,
                                          dict(slips or {}), unique,
                                          placeholder or (lambda: None), question, exact)
        return checker

    return wrap


_LOAD_ERRORS: dict[str, Exception] = {}


def _load_all() -> None:
    """Import every ``nbNN`` module (each registers its exercises). A module that fails to import
    is remembered in ``_LOAD_ERRORS`` so that the other notebooks' exercises still work."""
    for mod in pkgutil.iter_modules(__path__):
        name = f"{__name__}.{mod.name}"
        if mod.name.startswith("nb") and name not in _LOAD_ERRORS:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - reported by exercise_ids()
                _LOAD_ERRORS[name] = exc


def exercise_ids() -> list[str]:
    """Every registered exercise id, sorted (raises if an exercise module failed to import)."""
    _load_all()
    if _LOAD_ERRORS:
        name, exc = next(iter(_LOAD_ERRORS.items()))
        raise ImportError(f"{name} failed to import: {exc!r}") from exc
    return sorted(_REGISTRY)


def _unknown_id_message(exercise_id) -> str:
    ids = sorted(_REGISTRY)
    if not isinstance(exercise_id, str):
        return (f"The exercise name must be a string in quotes, like \"{ids[0]}\", "
                f"got a {type(exercise_id).__name__}.")
    close = difflib.get_close_matches(exercise_id.strip(), ids, n=3, cutoff=0.5)
    if close:
        names = " or ".join(f'"{c}"' for c in close)
        return f"There is no exercise \"{exercise_id}\". Did you mean {names}?"
    prefix = exercise_id.strip()[:2]
    same = [i for i in ids if i.startswith(prefix)] or ids
    return (f"There is no exercise \"{exercise_id}\". The exercises are: "
            + ", ".join(f'"{i}"' for i in same) + ".")


def _get(exercise_id: str) -> Exercise:
    _load_all()
    if not isinstance(exercise_id, str) or exercise_id not in _REGISTRY:
        raise ValueError("exercise_id: " + _unknown_id_message(exercise_id))
    return _REGISTRY[exercise_id]


def reset_attempts(exercise_id: str | None = None) -> None:
    """Forget the wrong tries of one exercise (or of all), so the next hint is a nudge again."""
    if exercise_id is None:
        _ATTEMPTS.clear()
    else:
        _ATTEMPTS.pop(exercise_id, None)


def attempts(exercise_id: str) -> int:
    """How many wrong tries of this exercise :func:`check` has seen in this kernel."""
    return _ATTEMPTS.get(exercise_id, 0)


# ---------------------------------------------------------------- reading answers

def _kind_of(answer) -> str:
    """A short, safe description of an answer (never its repr: it may be huge)."""
    if answer is None:
        return "None"
    if callable(answer) and not isinstance(answer, (np.ndarray, numbers.Number)):
        return "a function"
    if isinstance(answer, str):
        return "a string"
    if isinstance(answer, np.ndarray):
        return f"a NumPy array of shape {answer.shape}"
    name = type(answer).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _is_complex(answer) -> bool:
    """True for a complex number, or numbers among which one is complex (``[1 + 2j, 3]``)."""
    if isinstance(answer, complex):
        return True
    try:
        return bool(np.iscomplexobj(np.asarray(answer)))
    except (TypeError, ValueError):  # ragged, or not numbers at all
        return False


def _as_float_array(answer, what: str) -> np.ndarray:
    """``answer`` as a float array, or BadAnswer with a message for the student."""
    if answer is None:
        raise BadAnswer("The answer is None. Replace None by your answer, then run the cell again.")
    if isinstance(answer, (str, bytes)):
        raise BadAnswer(f"The answer is a string (text in quotes). Give {what}, without quotes.")
    if callable(answer) and not isinstance(answer, np.ndarray):
        raise BadAnswer(f"The answer is a function. Give {what}: call the function, "
                        "e.g. f(x) rather than f.")
    if isinstance(answer, (dict, set)):
        raise BadAnswer(f"The answer is a {type(answer).__name__}. Give {what}.")
    size = getattr(answer, "size", None)
    if isinstance(size, numbers.Integral) and size > MAX_ELEMENTS:
        raise BadAnswer(f"The answer is an array of {size} numbers. Give {what}.")
    if isinstance(answer, (list, tuple)) and len(answer) > MAX_ELEMENTS:
        raise BadAnswer(f"The answer has {len(answer)} elements. Give {what}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(answer, dtype=float)
    except OverflowError:
        raise BadAnswer("That number is too large to be a float (over 1e308). "
                        "Check the computation that made it.") from None
    except (TypeError, ValueError):
        if _is_complex(answer):
            raise BadAnswer(f"The answer is a complex number. Give {what}.") from None
        raise BadAnswer(f"The answer is {_kind_of(answer)}, which is not a number. "
                        f"Give {what}.") from None
    if arr.size == 0:
        raise BadAnswer(f"The answer is empty. Give {what}.")
    if arr.size > MAX_ELEMENTS:
        raise BadAnswer(f"The answer is an array of {arr.size} numbers. Give {what}.")
    if np.isnan(arr).any():
        raise BadAnswer("The answer contains NaN (not a number): a computation went wrong, "
                        "for example 0/0 or the log of a negative number. Check the steps.")
    if np.isinf(arr).any():
        raise BadAnswer("The answer contains inf (infinity): a computation overflowed or divided "
                        "by zero. Check the steps.")
    if np.iscomplexobj(answer):
        raise BadAnswer(f"The answer is a complex number. Give {what}.")
    return arr


def as_number(answer, what: str = "one number") -> float:
    """A checker's view of an answer that should be one finite number.

    Accepts a Python or NumPy number, or an array with one element. Anything else raises
    :class:`BadAnswer`, whose message :func:`check` shows to the student.
    """
    arr = _as_float_array(answer, what)
    if arr.size != 1:
        raise BadAnswer(f"Give {what}, not {arr.size} numbers (got shape {arr.shape}).")
    return float(arr.reshape(()))


def as_vector(answer, size: int, what: str | None = None) -> np.ndarray:
    """A checker's view of an answer that should be ``size`` finite numbers (a 1-d array)."""
    what = what or f"{size} numbers"
    arr = _as_float_array(answer, what).ravel()
    if arr.size != size:
        raise BadAnswer(f"Give {what}: got {arr.size} number{'s' if arr.size != 1 else ''}.")
    return arr


def as_integer(answer, what: str = "a whole number") -> int | None:
    """One number that should be a whole number; None when it is not whole (a checker decides)."""
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        _as_float_array(answer, what)  # rejects integers too large for a float
        return int(answer)
    a = as_number(answer, what)
    if a != math.floor(a):
        return None
    return int(a)


_EXPECTED: dict[str, str | None] = {}


def close(a, b, rtol: float = 1e-6, atol: float = 1e-12) -> bool:
    """True when ``a`` and ``b`` (numbers or arrays of one shape) agree to ``rtol``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def is_rounded(a, ref, rtol: float = 5e-3) -> bool:
    """True when ``a`` looks like ``ref`` rounded (to 1-6 decimals or 2-6 significant figures,
    or within ``rtol``), but is not ``ref`` itself."""
    a, ref = np.asarray(a, dtype=float), np.asarray(ref, dtype=float)
    if a.shape != ref.shape or close(a, ref):
        return False
    for d in range(1, 7):
        if np.allclose(a, np.round(ref, d), rtol=0, atol=1e-12):
            return True
    for sig in range(2, 7):
        rounded = np.array([float(f"{r:.{sig}g}") for r in ref.ravel()]).reshape(ref.shape)
        if np.allclose(a, rounded, rtol=1e-12, atol=1e-12):
            return True
    return close(a, ref, rtol=rtol)


def call_student(f, *args, what: str = "one number"):
    """Call a student's function on a hidden case; BadAnswer (with a message) when it fails."""
    if not callable(f):
        raise BadAnswer(f"The answer is {_kind_of(f)}. The exercise asks for a function: "
                        "pass its name without brackets, e.g. check(\"NN.name\", my_function).")
    try:
        out = f(*args)
    except BadAnswer:
        raise
    except Exception as exc:  # noqa: BLE001 - the student's code, reported as feedback
        raise BadAnswer(f"Your function raised {type(exc).__name__} when the checker called it: "
                        f"{str(exc)[:200]}") from None
    if out is None:
        raise BadAnswer("Your function returns None. Does it end with a `return` line that "
                        "gives the result?")
    return out


def _numbers_expected(ex: Exercise) -> str | None:
    """"one number" / "3 numbers" when the reference answer is numeric, else None (cached)."""
    if ex.id not in _EXPECTED:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                sol = ex.solution()
            if callable(sol) and not isinstance(sol, np.ndarray):
                _EXPECTED[ex.id] = None
            else:
                arr = np.asarray(sol, dtype=float)
                _EXPECTED[ex.id] = "one number" if arr.size == 1 else f"{arr.size} numbers"
        except Exception:  # noqa: BLE001 - a description only
            _EXPECTED[ex.id] = None
    return _EXPECTED[ex.id]


def _describe_expected(ex: Exercise) -> str:
    return _numbers_expected(ex) or "the kind of answer the question describes"


# ---------------------------------------------------------------- check

def check(exercise_id: str, answer) -> Feedback:
    """Check a student's answer to an exercise.

    Introduced in notebook 00.

    Parameters
    ----------
    exercise_id : str
        As printed in the notebook, e.g. ``"01.mle_sd"``.
    answer
        What the exercise asks for (a number, an array, a function...).

    Returns
    -------
    Feedback
        Prints as "✔ Correct. ..." or "✘ Not yet. <hint>". ``bool(feedback)`` is
        ``feedback.correct``. The first wrong try of an exercise gets a nudge, later ones a
        stronger hint; a recognised slip is named.

    Examples
    --------
    >>> check("00.warmup", 4)
    ✔ Correct. 2 + 2 is 4: the checker works.
    """
    try:
        _load_all()
        if not isinstance(exercise_id, str) or exercise_id not in _REGISTRY:
            return Feedback(False, _unknown_id_message(exercise_id), kind="invalid")
        ex = _REGISTRY[exercise_id]
        expected = _numbers_expected(ex)
        try:
            if expected is not None:  # a numeric answer: reject what is not numbers at all
                _as_float_array(answer, expected)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                result = ex.checker(answer)
        except BadAnswer as exc:
            return Feedback(False, str(exc).replace('"NN.name"', f'"{exercise_id}"'),
                            kind="invalid")
        except Exception as exc:  # noqa: BLE001 - a student never sees a traceback
            if answer is None:
                msg = "The answer is None. Replace None by your answer, then run the cell again."
            else:
                msg = (f"This answer could not be checked ({type(exc).__name__}). The answer is "
                       f"{_kind_of(answer)}; the exercise asks for {_describe_expected(ex)}.")
            return Feedback(False, msg, kind="invalid")
        if result is None:
            return Feedback(True, ex.praise, kind="correct")
        _ATTEMPTS[exercise_id] = _ATTEMPTS.get(exercise_id, 0) + 1
        n = _ATTEMPTS[exercise_id]
        if isinstance(result, Slip):
            return Feedback(False, f"Looks like a common slip: {result.name}. {result.message}",
                            kind="slip", slip=result.name, tier=min(n, 2))
        if isinstance(result, Tiered):
            if n <= 1:
                return Feedback(False, f"Hint: {result.nudge}", kind="hint", tier=1)
            return Feedback(False, f"Stronger hint: {result.stronger}", kind="hint",
                            tier=2)
        return Feedback(False, f"Hint: {result}", kind="hint", tier=min(n, 2))
    except Exception as exc:  # noqa: BLE001 - last resort: check never raises
        return Feedback(False, f"The checker could not run ({type(exc).__name__}). Please tell "
                               "your instructor; your answer may still be right.", kind="invalid")


def solution(exercise_id: str):
    """The reference answer of an exercise (for instructors and for the tests)."""
    return _get(exercise_id).solution()
