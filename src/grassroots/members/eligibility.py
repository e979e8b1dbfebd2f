"""Eligibility ("good standing") as data: a rule set decides who may take part, and why not.

Source: DOMAIN.md "Members and eligibility": freeze date, arrears (paid-up-to on a date; some
meetings let members in arrears pay on the day), provisional period (e.g. 8 weeks), minimum
membership length (e.g. 6 months for some ballots), suspension, and branch. Every number is
configuration: a ``RuleSet`` is plain data (``to_dict``/``from_dict``) stored with the meeting or
ballot it governs.

Pure Python and numpy, no Django: ``decide`` answers for one member with reasons and fixes;
``evaluate`` answers for a whole electorate at once (vectorised) with counts per reason, and
agrees with ``decide`` member by member (a property test checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from grassroots.dates import day

__all__ = [
    "REASONS",
    "STATUSES",
    "Decision",
    "Electorate",
    "ElectorateResult",
    "MemberFacts",
    "RuleSet",
    "decide",
    "evaluate",
]

# Membership statuses (DOMAIN.md): the code of each is its index, used by the bulk arrays.
STATUSES: tuple[str, ...] = ("provisional", "full", "lapsed", "suspended", "expelled")
_CODE = {s: i for i, s in enumerate(STATUSES)}

# Reason keys, in the order they are checked and reported; ``Decision.keys`` uses them.
REASONS: tuple[str, ...] = (
    "status",
    "suspended",
    "branch",
    "freeze",
    "provisional",
    "min_length",
    "arrears",
)

# "no paid-up-to date recorded" in the bulk arrays (earlier than any real date)
_NEVER = -(2**31) + 1
_NEVER_ISO = "0001-01-01"  # before any real payment: as good as none, for ``from_iso``
_EPOCH = dt.date(1970, 1, 1).toordinal()  # numpy counts days from 1970-01-01


@dataclass(frozen=True)
class RuleSet:
    """The conditions a member must meet on ``on`` (every field optional except the date)."""

    on: dt.date
    freeze_date: dt.date | None = None
    paid_up_to: dt.date | None = None  # paid up to at least this date, else in arrears
    may_pay_on_day: bool = False
    provisional_days: int | None = None  # e.g. 56: 8 weeks after joining
    min_membership_days: int | None = None  # e.g. 183: six months' membership
    exclude_suspended: bool = True
    branch_id: int | None = None
    branch_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO strings)."""
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, dt.date):
                out[k] = v.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Read ``to_dict``'s output back; unknown keys are an error that names them."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"eligibility rules: unknown setting(s) {', '.join(sorted(unknown))}")
        values = dict(data)
        for k in ("on", "freeze_date", "paid_up_to"):
            if isinstance(values.get(k), str):
                values[k] = dt.date.fromisoformat(values[k])
        return cls(**values)

    def describe(self) -> tuple[str, ...]:
        """The rules in words, for the page that shows them."""
        out = []
        if self.exclude_suspended:
            out.append("not suspended, lapsed or expelled")
        else:
            out.append("not lapsed or expelled")
        if self.branch_id is not None:
            out.append(f"a member of {self.branch_name or f'unit {self.branch_id}'}")
        if self.freeze_date:
            out.append(f"joined on or before the freeze date {day(self.freeze_date)}")
        if self.provisional_days is not None:
            out.append(f"past the provisional period ({self.provisional_days} days after joining)")
        if self.min_membership_days is not None:
            out.append(f"a member for at least {self.min_membership_days} days on {day(self.on)}")
        if self.paid_up_to:
            pay = " (or pays on the day)" if self.may_pay_on_day else ""
            out.append(f"paid up to {day(self.paid_up_to)} or later{pay}")
        return tuple(out)


@dataclass(frozen=True)
class MemberFacts:
    """What the rules look at for one member."""

    join_date: dt.date
    status: str
    paid_up_to: dt.date | None
    branch_id: int | None
    branch_name: str = ""


