"""course.toml is the one source of the course map and links; what it generates is never stale."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402


def test_generated_maps_and_links_are_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "course.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr + "\nrun `python tools/course.py --write`"


def test_the_map_lists_00_to_07_in_order_with_one_time_each():
    nbs = course.notebooks()
    assert [nb["number"] for nb in nbs] == [f"{i:02d}" for i in range(8)]
    assert all(nb["file"].startswith(nb["number"] + "_") for nb in nbs)
    assert all(isinstance(nb["minutes"], int) and nb["minutes"] > 0 for nb in nbs)


def test_links_follow_the_home_in_one_place():
    config = course.load()
    config["home"] = {"repository": "uni/fitting", "branch": "main",
                      "binderhub_url": "https://mybinder.org", "jupyterhub_url": "https://hub.uni.edu"}
    assert course.binder_url(config, "notebooks/04_gradient_descent.ipynb") == (
        "https://mybinder.org/v2/gh/uni/fitting/main?urlpath=lab/tree/notebooks/04_gradient_descent.ipynb")
    hub = course.hub_url(config)
    assert hub.startswith("https://hub.uni.edu/hub/user-redirect/git-pull?repo=")
    assert "github.com%2Funi%2Ffitting" in hub and "fitting%2Fnotebooks%2F00_start_here.ipynb" in hub
    text = course.readme_text(config, (ROOT / "README.md").read_text())
    assert "mybinder.org/v2/gh/uni/fitting/main?urlpath=lab/tree/notebooks/00_start_here.ipynb" in text
    assert "mybinder.org/v2/gh/OWNER/REPO" not in text and "hub.uni.edu/hub/user-redirect" in text


def test_a_notebook_not_written_yet_is_named_without_a_link():
    config = course.load()
    config["notebooks"][7]["exists"] = False
    row = course.map_table(config, link_prefix="notebooks/").splitlines()[-1]
    assert "(coming)" in row and ".ipynb" not in row
