"""Time and peak memory of each notebook under strict nbval, as the test suite runs it.

usage: python benchmarks/notebooks.py [--repeat N] [NN ...]

Each notebook runs ``pytest --nbval`` in its own child process; the peak resident memory is the
largest of that process tree (pytest and the notebook's kernel), read from ``getrusage``. Prints a
table of medians and the course total; goals (whole course <= 60 s, each notebook <= 15 s and
<= 400 MB) are printed beside the numbers, never asserted.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# as in the Makefile's nbval target
NBVAL_ARGS = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
              "-q", "-p", "no:cacheprovider"]


def measure_once(nb: Path) -> tuple[float, float, bool]:
    """Run one notebook under nbval in a fresh process: (seconds, peak MB, passed)."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        f"r = subprocess.run([sys.executable, '-m', 'pytest', *{NBVAL_ARGS!r}, {str(nb)!r}],\n"
        "                   capture_output=True)\n"
        "dt = time.perf_counter() - t\n"
        "mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps([dt, mb, r.returncode == 0]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    repeat = 1
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    nbs = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if argv:
        nbs = [p for p in nbs if p.name[:2] in argv]
    print(f"{'notebook':32s} {'nbval s (median)':>17s} {'peak MB':>8s}  result")
    total = 0.0
    for nb in nbs:
        runs = [measure_once(nb) for _ in range(repeat)]
        sec = statistics.median(r[0] for r in runs)
        mb = max(r[1] for r in runs)
        ok = all(r[2] for r in runs)
        total += sec
        flag = "" if sec <= 15 and mb <= 400 else "  (over goal: 15 s / 400 MB)"
        print(f"{nb.name:32s} {sec:17.1f} {mb:8.0f}  {'pass' if ok else 'FAIL'}{flag}")
    print(f"{'whole course':32s} {total:17.1f}  (goal <= 60 s; {repeat} run(s) each, "
          f"{time.strftime('%Y-%m-%d')})")


if __name__ == "__main__":
    main(sys.argv[1:])
