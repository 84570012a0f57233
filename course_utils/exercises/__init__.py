"""Exercise checkers: each says "correct" to a right answer and gives a hint to a wrong one.

``check(exercise_id, answer)`` looks the exercise up and returns a :class:`Feedback` whose text is
what the student sees (``print`` it, or let the notebook display it). Exercises are registered by
the per-notebook modules (``nb01``, ``nb02``, ...) with :func:`register`; their reference answers
live there too, apart from the notebooks, so an instructor can hand out notebooks without
solutions. ``solution(exercise_id)`` returns the reference answer.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "Exercise", "register", "check", "solution", "exercise_ids", "as_number"]


@dataclass(frozen=True)
class Feedback:
    """What a checker says: whether the answer is right, and a message (a hint when it is not)."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return ("✅ Correct! " if self.correct else "❌ Not yet. ") + self.message

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.correct


@dataclass(frozen=True)
class Exercise:
    """One exercise: an id like ``"01.mle_sd"``, a checker and its reference answer.

    ``checker(answer)`` returns ``None`` when the answer is right, or a hint (str) when it is not;
    ``solution()`` returns the reference answer and ``wrong()`` a typical wrong one (callables,
    so that they may compute it); the tests check that the first passes and the second does not.
    """

    id: str
    checker: Callable
    solution: Callable
    wrong: Callable
    praise: str = "That matches the reference answer."


_REGISTRY: dict[str, Exercise] = {}


def as_number(answer) -> float:
    """A checker's view of an answer that should be one number (a float, a 0-d or 1-element array).

    Anything else raises ValueError, which :func:`check` turns into feedback about the answer's shape.
    """
    arr = np.asarray(answer, dtype=float)
    if arr.size != 1:
        raise ValueError(f"expected one number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def register(exercise_id: str, *, solution: Callable, wrong: Callable,
             praise: str = "That matches the reference answer."):
    """Decorator: register ``checker(answer) -> None | hint`` under ``exercise_id``.

    ``solution()`` gives the reference answer, ``wrong()`` a typical mistake (for the tests).
    """

    def wrap(checker: Callable) -> Callable:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise_id {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, checker, solution, wrong, praise)
        return checker

    return wrap


def _load_all() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{mod.name}")


def exercise_ids() -> list[str]:
    """Every registered exercise id, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def _get(exercise_id: str) -> Exercise:
    _load_all()
    if exercise_id not in _REGISTRY:
        raise ValueError(f"exercise_id must be one of {sorted(_REGISTRY)}, got {exercise_id!r}")
    return _REGISTRY[exercise_id]


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
        Prints as "✅ Correct! ..." or "❌ Not yet. <hint>".

    Examples
    --------
    >>> check("00.warmup", 4)
    ✅ Correct! 2 + 2 is 4: the checker works.
    """
    ex = _get(exercise_id)
    try:
        hint = ex.checker(answer)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as exc:
        return Feedback(False, f"The answer could not be checked ({type(exc).__name__}: {exc}). "
                               "Check its type and shape against the question.")
    if hint is None:
        return Feedback(True, ex.praise)
    return Feedback(False, f"Hint: {hint}")


def solution(exercise_id: str):
    """The reference answer of an exercise (for instructors and for the tests)."""
    return _get(exercise_id).solution()
