"""Is this fit trustworthy? Warning signs in an optimizer's result, and standard errors.

:func:`diagnose` reads a result (scipy's ``OptimizeResult`` or the course's ``OptimResult``) and
flags three warning signs: the solver says it did not succeed, an estimate sits on (or next to)
one of its bounds, the gradient at the end is not small. It returns a :class:`DiagnosticReport`
with one human-readable line per finding; it never prints. :func:`hessian_standard_errors` turns
the Hessian of a negative log-likelihood at its minimum into standard errors.
Introduced in notebook 03.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from course_utils import _validate as v
from course_utils import derivatives

__all__ = ["Flag", "DiagnosticReport", "diagnose", "hessian_standard_errors", "normalize_bounds"]


@dataclass(frozen=True)
class Flag:
    """One warning sign: ``kind`` is ``"not_converged"``, ``"at_bound"``, ``"large_gradient"``,
    ``"not_minimum"`` (the Hessian given is not positive definite) or ``"not_finite"`` (the loss or
    the Hessian is NaN or infinite at the estimate).

    ``parameter`` is the index of the parameter concerned (None for the run as a whole).
    """

    kind: str
    message: str
    parameter: int | None = None


@dataclass(frozen=True)
class DiagnosticReport:
    """What :func:`diagnose` found.

    Attributes
    ----------
    flags : list of Flag
        The warning signs (empty when none was found).
    lines : list of str
        One sentence per check, for a person to read (``str(report)`` joins them).
    x : numpy.ndarray
        The estimate examined.
    gradient : numpy.ndarray or None
        The gradient at ``x`` (None when it could not be had).
    relative_gradient : float or None
        ``max_i |g_i| max(|x_i|, 1) / max(|f|, 1)``: the gradient's size on the scale of the loss.
    at_bound : list of int
        Indices of the parameters on or next to a bound.
    standard_errors : numpy.ndarray or None
        From the Hessian, when a Hessian was given and no bound is hit.
    """

    flags: list[Flag]
    lines: list[str]
    x: np.ndarray
    gradient: np.ndarray | None = None
    relative_gradient: float | None = None
    at_bound: list[int] = field(default_factory=list)
    standard_errors: np.ndarray | None = None

    @property
    def ok(self) -> bool:
        """True when no warning sign was found."""
        return not self.flags

    @property
    def kinds(self) -> set[str]:
        """The kinds of the flags raised."""
        return {f.kind for f in self.flags}

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)


def normalize_bounds(bounds, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds as two float arrays of length ``p`` (``-inf``/``inf`` where open).

    Accepts a ``scipy.optimize.Bounds`` or a sequence of ``(low, high)`` pairs with None for open.
    Used by :func:`diagnose` (notebook 03).

    Examples
    --------
    >>> normalize_bounds([(None, None), (0.0, None)], 2)
    (array([-inf,   0.]), array([inf, inf]))
    """
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lo = np.broadcast_to(np.asarray(bounds.lb, dtype=float), (p,)).copy()
        hi = np.broadcast_to(np.asarray(bounds.ub, dtype=float), (p,)).copy()
    else:
        try:
            pairs = list(bounds)
        except TypeError as exc:
            raise ValueError(f"bounds must be a scipy Bounds or (low, high) pairs, got {bounds!r}") \
                from exc
        if len(pairs) != p:
            raise ValueError(f"bounds must have {p} (low, high) pairs, got {len(pairs)}")
        lo, hi = np.empty(p), np.empty(p)
        for k, pair in enumerate(pairs):
            try:
                a, b = pair
            except (TypeError, ValueError) as exc:
                raise ValueError(f"bounds[{k}] must be a pair (low, high), got {pair!r}") from exc
            lo[k] = -np.inf if a is None else float(a)
            hi[k] = np.inf if b is None else float(b)
    if np.any(np.isnan(lo)) or np.any(np.isnan(hi)) or np.any(lo > hi):
        raise ValueError(f"bounds must have low <= high and no NaN, got {list(zip(lo, hi, strict=True))}")
    return lo, hi


def _central_gradient(fun: Callable, x: np.ndarray) -> np.ndarray:
    """Central finite differences, each coordinate moved by 1e-6 * max(|x_i|, 1)."""
    return derivatives.finite_difference_gradient(fun, x, h=1e-6, scheme="central")


def _fmt_component(g: float, x: float, scale: float) -> str:
    """A gradient component for a report: "0" when it is rounding noise on the loss's scale."""
    if abs(g) * max(abs(x), 1.0) / scale < 1e-9:
        return "~0"
    return f"{g:.3g}"


