"""The PyPI peers (VoteKit, pyrankvote): which of their rules stands beside which of ours.

VoteKit 3.5.0 pins numba 0.62.1, which needs numpy < 2.4, while grassroots pins numpy 2.4.6,
so the peers cannot share the project's environment. They live in their own virtualenv,
made once with::

    .venv/bin/python -m venv bench/.peers
    bench/.peers/bin/pip install votekit==3.5.0 pyrankvote==2.0.6

and the worker runs there with this tree on ``PYTHONPATH`` (it needs only numpy from it).

The peers' rules are not ours, so their elected sets may differ:

* ``scottish`` ~ VoteKit ``FastSTV`` (Droop quota, fractional (Gregory) transfer of all
  papers, in floating point, several winners per round) and pyrankvote
  ``single_transferable_vote`` (quota votes/(seats+1) with no +1, floating point).
* ``irv`` ~ VoteKit ``FastIRV`` and pyrankvote ``instant_runoff_voting``.
* ``fptp`` ~ VoteKit ``Plurality``; ``block`` ~ VoteKit ``BlockPlurality``;
  ``borda`` ~ VoteKit ``Borda`` (score vector n, n-1, ..., 1 over the longest ranking).
* ``meek``, ``warren`` and ``ers97`` have no peer in either package.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["PEERS", "peer_python", "peer_versions"]

REPO = Path(__file__).resolve().parents[1]
PEER_VENV = REPO / "bench" / ".peers"

# our rule -> ((peer engine, peer rule), ...)
PEERS: dict[str, tuple[tuple[str, str], ...]] = {
    "scottish": (("votekit", "FastSTV"), ("pyrankvote", "single_transferable_vote")),
    "irv": (("votekit", "FastIRV"), ("pyrankvote", "instant_runoff_voting")),
    "fptp": (("votekit", "Plurality"),),
    "block": (("votekit", "BlockPlurality"),),
    "borda": (("votekit", "Borda"),),
}


def peer_python(explicit: str | None = None) -> str | None:
    """The interpreter that has the peers installed, or None if there is none."""
    candidates = [explicit] if explicit else [str(PEER_VENV / "bin" / "python")]
    for python in candidates:
        if python and _has_peers(python):
            return python
    return None


def _has_peers(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import votekit, pyrankvote"], capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def peer_versions(python: str) -> dict[str, str]:
    """Installed versions of the peers and of numpy in the peer interpreter."""
    code = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({p: m.version(p) for p in ('votekit', 'pyrankvote', 'numpy', 'numba')}))"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return {}
    import json

    return {f"peer_{k}": v for k, v in json.loads(done.stdout).items()}
