"""Input checks: each bad value gets a ValueError that names the argument."""

import numpy as np
import pytest

from course_utils import _validate as v


@pytest.mark.parametrize(
    "value, match",
    [([], "at least 1"), ([1.0, np.nan], "finite"), ([1.0, np.inf], "finite"),
     ([[1.0]], "1-dimensional"), (["a"], "numeric")],
)
def test_data_array_rejects(value, match):
    with pytest.raises(ValueError, match=f"x.*{match}|{match}.*x"):
        v.data_array("x", value)


def test_data_array_accepts_and_converts():
    out = v.data_array("x", [1, 2, 3])
    assert out.dtype == float and out.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("fn, value", [(v.positive, 0.0), (v.positive, -1.0), (v.positive, np.nan),
                                       (v.finite, np.inf), (v.finite, "1"), (v.finite, True),
                                       (v.nonnegative, -0.1)])
def test_scalar_checks_name_the_argument(fn, value):
    with pytest.raises(ValueError, match="lr"):
        fn("lr", value)


def test_integer_and_interval():
    assert v.integer("n", 3) == 3
    with pytest.raises(ValueError, match="max_iter must be >= 1, got 0"):
        v.integer("max_iter", 0)
    with pytest.raises(ValueError, match="n must be an integer"):
        v.integer("n", 2.5)
    assert v.interval("xlim", (0, 1)) == (0.0, 1.0)
    with pytest.raises(ValueError, match="xlim must have low < high"):
        v.interval("xlim", (1, 1))
    with pytest.raises(ValueError, match=r"xlim\[1\] must be finite"):
        v.interval("xlim", (0, np.inf))


def test_vector_size():
    assert v.vector("x0", 1.5).tolist() == [1.5]
    with pytest.raises(ValueError, match="x0 must have 2 entries"):
        v.vector("x0", [1.0, 2.0, 3.0], size=2)
    with pytest.raises(ValueError, match="x0 must be finite"):
        v.vector("x0", [np.nan, 1.0])