@dataclass(frozen=True)
class Decision:
    """Whether a member may take part, the reasons why not, and how to put each right."""

    ok: bool
    reasons: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    keys: tuple[str, ...] = field(default=(), compare=False)
    # may take part only after paying on the day (arrears is the only obstacle)
    on_payment: bool = False


def _arrears_fix(paid_up_to: dt.date, on: dt.date, on_the_day: bool) -> str:
    """How to clear arrears, naming each date once (never "up to D before D")."""
    if paid_up_to == on:
        if on_the_day:
            return f"pay your arrears up to {day(on)}, at the latest on that day"
        return f"pay your arrears up to the day itself, before {day(on)}"
    when = f"on {day(on)} at the latest" if on_the_day else f"before {day(on)}"
    return f"pay your arrears up to {day(paid_up_to)}, {when}"


def decide(rules: RuleSet, m: MemberFacts) -> Decision:
    """Decide one member's eligibility under ``rules``, naming every reason that applies."""
    reasons: list[str] = []
    fixes: list[str] = []
    keys: list[str] = []
    on = rules.on
    if m.status not in _CODE:
        raise ValueError(f"member status {m.status!r} is not one of {', '.join(STATUSES)}")
    if m.status in ("lapsed", "expelled"):
        keys.append("status")
        reasons.append(f"membership {m.status}")
        if m.status == "lapsed":
            fixes.append("rejoin or pay your arrears to be readmitted")
    if m.status == "suspended" and rules.exclude_suspended:
        keys.append("suspended")
        reasons.append("membership suspended")
    if rules.branch_id is not None and m.branch_id != rules.branch_id:
        keys.append("branch")
        mine = m.branch_name or (f"unit {m.branch_id}" if m.branch_id is not None else "no branch")
        theirs = rules.branch_name or f"unit {rules.branch_id}"
        reasons.append(f"a member of {mine}, not of {theirs}")
    if rules.freeze_date is not None and m.join_date > rules.freeze_date:
        keys.append("freeze")
        reasons.append(f"joined {day(m.join_date)}, after the freeze date {day(rules.freeze_date)}")
    if rules.provisional_days is not None:
        full_from = m.join_date + dt.timedelta(days=rules.provisional_days)
        if full_from > on:
            keys.append("provisional")
            reasons.append(
                f"still in the provisional period: joined {day(m.join_date)}, "
                f"full member from {day(full_from)} ({rules.provisional_days} days)"
            )
    if rules.min_membership_days is not None:
        needed_from = m.join_date + dt.timedelta(days=rules.min_membership_days)
        if needed_from > on:
            keys.append("min_length")
            reasons.append(
                f"a member for {(on - m.join_date).days} days on {day(on)}, "
                f"needs {rules.min_membership_days} (joined {day(m.join_date)})"
            )
    if rules.paid_up_to is not None and (m.paid_up_to is None or m.paid_up_to < rules.paid_up_to):
        keys.append("arrears")
        paid = f"paid up to {day(m.paid_up_to)}" if m.paid_up_to else "no subscription recorded"
        reasons.append(f"in arrears: {paid}, must be paid up to {day(rules.paid_up_to)}")
        fixes.append(_arrears_fix(rules.paid_up_to, on, rules.may_pay_on_day))
    on_payment = rules.may_pay_on_day and keys == ["arrears"]
    return Decision(not keys, tuple(reasons), tuple(fixes), tuple(keys), on_payment)


# ---------------------------------------------------------------------------- bulk


