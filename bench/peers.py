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

Two established counting programs stand beside the whole ``grassroots count`` command (file
to result, ``bench/bench_whole.py``), as optional peers skipped with a message when absent:
OpenSTV 1.7 (``runElection.py``, under Python 2.7) and Droop 0.14 (``Droop.py``, under Python
3.11). Neither is on PyPI. Their code is never part of this repository: ``install_programs``
copies a checkout of each (OpenSTV: Conservatory/openstv at 2a267a4; Droop: jklundell/droop at
cf58293, both public repositories) into a cache folder outside the tree,
``$GRASSROOTS_PEER_CACHE`` or ``~/.cache/grassroots/peers``::

    .venv/bin/python -m bench.peers install --openstv PATH --droop PATH

where each PATH is a checkout or a bare git directory of that repository (a git directory is
exported at the commit above). The interpreters are ``$OPENSTV_PYTHON`` (default: pyenv's
2.7.18, else ``python2.7`` on the PATH) and ``$DROOP_PYTHON`` (default: pyenv's 3.11.*, else
this interpreter when it is 3.11).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "PEERS",
    "PROGRAMS",
    "Program",
    "install_programs",
    "peer_python",
    "peer_versions",
    "program_cache",
    "programs",
]

REPO = Path(__file__).resolve().parents[1]
PEER_VENV = REPO / "bench" / ".peers"
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


@dataclass(frozen=True)
class Program:
    """An established counting program run as a command on a BLT file."""

    name: str  # e.g. "openstv-1.7"
    label: str  # "OpenSTV 1.7"
    folder: str  # its folder in the cache
    commit: str  # the commit of its public repository that is installed
    script: str  # the script to run, inside the folder
    rule_args: tuple[str, ...]  # the arguments choosing the Scottish STV rule
    python_env: str  # the environment variable naming its interpreter
    python_default: tuple[str, ...]  # interpreters tried otherwise (glob patterns, names)
    python_version: str  # the version it must report, "2.7" or "3.11"


PROGRAMS = (
    Program(
        "openstv-1.7",
        "OpenSTV 1.7",
        "openstv-1.7",
        "2a267a4",
        "openstv/runElection.py",
        ("-t", "index", "ScottishSTV"),
        "OPENSTV_PYTHON",
        (str(PYENV / "2.7.18" / "bin" / "python"), "python2.7"),
        "2.7",
    ),
    Program(
        "droop-0.14",
        "Droop 0.14",
        "droop-0.14",
        "cf58293",
        "Droop.py",
        ("scotland",),
        "DROOP_PYTHON",
        (str(PYENV / "3.11.*" / "bin" / "python"), "python3.11"),
        "3.11",
    ),
)


def program_cache() -> Path:
    """The folder outside the tree that holds the peer programs."""
    default = Path.home() / ".cache" / "grassroots" / "peers"
    return Path(os.environ.get("GRASSROOTS_PEER_CACHE", default))


def _interpreter(program: Program) -> str | None:
    explicit = os.environ.get(program.python_env)
    tries = [explicit] if explicit else []
    for pattern in program.python_default:
        if "*" in pattern:
            tries.extend(str(p) for p in sorted(Path("/").glob(pattern.lstrip("/"))))
        else:
            tries.append(shutil.which(pattern) or pattern)
    if sys.version_info[:2] == tuple(int(x) for x in program.python_version.split(".")):
        tries.append(sys.executable)
    for python in tries:
        try:
            done = subprocess.run(
                [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.strip() == program.python_version:
            return python
    return None


def programs() -> tuple[dict[str, list[str]], dict[str, str]]:
    """The command prefix of each installed peer program, and why each other one is skipped.

    A command is completed by appending the BLT file's path.
    """
    ready: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    for program in PROGRAMS:
        script = program_cache() / program.folder / program.script
        if not script.is_file():
            skipped[program.name] = (
                f"{program.label} is not installed ({script} is absent); see bench/peers.py"
            )
            continue
        python = _interpreter(program)
        if python is None:
            skipped[program.name] = (
                f"{program.label} needs Python {program.python_version}: none found "
                f"(set {program.python_env})"
            )
            continue
        ready[program.name] = [python, str(script), *program.rule_args]
    return ready, skipped


def _copy_tree(source: Path, commit: str, target: Path) -> None:
    """Copy a checkout, or export a git directory at ``commit``, into ``target``."""
    git_dir = source if (source / "HEAD").is_file() and (source / "objects").is_dir() else None
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staging = Path(tmp) / "tree"
        if git_dir is not None:
            staging.mkdir()
            archive = subprocess.run(
                ["git", f"--git-dir={git_dir}", "archive", commit],
                capture_output=True,
                check=True,
            )
            subprocess.run(["tar", "-x", "-C", str(staging)], input=archive.stdout, check=True)
        else:
            shutil.copytree(source, staging, ignore=shutil.ignore_patterns(".git"))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)


def install_programs(sources: dict[str, Path]) -> None:
    """Install the peer programs named in ``sources`` (name -> checkout or git directory)."""
    cache = program_cache()
    cache.mkdir(parents=True, exist_ok=True)
    for program in PROGRAMS:
        source = sources.get(program.name)
        if source is None:
            continue
        _copy_tree(source, program.commit, cache / program.folder)
        print(f"{program.label}: installed in {cache / program.folder}")


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


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.peers install --openstv PATH --droop PATH``; ``check`` lists them."""
    parser = argparse.ArgumentParser(description="Install or check the peer programs.")
    parser.add_argument("action", choices=("install", "check"))
    parser.add_argument("--openstv", type=Path, help="checkout or git directory of OpenSTV")
    parser.add_argument("--droop", type=Path, help="checkout or git directory of Droop")
    args = parser.parse_args(argv)
    if args.action == "install":
        given = {"openstv-1.7": args.openstv, "droop-0.14": args.droop}
        install_programs({k: v for k, v in given.items() if v is not None})
    ready, skipped = programs()
    for name, command in ready.items():
        print(f"{name}: {' '.join(command)} FILE")
    for name, why in skipped.items():
        print(f"{name}: skipped: {why}")


if __name__ == "__main__":
    main()
