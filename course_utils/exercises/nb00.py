"""Exercises of notebook 00 (start here).

The reference solutions are the ``solution_*`` functions, written as a student would; the
checkers compute what they compare with from the constants below, so no answer is in the notebook.
"""

from __future__ import annotations

import numpy as np

from course_utils import models
from course_utils.exercises import (
    Slip,
    Tiered,
    as_number,
    as_vector,
    call_student,
    close,
    is_rounded,
    register,
)

#: The quadratic of notebook 00's widget: ``models.make_quadratic(QUAD_A, QUAD_B)``.
QUAD_A = [[3.0, 1.0], [1.0, 2.0]]
QUAD_B = [1.0, 1.0]
#: "00.minimum" asks for the bottom of a second bowl, not shown in any figure or widget.
BOWL2_A = [[4.0, 1.0], [1.0, 3.0]]
BOWL2_B = [1.0, 2.0]
#: The point where "00.loss_value" evaluates the quadratic.
LOSS_AT = [1.0, 2.0]


def _q(theta, A=QUAD_A, b=QUAD_B) -> float:
    t, A, b = np.asarray(theta, dtype=float), np.asarray(A, dtype=float), np.asarray(b, float)
    return float(0.5 * t @ A @ t - b @ t)


# ---------------------------------------------------------------- 00.warmup

def solution_warmup():
    return 2 + 2


@register("00.warmup", solution=solution_warmup, wrong=lambda: 22,
          praise="2 + 2 is 4: the checker works.",
          question="A demonstration: pass 2 + 2 to the checker.")
def _warmup(answer):
    if as_number(answer) == 4:
        return None
    return Tiered("Pass the value of 2 + 2 to the checker.",
                  "Type the sum itself as the answer: check(\"00.warmup\", 2 + 2).")


# ---------------------------------------------------------------- 00.loss_value

def solution_loss_value():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, 1.0])
    q = models.make_quadratic(A, b)
    return q(np.array([1.0, 2.0]))


def _loss_value() -> float:
    return _q(LOSS_AT)


def _quad_part(theta) -> float:
    t = np.asarray(theta, dtype=float)
    return float(0.5 * t @ np.asarray(QUAD_A) @ t)


def _lin_part(theta) -> float:
    return float(np.asarray(QUAD_B) @ np.asarray(theta, dtype=float))


@register("00.loss_value", solution=solution_loss_value, wrong=lambda: 1.0,
          slips={"forgot the linear term": lambda: _quad_part(LOSS_AT),
                 "forgot the factor 1/2": lambda: 2 * _quad_part(LOSS_AT) - _lin_part(LOSS_AT),
                 "a sign": lambda: _quad_part(LOSS_AT) + _lin_part(LOSS_AT),
                 "swapped order": lambda: _q(LOSS_AT[::-1])},
          praise="A loss is a function: call it with a parameter vector, get a number.",
          question="The value of the loss q of section 4 at theta = (1, 2).")
def _loss_value_checker(answer):
    a = as_number(answer)
    ref = _loss_value()
    if close(a, ref, rtol=1e-9):
        return None
    t = LOSS_AT
    if close(a, _quad_part(t)):
        return Slip("forgot the linear term", "That is only the bowl part 0.5 theta^T A theta. "
                    "The loss also has the term - b^T theta.")
    if close(a, 2 * _quad_part(t) - _lin_part(t)):
        return Slip("forgot the factor 1/2", "The bowl part of the loss has a factor 0.5 in front "
                    "of theta^T A theta.")
    if close(a, _quad_part(t) + _lin_part(t)):
        return Slip("a sign", "The loss subtracts b^T theta; your value adds it.")
    if close(a, _q(t[::-1])):
        return Slip("swapped order", "That is the loss at the point with its two coordinates "
                    "swapped: theta_1 comes first, theta_2 second.")
    if is_rounded(a, ref):
        return Slip("rounding", "Close, but not exact: pass the computed value itself, "
                    "not a rounded number.")
    return Tiered("q is a Python function: give it a parameter vector and it returns the loss.",
                  "Make the point a NumPy array (np.array with the two coordinates), then call q "
                  "with it, as the widget does at every step.")


# ---------------------------------------------------------------- 00.minimum

def solution_minimum():
    A2 = np.array([[4.0, 1.0], [1.0, 3.0]])
    b2 = np.array([1.0, 2.0])
    return np.linalg.solve(A2, b2)  # the gradient A2 theta - b2 is zero here


def _minimum() -> np.ndarray:
    return np.linalg.solve(np.array(BOWL2_A), np.array(BOWL2_B))


@register("00.minimum", solution=solution_minimum, wrong=lambda: np.array([0.5, -0.5]),
          slips={"swapped order": lambda: _minimum()[::-1],
                 "a sign": lambda: -_minimum(),
                 "the vector b": lambda: np.array(BOWL2_B),
                 "multiplied instead of solved": lambda: np.array(BOWL2_A) @ np.array(BOWL2_B),
                 "the wrong bowl": lambda: np.linalg.solve(np.array(QUAD_A), np.array(QUAD_B)),
                 "rounding": lambda: np.round(_minimum(), 2)},
          praise="The bottom of a bowl is where the gradient A theta - b is zero: a linear "
                 "system, solved exactly.",
          question="The exact bottom (theta_1, theta_2) of the second bowl "
                   "q2(theta) = 0.5 theta^T A2 theta - b2^T theta, A2 = [[4, 1], [1, 3]], "
                   "b2 = (1, 2).")
