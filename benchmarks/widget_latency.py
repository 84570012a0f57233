"""Latency of the landscape explorer: kernel-side time per control change, canvas draw included.

usage: python benchmarks/widget_latency.py [--changes 100] [--seed 0]

Drives :class:`course_utils.widgets.LandscapeExplorer` on the normal-NLL landscape of
``normal_sample(1000, seed=0)`` (200 x 200 grid, 200 steps) through a seeded sequence of control
changes (start, learning rate, steps in 150..200, optimizer, colour scale), one control after the
other. Each change is timed from setting the control to the frame encoded for the browser (the
explorers draw and encode it in the same kernel turn once a browser view is attached; the canvas
is told one is, as in a live notebook; an explorer that only asks for a draw gets a full
``fig.canvas.draw()`` added to its time). Prints the median and the 95th percentile in
milliseconds; the goal (median <= 30 ms, p95 <= 80 ms) is printed beside them, never asserted:
timings depend on the machine. The fit-by-eye and grid explorers are timed too, for information.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from course_utils import data, models, optim  # noqa: E402
from course_utils.widgets import FitByEye, GridExplorer, LandscapeExplorer  # noqa: E402

GOAL_MEDIAN_MS, GOAL_P95_MS = 30.0, 80.0


def make_explorer() -> LandscapeExplorer:
    """The explorer of notebook 04's centrepiece: normal NLL, 200 x 200 grid, 200 steps."""
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    loss = models.make_normal_nll(x)
    return LandscapeExplorer(loss, (-1.0, 1.0), (0.3, 2.0), x0=(-0.8, 1.8), lr=1e-3,
                             max_iter=200, optimizers=tuple(optim.OPTIMIZERS), grid_n=200)


def timed_set(canvas, control, value) -> float:
    """Milliseconds from setting ``control`` to the frame encoded for the browser."""
    draws = []
    cid = canvas.mpl_connect("draw_event", draws.append)
    t0 = time.perf_counter()
    control.value = value
    if not draws:  # the explorer only asked for a draw: do it, as the browser would ask
        canvas.draw()
    ms = (time.perf_counter() - t0) * 1e3
    canvas.mpl_disconnect(cid)
    return ms


def changes(explorer: LandscapeExplorer, count: int, seed: int):
    """A seeded sequence of (control, value): every control, in turn, to a random value."""
    rng = np.random.default_rng(seed)
    e = explorer
    controls = [e.x0_x, e.x0_y, e.lr, e.max_iter, e.optimizer, e.log_color]
    out = []
    for k in range(count):
        c = controls[k % len(controls)]
        if c is e.lr:
            value = float(10.0 ** rng.uniform(-4.0, -2.3))
        elif c is e.max_iter:
            value = int(rng.integers(150, 201))
        elif c is e.optimizer:
            value = str(rng.choice([o for o in c.options if o != c.value]))
        elif c is e.log_color:
            value = not c.value
        else:
            value = float(rng.uniform(c.min, c.max))
        out.append((c, value))
    return out


def measure(count: int = 100, seed: int = 0) -> np.ndarray:
    """Milliseconds per control change, canvas draw included."""
    explorer = make_explorer()
    canvas = explorer.fig.canvas
    # what JupyterLab's ipympl view sends once it shows the canvas: from then on the kernel sends
    # image diffs only and stops keeping a PNG copy of every frame for notebooks without a kernel
    canvas._handle_message(canvas, {"type": "initialized"}, [])
    canvas.draw()  # first draw: fonts and caches
    times = [timed_set(canvas, control, value) for control, value in
             changes(explorer, count, seed)]
    return np.asarray(times)


def measure_others(count: int = 40, seed: int = 0) -> dict[str, np.ndarray]:
    """Milliseconds per slider move of the fit-by-eye and grid explorers (for information)."""
    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    rng = np.random.default_rng(seed)
    out = {}
    for explorer, control in ((FitByEye(x), "sigma"), (GridExplorer(x), "grid_n")):
        canvas = explorer.fig.canvas
        canvas._handle_message(canvas, {"type": "initialized"}, [])
        canvas.draw()
        slider = getattr(explorer, control)
        times = []
        for _ in range(count):
            value = (int(rng.integers(slider.min, slider.max + 1)) if control == "n"
                     else float(rng.uniform(slider.min, slider.max)))
            times.append(timed_set(canvas, slider, value))
        out[f"{type(explorer).__name__}.{control}"] = np.asarray(times)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    ms = measure(args.changes, args.seed)
    print(f"landscape explorer, {ms.size} control changes (normal NLL, 200x200 grid, 200 steps)")
    print(f"median ms per change: {np.median(ms):.1f}   (goal <= {GOAL_MEDIAN_MS:.0f})")
    print(f"p95 ms per change:    {np.percentile(ms, 95):.1f}   (goal <= {GOAL_P95_MS:.0f})")
    print(f"max ms per change:    {ms.max():.1f}")
    for name, t in measure_others(seed=args.seed).items():
        print(f"(for information) {name}: median {np.median(t):.1f} ms, "
              f"p95 {np.percentile(t, 95):.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
