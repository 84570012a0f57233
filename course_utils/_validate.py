"""Input checks shared by every public function: each failure is a ValueError naming the argument."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def data_array(name: str, value, *, ndim: int | None = 1, min_size: int = 1) -> np.ndarray:
    """Return ``value`` as a finite float array, or raise ValueError naming ``name``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {_short(value)}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ValueError(f"{name} must be finite, found {bad} in {name}")
    return arr


def vector(name: str, value, *, size: int | None = None) -> np.ndarray:
    """Return a finite 1-d float vector (a start point, say), checking its length."""
    arr = data_array(name, np.atleast_1d(np.asarray(value, dtype=float))
                     if _is_numeric(value) else value, ndim=1)
    if size is not None and arr.size != size:
        raise ValueError(f"{name} must have {size} entries, got {arr.size}: {_short(value)}")
    return arr


def finite(name: str, value) -> float:
    """Return ``value`` as a finite float."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise ValueError(f"{name} must be a real number, got {_short(value)}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}")
    return v


def positive(name: str, value) -> float:
    """Return ``value`` as a finite float > 0."""
    v = finite(name, value)
    if v <= 0:
        raise ValueError(f"{name} must be > 0, got {v}")
    return v


def positive_array(name: str, value) -> None:
    """Check that every entry of ``value`` (a number or an array, autograd's boxes too) is > 0."""
    raw = getattr(value, "_value", value)  # an autograd Box holds its number in _value
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {_short(value)}") from exc
    bad = ~(arr > 0)  # catches NaN too
    if np.any(bad):
        raise ValueError(f"{name} must be > 0, found {arr[bad].ravel()[0]} in {name}")


def nonnegative(name: str, value) -> float:
    """Return ``value`` as a finite float >= 0."""
    v = finite(name, value)
    if v < 0:
        raise ValueError(f"{name} must be >= 0, got {v}")
    return v


def integer(name: str, value, *, minimum: int = 1) -> int:
    """Return ``value`` as an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {_short(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def interval(name: str, value) -> tuple[float, float]:
    """Return a finite (low, high) pair with low < high."""
    try:
        low, high = value
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a pair (low, high), got {_short(value)}") from exc
    low, high = finite(f"{name}[0]", low), finite(f"{name}[1]", high)
    if not low < high:
        raise ValueError(f"{name} must have low < high, got ({low}, {high})")
    return low, high


def unit_interval(name: str, value, *, closed: bool = False) -> float:
    """Return a float in [0, 1) (or [0, 1] when ``closed``)."""
    v = finite(name, value)
    if v < 0 or v > 1 or (v == 1 and not closed):
        raise ValueError(f"{name} must be in [0, 1{']' if closed else ')'}, got {v}")
    return v


def _is_numeric(value) -> bool:
    return isinstance(value, Real | np.number) and not isinstance(value, bool)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
