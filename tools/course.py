"""The course's one source of titles, times and links (course.toml), and what is generated from it.

usage:
    python tools/course.py --check              exit 1 if a generated map or link is stale
    python tools/course.py --write              rewrite the README's map, notebook 00's map, the links
    python tools/course.py set-home OWNER/REPO [--hub URL] [--branch main]
                                                record where the course is published, then --write

The README and notebook 00 each hold their map between ``<!-- course-map -->`` and
``<!-- /course-map -->``; a notebook that does not exist yet is named without a link, "(coming)".
The Binder badge and the nbgitpuller link in README.md and INSTRUCTORS.md are rewritten from
``[home]``; the site (tools/site.py) reads the same table for its launch buttons.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "course.toml"
NOTEBOOKS = ROOT / "notebooks"
START, END = "<!-- course-map -->", "<!-- /course-map -->"


def load() -> dict:
    """course.toml as a dict; each notebook gets ``exists`` (its file is on disk)."""
    config = tomllib.loads(CONFIG.read_text())
    for nb in config["notebooks"]:
        nb["exists"] = (NOTEBOOKS / nb["file"]).exists()
    return config


def notebooks() -> list[dict]:
    """The notebooks of the map, in order."""
    return load()["notebooks"]


def binder_url(config: dict, path: str = "notebooks/00_start_here.ipynb") -> str:
    """The Binder link that opens ``path`` in JupyterLab."""
    home = config["home"]
    return (f"{home['binderhub_url'].rstrip('/')}/v2/gh/{home['repository']}/{home['branch']}"
            f"?urlpath=lab/tree/{path}")


def hub_url(config: dict, path: str = "notebooks/00_start_here.ipynb") -> str:
    """The nbgitpuller link that clones the course on the hub and opens ``path`` ('' if no hub)."""
    home = config["home"]
    if not home.get("jupyterhub_url"):
        return ""
    repo = home["repository"]
    folder = repo.split("/")[-1]
    return (f"{home['jupyterhub_url'].rstrip('/')}/hub/user-redirect/git-pull?"
            f"repo={quote('https://github.com/' + repo, safe='')}&branch={home['branch']}"
            f"&urlpath={quote(f'lab/tree/{folder}/{path}', safe='')}")


def map_table(config: dict, *, link_prefix: str, this: str | None = None) -> str:
    """The course map as a Markdown table; links are ``link_prefix + file``."""
    rows = ["| # | notebook | what it teaches | time |", "| --- | --- | --- | --- |"]
    for nb in config["notebooks"]:
        if nb["number"] == this:
            name = f"{nb['title']} (this notebook)"
        elif nb["exists"]:
            name = f"[{nb['title']}]({link_prefix}{nb['file']})"
        else:
            name = f"{nb['title']} (coming)"
        rows.append(f"| {nb['number']} | {name} | {nb['teaches']} | {nb['minutes']} min |")
    return "\n".join(rows)


def _replace_block(text: str, block: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"no {START} ... {END} block found")
    return pattern.sub(lambda m: f"{START}\n{block}\n{END}", text)


def readme_text(config: dict, text: str) -> str:
    """README.md with its map and its Binder / hub links regenerated."""
    text = _replace_block(text, map_table(config, link_prefix="notebooks/"))
    return _links(config, text)


def _links(config: dict, text: str) -> str:
    text = re.sub(r"https://mybinder\.org/v2/gh/[^)\s]*", binder_url(config), text)
    hub = hub_url(config) or ("https://HUB/hub/user-redirect/git-pull?repo="
                              f"https://github.com/{config['home']['repository']}&urlpath=lab/tree/"
                              f"{config['home']['repository'].split('/')[-1]}/notebooks/"
                              "00_start_here.ipynb")
    return re.sub(r"https://[^\s`)]*/hub/user-redirect/git-pull\?[^\s`)]*", hub, text)


def _notebook_00(config: dict) -> tuple[Path, dict, bool]:
    path = NOTEBOOKS / "00_start_here.ipynb"
    nb = json.loads(path.read_text())
    changed = False
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and START in src:
            new = _replace_block(src, map_table(config, link_prefix="", this="00"))
            if new != src:
                cell["source"] = new.splitlines(keepends=True)
                changed = True
    return path, nb, changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["set-home"])
    parser.add_argument("repository", nargs="?")
    parser.add_argument("--hub", default=None)
    parser.add_argument("--branch", default=None)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "set-home":
        if not args.repository or not re.fullmatch(r"[\w.-]+/[\w.-]+", args.repository):
            parser.error("set-home needs OWNER/REPO")
        text = CONFIG.read_text()
        text = re.sub(r'(?m)^repository = ".*"$', f'repository = "{args.repository}"', text)
        if args.hub is not None:
            text = re.sub(r'(?m)^jupyterhub_url = ".*"$', f'jupyterhub_url = "{args.hub}"', text)
        if args.branch is not None:
            text = re.sub(r'(?m)^branch = ".*"$', f'branch = "{args.branch}"', text)
        CONFIG.write_text(text)
        args.write = True
    config = load()
    stale = []
    for name in ("README.md", "INSTRUCTORS.md"):
        path = ROOT / name
        if not path.exists():
            continue
        text = path.read_text()
        new = readme_text(config, text) if START in text else _links(config, text)
        if new != text:
            stale.append(name)
            if args.write:
                path.write_text(new)
    path, nb, changed = _notebook_00(config)
    if changed:
        stale.append(path.name)
        if args.write:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    for name in stale:
        print(f"{'updated' if args.write else 'out of date'}: {name}")
    return 1 if (stale and not args.write) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
