"""Move numpy's transcendental functions and sums by one unit in the last place, for `make nbval-ulp`.

Another CPU, operating system or maths library (macOS on arm64, Windows, a different libm or
SIMD path) may return exp, log, sin, cos, expm1, log1p and tanh, and float sums (np.sum,
np.mean), one ulp (unit in the last place) away from ours. A stored
notebook output that changes under such a move hangs on the last bits of a float: it would fail
strict nbval on the student's machine. This module is put on PYTHONPATH only for that check, so
that Python loads it at start-up in the test process and in every kernel it starts.

It does nothing unless ``COURSE_ULP_MODE`` is set:

``some``  each element of each result moves by +-1 ulp with probability 1/2 (random sign);
``all``   every element of every result moves by +-1 ulp (random sign).

The random choices come from a generator seeded by ``COURSE_ULP_SEED`` (default 0). Results a
correct maths library returns exactly are left alone: non-finite values, exact zeros, results of
an input that is exactly 0 (exp(0) = 1, cos(0) = 1), and results on the edge of the function's
range (tanh = +-1, sin, cos = +-1), so a move never leaves the range; sums of fewer than three
terms or of whole numbers, which every machine gets exactly. numpy's functions are
replaced by wrappers that call the original ufunc and then perturb its result; autograd wraps
whatever ``numpy.exp`` is when it is imported, and its derivative rules attach to its own wrapped
names, so ``autograd.numpy.exp`` is perturbed and still differentiates (tests/test_ulp.py).
"""

from __future__ import annotations

import os

FUNCTIONS = ("exp", "log", "sin", "cos", "expm1", "log1p", "tanh")
#: Float sums, whose last bits depend on the CPU's vector width (numpy sums pairwise, in blocks
#: as wide as the SIMD registers); moved too unless ``COURSE_ULP_SUMS=0``. Without them the check
#: misses the loss of notebook 03: an O(1) NLL from sufficient statistics calls log only once.
SUMS = ("sum", "mean")
#: Functions whose values lie in [-1, 1]: a move never leaves that range.
BOUNDED = {"sin", "cos", "tanh"}


class _Perturbed:
    """A callable that behaves like a numpy ufunc and moves its results by +-1 ulp."""

    def __init__(self, ufunc, name, mode, rng, np):
        self._ufunc, self._name, self._mode, self._rng, self._np = ufunc, name, mode, rng, np
        self.__name__ = self.__qualname__ = name
        self.__doc__ = ufunc.__doc__

    def __getattr__(self, attr):  # nin, nout, reduce, outer, ... come from the ufunc
        return getattr(self._ufunc, attr)

    def __repr__(self):
        return f"<ulp-perturbed ufunc '{self._name}'>"

    def __call__(self, *args, **kwargs):
        result = self._ufunc(*args, **kwargs)
        if kwargs.get("out") is not None or len(args) != 1:
            return result
        if self._name in SUMS:
            return self._perturb_sum(args[0], result)
        return self._perturb(args[0], result)

    def _perturb_sum(self, arg, result):
        """Move a float sum of at least 3 terms that is not exact (not all integers)."""
        np = self._np
        a = np.asarray(arg)
        if a.dtype.kind != "f" or a.size < 3 or np.all(a == np.round(a)):
            return result
        return self._perturb(np.ones(np.shape(result)), result)

    def _perturb(self, arg, result):
        np = self._np
        if not (type(result) is np.ndarray or isinstance(result, np.generic)):
            return result  # array subclasses and other types pass through untouched
        res = np.asarray(result)
        if res.dtype.kind != "f" or res.size == 0:
            return result
        arg = np.asarray(arg)
        movable = np.isfinite(res) & (res != 0)
        if arg.shape == res.shape or arg.ndim == 0:
            movable &= np.broadcast_to(arg != 0, res.shape)
        if self._name in BOUNDED:
            movable &= np.abs(res) < 1
        if self._mode == "some":
            movable &= self._rng.random(res.shape) < 0.5
        if not movable.any():
            return result
        direction = np.where(self._rng.random(res.shape) < 0.5, -np.inf, np.inf).astype(res.dtype)
        moved = np.where(movable, np.nextafter(res, direction), res)
        if np.isscalar(result) or isinstance(result, np.generic):
            return res.dtype.type(moved[()])
        return moved


def install(mode: str, seed: int = 0) -> None:
    """Replace numpy's functions by perturbed ones (call before autograd is imported)."""
    if mode not in ("some", "all"):
        raise ValueError(f"COURSE_ULP_MODE must be 'some' or 'all', not {mode!r}")
    import numpy as np

    rng = np.random.default_rng(seed)
    names = FUNCTIONS + (SUMS if os.environ.get("COURSE_ULP_SUMS", "1") != "0" else ())
    for name in names:
        original = getattr(np, name)
        if isinstance(original, _Perturbed):
            continue
        setattr(np, name, _Perturbed(original, name, mode, rng, np))


if os.environ.get("COURSE_ULP_MODE"):
    install(os.environ["COURSE_ULP_MODE"], int(os.environ.get("COURSE_ULP_SEED", "0")))
