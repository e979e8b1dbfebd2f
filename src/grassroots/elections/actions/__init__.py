"""Every change to an election: atomic, checked against the timetable and roles, and audited.

Each action refuses with ``ActionRefused`` (a ``ValueError``) naming the precondition that is
not met. ``by=None`` is the trusted operator at the command line. Casting is the one action
with no audit entry: the ``VoterRecord`` it writes *is* the record that the member voted, and
a log line per ballot would add a timestamped, ordered trail beside the anonymous ballots.
"""

from grassroots.elections.actions._common import ActionRefused, AlreadyVoted
from grassroots.elections.actions.corrections import (
    announce,
    cancel_election,
    delete_draft,
    edit_candidate,
    edit_election,
    withdraw_candidate,
)
from grassroots.elections.actions.receipt_mail import email_receipt
from grassroots.elections.actions.results import (
    Reminder,
    count_votes,
    deliver_reminders,
    publish_result,
    reminder,
    result_digest,
    run_count,
    start_count,
    start_reminders,
    turnout,
)
from grassroots.elections.actions.setup import (
    BodyDecision,
    acts_for_self,
    add_candidate,
    ballot_candidates,
    body_decisions,
    consent,
    create_election,
    may_consent,
    nominating_bodies,
    nomination_tally,
    record_nomination,
)
from grassroots.elections.actions.timetable import close_voting_early, open_voting_early
from grassroots.elections.actions.voting import cast, close_voting, open_voting, receipt_for_retry

__all__ = [
    "ActionRefused",
    "AlreadyVoted",
    "BodyDecision",
    "Reminder",
    "acts_for_self",
    "add_candidate",
    "announce",
    "ballot_candidates",
    "body_decisions",
    "cancel_election",
    "cast",
    "close_voting",
    "close_voting_early",
    "consent",
    "count_votes",
    "create_election",
    "delete_draft",
    "deliver_reminders",
    "edit_candidate",
    "edit_election",
    "email_receipt",
    "may_consent",
    "nominating_bodies",
    "nomination_tally",
    "open_voting",
    "open_voting_early",
    "publish_result",
    "receipt_for_retry",
    "record_nomination",
    "reminder",
    "result_digest",
    "run_count",
    "start_count",
    "start_reminders",
    "turnout",
    "withdraw_candidate",
]
