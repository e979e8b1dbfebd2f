"""Demo requisition and decision not to meet, over the demo meetings (meetings/demo.py).

An open requisition of the home branch's all-member meeting with some signatures (the demo
member "member" has not signed: a visitor can sign as them), and the executive's recorded
decision not to hold a nominating meeting, with those present, the vote and the reason.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Body, DecisionNotToMeet, Requisition
from grassroots.meetings.signing import may_sign
from grassroots.members.models import Member

__all__ = ["seed_record"]

DAY = dt.timedelta(days=1)
SIGNERS = 7  # of the 20 the all-member meeting's rule needs


def seed_record(
    everyone: Body, executive: Body, now: dt.datetime
) -> tuple[Requisition, DecisionNotToMeet]:
    """The open requisition and the decision not to hold a nominating meeting."""
    today = timezone.localdate(now)
    home = everyone.unit
    ordinary = [
        m
        for m in Member.objects.filter(branch=home, status="full")
        .exclude(number__startswith="D9")
        .order_by("number")[:40]
        if may_sign(m, everyone, today)[0]
    ]
    first, *others = ordinary[:SIGNERS]
    r = actions.start_requisition(
        everyone,
        purpose="Reverse the decision to close the branch office",
        text=(
            "We, members of the branch, ask the secretary to call a special all-member "
            "meeting to reconsider the executive's decision to give up the branch office, "
            "and to hear the costs of keeping it."
        ),
        by=None,
        member=first,
        now=now - 9 * DAY,
    )
    for i, m in enumerate(others, start=1):
        actions.sign_requisition(r, by=None, member=m, now=now - (9 - i) * DAY)
    present = [s.member for s in executive.seats.select_related("member").order_by("pk")]
    against = 1 if len(present) >= 3 else 0  # one dissent where the (small) demo allows it
    decision = actions.record_decision_not_to_meet(
        executive,
        what="an all-member nominating meeting for the National Executive election",
        purpose="nominating",
        decided_on=today - 6 * DAY,
        present=present,
        votes_for=len(present) - against,
        votes_against=against,
        abstentions=0,
        reason=(
            "No hall could be booked before nominations close; the executive judged an "
            "online-only meeting would exclude members without internet access."
        ),
        by=None,
        now=now - 6 * DAY,
    )
    return r, decision
