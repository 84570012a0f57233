"""Every data set shipped in course_utils equals its source in ../shared/data, value for value.

The sources live outside the repository, in ``shared/data`` beside it (``../shared`` from the repo
root; CI checks them out there too). ``COURSE_SHARED_DIR`` points elsewhere when needed. Without the
sources the comparison is skipped, saying why.
"""

import json
import os
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from course_utils import data

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COURSE_SHARED_DIR", ROOT.parent / "shared")) / "data"
SHIPPED = Path(str(resources.files("course_utils").joinpath("datasets")))
needs_sources = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"the data sources are not at {SHARED} (set COURSE_SHARED_DIR to the folder holding data/)")


def shipped_files():
    return sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.rglob("*.json"))


def read(path):
    return json.loads(Path(path).read_text())


@needs_sources
def test_every_source_is_shipped_and_nothing_else():
    sources = sorted(p.relative_to(SHARED).as_posix() for p in SHARED.rglob("*.json"))
    assert shipped_files() == sources


@needs_sources
@pytest.mark.parametrize("rel", shipped_files())
def test_shipped_file_equals_its_source_value_for_value(rel):
    assert read(SHIPPED / rel) == read(SHARED / rel)


@needs_sources
@pytest.mark.parametrize("name", data.nist_names())
def test_loaded_nist_problem_equals_its_source(name):
    src = read(SHARED / "nist" / f"{name}.json")
    d = data.load_dataset(name)
    np.testing.assert_array_equal(d.x, src["x"])
    np.testing.assert_array_equal(d.y, src["y"])
    for key in ("start1", "start2"):
        np.testing.assert_array_equal(d.starts[key], src[key])
    np.testing.assert_array_equal(d.certified, src["certified"])
    np.testing.assert_array_equal(d.certified_sd, src["certified_sd"])
    assert d.certified_sse == src["certified_sse"] and d.model == src["model"]
    assert d.x.size == src["n_obs"] and d.certified.size == src["n_params"]


@needs_sources
def test_loaded_puromycin_equals_its_source():
    src = read(SHARED / "puromycin.json")
    treated, untreated = data.load_dataset("Puromycin"), data.load_dataset("puromycin_untreated")
    np.testing.assert_array_equal(treated.x, src["x"])
    np.testing.assert_array_equal(treated.y, src["y"])
    np.testing.assert_array_equal(untreated.x, src["untreated"]["x"])
    np.testing.assert_array_equal(untreated.y, src["untreated"]["y"])
    assert treated.info["published"] == src["published"]


@needs_sources
def test_loaded_challenger_equals_its_source():
    src = read(SHARED / "challenger.json")
    d = data.load_dataset("Challenger")
    np.testing.assert_array_equal(d.x, src["temperature_F"])
    np.testing.assert_array_equal(d.y, src["distressed"])
    np.testing.assert_array_equal(d.info["flight"], src["flight"])
    np.testing.assert_array_equal(d.info["any_distress"], src["any_distress"])
    assert d.info["at_risk"] == src["at_risk"] == 6
    assert d.info["reference_fits"] == src["reference_fits"]


def test_challenger_is_consistent():
    d = data.load_challenger()
    assert d.x.shape == d.y.shape == (23,)
    assert np.all((d.y >= 0) & (d.y <= d.info["at_risk"]))
    np.testing.assert_array_equal(d.info["any_distress"], (d.y > 0).astype(int))
    assert d.x.min() == 53.0


def test_one_entry_point_names_every_data_set():
    names = data.dataset_names()
    assert set(data.nist_names()) <= set(names)
    assert {"Puromycin", "Puromycin_untreated", "Challenger"} <= set(names)
    for name in names:
        d = data.load_dataset(name)
        assert d.x.shape == d.y.shape and d.x.size >= 6
        assert data.load_dataset(name.upper()).name == d.name
    assert data.load_dataset("misra1a").name == "Misra1a"


@pytest.mark.parametrize("bad", ["nope", "", None, 3, ["BoxBOD"]])
def test_load_dataset_rejects_unknown_names(bad):
    with pytest.raises(ValueError, match="name must be"):
        data.load_dataset(bad)


def test_data_sources_are_credited():
    for name in data.dataset_names():
        d = data.load_dataset(name)
        assert d.info.get("source"), f"{name} does not name its source"
