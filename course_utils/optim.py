"""Optimizers of the course and the one result type they all return.

Our optimizers (gradient descent, momentum, RMSprop, Adam) and scipy's, run through
:func:`minimize_recorded`, return an :class:`OptimResult`: scipy's ``OptimizeResult`` fields
(``x, fun, nit, nfev, njev, success, status, message``) plus the recorded ``path`` and ``losses``.
``status`` says how the run ended: :data:`CONVERGED`, :data:`MAX_ITER` (still moving when the steps
ran out), :data:`DIVERGED` (``diverged_at`` names the step), or :data:`FAILED` (a scipy method gave
up). Divergence is a result, never an exception or a flood of warnings.
"""

from __future__ import annotations

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
    "OPTIMIZERS",
    "Recorder",
    "minimize_recorded",
]

CONVERGED, MAX_ITER, DIVERGED, FAILED = 0, 1, 2, 3
_STATE = {CONVERGED: "converged", MAX_ITER: "max_iter", DIVERGED: "diverged", FAILED: "failed"}


class OptimResult(scipy.optimize.OptimizeResult):
    """scipy's ``OptimizeResult`` with the recorded path: one result type for every optimizer.

    Introduced in notebook 03 (scipy) and notebook 04 (ours).

    Attributes
    ----------
    x : numpy.ndarray
        The final estimate (the last finite point for a diverged run).
    fun : float
        The loss at ``x``.
    nit, nfev, njev : int
        Iterations, loss evaluations, gradient evaluations.
    success : bool
        True when the run converged.
    status : int
        ``CONVERGED`` (0), ``MAX_ITER`` (1), ``DIVERGED`` (2) or ``FAILED`` (3).
    message : str
        One sentence for a student.
    path : numpy.ndarray
        The iterates, shape ``(nit + 1, p)``, start included, all finite.
    losses : numpy.ndarray
        The loss at each row of ``path``.
    diverged_at : int or None
        The step at which the loss became non-finite or exploded.
    method : str
        The optimizer's name.
    """

    @property
    def state(self) -> str:
        """``"converged"``, ``"max_iter"``, ``"diverged"`` or ``"failed"``."""
        return _STATE[self.status]


def _value_and_grad(fun: Callable, jac: Callable | None) -> Callable:
    """One function returning (loss, gradient): autograd's when ``jac`` is None."""
    if jac is None:
        return autograd.value_and_grad(fun)
    return lambda x: (fun(x), jac(x))


def _check_common(x0, lr, max_iter, tol) -> tuple[np.ndarray, float, int, float]:
    x0 = v.vector("x0", x0)
    lr = v.positive("lr", lr)
    max_iter = v.integer("max_iter", max_iter, minimum=1)
    tol = v.nonnegative("tol", tol)
    return x0, lr, max_iter, tol


def _descend(fun, x0, *, jac, lr, max_iter, tol, blowup, callback, rule, method) -> OptimResult:
    """The loop shared by every first-order method: ``rule(g, k)`` returns the step to add."""
    value_and_grad = _value_and_grad(fun, jac)
    blowup = v.positive("blowup", blowup)
    x = x0.astype(float).copy()
    with np.errstate(all="ignore"):
        f, g = value_and_grad(x)
        f, g = float(f), np.asarray(g, dtype=float)
        nfev = 1
        path, losses = [x.copy()], [f]
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return _result(path, losses, g, nfev, DIVERGED, method, diverged_at=0,
                           message="The loss or its gradient is not finite at the start point.")
        limit = abs(f) + blowup * (1.0 + abs(f))
        status, diverged_at = MAX_ITER, None
        for k in range(1, max_iter + 1):
            if np.linalg.norm(g) <= tol:
                status = CONVERGED
                break
            x_new = x + rule(g, k)
            f_new, g_new = value_and_grad(x_new)
            f_new, g_new = float(f_new), np.asarray(g_new, dtype=float)
            nfev += 1
            finite = np.all(np.isfinite(x_new)) and np.isfinite(f_new) and np.all(np.isfinite(g_new))
            if not finite or f_new > limit:
                if np.all(np.isfinite(x_new)) and np.isfinite(f_new):
                    path.append(x_new.copy())
                    losses.append(f_new)
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
    return _result(path, losses, g, nfev, status, method, diverged_at=diverged_at, lr=lr)


