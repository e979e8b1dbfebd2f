"""Seeded synthetic elections of up to 10^7 ballots, generated as numpy arrays.

The model is a Plackett-Luce ranking with party blocs: each candidate has a popularity drawn
from a log-normal (a few strong candidates, a long tail); candidates belong to parties; each
voter leans to one party (chosen in proportion to its candidates' popularity), which makes that
party's candidates e^BLOC_BOOST times more attractive to them. A voter's ranking is drawn from
that leaning popularity by sequential choice, cut to a length drawn from a truncated geometric
law (mean about 3, most ballots ranking 1-6, a few ranking far down), as in real STV
elections. Ballots are made in chunks and identical rows are merged within each chunk, so
small candidate counts give many repeated ballots, as real BLT files do; nothing is ever held
as Python tuples.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from grassroots.count.ballots import Election
from grassroots.count.packed import PackedBallots

__all__ = [
    "SEATS_FOR",
    "SyntheticSpec",
    "checksum",
    "generate",
    "load_or_generate",
    "synthetic_election",
]

GENERATOR_VERSION = 2  # bump when the model changes, so cached ballots are made again

# Seats chosen for each candidate count (10 -> 5, 50 -> 9, 150 -> 15); other counts get
# about a third of the candidates, at least one and at most 15.
SEATS_FOR = {10: 5, 50: 9, 150: 15}
CHUNK = 1_000_000  # ballots generated (and grouped) at a time: bounds the working memory
LENGTH_P = 0.3  # geometric parameter of the ranking length: P(len <= 6) is about 0.88
MAX_LENGTH = 40  # nobody ranks more than this many (keeps the chunk matrix small)
BLOC_BOOST = 2.0  # log-popularity added to the candidates of the voter's party
GUMBEL_UP_TO = 24  # up to this many candidates sample by Gumbel-max, above by rejection
PAD = 255  # fills unused cells of a chunk's uint8 matrix (candidates are below 255)


@dataclass(frozen=True)
class SyntheticSpec:
    """Which synthetic election: ballots, candidates, seats and the seed."""

    ballots: int
    candidates: int
    seats: int
    seed: int = 2026

    @classmethod
    def of(cls, ballots: int, candidates: int, seed: int = 2026) -> SyntheticSpec:
        """The spec with the benchmark's usual number of seats for ``candidates``."""
        seats = SEATS_FOR.get(candidates, max(1, min(15, candidates // 3)))
        return cls(ballots, candidates, seats, seed)

    @property
    def name(self) -> str:
        """A short label such as ``synthetic-1e6x50``."""
        exp = len(str(self.ballots)) - 1
        size = f"1e{exp}" if self.ballots == 10**exp else str(self.ballots)
        return f"synthetic-{size}x{self.candidates}"


def _chunk(
    rng: np.random.Generator,
    size: int,
    cdf: npt.NDArray[np.float64],
    bloc_share: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """One chunk of ballots as a padded uint8 matrix and the row lengths.

    Position k of a ranking is drawn from the voter's bloc distribution again and again
    until it names someone not ranked yet: that is exactly Plackett-Luce sampling (each
    next choice proportional to popularity among those left), at about one draw per
    preference instead of one per candidate.
    """
    blocs, n = cdf.shape
    cap = min(n, MAX_LENGTH)
    lengths = np.minimum(rng.geometric(LENGTH_P, size=size), cap).astype(np.int64)
    bloc = rng.choice(blocs, size=size, p=bloc_share)
    # One sorted array holding every bloc's CDF shifted by the bloc number, so a single
    # searchsorted draws for all rows whatever their bloc.
    width = int(lengths.max())
    if n <= GUMBEL_UP_TO:
        return _gumbel_chunk(rng, size, cdf, bloc, lengths, width), lengths
    flat_cdf = (cdf + np.arange(blocs)[:, None]).reshape(-1)
    matrix = np.full((size, width), PAD, dtype=np.uint8)
    for k in range(width):
        rows = np.flatnonzero(lengths > k)
        while rows.size:
            u = bloc[rows] + rng.random(rows.size)
            pick = np.searchsorted(flat_cdf, u, side="right") - bloc[rows] * n
            pick = np.minimum(pick, n - 1).astype(np.uint8)
            taken = (matrix[rows, :k] == pick[:, None]).any(axis=1)
            matrix[rows[~taken], k] = pick[~taken]
            rows = rows[taken]
    return matrix, lengths


def _gumbel_chunk(
    rng: np.random.Generator,
    size: int,
    cdf: npt.NDArray[np.float64],
    bloc: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    width: int,
) -> npt.NDArray[np.uint8]:
    """Plackett-Luce for few candidates: sort log-popularity plus Gumbel noise (Gumbel-max).

    With few candidates rejection wastes draws on long rankings; sorting every candidate's
    perturbed score costs only ``size x n`` and draws from the same law.
    """
    prob = np.diff(cdf, axis=1, prepend=0.0)
    log_p = np.log(np.maximum(prob, 1e-300)).astype(np.float32)
    keys = rng.gumbel(size=(size, cdf.shape[1])).astype(np.float32)
    keys += log_p[bloc]
    ranked = np.argsort(-keys, axis=1)[:, :width].astype(np.uint8)
    ranked[np.arange(width)[None, :] >= lengths[:, None]] = PAD
    return ranked


def _group(
    matrix: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Merge identical rows of a chunk: (flat prefs, row lengths, weights)."""
    rows = np.ascontiguousarray(matrix)
    keys = rows.view(np.dtype((np.void, rows.shape[1]))).reshape(-1)
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    first_sorted = np.sort(first)  # keep rows in order of first appearance
    counts = counts[np.argsort(first, kind="stable")]
    kept = rows[first_sorted]
    mask = kept != PAD
    return kept[mask].astype(np.int32), lengths[first_sorted], counts.astype(np.int64)


def generate(spec: SyntheticSpec) -> PackedBallots:
    """The ballots of ``spec`` as ``PackedBallots`` (same seed, same ballots)."""
    n = spec.candidates
    if not 1 <= n < PAD:
        raise ValueError(f"synthetic elections need 1..{PAD - 1} candidates, found {n}")
    rng = np.random.default_rng(spec.seed)
    base = rng.normal(0.0, 1.0, size=n)  # log-popularity: log-normal popularity
    blocs = max(2, min(8, n // 4))
    party = rng.integers(0, blocs, size=n)
    # Each bloc's voters see their party's candidates BLOC_BOOST times more popular.
    weight = np.exp(base)[None, :] * np.where(
        party[None, :] == np.arange(blocs)[:, None], np.exp(BLOC_BOOST), 1.0
    )
    cdf = np.cumsum(weight, axis=1)
    cdf /= cdf[:, -1:]
    bloc_share = np.bincount(party, weights=np.exp(base), minlength=blocs) + 1e-9
    bloc_share /= bloc_share.sum()
    prefs: list[npt.NDArray[np.int32]] = []
    lens: list[npt.NDArray[np.int64]] = []
    weights: list[npt.NDArray[np.int64]] = []
    left = spec.ballots
    while left > 0:
        size = min(CHUNK, left)
        matrix, lengths = _chunk(rng, size, cdf, bloc_share)
        p, ln, w = _group(matrix, lengths)
        prefs.append(p)
        lens.append(ln)
        weights.append(w)
        left -= size
    all_lengths = np.concatenate(lens) if lens else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(all_lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(all_lengths, out=offsets[1:])
    return PackedBallots(
        prefs=np.concatenate(prefs) if prefs else np.zeros(0, dtype=np.int32),
        offsets=offsets,
        weights=np.concatenate(weights) if weights else np.zeros(0, dtype=np.int64),
    )


def cache_path(spec: SyntheticSpec, cache: Path) -> Path:
    """Where the ballots of ``spec`` are kept between runs."""
    return cache / f"{spec.name}-s{spec.seed}-v{GENERATOR_VERSION}.npz"


def load_or_generate(spec: SyntheticSpec, cache: Path | None) -> tuple[PackedBallots, bool]:
    """The ballots of ``spec``, from the cache if they are there; and whether they were."""
    if cache is not None:
        path = cache_path(spec, cache)
        if path.exists():
            with np.load(path) as data:
                packed = PackedBallots(
                    prefs=data["prefs"], offsets=data["offsets"], weights=data["weights"]
                )
            return packed, True
    packed = generate(spec)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, prefs=packed.prefs, offsets=packed.offsets, weights=packed.weights)
        tmp.replace(path)
    return packed, False


def synthetic_election(spec: SyntheticSpec, cache: Path | None = None) -> Election:
    """The synthetic election of ``spec``, held only as packed arrays."""
    names = tuple(f"C{i + 1:03d}" for i in range(spec.candidates))
    packed, _ = load_or_generate(spec, cache)
    return Election.from_packed(names, spec.seats, packed, title=spec.name)


def checksum(packed: PackedBallots) -> str:
    """A short digest of the ballots, to check two processes counted the same election."""
    h = hashlib.sha256()
    for arr in (packed.prefs, packed.offsets, packed.weights):
        h.update(np.ascontiguousarray(arr).astype("<i8").tobytes())
    return h.hexdigest()[:16]
