"""The counting engine: ballots in, a stage-by-stage result out. Pure Python, no Django."""

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import BallotFileError, CountError, GrassrootsError, InputError
from grassroots.count.rules import RULES, CountOptions, count, rule_names
from grassroots.count.stages import CountResult, Stage

__all__ = [
    "RULES",
    "BallotFileError",
    "Constraint",
    "ConstraintSet",
    "CountError",
    "CountOptions",
    "CountResult",
    "Election",
    "GrassrootsError",
    "InputError",
    "Stage",
    "count",
    "election_from_rankings",
    "rule_names",
]
