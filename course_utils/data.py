"""Seeded data generators and the data sets shipped with the course.

Every generator takes ``seed`` and draws from ``numpy.random.default_rng(seed)``, so the same call
gives the same numbers on every machine and nbval can compare the notebooks' outputs. The real data
sets (Puromycin, NIST StRD nonlinear regression problems, the Challenger O-rings) ship inside the
package as JSON and load by one call, :func:`load_dataset`: nothing is downloaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from course_utils import _validate as v

__all__ = [
    "normal_sample",
    "michaelis_menten_data",
    "linear_regression_data",
    "load_puromycin",
    "load_nist",
    "nist_names",
    "load_challenger",
    "dataset_names",
    "load_dataset",
    "Dataset",
]


def normal_sample(n: int, mu: float = 0.0, sigma: float = 1.0, *, seed: int) -> np.ndarray:
    """Draw ``n`` values from N(mu, sigma^2).

    Introduced in notebook 01.

    Parameters
    ----------
    n : int
        Number of draws, >= 1.
    mu, sigma : float
        Mean and standard deviation (sigma > 0).
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``.

    Examples
    --------
    >>> x = normal_sample(1000, 0.0, 1.0, seed=0)
    >>> x.shape
    (1000,)
    """
    n = v.integer("n", n)
    mu = v.finite("mu", mu)
    sigma = v.positive("sigma", sigma)
    return np.random.default_rng(seed).normal(mu, sigma, size=n)


def michaelis_menten_data(
    S=None, *, vmax: float = 29.0, km: float = 6.0, noise_sd: float = 0.5, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Simulated reaction rates v = vmax S / (km + S) + N(0, noise_sd^2).

    Introduced in notebook 05.

    Parameters
    ----------
    S : array_like, optional
        Substrate concentrations (>= 0); default ``numpy.linspace(0.1, 30, 100)``.
    vmax, km : float
        True maximal rate and Michaelis constant (both > 0).
    noise_sd : float
        Standard deviation of the additive noise (>= 0).
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    S, rate : numpy.ndarray
        Concentrations and noisy rates, same shape.

    Examples
    --------
    >>> S, rate = michaelis_menten_data(seed=0)
    >>> S.shape, rate.shape
    ((100,), (100,))
    """
    S = np.linspace(0.1, 30.0, 100) if S is None else v.data_array("S", S)
    if np.any(S < 0):
        raise ValueError(f"S must be >= 0, found {S.min()}")
    vmax = v.positive("vmax", vmax)
    km = v.positive("km", km)
    noise_sd = v.nonnegative("noise_sd", noise_sd)
    rng = np.random.default_rng(seed)
    rate = vmax * S / (km + S) + rng.normal(0.0, noise_sd, size=S.shape)
    return S, rate


