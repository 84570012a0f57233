"""Sphinx configuration of the course's static site (built by tools/site.py; see `make site`).

The pages are the committed notebooks with their stored outputs: nothing is executed. Launch
buttons come from course.toml's [home] table (the one place that also fills in the README's
links). MathJax is served from the site itself (sphinx-mathjax-offline), so equations render
without a network.
"""

import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
home = tomllib.loads((HERE / "course.toml").read_text())["home"]
owner_repo = home["repository"]

project = "Fitting models by optimization"
author = "the course's authors"
copyright = "the course's authors"
extensions = ["myst_nb", "sphinx-mathjax-offline"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # the stored outputs are the content
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_show_sourcelink = False
html_theme_options = {
    "repository_url": f"https://github.com/{owner_repo}",
    "repository_branch": home["branch"],
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "launch_buttons": {
        "notebook_interface": "jupyterlab",
        "binderhub_url": home["binderhub_url"],
        "jupyterhub_url": home.get("jupyterhub_url", ""),
    },
}
html_last_updated_fmt = ""
sys.dont_write_bytecode = True
