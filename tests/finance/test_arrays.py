"""``distinct`` gives what ``np.unique`` gives, for any ids."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from grassroots.finance.arrays import distinct


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=200))
def test_distinct_is_numpys_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    found = distinct(array)
    assert found.dtype == np.int64
    assert found.tolist() == np.unique(array).tolist()
    assert array.tolist() == values  # the caller's array is left as it was