def linear_regression_data(
    n: int, k: int, *, sigma: float = 1.0, beta=None, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Design matrix with an intercept column, coefficients and responses y = X beta + noise.

    Introduced in notebook 01 (and used at scale in notebook 05).

    Parameters
    ----------
    n : int
        Number of observations (> k).
    k : int
        Number of coefficients, the intercept included (>= 1).
    sigma : float
        Noise standard deviation (> 0).
    beta : array_like, optional
        True coefficients of length ``k``; default: drawn from N(0, 1) with the same seed.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    X : numpy.ndarray
        Shape ``(n, k)``; first column all ones, the rest N(0, 1).
    y : numpy.ndarray
        Shape ``(n,)``.
    beta : numpy.ndarray
        The true coefficients, shape ``(k,)``.

    Examples
    --------
    >>> X, y, beta = linear_regression_data(100, 3, seed=1)
    >>> X.shape, y.shape, beta.shape
    ((100, 3), (100,), (3,))
    """
    n = v.integer("n", n)
    k = v.integer("k", k)
    if n <= k:
        raise ValueError(f"n must exceed k, got n={n}, k={k}")
    sigma = v.positive("sigma", sigma)
    rng = np.random.default_rng(seed)
    beta = rng.normal(size=k) if beta is None else v.vector("beta", beta, size=k)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, k - 1))])
    y = X @ beta + rng.normal(0.0, sigma, size=n)
    return X, y, beta


@dataclass(frozen=True)
class Dataset:
    """A shipped data set: x, y, a model formula, starting values and reference results."""

    name: str
    x: np.ndarray
    y: np.ndarray
    model: str
    starts: dict[str, np.ndarray] = field(default_factory=dict)
    certified: np.ndarray | None = None
    certified_sd: np.ndarray | None = None
    certified_sse: float | None = None
    info: dict = field(default_factory=dict)


def _read_json(*parts: str) -> dict:
    path = resources.files("course_utils").joinpath("datasets", *parts)
    return json.loads(path.read_text())


def load_puromycin(treated: bool = True) -> Dataset:
    """The Puromycin enzyme-kinetics data (Treloar 1974), shipped with the course.

    Introduced in notebook 07.

    Parameters
    ----------
    treated : bool
        The cells treated with Puromycin (12 rows) or the untreated ones (11 rows).

    Returns
    -------
    Dataset
        ``x`` = substrate concentration (ppm), ``y`` = rate (counts/min/min); ``info`` holds the
        published fits (R's ``nls``, scipy's ``curve_fit``).

    Examples
    --------
    >>> d = load_puromycin()
    >>> d.x.shape
    (12,)
    """
    raw = _read_json("puromycin.json")
    part = raw if treated else raw["untreated"]
    info = {k: val for k, val in part.items() if k not in ("x", "y", "untreated")}
    return Dataset(
        name=raw["name"] if treated else "Puromycin (untreated)",
        x=np.asarray(part["x"], dtype=float),
        y=np.asarray(part["y"], dtype=float),
        model=raw["model"],
        starts={"start": np.asarray(raw["start"], dtype=float)},
        info=info,
    )


def nist_names() -> list[str]:
    """Names of the NIST StRD nonlinear regression problems shipped with the course."""
    folder = resources.files("course_utils").joinpath("datasets", "nist")
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def load_nist(name: str) -> Dataset:
    """One NIST StRD nonlinear regression problem with its certified values.

    Introduced in notebook 07.

    Parameters
    ----------
    name : str
        One of :func:`nist_names` (e.g. ``"Misra1a"``).

    Returns
    -------
    Dataset
        ``starts`` holds NIST's ``start1`` (far) and ``start2`` (near); ``certified`` the
        certified estimates, ``certified_sd`` their standard deviations.

    Examples
    --------
    >>> d = load_nist("Misra1a")
    >>> [f"{b:.6g}" for b in d.certified]
    ['238.942', '0.000550156']
    """
    names = nist_names()
    if name not in names:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    raw = _read_json("nist", f"{name}.json")
    return Dataset(
        name=raw["name"],
        x=np.asarray(raw["x"], dtype=float),
        y=np.asarray(raw["y"], dtype=float),
        model=raw["model"],
        starts={k: np.asarray(raw[k], dtype=float) for k in ("start1", "start2")},
        certified=np.asarray(raw["certified"], dtype=float),
        certified_sd=np.asarray(raw["certified_sd"], dtype=float),
        certified_sse=float(raw["certified_sse"]),
        info={k: raw[k] for k in ("difficulty", "certified_residual_sd", "source", "model_note")},
    )


def load_challenger() -> Dataset:
    """The Challenger O-ring data: 23 shuttle flights before 28 January 1986 (Dalal et al. 1989).

    Introduced in notebook 07.

    Returns
    -------
    Dataset
        ``x`` = launch temperature (degrees F), ``y`` = O-rings with thermal distress (of
        ``info["at_risk"]`` = 6 per flight); ``info`` also holds ``flight``, ``any_distress``, the
        ``reference_fits`` (binomial and binary logistic regressions) and the ``source``.

    Examples
    --------
    >>> d = load_challenger()
    >>> d.x.shape, int(d.y.sum()), d.info["at_risk"]
    ((23,), 9, 6)
    """
    raw = _read_json("challenger.json")
    info = {k: val for k, val in raw.items() if k not in ("name", "temperature_F", "distressed")}
    info["flight"] = np.asarray(raw["flight"], dtype=int)
    info["any_distress"] = np.asarray(raw["any_distress"], dtype=int)
    return Dataset(
        name=raw["name"],
        x=np.asarray(raw["temperature_F"], dtype=float),
        y=np.asarray(raw["distressed"], dtype=float),
        model=raw["reference_fits"]["binomial_logistic"]["model"],
        info=info,
    )


def _load_puromycin_untreated() -> Dataset:
    """The untreated Puromycin cells, crediting the same source as the treated ones."""
    d = load_puromycin(treated=False)
    d.info.setdefault("source", load_puromycin().info["source"])
    return d


_OTHER_DATASETS = {"Puromycin": load_puromycin,
                   "Puromycin_untreated": _load_puromycin_untreated,
                   "Challenger": load_challenger}


def dataset_names() -> list[str]:
    """Names of every data set shipped with the course, as :func:`load_dataset` takes them.

    Introduced in notebook 07.

    Examples
    --------
    >>> dataset_names()[:3]
    ['BoxBOD', 'Challenger', 'Chwirut2']
    """
    return sorted([*nist_names(), *_OTHER_DATASETS], key=str.lower)


def load_dataset(name: str) -> Dataset:
    """Load any data set shipped with the course by name (case does not matter).

    Introduced in notebook 07. The names are those of :func:`dataset_names`: the seven NIST StRD
    problems (``"BoxBOD"``, ``"Misra1a"``, ...), ``"Puromycin"`` (treated cells),
    ``"Puromycin_untreated"`` and ``"Challenger"``.

    Parameters
    ----------
    name : str
        The data set's name.

    Returns
    -------
    Dataset
        As :func:`load_nist`, :func:`load_puromycin` or :func:`load_challenger` return it.

    Examples
    --------
    >>> load_dataset("puromycin").x.shape
    (12,)
    >>> load_dataset("BoxBOD").certified.round(4).tolist()
    [213.8094, 0.5472]
    """
    names = dataset_names()
    if not isinstance(name, str):
        raise ValueError(f"name must be a string, one of {names}, got {name!r}")
    match = {n.lower(): n for n in names}.get(name.strip().lower())
    if match is None:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    if match in _OTHER_DATASETS:
        return _OTHER_DATASETS[match]()
    return load_nist(match)
