"""Mutation score per module from mutmut's results (run by ``make mutation``).

Reads ``mutants/course_utils/<module>.py.meta`` (what ``mutmut run`` records) and prints, for
each module, the mutants killed (a test failed, or timed out), the survivors and the score
killed / (killed + survived). Mutants not run yet are counted apart. Survivors judged equivalent
(no test can tell them from the original) are listed in ``tools/mutation_equivalent.txt``, one
mutant name a line with the reason after ``#``; the score without them is printed too.

    python tools/mutation_score.py models grid      # the modules' scores
    python tools/mutation_score.py --survivors grid # and the names of the survivors
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a test failed, pytest errored, or a timeout
SURVIVED = {0}


def equivalent_names() -> set[str]:
    """Survivors judged equivalent, from tools/mutation_equivalent.txt."""
    path = ROOT / "tools" / "mutation_equivalent.txt"
    if not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def score(module: str) -> dict:
    """Counts for one module of course_utils."""
    meta = ROOT / "mutants" / "course_utils" / f"{module}.py.meta"
    if not meta.exists():  # a package: its __init__.py (exercises)
        meta = ROOT / "mutants" / "course_utils" / module / "__init__.py.meta"
    if not meta.exists():
        raise SystemExit(f"no results for {module}: run `make mutation MUTATE={module}` first")
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    killed = sorted(k for k, c in codes.items() if c in KILLED)
    survived = sorted(k for k, c in codes.items() if c in SURVIVED)
    other = sorted(k for k, c in codes.items() if c not in KILLED | SURVIVED)
    equivalent = sorted(set(survived) & equivalent_names())
    return {"killed": killed, "survived": survived, "other": other, "equivalent": equivalent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+")
    parser.add_argument("--survivors", action="store_true", help="list the survivors' names")
    args = parser.parse_args()
    print(f"{'module':<13}{'mutants':>8}{'killed':>8}{'survived':>9}{'equiv.':>7}{'not run':>8}"
          f"{'score':>8}{'w/o equiv.':>11}")
    for module in args.modules:
        s = score(module)
        k, sv, eq = len(s["killed"]), len(s["survived"]), len(s["equivalent"])
        tested = k + sv
        total = tested + len(s["other"])
        raw = 100.0 * k / tested if tested else float("nan")
        net = 100.0 * k / (tested - eq) if tested > eq else float("nan")
        print(f"{module:<13}{total:>8}{k:>8}{sv:>9}{eq:>7}{len(s['other']):>8}{raw:>7.1f}%"
              f"{net:>10.1f}%")
        if args.survivors:
            for name in s["survived"]:
                print(f"    {'(equivalent) ' if name in s['equivalent'] else ''}{name}")


if __name__ == "__main__":
    main()
