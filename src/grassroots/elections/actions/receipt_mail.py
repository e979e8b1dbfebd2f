"""Sending a voter a copy of their receipt by e-mail, on their own request."""

from __future__ import annotations

from django.core.mail import send_mail

from grassroots.elections import receipts
from grassroots.elections.actions._common import ActionRefused
from grassroots.elections.models import Ballot, Election, VoterRecord
from grassroots.members.fieldrules import email_problem
from grassroots.members.models import Member

WHAT_IT_PROVES = (
    "What this code proves:\n"
    "- Your ballot is stored. On the election's receipt check page the code shows you the\n"
    "  ranking recorded for it, so you can see it was recorded as you cast it.\n"
    "- After the count, that your ballot is among those counted: the fingerprint (hash) of\n"
    "  the code is in the published list of receipts.\n"
    "The code is stored nowhere else and is the only link between you and your ballot. Keep\n"
    "it private: anyone who has it can see how you voted. Nobody from the organisation will\n"
    "ever ask you for it.\n"
)


def email_receipt(election: Election, member: Member, code: str) -> str:
    """E-mail ``code`` to ``member``'s address on the register; return the address.

    Refused unless the member has voted in this election and a ballot of it holds the code's
    hash, so the site sends only a voter's own receipt and only to that voter. Sending changes
    nothing stored and writes no audit entry: an entry per receipt sent would be a timed trail
    of voters beside the ballots.
    """
    if not member.email:
        raise ActionRefused(
            "there is no e-mail address on your membership record; write the code down instead"
        )
    problem = email_problem(member.email)
    if problem:
        raise ActionRefused(
            f"the e-mail address on your membership record cannot be used ({problem}); write "
            "the code down instead, and ask your branch secretary to correct the address"
        )
    h = receipts.receipt_hash(str(election.pk), code)
    voted = VoterRecord.objects.filter(election=election, member=member).exists()
    if not voted or not Ballot.objects.filter(election=election, receipt_hash=h).exists():
        raise ActionRefused(f"this is not the receipt of a ballot you cast in {election}")
    code = receipts.normalise(code)
    body = (
        f"Your receipt code for {election.title} is\n\n    {code}\n\n{WHAT_IT_PROVES}\n"
        "You asked for this copy on the receipt page after casting your vote.\n"
    )
    title = " ".join(election.title.split())  # a mail header is one line whatever the title holds
    if not send_mail(f"Your receipt: {title}", body, None, [member.email]):
        # no mail server is configured (outside the demo the message is dropped, never logged)
        raise ActionRefused("the site cannot send e-mail at the moment; write the code down")
    return member.email