@dataclass(frozen=True)
class Electorate:
    """A whole register as columns: dates as proleptic ordinals (``date.toordinal()``)."""

    join: npt.NDArray[np.int32]
    paid_up_to: npt.NDArray[np.int32]  # _NEVER where none is recorded
    status: npt.NDArray[np.int8]  # index into STATUSES
    branch: npt.NDArray[np.int32]  # -1 where none

    @classmethod
    def from_facts(cls, members: Sequence[MemberFacts]) -> Electorate:
        """Columns from a list of members (for tests and small registers)."""
        return cls.from_columns(
            [m.join_date for m in members],
            [m.paid_up_to for m in members],
            [m.status for m in members],
            [m.branch_id for m in members],
        )

    @classmethod
    def from_columns(
        cls,
        join: Sequence[dt.date],
        paid_up_to: Sequence[dt.date | None],
        status: Sequence[str],
        branch: Sequence[int | None],
    ) -> Electorate:
        """Columns from plain Python values (as a database query returns them)."""
        return cls(
            np.fromiter((d.toordinal() for d in join), np.int32, len(join)),
            np.fromiter(
                (_NEVER if d is None else d.toordinal() for d in paid_up_to),
                np.int32,
                len(paid_up_to),
            ),
            np.fromiter((_CODE[s] for s in status), np.int8, len(status)),
            np.fromiter((-1 if b is None else b for b in branch), np.int32, len(branch)),
        )

    @classmethod
    def from_iso(
        cls,
        join: Sequence[str],
        paid_up_to: Sequence[str | None],
        status: Sequence[str],
        branch: Sequence[int | None],
    ) -> Electorate:
        """Columns from ISO date strings, parsed by numpy: fast for a whole register."""
        paid = np.array([_NEVER_ISO if p is None else p for p in paid_up_to], dtype="datetime64[D]")
        return cls(
            (np.array(join, dtype="datetime64[D]").astype(np.int64) + _EPOCH).astype(np.int32),
            (paid.astype(np.int64) + _EPOCH).astype(np.int32),
            np.fromiter((_CODE[s] for s in status), np.int8, len(status)),
            np.fromiter((-1 if b is None else b for b in branch), np.int32, len(branch)),
        )

    def __len__(self) -> int:
        return len(self.join)


@dataclass(frozen=True)
class ElectorateResult:
    """Who may take part, and how many are held back by each reason (a member may have several)."""

    eligible: npt.NDArray[np.bool_]
    by_reason: dict[str, npt.NDArray[np.bool_]]
    on_payment: npt.NDArray[np.bool_]

    @property
    def total(self) -> int:
        return len(self.eligible)

    @property
    def eligible_count(self) -> int:
        return int(self.eligible.sum())

    def counts(self) -> dict[str, int]:
        """Members failing each rule (only the rules that apply)."""
        return {k: int(v.sum()) for k, v in self.by_reason.items()}


def evaluate(rules: RuleSet, e: Electorate) -> ElectorateResult:
    """Evaluate ``rules`` for every member at once; same answers as ``decide``, member by member."""
    on = rules.on.toordinal()
    fail: dict[str, npt.NDArray[np.bool_]] = {}
    fail["status"] = (e.status == _CODE["lapsed"]) | (e.status == _CODE["expelled"])
    if rules.exclude_suspended:
        fail["suspended"] = e.status == _CODE["suspended"]
    if rules.branch_id is not None:
        fail["branch"] = e.branch != rules.branch_id
    if rules.freeze_date is not None:
        fail["freeze"] = e.join > rules.freeze_date.toordinal()
    if rules.provisional_days is not None:
        fail["provisional"] = e.join.astype(np.int64) + rules.provisional_days > on
    if rules.min_membership_days is not None:
        fail["min_length"] = e.join.astype(np.int64) + rules.min_membership_days > on
    if rules.paid_up_to is not None:
        fail["arrears"] = e.paid_up_to < rules.paid_up_to.toordinal()
    blocked = np.zeros(len(e), dtype=np.bool_)
    others = np.zeros(len(e), dtype=np.bool_)
    for k, v in fail.items():
        blocked |= v
        if k != "arrears":
            others |= v
    if rules.may_pay_on_day and "arrears" in fail:
        on_payment = fail["arrears"] & ~others
    else:
        on_payment = np.zeros(len(e), dtype=np.bool_)
    return ElectorateResult(~blocked, fail, on_payment)
