"""A voter who asks for their receipt by e-mail is never told it was sent when it was not."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import override_settings

from grassroots.elections import actions
from tests.elections.conftest import Setup
from tests.web.conftest import Org

pytestmark = pytest.mark.django_db


def _cast(org: Org, voting: Setup) -> str:
    org.ann.email = "ann@example.org"
    org.ann.save(update_fields=["email"])
    return actions.cast(voting.election, org.ann, ["Cal Calm", "Alice Able"])


def test_a_receipt_is_emailed_to_the_voters_address(org: Org, voting: Setup) -> None:
    code = _cast(org, voting)
    assert actions.email_receipt(voting.election, org.ann, code) == "ann@example.org"
    (sent,) = mail.outbox
    assert code in sent.body and sent.to == ["ann@example.org"]


@override_settings(EMAIL_BACKEND="grassroots.site.mail.UnconfiguredBackend")
def test_without_a_mail_server_the_voter_is_told_and_the_log_holds_no_code(
    org: Org, voting: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    code = _cast(org, voting)
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(
            actions.ActionRefused, match="cannot send e-mail at the moment; write the code down"
        ),
    ):
        actions.email_receipt(voting.election, org.ann, code)
    assert "1 e-mail message(s) not sent: no mail server is configured" in caplog.text
    assert code not in caplog.text and "ann@example.org" not in caplog.text
