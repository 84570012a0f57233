"""Run notebooks top to bottom in a fresh kernel and store their outputs (what readers see).

usage: python tools/execute_notebooks.py [NN ...]    (default: every notebook)

Each notebook runs from ``notebooks/`` as its working folder, in a new kernel, with the widget
state stored so that JupyterLab shows the last view of each widget without a kernel. Execution
counts come out 1..n, which the strict nbval run and the notebook check expect.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def execute(path: Path, timeout: int = 600) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}},
                            store_widget_state=True)
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None) if not _has_widgets(nb) else None
    nbformat.write(nb, path)
    return seconds


def _has_widgets(nb) -> bool:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return bool(state.get("state"))


def main(argv: list[str]) -> None:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if argv:
        paths = [p for p in paths if p.name[:2] in argv]
    for p in paths:
        print(f"{p.name}: {execute(p):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
