"""Thin views: a unit's meetings, one meeting's record, calling a meeting, its agenda and papers."""

from grassroots.meetings.views.agenda import cancel, item_add, paper_add
from grassroots.meetings.views.branch_motions import branch_motion_send, branch_motions
from grassroots.meetings.views.decisions import decision_detail, decision_new
from grassroots.meetings.views.door import door, door_check_in, door_visitor
from grassroots.meetings.views.live import cast, chair, check_in_online, leave, live, live_panel
from grassroots.meetings.views.public import (
    meeting_calendar,
    meeting_detail,
    paper_file,
    unit_calendar,
    unit_meetings,
)
from grassroots.meetings.views.record import (
    minutes,
    motion_amend,
    motion_new,
    motion_second,
    motion_support,
    speak,
)
from grassroots.meetings.views.requisitions import (
    requisition_branch_sign,
    requisition_call,
    requisition_detail,
    requisition_new,
    requisition_sign,
    requisition_withdraw,
)
from grassroots.meetings.views.secretary import meeting_new

__all__ = [
    "branch_motion_send",
    "branch_motions",
    "cancel",
    "cast",
    "chair",
    "check_in_online",
    "decision_detail",
    "decision_new",
    "door",
    "door_check_in",
    "door_visitor",
    "item_add",
    "leave",
    "live",
    "live_panel",
    "meeting_calendar",
    "meeting_detail",
    "meeting_new",
    "minutes",
    "motion_amend",
    "motion_new",
    "motion_second",
    "motion_support",
    "paper_add",
    "paper_file",
    "requisition_branch_sign",
    "requisition_call",
    "requisition_detail",
    "requisition_new",
    "requisition_sign",
    "requisition_withdraw",
    "speak",
    "unit_calendar",
    "unit_meetings",
]
