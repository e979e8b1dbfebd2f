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

__all__ = [
    "ElectionStanding",
    "covers",
    "election_rules",
    "member_election",
    "member_elections",
    "section",
]


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


def covers(election: Election, member: Member) -> bool:
    """Whether the election's electorate (its unit's members) includes the member's branch."""
    return member.branch.path.startswith(election.unit.path)


def member_election(member: Member, election: Election) -> ElectionStanding:
    """One election as it concerns the member: the rules' decision, the roll, whether voted."""
    on_roll = None
    voted = False
    if election.state != "draft":
        on_roll = RollEntry.objects.filter(election=election, member=member).exists()
        voted = VoterRecord.objects.filter(election=election, member=member).exists()
    return ElectionStanding(
        election, decide(election_rules(election), member.facts()), on_roll, voted
    )


def member_elections(member: Member) -> list[ElectionStanding]:
    """Every election being prepared or open whose electorate covers the member's branch."""
    shown = Election.objects.filter(state__in=("draft", "voting"), announced_at__isnull=False)
    return [member_election(member, e) for e in shown.select_related("unit") if covers(e, member)]


def section(member: Member) -> Section:
    """The elections part of the member's standing page."""
    return Section(
        title="Elections",
        template="elections/_standing.html",
        items=member_elections(member),
        empty="There is no election being prepared or open that your branch takes part in.",
    )
