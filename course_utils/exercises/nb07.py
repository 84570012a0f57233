"""Exercises of notebook 07 (real data).

The checkers fit the shipped data here, with the same pipeline as the notebook, so no answer
appears in the notebook.
"""

from __future__ import annotations

import numpy as np

from course_utils import data, fitting, models, optim
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

# ---------------------------------------------------------------- 07.untreated (compute numbers)


def _mm_fit(name: str):
    d = data.load_dataset(name)
    return fitting.fit_nls(models.michaelis_menten, d.x, d.y, d.starts["start"])


def solution_untreated():
    d = data.load_dataset("Puromycin_untreated")
    fit = fitting.fit_nls(models.michaelis_menten, d.x, d.y, x0=[200.0, 0.1])
    return fit.x  # (Vm, K)


def _untreated_se_mle():
    """Standard errors with SSE / n in place of SSE / (n - p): a slip, not an answer."""
    fit = _mm_fit("Puromycin_untreated")
    n, p = 11, 2
    return fit.se * np.sqrt((n - p) / n)


@register("07.untreated", solution=solution_untreated,
          wrong=lambda: np.array([150.0, 0.05]),
          slips={"swapped order": lambda: solution_untreated()[::-1],
                 "the wrong sample": lambda: _mm_fit("Puromycin").x,
                 "standard errors, not estimates": lambda: _mm_fit("Puromycin_untreated").se,
                 "rounding": lambda: np.array([float(f"{v:.3g}") for v in solution_untreated()])},
          praise="Without Puromycin the enzyme's maximal rate Vm is lower; its K hardly moves "
                 "(compare their standard errors).",
          question="Fit the Michaelis-Menten model to the untreated cells of the Puromycin data "
                   "(data.load_dataset(\"Puromycin_untreated\")) and give (Vm, K) to at least 4 "
                   "significant digits.")
def _untreated(answer):
    a = as_vector(answer, 2, "two numbers (Vm, K)")
    ref = _mm_fit("Puromycin_untreated")
    if close(a, ref.x, rtol=5e-5):
        return None
    if close(a[::-1], ref.x, rtol=5e-5):
        return Slip("swapped order", "The right numbers in the wrong order: give (Vm, K), the "
                                     "maximal rate first.")
    if close(a, _mm_fit("Puromycin").x, rtol=1e-3):
        return Slip("the wrong sample", "Those are the estimates of the treated cells, fitted "
                                        "in the notebook. Load the untreated ones.")
    if close(a, ref.se, rtol=1e-2) or close(a, _untreated_se_mle(), rtol=1e-2):
        return Slip("standard errors, not estimates", "Those look like standard errors. The "
                                                      "exercise asks for the estimates.")
    if is_rounded(a, ref.x, rtol=2e-3):
        return Slip("rounding", "Nearly: give at least 4 significant digits (keep the full "
                                "numbers, do not round them by hand).")
    return Tiered("Load the untreated cells and fit them like the treated ones: the same model, "
                  "the same kind of start.",
                  "fitting.fit_nls(models.michaelis_menten, d.x, d.y, x0=...) with "
                  "d = data.load_dataset(\"Puromycin_untreated\"); the estimates are in .x.")


# ---------------------------------------------------------------- 07.lre (write a function)

#: Hidden cases of "07.lre": (estimate, certified) pairs, none exact, some certified negative.
LRE_CASES = [
    (np.array([1.0001, 2.5e-4 * (1 + 3e-7)]), np.array([1.0, 2.5e-4])),
    (np.array([-0.11560, 212.683]), np.array([-0.1156017, 212.68374])),
    (np.array([1288.1397, 5.2771253 * (1 - 2e-9), 0.7]), np.array([1288.13968, 5.2771253, 0.75])),
    (np.array([3.0, 0.5]), np.array([1.0, 0.5000001])),  # nothing right in the first: LRE < 0
]


def solution_lre():
    def my_lre(estimate, certified):
        estimate, certified = np.asarray(estimate), np.asarray(certified)
        return -np.log10(np.abs(estimate - certified) / np.abs(certified))

    return my_lre


def _lre(e, c):
    return -np.log10(np.abs(e - c) / np.abs(c))


_LRE_SLIPS = {
    "a sign": lambda e, c: np.log10(np.abs(e - c) / np.abs(c)),
    "natural log": lambda e, c: -np.log(np.abs(e - c) / np.abs(c)),
    "absolute error": lambda e, c: -np.log10(np.abs(e - c)),
    "a signed error": lambda e, c: -np.log10(np.abs(e - c) / c),
}


