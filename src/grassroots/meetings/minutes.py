"""A first draft of a meeting's minutes, written from its record so nothing is retyped: who was
there, the quorum, each item, every motion with its mover and outcome, every vote's result."""

from __future__ import annotations

from django.db.models import Count, Q

from grassroots.meetings.models import Meeting, Motion

__all__ = ["draft_from_record"]


def draft_from_record(meeting: Meeting) -> str:
    """The minutes as the record has them; the secretary adds the discussion."""
    zone = meeting.body.zone()
    start = meeting.local_start()
    where = ", ".join(w for w in (meeting.place, "online" if meeting.join_url else "") if w)
    lines = [
        f"Minutes of {meeting.title}, {meeting.body.name}",
        f"Held {start:%A %d %B %Y}, from {start:%H:%M}" + (f", {where}" if where else "") + ".",
        f"Notice given {meeting.called_at.astimezone(zone):%d %B %Y}"
        + (f" (at short notice: {meeting.short_notice_reason})" if meeting.short_notice else "")
        + ".",
    ]
    counts = meeting.attendance.aggregate(
        voters=Count("pk", filter=Q(may_vote=True)),
        visitors=Count("pk", filter=Q(may_vote=False)),
        door=Count("pk", filter=Q(may_vote=True, how="door")),
        online=Count("pk", filter=Q(may_vote=True, how="online")),
        paid=Count("pk", filter=Q(paid_on_day=True)),
    )
    lines.append(
        f"Present: {counts['voters']} with a vote ({counts['door']} in person, "
        f"{counts['online']} online; {counts['paid']} paid on the day), "
        f"{counts['visitors']} without a vote."
    )
    if meeting.opened_at:
        lines.append(f"The chair opened the meeting at {meeting.opened_at.astimezone(zone):%H:%M}.")
    lines.append("")
    for item in meeting.items.all():
        late = " (late item)" if item.late else ""
        lines.append(f"{item.position}. {item.title}{late}")
        for paper in item.papers.all():
            lines.append(f"   Paper: {paper.title} (SHA-256 {paper.sha256[:16]}…)")
        for motion in item.motions.all():
            lines.append(f"   {_motion(motion)}")
    unfiled = meeting.motions.filter(item__isnull=True)
    if unfiled.exists():
        lines += ["", "Motions"] + [f"   {_motion(m)}" for m in unfiled]
    votes = meeting.votes.filter(closed_at__isnull=False).order_by("closed_at")
    if votes.exists():
        lines += ["", "Votes"]
        for v in votes:
            result = "carried" if v.carried else "not carried"
            inquorate = f" Taken inquorate: {v.inquorate_reason}." if v.inquorate_reason else ""
            lines.append(
                f"   {v.question} ({v.get_method_display().lower()}): {result}. "
                f"{v.working}.{inquorate}"
            )
    if meeting.closed_at:
        lines += ["", f"The meeting closed at {meeting.closed_at.astimezone(zone):%H:%M}."]
    return "\n".join(lines)


def _motion(m: Motion) -> str:
    who = m.moved_by()
    seconded = f", seconded by {m.seconder.name}" if m.seconder else ""
    outcome = m.get_state_display().lower()
    return f"{m.get_kind_display()} “{m.title}”, moved by {who}{seconded}: {outcome}."
