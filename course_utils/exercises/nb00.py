"""Exercises of notebook 00 (start here)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import register

#: The quadratic of notebook 00: ``models.make_quadratic(QUAD_A, QUAD_B)``.
QUAD_A = [[3.0, 1.0], [1.0, 2.0]]
QUAD_B = [1.0, 1.0]


@register("00.warmup", solution=lambda: 4, wrong=lambda: 22,
          praise="2 + 2 is 4: the checker works.")
def _warmup(answer):
    if answer != 4:
        return "Type the number 2 + 2 evaluates to, e.g. check(\"00.warmup\", 2 + 2)."
    return None


def _minimum() -> np.ndarray:
    return np.linalg.solve(np.array(QUAD_A), np.array(QUAD_B))


@register("00.minimum", solution=_minimum, wrong=lambda: np.array([0.0, 0.0]),
          praise="The bottom of the landscape is where the gradient A theta - b is zero.")
def _minimum_checker(answer):
    a = np.asarray(answer, dtype=float).ravel()
    if a.shape != (2,):
        return f"Give the point as two numbers (theta_1, theta_2), got shape {a.shape}."
    ref = _minimum()
    if np.allclose(a, ref, rtol=1e-6, atol=1e-9):
        return None
    if np.allclose(a, QUAD_B):
        return "That is b. The minimum solves A theta = b: use np.linalg.solve(A, b)."
    if np.allclose(a, ref, atol=0.05):
        return ("Close: a value read off the figure? Compute it exactly: the gradient "
                "A theta - b is zero at the minimum, so theta = np.linalg.solve(A, b).")
    return ("The gradient of 0.5 theta^T A theta - b^T theta is A theta - b. Set it to zero and "
            "solve for theta with np.linalg.solve(A, b).")


#: The point where "00.loss_value" evaluates the quadratic.
LOSS_AT = [1.0, 2.0]


def _loss_value() -> float:
    t, A, b = np.array(LOSS_AT), np.array(QUAD_A), np.array(QUAD_B)
    return float(0.5 * t @ A @ t - b @ t)


@register("00.loss_value", solution=_loss_value, wrong=lambda: 0.0,
          praise="A loss is a function: call it with a parameter vector, get a number.")
def _loss_value_checker(answer):
    a = np.asarray(answer, dtype=float)
    if a.size != 1:
        return f"Give one number (the loss), got an array of shape {a.shape}."
    a = float(a.reshape(()))
    t, A, b = np.array(LOSS_AT), np.array(QUAD_A), np.array(QUAD_B)
    if np.isclose(a, _loss_value(), rtol=1e-9):
        return None
    if np.isclose(a, t @ A @ t - b @ t):
        return "The factor 0.5 in front of theta^T A theta is missing. Or simply call q(theta)."
    if np.isclose(a, 0.5 * t @ A @ t + b @ t):
        return "Check the sign: the loss subtracts b^T theta. Or simply call q(theta)."
    return "Call the loss with the point as an array: q(np.array([1.0, 2.0]))."
