"""Every change to meetings: atomic, checked against the body's rules and roles, and audited.

Each action refuses with ``ActionRefused`` (a ``ValueError``) naming the precondition that is
not met. ``by=None`` is the trusted operator at the command line (demo seeding).
"""

from grassroots.meetings.actions._common import ActionRefused
from grassroots.meetings.actions.attendance import (
    admit_visitor,
    check_in,
    close_meeting,
    leave,
    open_meeting,
)
from grassroots.meetings.actions.ballots import close_and_count, hold_ballot
from grassroots.meetings.actions.bodies import appoint, create_body
from grassroots.meetings.actions.branch_motions import send_branch_motion
from grassroots.meetings.actions.calling import add_item, add_paper, call_meeting, cancel_meeting
from grassroots.meetings.actions.decisions import record_decision_not_to_meet
from grassroots.meetings.actions.motions import (
    amend,
    composite,
    forward,
    propose_procedure,
    second_motion,
    submit_motion,
    support_motion,
    withdraw,
)
from grassroots.meetings.actions.nominating import propose_nomination
from grassroots.meetings.actions.notices import (
    deliver_cancellation,
    deliver_notice,
    send_cancellation,
    send_notice,
    start_cancellation,
    start_notice,
)
from grassroots.meetings.actions.record import (
    circulate_minutes,
    correct_minutes,
    draft_minutes,
    edit_minutes,
    propose_approval,
)
from grassroots.meetings.actions.requisitions import (
    call_requisitioned_meeting,
    sign_requisition,
    start_requisition,
    withdraw_signature,
)
from grassroots.meetings.actions.speakers import ask_to_speak, call_next
from grassroots.meetings.actions.votes import cast_online, close_vote, open_vote, record_hands

__all__ = [
    "ActionRefused",
    "add_item",
    "add_paper",
    "admit_visitor",
    "amend",
    "appoint",
    "ask_to_speak",
    "call_meeting",
    "call_next",
    "call_requisitioned_meeting",
    "cancel_meeting",
    "cast_online",
    "check_in",
    "circulate_minutes",
    "close_and_count",
    "close_meeting",
    "close_vote",
    "composite",
    "correct_minutes",
    "create_body",
    "deliver_cancellation",
    "deliver_notice",
    "draft_minutes",
    "edit_minutes",
    "forward",
    "hold_ballot",
    "leave",
    "open_meeting",
    "open_vote",
    "propose_approval",
    "propose_nomination",
    "propose_procedure",
    "record_decision_not_to_meet",
    "record_hands",
    "second_motion",
    "send_branch_motion",
    "send_cancellation",
    "send_notice",
    "sign_requisition",
    "start_cancellation",
    "start_notice",
    "start_requisition",
    "submit_motion",
    "support_motion",
    "withdraw",
    "withdraw_signature",
]