@register("07.lre", solution=solution_lre,
          wrong=lambda: (lambda e, c: np.abs(np.asarray(e) - np.asarray(c))),
          slips={**{name: (lambda f=f: f) for name, f in _LRE_SLIPS.items()},
                 "capped": lambda: fitting.log_relative_error},
          praise="About as many digits as the estimate shares with the certified value: the "
                 "grade of statistical software on NIST StRD.",
          question="Write my_lre(estimate, certified): the log relative error of each entry, "
                   "-log10(|estimate - certified| / |certified|), for arrays (no cap).")
def _lre_checker(answer):
    for est, cert in LRE_CASES:
        with np.errstate(all="ignore"):
            got = np.asarray(call_student(answer, est.copy(), cert.copy(), what="an array"),
                             dtype=float)
        ref = _lre(est, cert)
        if got.shape != ref.shape:
            return Tiered(f"Your function returns shape {got.shape} for {ref.size} estimates: "
                          "give one number per entry, not a summary.",
                          "Work elementwise with NumPy: no loop, no sum, no min.")
        if close(got, ref, rtol=1e-9):
            continue
        if np.any(np.isnan(got)) and np.array_equal(np.isnan(got), cert < 0):
            return Slip("a signed error", "NaN where the certified value is negative: divide "
                                          "by its absolute value.")
        if close(got, np.maximum(ref, 0.0), rtol=1e-9):
            return Slip("capped", "No cap here: when nothing is right the LRE is negative, and "
                                  "the exercise asks for that value.")
        with np.errstate(all="ignore"):
            for name, f in _LRE_SLIPS.items():
                if name != "a signed error" and close(got, f(est, cert), rtol=1e-9):
                    return Slip(name, {
                        "a sign": "Your digits come out negative: the LRE is minus the log of "
                                  "the relative error.",
                        "natural log": "Digits are counted in base 10: use np.log10.",
                        "absolute error": "That is the log of the absolute error: divide by the "
                                          "size of the certified value first.",
                    }[name])
        return Tiered("Your function gives other numbers on one of the checker's cases. Try it "
                      "on an estimate 1.0001 of a certified 1.0: you should get 4 digits.",
                      "Relative error: |estimate - certified| / |certified|; then minus its "
                      "base-10 logarithm.")
    return None


# ---------------------------------------------------------------- 07.t50 (read a plot)

def solution_t50():
    d = data.load_dataset("Challenger")
    nll = fitting.make_binomial_logistic_nll(d.x, d.y, d.info["at_risk"])
    mle = optim.newton(nll, x0=[0.0, 0.0], jac=nll.grad, hess=nll.hess, tol=1e-10)
    alpha, beta = mle.x
    return -alpha / beta  # p = 1/2 where the log-odds alpha + beta t are 0


def _binary_t50():
    ref = data.load_dataset("Challenger").info["reference_fits"]["binary_logistic"]
    return -ref["alpha"] / ref["beta"]


@register("07.t50", solution=solution_t50, wrong=lambda: 31.0,
          slips={"a sign": lambda: -solution_t50(),
                 "Celsius": lambda: (solution_t50() - 32.0) * 5.0 / 9.0,
                 "the other model": _binary_t50},
          exact=False,
          praise="Below about that temperature the model gives each O-ring a better than even "
                 "chance of distress: every flight before 1986 was warmer.",
          question="Read off the Challenger figure (or compute from the estimates): at what "
                   "launch temperature, in F, is the fitted probability that one O-ring is "
                   "distressed exactly 1/2? Within 1.5 F is fine.")
def _t50(answer):
    a = as_number(answer, "one temperature in F")
    ref = solution_t50()
    if abs(a - ref) <= 1.5:
        return None
    if abs(a + ref) <= 1.5:
        return Slip("a sign", "A temperature below -40 F? Check the sign: the probability is "
                              "1/2 where alpha + beta * t = 0.")
    if abs(a - (ref - 32.0) * 5.0 / 9.0) <= 1.0:
        return Slip("Celsius", "The data and the figure are in degrees Fahrenheit: give the "
                               "answer in F.")
    if abs(a - _binary_t50()) <= 1.5:
        return Slip("the other model", "That is the 1/2 point of the model for 'any O-ring "
                                       "distressed' on a flight. The exercise asks about one "
                                       "O-ring: the binomial model fitted in the notebook.")
    return Tiered("Find where the fitted curve crosses 1/2 on the figure of section 5.",
                  "The probability is 1/2 where the log-odds alpha + beta * t are 0: solve for t "
                  "with the fitted alpha and beta.")