def hessian_standard_errors(hessian) -> np.ndarray:
    """Standard errors ``sqrt(diag(H^{-1}))`` from the Hessian of a negative log-likelihood.

    Valid at an interior minimum of an NLL (not a sum of squares, not at a bound): the inverse
    Hessian estimates the covariance of the estimates. Introduced in notebook 03.

    Parameters
    ----------
    hessian : array_like
        Square, symmetric, positive definite.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> hessian_standard_errors([[100.0, 0.0], [0.0, 200.0]]).round(4).tolist()
    [0.1, 0.0707]
    """
    H = v.data_array("hessian", hessian, ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"hessian must be square, got shape {H.shape}")
    H = 0.5 * (H + H.T)
    eig = np.linalg.eigvalsh(H)
    if eig.min() <= 0:
        raise ValueError(f"hessian must be positive definite (a minimum), eigenvalues {eig}")
    return np.sqrt(np.diag(np.linalg.inv(H)))


def diagnose(result, *, fun: Callable | None = None, jac: Callable | None = None, hess=None,
             bounds=None, param_names=None, grad_rtol: float = 1e-3,
             bound_rtol: float = 1e-6) -> DiagnosticReport:
    """Check a fit for three warning signs: not converged, an estimate on a bound, a large gradient.

    Introduced in notebook 03.

    Parameters
    ----------
    result : OptimizeResult or OptimResult
        Needs ``x``; uses ``success``, ``message``, ``fun`` and ``jac`` when present.
    fun : callable, optional
        The loss; used for a finite-difference gradient when neither ``jac`` nor ``result.jac``
        is available (Nelder-Mead, Powell).
    jac : callable, optional
        The gradient of the loss (``loss.grad``): preferred over ``result.jac``. It must return
        one value per parameter (a ValueError naming jac otherwise).
    hess : callable or array_like, optional
        The Hessian of a negative log-likelihood (``loss.hess``) or its value at ``x``, shape
        ``(p, p)`` (a ValueError naming hess otherwise): gives standard errors when no estimate is
        on a bound and it is finite.
    bounds : scipy Bounds or sequence of (low, high), optional
        The bounds the fit used.
    param_names : sequence of str, optional
        Names for the report (default ``x[0]``, ``x[1]``, ...).
    grad_rtol : float
        Flag the gradient when ``max_i |g_i| max(|x_i|, 1) / max(|f|, 1)`` exceeds this.
    bound_rtol : float
        An estimate within ``bound_rtol * max(|bound|, 1)`` of a bound counts as on it.

    Returns
    -------
    DiagnosticReport
        ``flags`` (empty when all is well), ``lines`` to read, and the numbers behind them.

    Examples
    --------
    >>> import scipy.optimize
    >>> res = scipy.optimize.minimize(lambda t: (t[0] - 2.0) ** 2, [0.0], method="L-BFGS-B",
    ...                               bounds=[(0.0, 1.0)])
    >>> report = diagnose(res, bounds=[(0.0, 1.0)], param_names=["a"])
    >>> sorted(report.kinds)
    ['at_bound', 'large_gradient']
    """
    x = v.vector("result.x", np.asarray(result["x"] if "x" in result else result.x, dtype=float))
    p = x.size
    names = [f"x[{i}]" for i in range(p)] if param_names is None else [str(s) for s in param_names]
    if len(names) != p:
        raise ValueError(f"param_names must have {p} entries, got {len(names)}")
    grad_rtol = v.positive("grad_rtol", grad_rtol)
    bound_rtol = v.nonnegative("bound_rtol", bound_rtol)
    H = _hessian_at(hess, x)
    lo, hi = normalize_bounds(bounds, p) if bounds is not None else (None, None)
    found = _Findings()
    _check_success(result, found)
    f, g = _loss_and_gradient(result, x, fun, jac, found)
    at_bound = [] if lo is None else _check_bounds(x, g, lo, hi, bound_rtol, names, found)
    rel = _check_gradient(x, f, g, grad_rtol, at_bound, found)
    se = None if H is None else _standard_errors(H, at_bound, names, found)
    return DiagnosticReport(flags=found.flags, lines=found.lines, x=x, gradient=g,
                            relative_gradient=rel, at_bound=at_bound, standard_errors=se)


class _Findings:
    """The flags and the lines of a report, as the steps of :func:`diagnose` add them."""

    def __init__(self):
        self.flags: list[Flag] = []
        self.lines: list[str] = []

    def ok(self, text: str) -> None:
        self.lines.append("OK   " + text)

    def note(self, text: str) -> None:
        self.lines.append("--   " + text)

    def flag(self, kind: str, text: str, parameter: int | None = None) -> None:
        self.flags.append(Flag(kind, text, parameter))
        self.lines.append("FLAG " + text)


