"""Build the course's static site from the committed notebooks (their stored outputs), offline.

usage: python tools/site.py [--out build/site]

Assembles a Sphinx source folder in build/site_src (site/conf.py, a landing page with the course
map from course.toml, every notebook, the instructor guide, the data sources and their credits),
then runs ``sphinx-build -W`` (warnings are errors) into build/site. Nothing is executed. A live
widget cannot run on a static page: its output is replaced by a note that says so and points to
the static figure beside it and to the launch button.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import course  # noqa: E402  (tools/course.py: the one source of the map and the links)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<div class="live-widget-note"><p><strong>Live widget.</strong> Here the notebook shows an '
    "interactive explorer ({name}). It needs a running Python kernel, so this page cannot show "
    "it: the static figure next to it teaches the same point.</p><p>To move the sliders "
    "yourself, open this notebook with the launch button (the rocket at the top of the page) "
    "or run the course locally (see the landing page).</p></div>"
)


def _widget_name(output: dict) -> str:
    text = "".join(output.get("data", {}).get("text/plain", "")).strip()
    return text.split("(")[0] or "a widget"


def static_notebook(nb: dict, config: dict, src: Path) -> dict:
    """The notebook as the site shows it: widget outputs replaced by a note, widget state dropped,
    links to repository files (README.md, say) pointed at the repository."""
    nb = json.loads(json.dumps(nb))
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            cell["source"] = _github_links(text, config, src / "notebooks", src)
            continue
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            if WIDGET_MIME in out.get("data", {}):
                note = WIDGET_NOTE.format(name=_widget_name(out))
                outputs.append({"output_type": "display_data", "metadata": {},
                                "data": {"text/html": note}})
            else:
                outputs.append(out)
        cell["outputs"] = outputs
    return nb


def _github_links(text: str, config: dict, here: Path, src: Path) -> str:
    """Relative links to files that are not pages of the site point at the repository instead."""
    base = f"https://github.com/{config['home']['repository']}/blob/{config['home']['branch']}/"

    def fix(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        if re.match(r"^[a-z]+:|^#|^/", target):
            return m.group(0)
        path = target.split("#")[0]
        if Path(path).suffix in (".md", ".ipynb") and (here / path).exists():
            return m.group(0)
        rel = Path(os.path.normpath(here.relative_to(src) / path)).as_posix()
        return f"[{label}]({base}{rel})"

    return re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", fix, text)


def landing_page(config: dict) -> str:
    """index.md: what the course is, how to start, the map, the other pages."""
    readme = (ROOT / "README.md").read_text()
    intro = readme.split("\n\n")[1].strip()
    nbs = [nb for nb in config["notebooks"] if nb["exists"]]
    table = course.map_table(config, link_prefix="notebooks/")
    binder = course.binder_url(config)
    toc = "\n".join(f"notebooks/{Path(nb['file']).stem}" for nb in nbs)
    extra = "\n".join(p for p in ("instructors", "data_sources")
                      if p != "instructors" or (ROOT / "INSTRUCTORS.md").exists())
    return f"""# Fitting models by optimization

{intro}

## How to read this site

Every page is a notebook of the course with the outputs it gave when it was last run: you can
read the whole course here without running anything. The live widgets (sliders over a loss
landscape) need a Python kernel: each notebook page has a launch button (the rocket icon at the
top) that opens it on [Binder]({binder}), and the course runs on your own machine with two
commands (see the [README](https://github.com/{config['home']['repository']}#quick-start)).

## Course map

{table}

```{{toctree}}
:maxdepth: 1
:caption: Notebooks
:hidden:

{toc}
```

```{{toctree}}
:maxdepth: 1
:caption: For instructors and readers
:hidden:

{extra}
```
"""


def data_sources_page() -> str:
    """data_sources.md: every shipped data set with its source and credit."""
    datasets = ROOT / "course_utils" / "datasets"
    lines = ["# Data sources", "",
             "The data sets ship inside `course_utils` (nothing is downloaded). Here is where each "
             "comes from; the notebooks credit them where they use them.", ""]
    for path in sorted(datasets.rglob("*.json")):
        d = json.loads(path.read_text())
        lines.append(f"## {d.get('name', path.stem)}")
        lines.append("")
        if d.get("description"):
            lines.append(str(d["description"]))
            lines.append("")
        if d.get("model"):
            lines.append(f"Model: `{d['model']}`.")
            lines.append("")
        source = d.get("source", "")
        if isinstance(source, dict):
            for key, value in source.items():
                value = "; ".join(value) if isinstance(value, list) else value
                lines.append(f"- {key}: {value}")
        else:
            lines.append(f"- source: {source}")
        lines.append(f"- file: `course_utils/datasets/{path.relative_to(datasets).as_posix()}`")
        lines.append("")
    return "\n".join(lines)


def assemble(src: Path) -> None:
    """Write the Sphinx source folder."""
    config = course.load()
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "site" / "conf.py", src / "conf.py")
    shutil.copytree(ROOT / "site" / "_static", src / "_static")
    shutil.copy(ROOT / "course.toml", src / "course.toml")
    for nb in config["notebooks"]:
        if nb["exists"]:
            data = json.loads((ROOT / "notebooks" / nb["file"]).read_text())
            (src / "notebooks" / nb["file"]).write_text(json.dumps(static_notebook(data, config, src)))
    (src / "index.md").write_text(landing_page(config))
    if (ROOT / "INSTRUCTORS.md").exists():
        text = (ROOT / "INSTRUCTORS.md").read_text()
        (src / "instructors.md").write_text(_github_links(text, config, src, src))
    (src / "data_sources.md").write_text(data_sources_page())


def build(out: Path) -> float:
    """Assemble and build; return the seconds it took."""
    start = time.perf_counter()
    src = ROOT / "build" / "site_src"
    assemble(src)
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
           "-d", str(ROOT / "build" / "site_doctrees"), str(src), str(out)]
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    try:
        seconds = build(out)
    except subprocess.CalledProcessError as exc:
        print(f"site: sphinx-build failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"site: built {out} in {seconds:.1f} s, {size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
