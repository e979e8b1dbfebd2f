"""Demo: a ward of the home branch meets, carries a motion, minutes it, and its secretary
sends the motion to the coming General Committee, where it shows the ward and its decision.

Called from ``meetings.demo.seed`` once the General Committee to come is called. The ward's
secretary has a login (``wardsec``) to send another from the ward's page.
"""

from __future__ import annotations

import datetime as dt

from grassroots.meetings import actions
from grassroots.meetings.entitlement import entitled_ids
from grassroots.meetings.models import Meeting, Motion
from grassroots.members import actions as member_actions
from grassroots.members.demo import DEMO_PASSWORD, DemoLogin
from grassroots.members.models import Member, Unit

__all__ = ["demo_logins", "seed_branch_motion"]

DAY = dt.timedelta(days=1)
MIN = dt.timedelta(minutes=1)
LOGIN = "wardsec"


def seed_branch_motion(*, home: Unit, gc_meeting: Meeting, now: dt.datetime) -> Motion:
    """The ward's meeting and minutes, and its motion sent to ``gc_meeting``."""
    ward = Unit.objects.filter(kind="ward", parent=home).order_by("code")
    east = ward.filter(code__endswith="-east").first() or ward.first()
    assert east is not None, "the demo's home branch has wards"
    body = actions.create_body(
        unit=east, kind="branch", name=f"{east.name} meeting", by=None, quorum_number=1
    )
    start = (now - 12 * DAY).replace(hour=19, minute=0, second=0, microsecond=0)
    meeting = actions.call_meeting(
        body,
        title=f"{east.name} meeting",
        start=start,
        by=None,
        items=["Motions to the General Committee"],
        place="Ward office",
        now=now - 30 * DAY,
    )
    entitled = set(entitled_ids(body, start.date()))
    present = list(Member.objects.filter(pk__in=entitled).order_by("number")[:6])
    title = "Keep the evening buses"
    text = (
        "This General Committee calls on the county council to keep the evening bus "
        "services to the estates, and asks the branch's councillors to vote against the cut."
    )
    if not present:  # a very small demo: the ward met, but not on the record here
        return actions.send_branch_motion(
            gc_meeting,
            branch=east,
            by=None,
            title=title,
            text=text,
            decided_on=start.date(),
            decision_note=f"{east.name} meeting, carried unanimously",
            now=now - 3 * DAY,
        )
    motion = actions.submit_motion(
        meeting,
        title=title,
        text=text,
        by=None,
        mover=present[0],
        seconder=present[1] if len(present) > 1 else None,
        now=now - 20 * DAY,
    )
    if len(present) == 1:
        motion.seconder = None
        body.motions_seconded = False  # one member present: the ward's rules need no seconder
        body.save(update_fields=["motions_seconded"])
    for p in present:
        actions.check_in(meeting, p, by=None, now=start - 5 * MIN)
    actions.open_meeting(meeting, by=None, now=start)
    vote = actions.open_vote(meeting, motion=motion, by=None, now=start + 10 * MIN)
    against = 1 if len(present) > 3 else 0
    actions.record_hands(vote, for_=len(present) - against, against=against, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=start + 15 * MIN)
    actions.close_meeting(meeting, by=None, now=start + 60 * MIN)
    minutes = actions.draft_minutes(meeting, by=None, now=start + DAY)
    actions.circulate_minutes(minutes, by=None, now=start + 2 * DAY)
    motion.refresh_from_db()
    user = member_actions.create_login(
        username=LOGIN, password=DEMO_PASSWORD, email=f"{LOGIN}@example.org", by=None
    )
    member_actions.grant_role(user=user, kind="branch_secretary", unit=east, by=None, reason="demo")
    return actions.send_branch_motion(
        gc_meeting, branch=east, by=user, forwards=motion, now=now - 3 * DAY
    )


def demo_logins() -> list[DemoLogin]:
    """The ward secretary's login, where the demo made it."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=LOGIN).first()
    if user is None:
        return []
    ward = user.roles.select_related("unit").first()  # type: ignore[attr-defined]
    return [DemoLogin(LOGIN, f"branch secretary of {ward.unit.name}" if ward else "")]