def _hessian_at(hess, x: np.ndarray) -> np.ndarray | None:
    """The Hessian's value at ``x`` (``hess`` a callable or an array), checked to be (p, p)."""
    if hess is None:
        return None
    with np.errstate(all="ignore"):
        H = hess(x) if callable(hess) else hess
    try:
        H = np.asarray(H, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"hess must give a numeric (p, p) matrix, got {H!r}") from exc
    if H.shape != (x.size, x.size):
        raise ValueError(f"hess must be a ({x.size}, {x.size}) matrix for {x.size} parameters, "
                         f"got shape {H.shape}")
    return H


def _check_success(result, found: _Findings) -> None:
    """Step 1: did the solver say it succeeded?"""
    message = str(result.get("message", "")).strip()
    if bool(result.get("success", True)):
        found.ok(f"the solver reports success ({message})." if message
                 else "the solver reports success.")
    else:
        found.flag("not_converged",
                   f"the solver did NOT succeed: {message.rstrip('.')}. Do not use these estimates "
                   "before finding out why (more iterations? a better start? a rescaled problem?)")


def _loss_and_gradient(result, x, fun, jac, found: _Findings):
    """Step 2: the loss and its gradient at ``x`` (``jac``, else the result's, else differences)."""
    p = x.size
    with np.errstate(all="ignore"):
        f = result.get("fun", None)
        if f is None and fun is not None:
            f = fun(x)
        g = None
        if jac is not None:
            g = np.asarray(jac(x), dtype=float)
            if g.shape != (p,):
                raise ValueError(f"jac must return {p} values (one per parameter), got shape "
                                 f"{g.shape}")
        elif result.get("jac", None) is not None and np.size(result["jac"]) == p:
            g = np.asarray(result["jac"], dtype=float).reshape(p)
        elif fun is not None:
            g = _central_gradient(fun, x)
    if f is not None:
        f = float(np.asarray(f, dtype=float))
        if not np.isfinite(f):
            found.flag("not_finite", f"the loss is not finite at the estimate ({f}).")
    return f, g


def _check_bounds(x, g, lo, hi, bound_rtol, names, found: _Findings) -> list[int]:
    """Step 3: estimates on a bound, and whether the loss still falls beyond it."""
    at_bound: list[int] = []
    for i in range(x.size):
        for side, b in (("lower", lo[i]), ("upper", hi[i])):
            if not (np.isfinite(b) and abs(x[i] - b) <= bound_rtol * max(abs(b), 1.0)):
                continue
            at_bound.append(i)
            text = f"{names[i]} = {x[i]:.6g} sits on its {side} bound {b:.6g}"
            if g is not None and np.isfinite(g[i]):
                # beyond a lower bound is a step down: the loss falls there when g > 0
                falls_beyond = g[i] > 0 if side == "lower" else g[i] < 0
                if falls_beyond:
                    text += (f"; the loss still falls beyond it (gradient {g[i]:.3g}): the data "
                             "prefer a value outside the bounds. The bound, not the data, set "
                             "this estimate")
                else:
                    text += f" (gradient {g[i]:.3g}: the loss rises beyond it)"
            found.flag("at_bound", text + ".", i)
    if not at_bound:
        found.ok("no estimate is on a bound.")
    return at_bound


def _check_gradient(x, f, g, grad_rtol, at_bound, found: _Findings) -> float | None:
    """Step 4: the size of the gradient on the scale of the loss."""
    if g is None:
        found.note("no gradient available (pass fun or jac to check it).")
        return None
    if not np.all(np.isfinite(g)):
        found.flag("large_gradient", "the gradient is not finite at the estimate.")
        return None
    scale = max(abs(f), 1.0) if f is not None and np.isfinite(f) else 1.0
    rel = float(np.max(np.abs(g) * np.maximum(np.abs(x), 1.0)) / scale)
    gtxt = ", ".join(_fmt_component(g[i], x[i], scale) for i in range(x.size))
    if rel > grad_rtol:
        text = f"the gradient ({gtxt}) is large for a minimum: relative size {rel:.2g} > {grad_rtol:g}"
        if at_bound:
            text += " (expected when a bound stops the search)"
        found.flag("large_gradient", text + ".")
    else:
        found.ok(f"the gradient is small: relative size below {grad_rtol:g}.")
    return rel


def _standard_errors(H, at_bound, names, found: _Findings) -> np.ndarray | None:
    """Step 5: standard errors from the Hessian, where they mean something."""
    if at_bound:
        found.note("no standard errors: on a bound the Hessian does not describe the uncertainty.")
        return None
    if not np.all(np.isfinite(H)):
        found.flag("not_finite", "the Hessian is not finite at the estimate: no standard errors.")
        return None
    try:
        se = hessian_standard_errors(H)
    except ValueError:
        found.flag("not_minimum", "the Hessian is not positive definite here: not a minimum.")
        return None
    found.note("standard errors from the Hessian: "
               + ", ".join(f"{names[i]} {se[i]:.3g}" for i in range(len(se))) + ".")
    return se
