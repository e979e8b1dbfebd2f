"""The demo elections seed on top of the demo organisation and publish a verifiable result."""

from __future__ import annotations

import pytest

from grassroots.elections import demo, publish


@pytest.mark.django_db
def test_demo_elections_give_one_open_and_one_published_verifiable_election() -> None:
    from grassroots.members import demo as members_demo

    members_demo.seed(members=300)
    past, current = demo.seed(voters=60)
    past.refresh_from_db()
    assert past.state == "published"
    assert current.state == "voting"
    assert publish.verify(past.publication.files).ok
    assert len(past.publication.files["receipts.txt"].split()) == 60
