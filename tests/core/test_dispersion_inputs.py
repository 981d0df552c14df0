"""What the weighted statistics (core/dispersion.py) refuse, each with its own reason, and the
boundaries they accept (a weight of 0, a single unit, group ids 0 … g−1)."""
import numpy as np
import pytest

from junheng.core.dispersion import grouped_weighted_stats, weighted_cv, weighted_mean, weighted_sd

Z = np.zeros(2, dtype=np.int64)


@pytest.mark.parametrize("gid, w, x, reason", [
    (np.zeros(2, dtype=np.int64), np.ones(3), np.ones(2), "same length"),
    (np.zeros((1, 2), dtype=np.int64), np.ones((1, 2)), np.ones((1, 2)), "1-D"),
    (np.zeros(0, dtype=np.int64), np.ones(0), np.ones(0), "at least one unit"),
    (np.zeros(2), np.ones(2), np.ones(2), "non-negative integers"),
    (np.array([0, -1]), np.ones(2), np.ones(2), "non-negative integers"),
    (Z, np.array([1.0, -1.0]), np.ones(2), "finite and non-negative"),
    (Z, np.array([1.0, np.inf]), np.ones(2), "finite and non-negative"),
    (Z, np.array([1.0, np.nan]), np.ones(2), "finite and non-negative"),
    (Z, np.ones(2), np.array([1.0, np.inf]), "values must be finite"),
    (Z, np.ones(2), np.array([np.nan, 1.0]), "values must be finite"),
    (Z, np.zeros(2), np.ones(2), "every group needs pupils"),
    (np.array([0, 2]), np.ones(2), np.ones(2), "every group needs pupils"),  # id 1 unused
])
def test_refused(gid, w, x, reason):
    with pytest.raises(ValueError, match=reason):
        grouped_weighted_stats(gid, w, x)


def test_one_group_wrappers_check_their_shapes():
    with pytest.raises(ValueError, match="values and weights"):
        weighted_mean([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="values and weights"):
        weighted_mean([[1.0, 2.0]], [[1.0, 2.0]])


def test_accepted_boundaries():
    s = grouped_weighted_stats(np.array([0, 0, 1]), np.array([0.0, 2.0, 5.0]), np.array([100.0, 4.0, 7.0]))
    assert s.total.tolist() == [2.0, 5.0] and s.mean.tolist() == [4.0, 7.0]  # a weight of 0 counts nothing
    assert s.sd.tolist() == [0.0, 0.0] and s.cv.tolist() == [0.0, 0.0] and s.shares.tolist() == [0.0, 0.0, 0.0]
    assert weighted_cv([5.0], [10]) == 0.0 and weighted_cv([0.0, 0.0], [1, 1]) is None
    assert weighted_sd([1, 3], [1, 1]) == 1.0 and weighted_mean([1, 3], [1, 3]) == 2.5  # integer input


def test_two_groups_are_independent():
    gid = np.array([1, 0, 1, 0])
    s = grouped_weighted_stats(gid, np.array([1.0, 1.0, 3.0, 1.0]), np.array([2.0, 1.0, 6.0, 3.0]))
    assert s.total.tolist() == [2.0, 4.0]
    assert s.mean.tolist() == [2.0, 5.0]
    assert s.var.tolist() == pytest.approx([1.0, 3.0])  # (1+1)/2 ; (9 + 3·1)/4
    assert s.sd.tolist() == pytest.approx([1.0, 3 ** 0.5])
    assert s.cv.tolist() == pytest.approx([0.5, 3 ** 0.5 / 5])
    assert s.shares.tolist() == pytest.approx([0.75, 0.5, 0.25, 0.5])