def _minimum_checker(answer):
    a = as_vector(answer, 2, "the point as two numbers (theta_1, theta_2)")
    ref = _minimum()
    A2, b2 = np.array(BOWL2_A), np.array(BOWL2_B)
    if close(a, ref, rtol=1e-6):
        return None
    if close(a, ref[::-1]):
        return Slip("swapped order", "The right numbers in the wrong order: theta_1 first, "
                    "then theta_2.")
    if close(a, -ref):
        return Slip("a sign", "Both signs are flipped. At the bottom A2 theta - b2 = 0, "
                    "so A2 theta = b2 (not -b2).")
    if close(a, b2):
        return Slip("the vector b", "That is b2 itself. The bottom is the theta with "
                    "A2 theta = b2.")
    if close(a, A2 @ b2):
        return Slip("multiplied instead of solved", "That is A2 times b2. You need the theta "
                    "that A2 maps onto b2: solve the system, do not multiply.")
    if close(a, np.linalg.solve(np.array(QUAD_A), np.array(QUAD_B))):
        return Slip("the wrong bowl", "That is the bottom of the widget's bowl q. This exercise "
                    "is about the second bowl q2, with A2 and b2.")
    if is_rounded(a, ref, rtol=2e-2):
        return Slip("rounding", "Close, but rounded: compute the point exactly from A2 and b2 "
                    "and pass the computed array itself.")
    return Tiered("At the bottom of a bowl the slope is zero in every direction. What is the "
                  "gradient of q2, and where is it zero?",
                  "The gradient A2 theta - b2 is zero at the bottom: a system of two linear "
                  "equations in theta. NumPy's linalg module solves such systems.")


# ---------------------------------------------------------------- 00.quadratic (write a function)

#: Hidden cases of "00.quadratic": (theta, A, b), none of them the notebook's.
QUADRATIC_CASES = [
    ([0.5, -1.0], [[2.0, 0.5], [0.5, 1.0]], [1.0, -2.0]),
    ([3.0, 2.0], [[1.0, 0.0], [0.0, 5.0]], [0.5, 0.25]),
    ([-1.0, 4.0, 2.0], [[2.0, 0.0, 1.0], [0.0, 3.0, 0.0], [1.0, 0.0, 4.0]], [1.0, 1.0, -1.0]),
]


def solution_quadratic():
    def my_quadratic(theta, A, b):
        return 0.5 * theta @ A @ theta - b @ theta

    return my_quadratic


def _variants(theta, A, b) -> dict:
    quad = 0.5 * theta @ A @ theta
    return {"forgot the factor 1/2": 2 * quad - b @ theta,
            "forgot the linear term": quad,
            "a sign": quad + b @ theta}


def _student_value(f, theta, A, b):
    out = call_student(f, theta.copy(), A.copy(), b.copy())
    arr = np.asarray(out, dtype=float) if not callable(out) else None
    if arr is None or arr.size != 1:
        if arr is not None and arr.shape == theta.shape and close(arr, A @ theta - b):
            raise _Gradient
        size = "a function" if arr is None else f"{arr.size} numbers"
        raise _NotOneNumber(size)
    return float(arr.reshape(()))


class _Gradient(Exception):
    """The student's function returned the gradient A theta - b."""


class _NotOneNumber(Exception):
    """The student's function returned something other than one number."""


@register("00.quadratic", solution=solution_quadratic,
          wrong=lambda: (lambda theta, A, b: float(np.sum(theta))),
          slips={"forgot the factor 1/2":
                 lambda: (lambda theta, A, b: theta @ A @ theta - b @ theta),
                 "forgot the linear term": lambda: (lambda theta, A, b: 0.5 * theta @ A @ theta),
                 "a sign": lambda: (lambda theta, A, b: 0.5 * theta @ A @ theta + b @ theta),
                 "the gradient": lambda: (lambda theta, A, b: A @ theta - b),
                 "the notebook's q": lambda: (lambda theta, A, b: _q(theta))},
          praise="Your function computes the quadratic loss for any A, b and theta, in any "
                 "number of dimensions.",
          question="Write my_quadratic(theta, A, b) that returns 0.5 theta^T A theta - b^T theta "
                   "(with @, without calling q); the checker calls it on hidden cases.")
def _quadratic(answer):
    for theta, A, b in QUADRATIC_CASES:
        theta, A, b = np.array(theta), np.array(A), np.array(b)
        try:
            got = _student_value(answer, theta, A, b)
        except _Gradient:
            return Slip("the gradient", "Your function returns A theta - b, the gradient (a "
                        "vector). The loss is one number.")
        except _NotOneNumber as exc:
            return Tiered(f"Your function returns {exc}; a loss is one number.",
                          "theta @ A @ theta is one number; so is b @ theta. Combine them.")
        if not np.isfinite(got):
            return Tiered("Your function returns NaN or inf on one of the checker's cases.",
                          "Use only products and sums of theta, A and b: nothing can overflow.")
        want = 0.5 * theta @ A @ theta - b @ theta
        if close(got, want, rtol=1e-9):
            continue
        for name, value in _variants(theta, A, b).items():
            if close(got, value, rtol=1e-9):
                message = {"forgot the factor 1/2": "The bowl part has a factor 0.5 in front of "
                                                    "theta^T A theta.",
                           "forgot the linear term": "The loss also has the term - b^T theta.",
                           "a sign": "The loss subtracts b^T theta; your function adds it."}
                return Slip(name, message[name])
        if theta.size == 2 and close(got, _q(theta)):
            return Slip("the notebook's q", "Your function ignores A and b: it must use the A "
                        "and b it is given, not the notebook's.")
        return Tiered("Your function gives a different number on one of the checker's cases. "
                      "Test it: does my_quadratic(theta, A, b) equal q(theta) for the "
                      "notebook's A and b?",
                      "In NumPy, theta @ A @ theta is theta^T A theta and b @ theta is b^T theta. "
                      "Write the formula with these two pieces.")
    return None
