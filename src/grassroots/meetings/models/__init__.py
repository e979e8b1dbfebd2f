"""The meetings app's models, one module per concept: bodies and seats; meetings, agenda items,
papers and notices; the business (attendance, motions, votes); the record (requisitions,
decisions not to meet, minutes); the floor (speakers, secret ballots).

Nothing here is ever deleted: a cancelled meeting keeps its record, a replaced paper keeps its
earlier version (each stored with its content hash and the moment it was published).
"""

from grassroots.meetings.models.bodies import BODY_KINDS, SEATED_KINDS, Body, Seat
from grassroots.meetings.models.business import (
    Attendance,
    Motion,
    MotionSupport,
    Vote,
    VoteCast,
    VoteRoll,
)
from grassroots.meetings.models.floor import MeetingBallot, SpeakerRequest
from grassroots.meetings.models.meetings import AgendaItem, Meeting, Notice, Paper
from grassroots.meetings.models.record import DecisionNotToMeet, Minutes, Requisition, Signature

__all__ = [
    "BODY_KINDS",
    "SEATED_KINDS",
    "AgendaItem",
    "Attendance",
    "Body",
    "DecisionNotToMeet",
    "Meeting",
    "MeetingBallot",
    "Minutes",
    "Motion",
    "MotionSupport",
    "Notice",
    "Paper",
    "Requisition",
    "Seat",
    "Signature",
    "SpeakerRequest",
    "Vote",
    "VoteCast",
    "VoteRoll",
]
