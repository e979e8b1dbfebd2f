"""Demo meetings over the demo organisation: the home branch's bodies and a history of meetings.

Call ``seed()`` after ``grassroots.members.demo.seed``. It sets up the home branch's all-member
meeting, General Committee (delegates appointed by wards and the affiliated union branch) and
executive (papers for its members only), with a past General Committee and its papers, an
upcoming one with a paper published after the notice deadline, and an executive meeting;
then an open requisition with some signatures and the executive's decision not to hold a
nominating meeting (demo_record.py), and a ward's motion, carried and minuted at its own
meeting, sent to the coming General Committee (demo_branch.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.demo_branch import seed_branch_motion
from grassroots.meetings.demo_history import seed_history
from grassroots.meetings.demo_record import seed_record
from grassroots.meetings.models import Meeting
from grassroots.members.models import Member, Unit

__all__ = ["seed", "text_pdf"]

DAY = dt.timedelta(days=1)


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing ``title`` and ``lines`` (for demo papers)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 16 Tf 60 780 Td ({esc(title)}) Tj ET"]
    text += [
        f"BT /F1 11 Tf 60 {750 - 16 * i} Td ({esc(line)}) Tj ET" for i, line in enumerate(lines)
    ]
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(day: dt.datetime, hour: int, minute: int = 0) -> dt.datetime:
    local = timezone.localtime(day)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def seed(now: dt.datetime | None = None) -> list[Meeting]:
    """The home branch's bodies and meetings; returns the meetings created."""
    now = now or timezone.now()
    secretary = Member.objects.filter(number="D900001").select_related("branch").first()
    if secretary is None:
        raise actions.ActionRefused("seed the demo organisation first")
    home = secretary.branch  # the demo's home branch, where its officers are
    today = timezone.localdate(now)
    everyone = actions.create_body(
        unit=home,
        kind="all_member",
        name=f"{home.name} all-member meeting",
        by=None,
        quorum_number=15,
        quorum_fraction="1/20",
        quorum_combine="either",
        attend_rules={"provisional_days": 56},
        visitors_admitted=True,
        requisition_members=20,
        requisition_call_within_days=21,
        late_cutoff_minutes=15,
        debate_limit_minutes=30,
    )
    gc = actions.create_body(
        unit=home,
        kind="general_committee",
        name=f"{home.name} General Committee",
        by=None,
        quorum_fraction="1/3",
        late_cutoff_minutes=30,
        requisition_branches_fraction="1/3",
    )
    executive = actions.create_body(
        unit=home,
        kind="executive",
        name=f"{home.name} Executive Committee",
        by=None,
        quorum_number=4,
        notice_amount=5,
        papers_public=False,
    )
    wards = list(Unit.objects.filter(kind="ward", parent=home).order_by("code"))
    union = Unit.objects.filter(kind="affiliate", parent=home).first()
    ordinary = list(
        Member.objects.filter(branch=home, status="full").exclude(number__startswith="D9")[:8]
    )
    named = {
        m.number: m for m in Member.objects.filter(number__in=["D900001", "D900002", "D900003"])
    }
    appointed = today - 90 * DAY
    delegates = [named["D900001"], named["D900003"], *ordinary[:6]]
    for i, m in enumerate(delegates):
        by_unit = (
            union if (union is not None and i == len(delegates) - 1) else wards[i % len(wards)]
        )
        actions.appoint(
            gc,
            m,
            by=None,
            role="Delegate",
            represents=by_unit,
            appointed_by=f"{by_unit.name} AGM",
            on=appointed,
        )
    officers = [(named["D900002"], "Chair"), (named["D900001"], "Secretary")]
    officers += list(zip(ordinary[6:8], ["Treasurer", "Women's officer"], strict=False))
    for m, role in officers:
        actions.appoint(executive, m, by=None, role=role, on=appointed)

    made = []
    past = actions.call_meeting(
        gc,
        title="General Committee, last month",
        start=_at(now - 30 * DAY, 19, 30),
        by=None,
        items=["Apologies", "Minutes of the previous meeting", "Campaign plan for the spring"],
        place=f"{home.name.replace(' Branch', '')} Community Centre",
        now=now - 45 * DAY,
    )
    actions.add_paper(
        past.items.get(position=3),
        title="Spring campaign plan",
        name="spring-campaign.pdf",
        data=text_pdf("Spring campaign plan", ["Door-knocking every Saturday.", "Two stalls."]),
        by=None,
        now=now - 44 * DAY,
    )
    made.append(past)

    upcoming = actions.call_meeting(
        gc,
        title="General Committee",
        start=_at(now + 5 * DAY, 19, 30),
        by=None,
        items=[
            "Apologies",
            "Minutes of the previous meeting",
            "Nominations for the National Executive",
            "Treasurer's report",
        ],
        place=f"{home.name.replace(' Branch', '')} Community Centre",
        join_url="https://meet.example.org/demo-general-committee",
        now=now - 10 * DAY,
    )
    actions.add_paper(
        upcoming.items.get(position=2),
        title="Minutes of the previous meeting",
        name="minutes.pdf",
        data=text_pdf("Minutes", ["Present: 6 delegates.", "The spring plan was agreed."]),
        by=None,
        now=now - 10 * DAY,
    )
    actions.add_paper(
        upcoming.items.get(position=4),
        title="Treasurer's report",
        name="treasurers-report.pdf",
        data=text_pdf("Treasurer's report", ["Balance brought forward: 1,204.50"]),
        by=None,
        reason="the bank statement arrived after the notice went out",
        now=now - DAY,
    )
    made.append(upcoming)

    made.append(
        actions.call_meeting(
            executive,
            title="Executive Committee",
            start=_at(now + 12 * DAY, 18, 0),
            by=None,
            items=["Budget for next year", "Room bookings"],
            place="Branch office",
            now=now - 2 * DAY,
        )
    )
    actions.add_paper(
        made[-1].items.get(position=1),
        title="Draft budget",
        name="draft-budget.pdf",
        data=text_pdf("Draft budget", ["Room hire: 600.00", "Leaflets: 450.00"]),
        by=None,
        now=now - 2 * DAY,
    )
    made.append(
        actions.call_meeting(
            everyone,
            title="Annual general meeting",
            purpose="ordinary",
            start=_at(now + 21 * DAY, 19, 0),
            by=None,
            items=["Annual report", "Election of officers", "Motions"],
            place=f"{home.name.replace(' Branch', '')} Community Centre",
            join_url="https://meet.example.org/demo-agm",
            now=now,
        )
    )
    seed_record(everyone, executive, now)  # an open requisition, a decision not to meet
    # past General Committees held, with votes and minutes; an online meeting in progress
    made.append(seed_history(gc=gc, past=past, upcoming=upcoming, home=home, now=now))
    # a ward's motion, carried and minuted at its own meeting, sent to the coming GC
    seed_branch_motion(home=home, gc_meeting=upcoming, now=now)
    return made
