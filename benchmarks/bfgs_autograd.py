"""BFGS with the autograd gradient vs finite differences on a linear-regression MLE (notebook 05).

usage: python benchmarks/bfgs_autograd.py [--repeat R]

The experiment of R. L. Hicks, "Using Autograd for Maximum Likelihood Estimation" (blog post):
N = 5000 observations, K = 10, 50, 100 coefficients (an intercept and K - 1 standard-normal
columns, seeded data), parameters (beta, log sigma), BFGS from zero. For each K, one fit with
autograd's gradient (``jac=nll.grad``: a loss's ``grad`` is always autograd's, never the model's
hand-written formula) and one with scipy's forward finite differences
(``jac=None``), each timed R times (medians). Printed per K: scipy's evaluation counts (``nfev``),
the evaluations needed until the loss is within 1e-9 (relative) of the closed-form minimum (a
count that does not depend on the last bits of the floats), the median times, the speed-up, and
what one loss evaluation, one autograd gradient and one finite-difference gradient cost; then the
cost of one evaluation and of one autograd gradient at N = 200,000, K = 10 (more data: autograd's
fixed overhead matters less).
Times are CPU times of this process (``time.process_time``) with BLAS on one thread (unless
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say otherwise): on a shared, busy machine wall-clock times
measure the neighbours as much as the code, and threads fighting over the cores make small matrix
products erratically slow.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is imported

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.optimize  # noqa: E402

from course_utils import closed_form, data, derivatives, models, optim  # noqa: E402

N = 5000
KS = (10, 50, 100)
N_LARGE = 200_000
SEED = 0
#: The published run: function evaluations at K = 10 and speed-ups at K = 10, 50, 100.
PUBLISHED = {"nfev": (68, 1207), "speedup": (4.5, 21.0, 39.0)}


def _median_seconds(f, repeat: int) -> float:
    """Median CPU seconds of ``repeat`` calls of f()."""
    seconds = []
    for _ in range(repeat):
        start = time.process_time()
        f()
        seconds.append(time.process_time() - start)
    return float(np.median(seconds))


def _per_call(f, min_seconds: float = 0.2) -> float:
    """Seconds per call of f(), from enough calls to last ``min_seconds`` (median of 3 batches)."""
    n = 1
    while True:
        start = time.process_time()
        for _ in range(n):
            f()
        if time.process_time() - start > min_seconds / 3:
            break
        n *= 2
    return _median_seconds(lambda: [f() for _ in range(n)], 3) / n


def run_one(k: int, repeat: int) -> dict:
    """Fit once per gradient kind with recording, then time ``repeat`` plain scipy fits."""
    X, y, _ = data.linear_regression_data(N, k, seed=SEED)
    nll = models.make_linear_regression_nll(X, y)
    ols = closed_form.ols(X, y)
    f_min = float(nll(np.append(ols.coef, 0.5 * np.log(ols.sigma2_mle))))
    x0 = np.zeros(k + 1)
    row = {"k": k}
    for name, jac in (("autograd", nll.grad), ("fd", None)):
        rec = optim.minimize_recorded(nll, x0, method="BFGS", jac=jac)
        row[f"nfev_{name}"] = rec.nfev
        row[f"useful_{name}"] = derivatives.evaluations_until(rec.evaluation_losses, f_min, rtol=1e-9)
        row[f"success_{name}"] = rec.success
        row[f"err_{name}"] = float(np.max(np.abs(rec.x[:k] - ols.coef)))
        row[f"t_{name}"] = _median_seconds(
            lambda jac=jac: scipy.optimize.minimize(nll, x0, method="BFGS", jac=jac), repeat)
    row["t_f"] = _per_call(lambda: nll(x0))
    row["t_grad"] = _per_call(lambda: nll.grad(x0))
    row["t_fd_grad"] = row["t_f"] * (k + 1)  # what scipy's forward difference costs
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed fits per cell (default 3)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    rows = [run_one(k, repeat) for k in KS]
    print(f"BFGS on the linear-regression NLL, N = {N}, parameters (beta, log sigma), seed {SEED}; "
          f"medians of {repeat} fits, CPU time")
    head = (f"{'K':>4} {'nfev ag':>8} {'nfev fd':>8} {'to 1e-9 ag':>11} {'to 1e-9 fd':>11} "
            f"{'time ag':>9} {'time fd':>9} {'speed-up':>9}   {'f':>7} {'grad ag':>8} {'grad fd':>8}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['k']:>4} {r['nfev_autograd']:>8} {r['nfev_fd']:>8} {r['useful_autograd']!s:>11} "
              f"{r['useful_fd']!s:>11} {r['t_autograd'] * 1e3:>7.0f}ms {r['t_fd'] * 1e3:>7.0f}ms "
              f"{r['t_fd'] / r['t_autograd']:>8.1f}x   {r['t_f'] * 1e6:>5.0f}us "
              f"{r['t_grad'] * 1e6:>6.0f}us {r['t_fd_grad'] * 1e6:>6.0f}us")
    print("ag = autograd gradient, fd = scipy's forward finite differences; 'to 1e-9' = evaluations "
          "until the loss is within 1e-9 (relative) of the closed-form minimum; the last three "
          "columns: one loss evaluation, one gradient each way.")
    for r in rows:
        print(f"K = {r['k']:>3}: success autograd {r['success_autograd']}, finite differences "
              f"{r['success_fd']}; max |beta - OLS| {r['err_autograd']:.1e} vs {r['err_fd']:.1e}")
    X, y, _ = data.linear_regression_data(N_LARGE, 10, seed=SEED)
    large = models.make_linear_regression_nll(X, y)
    at = np.zeros(11)
    t_f, t_g = _per_call(lambda: large(at)), _per_call(lambda: large.grad(at))
    print(f"N = {N_LARGE:,}, K = 10: one loss evaluation {t_f * 1e3:.2f} ms, one autograd gradient "
          f"{t_g * 1e3:.2f} ms ({t_g / t_f:.1f} evaluations; finite differences: 11)")
    print(f"published (Hicks): {PUBLISHED['nfev'][0]} vs {PUBLISHED['nfev'][1]} evaluations at "
          f"K = 10; speed-ups " + ", ".join(f"{s:g}x" for s in PUBLISHED["speedup"])
          + " at K = 10, 50, 100")


if __name__ == "__main__":
    main()
