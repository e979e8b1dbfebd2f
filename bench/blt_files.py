"""Synthetic elections written out as BLT files, one line per ballot, for whole-command timing.

The ballots are those of ``bench/synthetic.py`` (same seed, same law); each grouped row is
written as many times as its weight, with weight 1, and the lines are shuffled within each
block of a million, so the file looks like a real ballot-by-ballot export (as ERS's and
OpenSTV's files are) and a reader has to group identical rankings itself. Written with numpy
in blocks: a 10^7-ballot file of about 200 MB takes seconds and little memory.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.synthetic import SyntheticSpec, load_or_generate

__all__ = ["blt_path", "write_blt"]

BLOCK = 1_000_000  # ballots shuffled and written at a time


def blt_path(spec: SyntheticSpec, folder: Path) -> Path:
    """Where the BLT file of ``spec`` is kept between runs."""
    return folder / f"{spec.name}-s{spec.seed}.blt"


def _row_lines(prefs: npt.NDArray[np.int32], lengths: npt.NDArray[np.int64]) -> list[str]:
    """The line ``1 p1 p2 ... 0`` of each distinct row (1-based candidate numbers)."""
    offsets = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = (prefs + 1).astype(str).tolist()
    bounds = offsets.tolist()
    return [
        "1 " + " ".join(flat[bounds[i] : bounds[i + 1]]) + " 0\n" for i in range(len(bounds) - 1)
    ]


def write_blt(spec: SyntheticSpec, path: Path, cache: Path | None = None) -> Path:
    """Write the election of ``spec`` as a BLT file at ``path`` (kept if already there)."""
    if path.exists():
        return path
    packed, _ = load_or_generate(spec, cache)
    rng = np.random.default_rng(spec.seed + 1)
    texts = _row_lines(packed.prefs, packed.lengths)
    rows = np.repeat(np.arange(packed.size, dtype=np.int64), packed.weights)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        out.write(f"{spec.candidates} {spec.seats}\n".encode("ascii"))
        for start in range(0, rows.shape[0], BLOCK):
            block = rows[start : start + BLOCK].copy()
            rng.shuffle(block)
            out.write("".join(map(texts.__getitem__, block.tolist())).encode("ascii"))
        out.write(b"0\n")
        for i in range(spec.candidates):
            out.write(f'"C{i + 1:03d}"\n'.encode("ascii"))
        out.write(f'"{spec.name}"\n'.encode("ascii"))
    tmp.replace(path)
    return path
