"""A member's place in each election before and during voting, for their standing page.

Read side only. Before voting opens, the election's rules are applied to the member as they
stand today: what would keep them off the roll and how to put it right. Once voting is open,
the frozen roll decides; a member left off it is shown the rules' reasons as they stand now,
since those are what they can act on next time.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.elections.models import Election, RollEntry, VoterRecord
from grassroots.members.eligibility import Decision, RuleSet, decide
from grassroots.members.models import Member
from grassroots.members.sections import Section

__all__ = ["ElectionStanding", "election_rules", "member_elections", "section"]


def election_rules(election: Election) -> RuleSet:
    """The election's eligibility rules, with its freeze date (the roll's cut-off) applied."""
    rules = RuleSet.from_dict(election.eligibility)
    if rules.freeze_date != election.freeze_date:
        rules = RuleSet.from_dict({**election.eligibility, "freeze_date": election.freeze_date})
    return rules


@dataclass(frozen=True)
class ElectionStanding:
    """One election as it concerns one member."""

    election: Election
    decision: Decision  # the election's rules applied to the member's record today
    on_roll: bool | None  # None until voting opens and the roll is frozen
    voted: bool

    @property
    def may_vote_now(self) -> bool:
        return self.election.state == "voting" and bool(self.on_roll) and not self.voted


def member_elections(member: Member) -> list[ElectionStanding]:
    """Every election being prepared or open whose electorate covers the member's branch."""
    branch_path = member.branch.path
    facts = member.facts()
    out = []
    for e in Election.objects.filter(state__in=("draft", "voting")).select_related("unit"):
        if not branch_path.startswith(e.unit.path):
            continue
        on_roll = None
        voted = False
        if e.state == "voting":
            on_roll = RollEntry.objects.filter(election=e, member=member).exists()
            voted = VoterRecord.objects.filter(election=e, member=member).exists()
        out.append(ElectionStanding(e, decide(election_rules(e), facts), on_roll, voted))
    return out


def section(member: Member) -> Section:
    """The elections part of the member's standing page."""
    return Section(
        title="Elections",
        template="elections/_standing.html",
        items=member_elections(member),
        empty="There is no election being prepared or open that your branch takes part in.",
    )
