"""Answers in closed form: the benchmarks every numerical method in the course is checked against."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils import _validate as v

__all__ = ["normal_mle", "OLSResult", "ols"]


def normal_mle(x) -> tuple[float, float]:
    """Maximum-likelihood estimates of a normal sample: the mean and the *population* sd.

    The MLE of sigma divides by n (``ddof=0``), not by n - 1: the likelihood is maximised there.
    Introduced in notebook 01.

    Parameters
    ----------
    x : array_like
        Data, 1-d, finite, at least two values.

    Returns
    -------
    mu_hat, sigma_hat : float

    Examples
    --------
    >>> normal_mle([1.0, 2.0, 3.0])
    (2.0, 0.816496580927726)
    """
    x = v.data_array("x", x, min_size=2)
    return float(np.mean(x)), float(np.std(x, ddof=0))


@dataclass(frozen=True)
class OLSResult:
    """Ordinary least squares: coefficients, classical standard errors and what they come from."""

    coef: np.ndarray
    se: np.ndarray
    sigma2: float
    sigma2_mle: float
    cov: np.ndarray
    residuals: np.ndarray
    df: int


def ols(X, y) -> OLSResult:
    """Linear regression by the normal equations ``X^T X beta = X^T y``, with standard errors.

    The classical standard errors are ``sqrt(diag(s^2 (X^T X)^{-1}))`` with the unbiased
    ``s^2 = RSS / (n - k)``; the Gaussian MLE of the noise variance, ``RSS / n``, is returned too.
    Introduced in notebook 01.

    Parameters
    ----------
    X : array_like
        Design matrix, shape ``(n, k)`` with ``n > k`` and full column rank.
    y : array_like
        Responses, shape ``(n,)``.

    Returns
    -------
    OLSResult

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> ols(X, [1.0, 3.0, 5.0, 7.0]).coef.round(6).tolist()
    [1.0, 2.0]
    """
    X = v.data_array("X", X, ndim=2)
    y = v.data_array("y", y)
    n, k = X.shape
    if y.shape[0] != n:
        raise ValueError(f"y must have {n} rows like X, got {y.shape[0]}")
    if n <= k:
        raise ValueError(f"X must have more rows than columns, got shape {X.shape}")
    xtx = X.T @ X
    if np.linalg.matrix_rank(xtx) < k:
        raise ValueError("X must have full column rank (some columns are linearly dependent)")
    coef = np.linalg.solve(xtx, X.T @ y)
    resid = y - X @ coef
    rss = float(resid @ resid)
    sigma2 = rss / (n - k)
    cov = sigma2 * np.linalg.inv(xtx)
    return OLSResult(coef, np.sqrt(np.diag(cov)), sigma2, rss / n, cov, resid, n - k)
