"""Optimizers of the course and the one result type they all return.

Our optimizers (gradient descent, momentum, RMSprop, Adam, Newton) and scipy's, run through
:func:`minimize_recorded`, return an :class:`OptimResult` with the same fields: scipy's
``OptimizeResult`` ones (``x, fun, jac, nit, nfev, njev, success, status, message``) plus the
recorded ``path``, ``losses`` and ``evaluations``. ``status`` says how the run ended:
:data:`CONVERGED`, :data:`MAX_ITER` (still moving when the steps ran out; ``growing`` says whether
the loss ended above its start), :data:`DIVERGED` (``diverged_at`` names the step), or
:data:`FAILED` (a scipy method gave up). Divergence is a result, never an exception or a flood of
warnings. ``jac`` means what it means in scipy: a callable returning the gradient; by default our
optimizers use the loss's own exact gradient.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import autograd
import numpy as np
import scipy.optimize

from course_utils import _validate as v

__all__ = [
    "OptimResult",
    "CONVERGED",
    "MAX_ITER",
    "DIVERGED",
    "FAILED",
    "gradient_descent",
    "momentum",
    "rmsprop",
    "adam",
    "newton",
    "OPTIMIZERS",
    "Recorder",
    "minimize_recorded",
    "SCIPY_METHODS",
    "SCIPY_LIMIT_STATUS",
    "run_optimizer",
    "learning_rate_sweep",
    "is_growing",
]

CONVERGED, MAX_ITER, DIVERGED, FAILED = 0, 1, 2, 3
_STATE = {CONVERGED: "converged", MAX_ITER: "max_iter", DIVERGED: "diverged", FAILED: "failed"}


class OptimResult(scipy.optimize.OptimizeResult):
    """scipy's ``OptimizeResult`` with the recorded path: one result type for every optimizer.

    Our optimizers and scipy's (through :func:`minimize_recorded`) fill the same fields.
    Introduced in notebook 03 (scipy) and notebook 04 (ours).

    Attributes
    ----------
    x : numpy.ndarray
        The final estimate (the last accepted, finite point for a diverged run).
    fun : float
        The loss at ``x``.
    jac : numpy.ndarray
        The gradient at ``x``.
    nit, nfev, njev : int
        Accepted steps, loss evaluations, gradient evaluations.
    success : bool
        True when the run converged.
    status : int
        ``CONVERGED`` (0), ``MAX_ITER`` (1), ``DIVERGED`` (2) or ``FAILED`` (3).
    message : str
        One sentence for a student.
    path : numpy.ndarray
        The start and every accepted iterate, shape ``(nit + 1, p)``, all finite.
    losses : numpy.ndarray
        The loss at each row of ``path``.
    evaluations : numpy.ndarray
        Every point at which the loss was evaluated, in order, shape ``(nfev, p)`` (a diverged
        run's last row is the step that diverged).
    evaluation_losses : numpy.ndarray
        The loss at each row of ``evaluations``.
    diverged_at : int or None
        The step at which the loss became non-finite or exploded (0: at the start).
    growing : bool
        The steps ran out while the loss was above its value at the start: the run is heading
        away (a learning rate too large, say), even if it has not blown up yet.
    method : str
        The optimizer's name.
    """

    @property
    def state(self) -> str:
        """``"converged"``, ``"max_iter"``, ``"diverged"`` or ``"failed"``."""
        return _STATE[self.status]


def _exact_value_and_grad(fun: Callable) -> Callable:
    """(loss, gradient) in one call: the loss's own exact derivative, else autograd's."""
    own = getattr(fun, "value_and_grad", None)
    return own if callable(own) else autograd.value_and_grad(fun)


def _exact_grad(fun: Callable) -> Callable:
    """The gradient half of :func:`_exact_value_and_grad` (the model's formula where it has one,
    faster than ``Loss.grad``, which is always autograd's)."""
    both = _exact_value_and_grad(fun)
    return lambda x: both(x)[1]


def _gradient_array(name: str, g, p: int) -> np.ndarray:
    """A gradient as a float vector of length ``p``; a scalar or a wrong length is an error."""
    g = np.asarray(g, dtype=float)
    if g.shape != (p,):
        raise ValueError(f"{name} must return a gradient of shape ({p},), got shape {g.shape}")
    return g


def _value_and_grad(fun: Callable, jac: Callable | None, p: int) -> Callable:
    """One function returning (loss as float, gradient as float vector of length p)."""
    if jac is not None and not callable(jac):
        raise ValueError(f"jac must be a callable returning the gradient, or None, got {jac!r}")
    both = _exact_value_and_grad(fun) if jac is None else (lambda x: (fun(x), jac(x)))

    def value_and_grad(x):
        f, g = both(x)
        return float(f), _gradient_array("jac", g, p)

    return value_and_grad


def _check_common(x0, lr, max_iter, tol) -> tuple[np.ndarray, float, int, float]:
    x0 = v.vector("x0", x0)
    lr = v.positive("lr", lr)
    max_iter = v.integer("max_iter", max_iter, minimum=1)
    tol = v.nonnegative("tol", tol)
    return x0, lr, max_iter, tol


def _descend(fun, x0, *, jac, lr, max_iter, tol, blowup, callback, rule, method) -> OptimResult:
    """The loop shared by our methods: ``rule(x, g, k)`` returns the step to add at step k.

    A step is accepted when the new point, its loss and its gradient are finite and the loss stays
    below ``|f0| + blowup * (1 + |f0|)``; otherwise the run has diverged at that step.
    """
    value_and_grad = _value_and_grad(fun, jac, x0.size)
    blowup = v.positive("blowup", blowup)
    x = x0.astype(float).copy()
    evaluations, evaluation_losses = [x.copy()], []
    with np.errstate(all="ignore"):
        f, g = value_and_grad(x)
        evaluation_losses.append(f)
        path, losses = [x.copy()], [f]
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return _result(path, losses, g, evaluations, evaluation_losses, DIVERGED, method,
                           diverged_at=0, message=_start_message(x0, f))
        limit = abs(f) + blowup * (1.0 + abs(f))
        status, diverged_at = MAX_ITER, None
        for k in range(1, max_iter + 1):
            if np.linalg.norm(g) <= tol:
                status = CONVERGED
                break
            x_new = x + rule(x, g, k)
            f_new, g_new = value_and_grad(x_new)
            evaluations.append(x_new.copy())
            evaluation_losses.append(f_new)
            finite = np.all(np.isfinite(x_new)) and np.isfinite(f_new) and np.all(np.isfinite(g_new))
            if not finite or f_new > limit:
                status, diverged_at = DIVERGED, k
                break
            x, f, g = x_new, f_new, g_new
            path.append(x.copy())
            losses.append(f)
            if callback is not None:
                callback(x.copy())
        else:
            if np.linalg.norm(g) <= tol:
                status = CONVERGED
    return _result(path, losses, g, evaluations, evaluation_losses, status, method,
                   diverged_at=diverged_at, lr=lr)


def _start_message(x0, f) -> str:
    point = ", ".join(f"{t:.4g}" for t in np.asarray(x0, dtype=float))
    return (f"Diverged at step 0: the loss is {f} at the start x0 = ({point}). Start where the "
            "loss is finite (a standard deviation > 0, say).")


def is_growing(losses) -> bool:
    """True when the last loss is above the first: a run heading away from the minimum.

    Used for runs that ran out of steps (notebook 04): the loss may swing up and down on the way
    (momentum does), so only where the run ended, against where it started, counts.

    Examples
    --------
    >>> is_growing([1.0, 0.5, 0.7, 0.9]), is_growing([1.0, 3.0, 2.0, 1.5])
    (False, True)
    """
    losses = np.asarray(losses, dtype=float)
    return bool(losses.size > 1 and np.isfinite(losses[-1]) and losses[-1] > losses[0])


def _result(path, losses, g, evaluations, evaluation_losses, status, method, *,
            diverged_at=None, message=None, lr=None, njev=None):
    path = np.asarray(path, dtype=float)
    losses = np.asarray(losses, dtype=float)
    nit = len(path) - 1
    growing = status == MAX_ITER and is_growing(losses)
    if message is None:
        if status == CONVERGED:
            message = f"Converged: gradient norm below tolerance after {nit} steps."
        elif status == DIVERGED:
            message = (f"Diverged at step {diverged_at}: the loss became non-finite or exploded"
                       + (f" (learning rate {lr:g} is too large?)." if lr is not None else "."))
        elif growing:
            message = (f"Loss growing: after {nit} steps it is above its start "
                       "(learning rate too large?).")
        else:
            message = f"Still moving: the gradient norm is {np.linalg.norm(g):.3g} after {nit} steps."
    nfev = len(evaluation_losses)
    return OptimResult(
        x=path[-1].copy(), fun=float(losses[-1]), jac=np.asarray(g, dtype=float), nit=nit,
        nfev=nfev, njev=nfev if njev is None else njev, success=status == CONVERGED,
        status=status, message=message, path=path, losses=losses,
        evaluations=np.asarray(evaluations, dtype=float).reshape(nfev, -1),
        evaluation_losses=np.asarray(evaluation_losses, dtype=float),
        diverged_at=diverged_at, growing=growing, method=method,
    )


_COMMON_DOC = """
    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``, written with ``autograd.numpy`` unless ``jac`` is given.
    x0 : array_like
        Start point, finite.
    jac : callable, optional
        ``jac(x) -> gradient`` (as in scipy). Default: the loss's own exact gradient
        (``fun.value_and_grad`` of a :class:`course_utils.models.Loss`), else autograd's.
    lr : float
        Learning rate (step size), > 0 (not used by :func:`newton`).
    max_iter : int
        Maximum number of steps, >= 1.
    tol : float
        Stop when the gradient norm is at most ``tol``.
    blowup : float
        Report divergence when the loss exceeds ``|f0| + blowup * (1 + |f0|)``.
    callback : callable, optional
        Called as ``callback(x)`` after each accepted step.

    Returns
    -------
    OptimResult
        ``status`` is CONVERGED, MAX_ITER (``growing`` says whether the loss ended above its
        start) or DIVERGED (with ``diverged_at``); ``path`` holds the start and every accepted
        iterate, ``nit + 1`` rows.
"""


def gradient_descent(fun, x0, *, jac=None, lr=0.1, max_iter=1000, tol=1e-6, blowup=1e6,
                     callback=None) -> OptimResult:
    """Plain gradient descent: ``x <- x - lr * grad f(x)``.

    On a quadratic with largest Hessian eigenvalue ``L`` it converges for ``lr < 2 / L`` and
    diverges above. Introduced in notebook 04.
    {common}
    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.diag([1.0, 4.0]), [1.0, 4.0])
    >>> res = gradient_descent(q, [0.0, 0.0], lr=0.2, max_iter=500, tol=1e-10)
    >>> res.state, res.x.round(6).tolist()
    ('converged', [1.0, 1.0])
    """
    x0, lr, max_iter, tol = _check_common(x0, lr, max_iter, tol)
    return _descend(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=lambda x, g, k: -lr * g, method="gradient descent")


def momentum(fun, x0, *, jac=None, lr=0.1, beta=0.9, max_iter=1000, tol=1e-6, blowup=1e6,
             callback=None) -> OptimResult:
    """Gradient descent with (heavy-ball) momentum: ``v <- beta v - lr g``, ``x <- x + v``.

    ``beta`` in [0, 1) is the fraction of the previous step kept; ``beta = 0`` is plain descent.
    Introduced in notebook 06.
    {common}
    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.diag([1.0, 50.0]))
    >>> momentum(q, [1.0, 1.0], lr=0.01, max_iter=2000, tol=1e-8).state
    'converged'
    """
    x0, lr, max_iter, tol = _check_common(x0, lr, max_iter, tol)
    beta = v.unit_interval("beta", beta)
    vel = np.zeros_like(x0)

    def rule(x, g, k):
        nonlocal vel
        vel = beta * vel - lr * g
        return vel

    return _descend(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=rule, method="momentum")


def rmsprop(fun, x0, *, jac=None, lr=0.01, rho=0.9, eps=1e-8, max_iter=1000, tol=1e-6,
            blowup=1e6, callback=None) -> OptimResult:
    """RMSprop: each coordinate's step is divided by a running root-mean-square of its gradient.

    ``s <- rho s + (1 - rho) g^2``, ``x <- x - lr g / (sqrt(s) + eps)``: steps have size about
    ``lr`` in every direction, whatever the scale of the parameter. Introduced in notebook 06.
    {common}
    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.diag([1.0, 100.0]))
    >>> bool(np.abs(rmsprop(q, [1.0, 1.0], lr=0.01, max_iter=2000).x).max() < 0.05)
    True
    """
    x0, lr, max_iter, tol = _check_common(x0, lr, max_iter, tol)
    rho = v.unit_interval("rho", rho)
    eps = v.positive("eps", eps)
    s = np.zeros_like(x0)

    def rule(x, g, k):
        nonlocal s
        s = rho * s + (1.0 - rho) * g**2
        return -lr * g / (np.sqrt(s) + eps)

    return _descend(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=rule, method="RMSprop")


def adam(fun, x0, *, jac=None, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, max_iter=1000,
         tol=1e-6, blowup=1e6, callback=None) -> OptimResult:
    """Adam: momentum on the gradient and RMSprop scaling, both bias-corrected.

    ``m <- b1 m + (1-b1) g``, ``s <- b2 s + (1-b2) g^2``,
    ``x <- x - lr m_hat / (sqrt(s_hat) + eps)``. Introduced in notebook 06.
    {common}
    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.diag([1.0, 100.0]))
    >>> bool(np.abs(adam(q, [1.0, 1.0], lr=0.05, max_iter=3000).x).max() < 0.01)
    True
    """
    x0, lr, max_iter, tol = _check_common(x0, lr, max_iter, tol)
    beta1 = v.unit_interval("beta1", beta1)
    beta2 = v.unit_interval("beta2", beta2)
    eps = v.positive("eps", eps)
    m = np.zeros_like(x0)
    s = np.zeros_like(x0)

    def rule(x, g, k):
        nonlocal m, s
        m = beta1 * m + (1.0 - beta1) * g
        s = beta2 * s + (1.0 - beta2) * g**2
        m_hat = m / (1.0 - beta1**k)
        s_hat = s / (1.0 - beta2**k)
        return -lr * m_hat / (np.sqrt(s_hat) + eps)

    return _descend(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=rule, method="Adam")


def newton(fun, x0, *, jac=None, hess=None, max_iter=100, tol=1e-8, blowup=1e6,
           callback=None) -> OptimResult:
    """Newton's method: ``x <- x - H(x)^{-1} grad f(x)``, a full step, no line search.

    Near a minimum with a positive definite Hessian it converges quadratically; far from one (an
    indefinite Hessian) a step may go uphill or far away, and the run may diverge: the result
    says so. Introduced in notebook 04.
    {common}
    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.diag([1.0, 100.0]), [1.0, 100.0])
    >>> res = newton(q, [5.0, -3.0])
    >>> res.state, res.nit, res.x.round(12).tolist()
    ('converged', 1, [1.0, 1.0])
    """
    x0, _, max_iter, tol = _check_common(x0, 1.0, max_iter, tol)
    if hess is not None and not callable(hess):
        raise ValueError(f"hess must be a callable returning the Hessian, or None, got {hess!r}")
    hessian = (getattr(fun, "hess", None) or autograd.hessian(fun)) if hess is None else hess
    p = x0.size

    def rule(x, g, k):
        H = np.asarray(hessian(x), dtype=float)
        if H.shape != (p, p):
            raise ValueError(f"hess must return a ({p}, {p}) matrix, got shape {H.shape}")
        try:
            return -np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return np.full(p, np.nan)  # a singular Hessian: no Newton step (reported as diverged)

    # no learning rate: a divergence message must not blame one
    return _descend(fun, x0, jac=jac, lr=None, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=rule, method="Newton")


for _f in (gradient_descent, momentum, rmsprop, adam, newton):
    _f.__doc__ = _f.__doc__.replace("{common}", _COMMON_DOC.strip("\n"))

#: Our optimizers by the names the widgets show.
OPTIMIZERS = {
    "gradient descent": gradient_descent,
    "momentum": momentum,
    "RMSprop": rmsprop,
    "Adam": adam,
}



class Recorder:
    """Wraps a loss and records every evaluation: one counter for scipy's solvers and ours.

    Introduced in notebook 03.

    Parameters
    ----------
    fun : callable
        The loss ``fun(x) -> float``.

    Attributes
    ----------
    points : list of numpy.ndarray
        Every point at which ``fun`` was evaluated, in order.
    values : list of float
        The loss at each of them.

    Examples
    --------
    >>> rec = Recorder(lambda x: float(x @ x))
    >>> rec(np.array([1.0, 2.0])), rec.nfev
    (5.0, 1)
    """

    def __init__(self, fun: Callable):
        self.fun = fun
        self.points: list[np.ndarray] = []
        self.values: list[float] = []

    @property
    def nfev(self) -> int:
        """Number of evaluations so far."""
        return len(self.values)

    def __call__(self, x):
        x = np.array(x, dtype=float)
        with np.errstate(all="ignore"):
            value = float(self.fun(x))
        self.points.append(x)
        self.values.append(value)
        return value


#: For each scipy method, its ``status`` codes that mean "an iteration or evaluation limit was
#: reached" (scipy's own numbering differs from method to method; see each method's source).
SCIPY_LIMIT_STATUS = {
    "nelder-mead": {1, 2},  # 1: maxfev, 2: maxiter
    "powell": {1, 2},
    "cg": {1},
    "bfgs": {1},
    "newton-cg": {1},
    "l-bfgs-b": {1},  # maxfun or maxiter
    "tnc": {3},  # MAXFUN
    "cobyla": {3},  # MAXFUN_REACHED
    "slsqp": {9},  # iteration limit
    "trust-constr": {0},  # 0: maxiter (1, 2: converged)
    "dogleg": {1},
    "trust-ncg": {1},
    "trust-krylov": {1},
    "trust-exact": {1},
}


def _scipy_status(method: str, res, f_start: float) -> int:
    """Our status of a scipy run, from scipy's per-method ``status`` code and the loss."""
    if not np.isfinite(float(res.fun)):
        return DIVERGED
    if res.success:
        return CONVERGED
    if int(res.get("status", -1)) in SCIPY_LIMIT_STATUS.get(method.lower(), set()):
        return MAX_ITER
    return FAILED


def _gradient_at(fun, jac, x, res) -> np.ndarray:
    """The gradient at the end of a scipy run: ``jac``'s, scipy's, else the exact one."""
    p = x.size
    with np.errstate(all="ignore"):
        if jac is not None:
            return _gradient_array("jac", jac(x), p)
        if res.get("jac", None) is not None and np.size(res["jac"]) == p:
            return np.asarray(res["jac"], dtype=float).reshape(p)
        try:
            return _gradient_array("jac", _exact_grad(fun)(x), p)
        except Exception:  # noqa: BLE001 - a loss autograd cannot trace: finite differences
            return np.asarray(scipy.optimize.approx_fprime(x, lambda t: float(fun(t))), dtype=float)


def minimize_recorded(fun, x0, *, method="Nelder-Mead", jac=None, hess=None, bounds=None,
                      tol=None, options=None) -> OptimResult:
    """``scipy.optimize.minimize`` with every evaluation recorded, returning an OptimResult.

    ``path`` holds the start and each iterate that scipy reports to its callback (usually
    ``nit + 1`` rows; Nelder-Mead reports one fewer), ``evaluations`` every point at which the
    loss was evaluated (finite-difference probes included); ``nfev`` is scipy's count, which
    equals ``len(evaluations)``. The status comes from scipy's ``status`` code of each method
    (:data:`SCIPY_LIMIT_STATUS`); a loss that is not finite at the start is reported as diverged
    at step 0 without running scipy. Introduced in notebook 03.

    Parameters
    ----------
    fun : callable
        The loss.
    x0 : array_like
        Start point, finite.
    method : str
        Any method of ``scipy.optimize.minimize``.
    jac : callable, optional
        The gradient, exactly as in scipy: pass ``loss.grad`` for the exact one. Default: scipy's
        choice (finite differences for gradient methods).
    hess : callable, optional
        The Hessian, for the methods that use one (Newton-CG, trust-*).
    bounds, tol, options
        Passed to ``scipy.optimize.minimize``.

    Returns
    -------
    OptimResult
        With ``status`` CONVERGED, MAX_ITER (scipy's iteration or evaluation limit), DIVERGED
        (a loss that is not finite at the start or the end) or FAILED, scipy's ``message``, the
        gradient at ``x`` in ``jac``, scipy's own ``status`` in ``scipy_status`` and its result in
        ``scipy_result``.

    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> q = make_quadratic(np.eye(2), [1.0, 2.0])
    >>> res = minimize_recorded(q, [0.0, 0.0], method="BFGS", jac=q.grad)
    >>> res.state, res.x.round(6).tolist(), res.nfev == len(res.evaluations)
    ('converged', [1.0, 2.0], True)
    """
    x0 = v.vector("x0", x0)
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    for name, f in (("jac", jac), ("hess", hess)):
        if f is not None and not callable(f):
            raise ValueError(f"{name} must be a callable (e.g. loss.{name}) or None, got {f!r}")
    rec = Recorder(fun)
    f_start = rec(x0)
    if not np.isfinite(f_start):
        g = np.full(x0.size, np.nan)
        return _result([x0], [f_start], g, rec.points, rec.values, DIVERGED, method,
                       diverged_at=0, message=_start_message(x0, f_start), njev=0)
    rec.points.clear()
    rec.values.clear()
    scipy_jac = None
    if jac is not None:

        def scipy_jac(x):  # evaluated outside the recorder: gradients are counted in njev
            with np.errstate(all="ignore"):
                return np.asarray(jac(np.asarray(x, dtype=float)), dtype=float)

    iterates = [x0.copy()]

    def record(xk, *state):  # classic callback: trust-constr adds a state argument
        iterates.append(np.array(xk, dtype=float))

    with np.errstate(all="ignore"):
        res = scipy.optimize.minimize(rec, x0, method=method, jac=scipy_jac, hess=hess,
                                      bounds=bounds, tol=tol, options=options, callback=record)
        path = np.asarray(iterates)
        losses = np.array([float(fun(p)) for p in path])
    x = np.asarray(res.x, dtype=float)
    status = _scipy_status(method, res, f_start)
    diverged_at = None
    message = str(res.message)
    if status == DIVERGED:
        bad = np.flatnonzero(~np.isfinite(losses))
        diverged_at = int(bad[0]) if bad.size else len(path)
        message = f"Diverged: the loss is {float(res.fun)} at the end. scipy says: {message}"
    return OptimResult(
        x=x, fun=float(res.fun), jac=_gradient_at(fun, jac, x, res),
        nit=int(res.get("nit", len(path) - 1)), nfev=int(res.nfev), njev=int(res.get("njev", 0)),
        success=status == CONVERGED, status=status, message=message, path=path, losses=losses,
        evaluations=np.asarray(rec.points, dtype=float).reshape(len(rec.points), x0.size),
        evaluation_losses=np.asarray(rec.values), diverged_at=diverged_at,
        growing=status == MAX_ITER and is_growing(losses), method=method,
        scipy_status=res.get("status", None), scipy_result=res,
    )


#: scipy methods the explorers offer: no Hessian or constraints needed; ``maxiter`` caps steps.
SCIPY_METHODS = ("Nelder-Mead", "Powell", "CG", "BFGS", "L-BFGS-B")
_GRADIENT_METHODS = ("CG", "BFGS", "L-BFGS-B")


def run_optimizer(fun, x0, *, optimizer="gradient descent", lr=0.1, max_iter=50, tol=1e-6,
                  jac=None, bounds=None) -> OptimResult:
    """Run one of our optimizers or a scipy method by name, quietly: the explorers' engine.

    Introduced in notebook 04.

    Parameters
    ----------
    fun : callable
        The loss, written with ``autograd.numpy`` (or a :class:`course_utils.models.Loss`).
    x0 : array_like
        Start point, finite.
    optimizer : str
        A key of :data:`OPTIMIZERS` or one of :data:`SCIPY_METHODS`.
    lr : float
        Learning rate of our optimizers (scipy's methods choose their own steps).
    max_iter : int
        Maximum number of steps (``maxiter`` for scipy).
    tol : float
        Gradient-norm tolerance of our optimizers.
    jac : callable, optional
        Gradient. Default: the loss's exact gradient, for our optimizers and scipy's gradient
        methods alike (never finite differences).
    bounds : sequence of (low, high), optional
        For L-BFGS-B.

    Returns
    -------
    OptimResult
        Warnings raised during the run (scipy's line searches on an infinite loss, say) are
        silenced: the result's status and message say how the run ended.

    Examples
    --------
    >>> from course_utils import models
    >>> q = models.make_quadratic(np.eye(2))
    >>> run_optimizer(q, [1.0, 1.0], optimizer="BFGS").state
    'converged'
    """
    x0 = v.vector("x0", x0)
    max_iter = v.integer("max_iter", max_iter)
    if optimizer not in OPTIMIZERS and optimizer not in SCIPY_METHODS:
        raise ValueError(f"optimizer must be one of {(*OPTIMIZERS, *SCIPY_METHODS)}, "
                         f"got {optimizer!r}")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if optimizer in OPTIMIZERS:
            return OPTIMIZERS[optimizer](fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol)
        grad = None
        if optimizer in _GRADIENT_METHODS:
            grad = _exact_grad(fun) if jac is None else jac
        return minimize_recorded(fun, x0, method=optimizer, jac=grad, bounds=bounds,
                                 options={"maxiter": max_iter})


def learning_rate_sweep(fun, x0s, lrs, *, optimizer="gradient descent", max_iter=50,
                        **optimizer_kwargs) -> np.ndarray:
    """Run one of our optimizers from each start (rows) at each learning rate (columns).

    What :func:`course_utils.plotting.plot_learning_rate_grid` draws. Introduced in notebook 04.

    Parameters
    ----------
    fun : callable
        The loss.
    x0s : sequence of array_like
        Start points, one row each.
    lrs : sequence of float
        Learning rates, one column each, > 0.
    optimizer : str
        A key of :data:`OPTIMIZERS`.
    max_iter : int
        Maximum number of steps of each run.
    **optimizer_kwargs
        Passed to the optimizer (``tol``, ``beta``, ...).

    Returns
    -------
    numpy.ndarray of OptimResult, shape ``(len(x0s), len(lrs))``
        Each run also carries its learning rate in ``lr``.

    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> runs = learning_rate_sweep(make_quadratic(np.eye(2)), [(1.0, 1.0)], [0.5, 2.5], max_iter=40)
    >>> [r.state for r in runs[0]]
    ['converged', 'diverged']
    """
    x0s = [v.vector(f"x0s[{i}]", x) for i, x in enumerate(x0s)]
    lrs = [v.positive(f"lrs[{j}]", lr) for j, lr in enumerate(lrs)]
    if not x0s or not lrs:
        raise ValueError(f"x0s and lrs must not be empty, got {len(x0s)} and {len(lrs)}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}, got {optimizer!r}")
    runs = np.empty((len(x0s), len(lrs)), dtype=object)
    for i, x0 in enumerate(x0s):
        for j, lr in enumerate(lrs):
            res = OPTIMIZERS[optimizer](fun, x0, lr=lr, max_iter=max_iter, **optimizer_kwargs)
            res["lr"] = lr
            runs[i, j] = res
    return runs
