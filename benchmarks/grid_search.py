"""Grid search of the normal NLL, three ways: medians of repeated timings (notebook 02).

usage: python benchmarks/grid_search.py [--repeat R]

The seed-sized experiment of notebook 02: N = 1000 draws of N(0, 1) (seed 0), a 1000 x 1000 grid,
mean in [-1, 1], sd in [0.5, 1.5]. Times the closed form, the sufficient-statistics grid, the
chunked broadcast (with its peak memory) and the Python loop over cells calling
``scipy.stats.norm.logpdf``. The loop runs on a subset of cells (a block around the best cell)
and its time for the whole grid is EXTRAPOLATED: time per cell x number of cells. The last line is
``loop / sufficient statistics: N x``.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from course_utils import closed_form, data, grid


def _median_seconds(f, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls of f(), and the last result."""
    seconds, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = f()
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds)), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the slow ways (default 5)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    x = data.normal_sample(1000, 0.0, 1.0, seed=0)
    mus, sds = grid.grid_axes((-1.0, 1.0), (0.5, 1.5), 1000)
    cells = mus.size * sds.size

    t_closed, _ = _median_seconds(lambda: closed_form.normal_mle(x), 200 * repeat)
    t_suff, z_suff = _median_seconds(lambda: grid.nll_grid_sufficient(x, mus, sds), 20 * repeat)
    t_chunk, z_chunk = _median_seconds(lambda: grid.nll_grid_chunked(x, mus, sds), repeat)
    tracemalloc.start()
    grid.nll_grid_chunked(x, mus, sds)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    best = grid.best_cell(z_suff, mus, sds)
    i0, j0 = best.index
    half = 25  # a 51 x 51 block (2601 cells) around the best cell
    block = np.array([(i, j) for i in range(max(i0 - half, 0), min(i0 + half + 1, mus.size))
                      for j in range(max(j0 - half, 0), min(j0 + half + 1, sds.size))])
    t_block, z_loop = _median_seconds(lambda: grid.nll_grid_loop(x, mus, sds, cells=block), repeat)
    t_loop = t_block / len(block) * cells

    same = (grid.best_cell(z_chunk, mus, sds).index == best.index
            and tuple(block[int(np.argmin(z_loop))]) == best.index
            and np.allclose(z_chunk, z_suff, rtol=1e-9, atol=0)
            and np.allclose(z_loop, z_suff[block[:, 0], block[:, 1]], rtol=1e-9, atol=0))

    print(f"data: N = {x.size}; grid: {mus.size} x {sds.size} = {cells:,} cells; "
          f"medians of {repeat} runs (fast ways: more)")
    print(f"closed form                     {grid.format_duration(t_closed):>12}")
    print(f"grid, sufficient statistics     {grid.format_duration(t_suff):>12}")
    print(f"grid, chunked broadcast         {grid.format_duration(t_chunk):>12}   "
          f"(chunk budget {grid.DEFAULT_MAX_BYTES / 2**20:.0f} MiB, peak traced memory "
          f"{peak / 2**20:.1f} MiB)")
    print(f"grid, Python loop               {grid.format_duration(t_loop):>12}   "
          f"(extrapolated from {len(block):,} cells: {grid.format_duration(t_block / len(block))} "
          f"per cell)")
    print(f"best cell {best.index}: mu = {best.mu:.6f}, sigma = {best.sigma:.6f}; "
          f"all three ways agree: {same}")
    print(f"loop / sufficient statistics: {t_loop / t_suff:,.0f} x")


if __name__ == "__main__":
    main()
