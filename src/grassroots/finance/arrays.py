"""Small numpy helpers the payment writers share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["distinct"]


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted: what ``np.unique(values)`` gives.

    Sorting and comparing neighbours: numpy 2.4's ``np.unique`` with nothing else asked of it
    takes a hashing path that is about a hundred times slower on a month's 500,000 member ids
    (0.26 s against 2 ms here)."""
    if len(values) == 0:
        return np.asarray(values, dtype=np.int64).copy()
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
