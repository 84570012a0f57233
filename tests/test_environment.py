"""The three pin lists (pip lock, Binder, conda) must be identical, and exact."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import pins  # noqa: E402


def test_binder_pins_equal_the_lock():
    lock = pins.parse_requirements(ROOT / "requirements.txt")
    binder = pins.parse_requirements(ROOT / "binder" / "requirements.txt")
    assert binder == lock


def test_conda_pins_equal_the_lock_and_the_test_tools():
    lock = pins.parse_requirements(ROOT / "requirements.txt")
    lock.update(pins.parse_requirements(ROOT / "requirements-dev.txt"))
    python, conda = pins.parse_environment(ROOT / "environment.yml")
    assert python == pins.PYTHON
    assert conda == lock
    assert {"pytest", "nbval"} <= set(conda)


def test_binder_python_matches():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == f"python-{pins.PYTHON}"


@pytest.mark.parametrize("name", ["jupyterlab", "ipywidgets", "ipympl", "numpy", "scipy",
                                  "matplotlib", "autograd"])
def test_lock_pins_the_course_packages(name):
    lock = pins.parse_requirements(ROOT / "requirements.txt")
    assert name in lock
    assert lock["jupyterlab"].startswith("4.") and lock["ipywidgets"].startswith("8.")


def test_dev_lock_pins_the_test_tools_and_no_heavy_frameworks():
    dev = pins.parse_requirements(ROOT / "requirements-dev.txt")
    lock = pins.parse_requirements(ROOT / "requirements.txt")
    for name in ("pytest", "nbval", "ruff", "playwright"):
        assert name in dev
    assert not set(dev) & set(lock), "a package is pinned in both files"
    assert not {"torch", "jax", "jaxlib"} & (set(dev) | set(lock))


def test_installed_versions_match_the_lock():
    from importlib.metadata import PackageNotFoundError, version

    lock = pins.parse_requirements(ROOT / "requirements.txt")
    lock.update(pins.parse_requirements(ROOT / "requirements-dev.txt"))
    wrong = {}
    for name, pinned in lock.items():
        try:
            got = version(name)
        except PackageNotFoundError:
            got = None
        if got != pinned:
            wrong[name] = (pinned, got)
    assert not wrong, f"installed packages differ from the lock: {wrong}"


def test_a_pin_that_is_not_exact_is_rejected(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_text("numpy>=2\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        pins.parse_requirements(f)


def test_postbuild_installs_the_package_and_silences_news():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post
    assert "overrides.json" in post
    assert '"fetchNews": "false"' in (ROOT / "binder" / "overrides.json").read_text()
