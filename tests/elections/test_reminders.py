"""Reminders: a bad or refused address never stops the mail-out or makes it go twice."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.members.models import Member
from tests.elections.conftest import make_election
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTEMPTS: list[str] = []


class RefusingBackend(EmailBackend):
    """In-memory mail that refuses one recipient, as a real server might."""

    def send_messages(self, messages: Any) -> int:
        for m in messages:
            ATTEMPTS.extend(m.to)
            if "refused@" in m.to[0]:
                raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def _members(org: Any, emails: list[str]) -> None:
    """More members, added before the election opens (the roll is frozen when voting opens)."""
    for i, email in enumerate(emails):
        Member.objects.create(
            number=f"R{i}",
            name=f"Roll {i}",
            email=email,
            branch=org.hillford,
            join_date=org.ann.join_date,
            status="full",
            paid_up_to=org.bob.paid_up_to,
        )


def test_one_bad_address_is_listed_and_every_other_member_is_reminded_once(
    org: Any, mailoutbox: list, settings: Any
) -> None:
    ATTEMPTS.clear()
    settings.EMAIL_BACKEND = "tests.elections.test_reminders.RefusingBackend"
    good = ["a@example.org", "b@example.org"]
    _members(
        org,
        [good[0], "evil@example.org\nBcc: everyone@example.net", "refused@example.org", good[1]],
    )
    voting = make_election(org)
    job = actions.start_reminders(voting.election, by=org.users["returning"])
    assert job.state == "done" and job.outcome.startswith("Sent 2 reminders.")
    assert sorted(m.to[0] for m in mailoutbox) == good
    assert [n for n, _ in job.problems] == ["R1", "R2"]
    assert "a line break" in job.problems[0][1] and "refused" in job.problems[1][1]
    # nobody was tried twice, and the bad address never reached the server
    assert sorted(ATTEMPTS) == sorted([*good, "refused@example.org"])
    entry = AuditEntry.objects.filter(action="election.remind").get()
    assert entry.summary == "Sent 2 voting reminders; 2 address(es) refused"


def test_the_remind_button_says_whose_address_needs_correcting(org: Any, mailoutbox: list) -> None:
    _members(org, ["ok@example.org", "x@example.org\r\nSubject: spam"])
    voting = make_election(org, title="Chair\r\nBcc: everyone@example.net")
    c = Client()
    assert c.login(username="returning", password=PASSWORD)
    r = c.post(reverse("elections:remind", args=[voting.election.pk]), follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Sent 1 reminder." in html
    assert "Not sent to 1 member(s)" in html and "<td>R1</td>" in html
    assert "a line break" in html
    assert [m.to for m in mailoutbox] == [["ok@example.org"]]
    assert mailoutbox[0].subject == "Reminder: vote in Chair Bcc: everyone@example.net"
