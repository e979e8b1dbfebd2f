"""The pages before mass or irreversible actions (issue 9.10) and who sees a draft (9.2)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from grassroots.elections import actions
from grassroots.elections.models import Election
from tests.elections.conftest import DAY, NOW, Setup, make_election
from tests.web.conftest import PASSWORD, Org


def _login(client: Client, name: str) -> None:
    assert client.login(username=name, password=PASSWORD)


def test_a_draft_answers_404_to_members_and_is_not_listed_for_them(
    client: Client, draft: Setup
) -> None:
    e = draft.election
    Election.objects.filter(pk=e.pk).update(announced_at=None)
    _login(client, "ann")
    assert client.get(f"/elections/{e.pk}/").status_code == 404
    assert e.title not in client.get("/elections/").content.decode()
    assert all(x["id"] != e.pk for x in client.get("/api/elections").json()["elections"])
    _login(client, "returning")
    page = client.get(f"/elections/{e.pk}/").content.decode()
    assert "draft: only those who manage it see it" in page
    assert e.title in client.get("/elections/").content.decode()


def test_members_are_told_plainly_when_voting_is_overdue(client: Client, org: Org) -> None:
    e = make_election(org, open_voting=False).election  # voting was due a day ago
    _login(client, "ann")
    page = client.get(f"/elections/{e.pk}/").content.decode()
    assert "Voting has not opened." in page
    assert "the returning officer has not opened it yet" in page
    standing = client.get("/me/").content.decode()  # and on the member's standing page
    assert "<strong>voting has not opened.</strong> It was due to open" in standing


def test_cancelling_asks_what_it_does_and_why_before_anything_changes(
    client: Client, draft: Setup
) -> None:
    e = draft.election
    _login(client, "returning")
    page = client.get(f"/elections/{e.pk}/cancel/").content.decode()
    assert "The election stops for good" in page and 'name="reason"' in page
    e.refresh_from_db()
    assert e.state == "draft"
    r = client.post(f"/elections/{e.pk}/cancel/", {"reason": ""})
    assert r.status_code == 400 and "give the reason for cancelling" in r.content.decode()
    client.post(f"/elections/{e.pk}/cancel/", {"reason": "rules changed"})
    e.refresh_from_db()
    assert e.state == "cancelled"
    _login(client, "ann")
    page = client.get(f"/elections/{e.pk}/").content.decode()
    assert "This election was cancelled." in page and "rules changed" in page


def test_members_cannot_reach_the_correction_pages(client: Client, voting: Setup) -> None:
    e = voting.election
    c = voting.candidates["Cal Calm"]
    _login(client, "ann")
    for url in (
        f"/elections/{e.pk}/cancel/",
        f"/elections/{e.pk}/close-early/",
        f"/elections/{e.pk}/remind/",
        f"/elections/{e.pk}/candidates/{c.pk}/withdraw/",
        f"/elections/{e.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x"}).status_code == 403, url


def test_reminders_show_how_many_and_the_message_and_send_only_when_confirmed(
    client: Client, voting: Setup
) -> None:
    e = voting.election
    voting.org.bob.email = "bob@example.org"
    voting.org.bob.save()
    _login(client, "returning")
    page = client.get(f"/elections/{e.pk}/remind/").content.decode()
    n = len(actions.reminder(e).recipients)
    assert n > 0
    assert f"{n} member" in page and "will get this e-mail" in page
    assert "Subject:</strong> Reminder: vote in Chair and vice-chair" in page
    assert f"/elections/{e.pk}/vote/" in page  # the link the e-mail carries
    assert mail.outbox == []
    client.post(f"/elections/{e.pk}/remind/")
    assert len(mail.outbox) == n


def test_the_count_is_shown_to_the_officer_only_and_published_from_that_page(
    client: Client, voting: Setup
) -> None:
    e = voting.election
    actions.cast(e, voting.org.ann, ["Bea Bold"])
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    _login(client, "returning")
    r = client.post(f"/elections/{e.pk}/count/", follow=True)
    page = r.content.decode()
    assert "Not published yet." in page and "Publish this result" in page
    assert client.get(f"/elections/{e.pk}/results/").status_code == 404
    _login(client, "ann")
    assert client.get(f"/elections/{e.pk}/results/").status_code == 404
    assert client.get(f"/elections/{e.pk}/count/").status_code == 403
    _login(client, "returning")
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    client.post(f"/elections/{e.pk}/publish/", {"digest": digest})
    e.refresh_from_db()
    assert e.state == "published"


def test_withdrawing_says_what_happens_at_this_stage(client: Client, voting: Setup) -> None:
    e = voting.election
    cal = voting.candidates["Cal Calm"]
    _login(client, "returning")
    page = client.get(f"/elections/{e.pk}/candidates/{cal.pk}/withdraw/").content.decode()
    assert "stays on the ballot paper" in page and "The count treats Cal Calm as withdrawn" in page
    client.post(f"/elections/{e.pk}/candidates/{cal.pk}/withdraw/", {"reason": "ill"})
    cal.refresh_from_db()
    assert cal.withdrawn
    page = client.get(f"/elections/{e.pk}/").content.decode()
    assert "withdrew after voting opened, so stays on the ballot paper" in page


def test_closing_early_is_offered_only_until_someone_votes(client: Client, voting: Setup) -> None:
    e = voting.election
    _login(client, "returning")
    assert "Close voting early" in client.get(f"/elections/{e.pk}/").content.decode()
    actions.cast(e, voting.org.ann, ["Bea Bold"])
    assert "Close voting early" not in client.get(f"/elections/{e.pk}/").content.decode()
    r = client.post(f"/elections/{e.pk}/close-early/", {"reason": "done"})
    assert r.status_code == 400 and "1 member has voted" in r.content.decode()


def test_a_drafts_candidate_pages_answer_404_to_anyone_but_its_managers(
    client: Client, draft: Setup
) -> None:
    e = draft.election
    Election.objects.filter(pk=e.pk).update(announced_at=None)
    bea = draft.candidates["Bea Bold"]
    _login(client, "ann")
    for url in (
        f"/elections/{e.pk}/candidates/{bea.pk}/consent/",
        f"/elections/{e.pk}/vote/",
    ):
        assert client.get(url).status_code == 404, url
    _login(client, "returning")
    assert client.get(f"/elections/{e.pk}/candidates/{bea.pk}/consent/").status_code == 200