def _result(path, losses, g, nfev, status, method, *, diverged_at=None, message=None, lr=None):
    path = np.asarray(path)
    losses = np.asarray(losses)
    # nit counts accepted steps; a diverged step that left a finite point is drawn but not counted
    nit = len(path) - 1 if status != DIVERGED or diverged_at is None else max(diverged_at - 1, 0)
    if message is None:
        if status == CONVERGED:
            message = f"Converged: gradient norm below tolerance after {nit} steps."
        elif status == DIVERGED:
            message = (f"Diverged at step {diverged_at}: the loss became non-finite or exploded"
                       + (f" (learning rate {lr:g} is too large?)." if lr is not None else "."))
        else:
            message = f"Still moving: the gradient norm is {np.linalg.norm(g):.3g} after {nit} steps."
    last = min(nit, len(path) - 1)
    return OptimResult(
        x=path[last].copy(), fun=float(losses[last]), jac=np.asarray(g), nit=nit, nfev=nfev,
        njev=nfev, success=status == CONVERGED, status=status, message=message, path=path,
        losses=losses, diverged_at=diverged_at, method=method,
    )


_COMMON_DOC = """
    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``, written with ``autograd.numpy`` unless ``jac`` is given.
    x0 : array_like
        Start point, finite.
    jac : callable, optional
        ``jac(x) -> gradient``; default: ``autograd.grad(fun)`` (one pass with the value).
    lr : float
        Learning rate (step size), > 0.
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
        ``status`` is CONVERGED, MAX_ITER or DIVERGED (with ``diverged_at``); ``path`` holds
        every finite iterate.
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
                    callback=callback, rule=lambda g, k: -lr * g, method="gradient descent")


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

    def rule(g, k):
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

    def rule(g, k):
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

    def rule(g, k):
        nonlocal m, s
        m = beta1 * m + (1.0 - beta1) * g
        s = beta2 * s + (1.0 - beta2) * g**2
        m_hat = m / (1.0 - beta1**k)
        s_hat = s / (1.0 - beta2**k)
        return -lr * m_hat / (np.sqrt(s_hat) + eps)

    return _descend(fun, x0, jac=jac, lr=lr, max_iter=max_iter, tol=tol, blowup=blowup,
                    callback=callback, rule=rule, method="Adam")


for _f in (gradient_descent, momentum, rmsprop, adam):
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


def minimize_recorded(fun, x0, *, method="Nelder-Mead", jac=None, bounds=None, tol=None,
                      options=None) -> OptimResult:
    """``scipy.optimize.minimize`` with every evaluation recorded, returning an OptimResult.

    ``path`` holds the start and each iterate that scipy reports to its callback (usually
    ``nit + 1`` rows; Nelder-Mead reports one fewer),
    ``evaluations`` every point at which the loss was evaluated (finite-difference probes
    included); ``nfev`` is scipy's count, which equals ``len(evaluations)``. Introduced in
    notebook 03.

    Parameters
    ----------
    fun : callable
        The loss.
    x0 : array_like
        Start point, finite.
    method : str
        Any method of ``scipy.optimize.minimize``.
    jac : callable or True, optional
        Gradient; ``True`` means ``autograd.grad(fun)``. Default: scipy's choice (finite
        differences for gradient methods).
    bounds, tol, options
        Passed to ``scipy.optimize.minimize``.

    Returns
    -------
    OptimResult
        With ``status`` CONVERGED, MAX_ITER (iteration or evaluation limit reached) or FAILED,
        scipy's ``message`` and the extra field ``evaluations``.

    Examples
    --------
    >>> from course_utils.models import make_quadratic
    >>> res = minimize_recorded(make_quadratic(np.eye(2), [1.0, 2.0]), [0.0, 0.0], method="BFGS")
    >>> res.success, res.x.round(4).tolist(), res.nfev == len(res.evaluations)
    (True, [1.0, 2.0], True)
    """
    x0 = v.vector("x0", x0)
    if not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    rec = Recorder(fun)
    if jac is True:
        jac = autograd.grad(fun)
    if jac is not None:
        inner_jac = jac

        def jac(x):  # evaluated outside the recorder: gradients are counted in njev
            with np.errstate(all="ignore"):
                return np.asarray(inner_jac(np.asarray(x, dtype=float)), dtype=float)

    iterates = [x0.copy()]

    def record(xk, *state):  # classic callback: trust-constr adds a state argument
        iterates.append(np.array(xk, dtype=float))

    with np.errstate(all="ignore"):
        res = scipy.optimize.minimize(rec, x0, method=method, jac=jac, bounds=bounds, tol=tol,
                                      options=options, callback=record)
    path = np.asarray(iterates)
    with np.errstate(all="ignore"):
        losses = np.array([float(fun(p)) for p in path])
    if res.success:
        status = CONVERGED
    elif "maximum" in str(res.message).lower() or "limit" in str(res.message).lower():
        status = MAX_ITER
    else:
        status = FAILED
    return OptimResult(
        x=np.asarray(res.x, dtype=float), fun=float(res.fun), nit=int(res.get("nit", len(path) - 1)),
        nfev=int(res.nfev), njev=int(res.get("njev", 0)), success=bool(res.success), status=status,
        message=str(res.message), path=path, losses=losses, diverged_at=None, method=method,
        evaluations=np.asarray(rec.points), evaluation_losses=np.asarray(rec.values),
        scipy_result=res,
    )
