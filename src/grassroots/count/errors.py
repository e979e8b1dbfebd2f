"""Errors raised by the counting engine.

The tree::

    GrassrootsError
     ├── InputError (also ValueError)        bad input from a user or a file
     │    ├── BallotFileError                a ballot file is malformed: names file, line, problem
     │    ├── UnknownRuleError               no rule set by that name
     │    └── ConstraintError                constraints that cannot be met or are malformed
     └── CountError                          the count broke an invariant (a bug, never bad input)

Front ends (the CLI, the web app) catch ``InputError`` and show its message as it is.
"""

from __future__ import annotations

__all__ = [
    "BallotFileError",
    "ConstraintError",
    "CountError",
    "GrassrootsError",
    "InputError",
    "UnknownRuleError",
]


class GrassrootsError(Exception):
    """Base of every error grassroots raises on purpose."""


class InputError(GrassrootsError, ValueError):
    """Input from a person or a file that cannot be used as it is."""


class BallotFileError(InputError):
    """A ballot file is malformed; the message says where and what."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class UnknownRuleError(InputError):
    """No rule set has the name asked for."""


class ConstraintError(InputError):
    """Representation constraints are malformed or cannot be met."""


class CountError(GrassrootsError):
    """The count broke one of its own invariants: a defect, never the user's fault."""
