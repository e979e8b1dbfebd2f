"""Groups: applications decided on the record, lists kept by each group's own admins, organisers
seeing counts only, CSV imports all or nothing, and sign-ups confirmed by e-mail."""

from __future__ import annotations

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import groups as ga
from grassroots.network.models import GroupDecision, GroupMembership, Person
from grassroots.network.permissions import NotAllowed
from tests.network.builders import join, network, user
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db


def test_an_application_waits_for_an_organiser_who_accepts_or_refuses_it_on_the_record() -> None:
    net = network(())
    applicant = user("applicant")
    g = ga.apply_group(
        net.network,
        name="Hull Greens",
        area="Hull",
        kind="local",
        contact="hull@example.org",
        stated_size=40,
        by=applicant,
    )
    assert g.status == "applied"
    with pytest.raises(NotAllowed):
        ga.decide_group(g, decision="accepted", by=applicant)
    with pytest.raises(ga.NetworkRefused, match="reason"):
        ga.decide_group(g, decision="refused", by=net.organiser)
    ga.decide_group(g, decision="refused", reason="not a left group", by=net.organiser)
    g.refresh_from_db()
    assert g.status == "refused"
    d = GroupDecision.objects.get(group=g)
    assert (d.decision, d.reason, d.decided_by) == ("refused", "not a left group", net.organiser)
    assert AuditEntry.objects.filter(action="network.group.refuse", reason="not a left group")
    with pytest.raises(ga.NetworkRefused, match="already refused"):
        ga.decide_group(g, decision="accepted", by=net.organiser)


def test_a_group_admin_reads_their_own_list_and_no_other_group_s() -> None:
    net = network()
    leeds, unite = net.groups["Leeds Left"], net.groups["Unite Branch 7"]
    join(leeds, "Ann", "ann@example.org")
    join(unite, "Bob", "bob@example.org")
    names = [m.person.name for m in ga.member_list(leeds, by=net.admins["Leeds Left"])]
    assert names == ["Ann"]
    with pytest.raises(NotAllowed):
        ga.member_list(unite, by=net.admins["Leeds Left"])


def test_an_organiser_sees_each_group_s_counts_and_never_its_list() -> None:
    net = network()
    leeds = net.groups["Leeds Left"]
    join(leeds, "Ann", "ann@example.org")
    join(leeds, "Cy", "cy@example.org")
    join(leeds, "Di", "di@example.org", confirmed=False)
    with pytest.raises(NotAllowed):
        ga.member_list(leeds, by=net.organiser)
    counts = {
        c.group.name: (c.members, c.awaiting_confirmation)
        for c in ga.group_counts(net.network, by=net.organiser)
    }
    assert counts["Leeds Left"] == (2, 1)
    assert counts["Unite Branch 7"] == (0, 0)
    with pytest.raises(NotAllowed):
        ga.group_counts(net.network, by=net.admins["Leeds Left"])


def test_a_list_with_bad_rows_is_refused_row_by_row_and_nothing_is_stored() -> None:
    net = network()
    leeds = net.groups["Leeds Left"]
    join(leeds, "Ann", "ann@example.org")
    text = (
        "name,email,membership_number,joined_on\n"
        "Bea,bea@example.org,A1,2024-01-02\n"
        ",nobody@example.org,,\n"
        "Cal,not-an-address,,\n"
        "Bea again,BEA@example.org,,\n"
        "Ann,ANN@example.org,,\n"
        "Dee,dee@example.org,,31/01/2024\n"
    )
    before = Person.objects.count()
    with pytest.raises(ga.ImportRefused) as refused:
        ga.import_list(leeds, text, by=net.admins["Leeds Left"])
    shown = [str(e) for e in refused.value.errors]
    assert shown[0] == "row 3, column name: required value is blank"
    assert any(s.startswith("row 4, column email") for s in shown)
    assert "row 5, column email: BEA@example.org repeats row 2" in shown
    assert "row 6, column email: ANN@example.org is already on this group's list" in shown
    assert any(s.startswith("row 7, column joined_on: expected a date") for s in shown)
    assert Person.objects.count() == before
    made = ga.import_list(
        leeds, "name,email\nBea,bea@example.org\nCal,cal@example.org\n", by=net.admins["Leeds Left"]
    )
    assert len(made) == 2
    with pytest.raises(NotAllowed):
        ga.import_list(leeds, "name,email\nEve,eve@example.org\n", by=net.admins["Unite Branch 7"])


def test_a_sign_up_counts_only_once_its_address_is_confirmed_by_the_link() -> None:
    net = network()
    leeds = net.groups["Leeds Left"]
    m = ga.sign_up(leeds, name="Fay", email="fay@example.org")
    assert not m.confirmed
    with pytest.raises(ga.NetworkRefused, match="not one we sent"):
        ga.confirm_signup(ga.signup_token(m) + "x")
    ga.confirm_signup(ga.signup_token(m))
    m.refresh_from_db()
    assert m.confirmed and m.person.email_confirmed_at is not None
    with pytest.raises(ga.NetworkRefused, match="already on"):
        ga.sign_up(leeds, name="Fay", email=" FAY@example.org")


def test_a_person_with_an_account_joins_two_groups_as_one_entry() -> None:
    net = network()
    gil = user("gil")
    a = ga.sign_up(net.groups["Leeds Left"], name="Gil", email="gil@example.org", user=gil)
    b = ga.sign_up(net.groups["Women Organise"], name="Gil", email="gil@example.org", user=gil)
    assert a.person_id == b.person_id
    assert GroupMembership.objects.filter(person=a.person).count() == 2


def test_a_group_not_yet_affiliated_takes_no_sign_ups() -> None:
    net = network(())
    g = ga.apply_group(
        net.network,
        name="New",
        area="Hull",
        kind="local",
        contact="n@example.org",
        stated_size=3,
        by=user("x"),
    )
    with pytest.raises(ga.NetworkRefused, match="not taking members"):
        ga.sign_up(g, name="Hal", email="hal@example.org")
