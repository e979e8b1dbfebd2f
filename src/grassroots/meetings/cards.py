"""Card votes' cards, from the data: a branch's card is its membership on the register, an
affiliate's its affiliated membership on record; never a figure typed at the meeting."""

from __future__ import annotations

import datetime as dt

from grassroots.meetings.models import Meeting, Seat
from grassroots.members.models import Affiliation, Member, Unit

__all__ = ["CardError", "cards_for"]

IN_MEMBERSHIP = ("full", "provisional")  # the statuses a branch's card counts


class CardError(ValueError):
    """A card vote cannot be taken: the message names the body whose card is unknown."""


def _card(unit: Unit, day: dt.date) -> tuple[int, str]:
    if unit.kind == "affiliate":
        record = Affiliation.objects.filter(unit=unit, as_of__lte=day).order_by("-as_of").first()
        if record is None:
            raise CardError(f"{unit.name} has no affiliated membership on record for its card")
        return record.members, f"affiliated membership {record.members} at {record.as_of}"
    members = Member.objects.filter(status__in=IN_MEMBERSHIP)
    if unit.kind == "ward":  # members name their ward beside their branch
        n = members.filter(ward=unit).count()
    else:
        n = members.filter(branch__path__startswith=unit.path).count()
    return n, f"{n} members on the register"


def cards_for(meeting: Meeting) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """(cards by unit code, each seat-holder's member number → unit code, how each card was got)."""
    day = meeting.local_start().date()
    seats = [
        s
        for s in Seat.objects.filter(body=meeting.body).select_related("represents", "member")
        if s.holds_on(day) and s.represents is not None
    ]
    if not seats:
        raise CardError(f"the {meeting.body.name} has no delegations: a card vote needs them")
    cards: dict[str, int] = {}
    how: dict[str, str] = {}
    delegates: dict[str, str] = {}
    for s in seats:
        unit = s.represents
        assert unit is not None
        if unit.code not in cards:
            cards[unit.code], how[unit.code] = _card(unit, day)
        delegates[s.member.number] = unit.code
    return cards, delegates, how
