"""Run every benchmark of the course in turn (``make bench``). Prints; asserts nothing."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name in ("run_all.py",) or script.name.startswith("_"):
        continue
    print(f"\n=== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script)], check=False, cwd=HERE.parent)
