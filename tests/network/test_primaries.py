"""Open slate primaries: the roll as the union of the groups' members at the freeze date, each
person once; the party register or a declaration; self-nomination with groups' backing;
hustings; voting, counting with a women minimum and publishing through the elections app."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grassroots.elections import actions as elections
from grassroots.elections.models import Candidate, RollEntry
from grassroots.elections.voters import voter_for
from grassroots.network.actions import primaries as pa
from grassroots.network.actions.primary_roll import turnout_by_group
from grassroots.network.models import PrimaryExclusion, PrimaryGroupFigure
from grassroots.network.permissions import NotAllowed
from tests.network.builders import DAY, NOW, TODAY, join, network, user
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db
DURING = NOW - 5 * DAY  # nominations open


def make_primary(net: Any, **extra: Any) -> Any:
    kw: dict[str, Any] = {
        "title": "Executive slate",
        "purpose": "the constituency section of the national executive",
        "seats": 3,
        "freeze_date": TODAY - 20 * DAY,
        "nominations_open": NOW - 10 * DAY,
        "nominations_close": NOW - 2 * DAY,
        "voting_open": NOW - DAY,
        "voting_close": NOW + 5 * DAY,
        "constraints": {"minima": {"women": 2}},
        "backing_threshold": {"kind": "group", "count": 2},
        "by": net.organiser,
    }
    kw.update(extra)
    return pa.create_primary(net.network, **kw)


def test_the_roll_is_each_person_once_at_the_freeze_date_and_groups_learn_only_counts() -> None:
    net = network()
    leeds, unite, women = (
        net.groups[n] for n in ("Leeds Left", "Unite Branch 7", "Women Organise")
    )
    join(leeds, "Ann", "ann@example.org")
    join(unite, "Ann A.", " ANN@example.org", number="AB-1")
    join(women, "Ann Work", "ann@work.example.org", number="ab1")  # same number: same Ann
    join(leeds, "Bob", "bob@example.org")
    join(unite, "Cy", "cy@example.org")
    join(leeds, "Late", "late@example.org", joined=TODAY - 5 * DAY)  # after the freeze
    join(leeds, "Gone", "gone@example.org", left=TODAY - 30 * DAY)  # left before it
    join(unite, "Unconfirmed", "un@example.org", confirmed=False)
    p = make_primary(net, constraints={})
    for name in ("Bob", "Cy"):
        cand = pa.self_nominate(
            p,
            by=user(name.lower(), f"{name.lower()}@example.org"),
            name=name,
            statement="Vote for me",
            now=DURING,
        )
        for g in (leeds, unite):
            pa.back_candidate(cand, g, by=net.admins[g.name], now=DURING)
    assert pa.open_primary(p, by=net.organiser) == 3
    p.refresh_from_db()
    assert (p.entries_count, p.groups_count, p.election.roll_size) == (5, 3, 3)
    assert RollEntry.objects.filter(election=p.election).count() == 3
    figures = {
        f.group.name: (f.entries, f.people, f.found_elsewhere)
        for f in PrimaryGroupFigure.objects.filter(primary=p)
    }
    assert figures == {
        "Leeds Left": (2, 2, 1),
        "Unite Branch 7": (2, 2, 1),
        "Women Organise": (1, 1, 1),
    }
    # the voters' records are in the network's own unit, apart from the party's tree
    unit = p.election.unit
    assert unit.parent_id is None and unit.kind == "affiliate"
    with pytest.raises(pa.NetworkRefused, match="already made"):
        pa.open_primary(p, by=net.organiser)


def test_party_membership_is_checked_in_the_register_when_linked_else_declared() -> None:
    from tests.web.conftest import _org

    org = _org()  # Ann is in arrears in the register; Bob is paid up
    net = network()
    leeds = net.groups["Leeds Left"]
    join(leeds, "Ann", "ann@example.org", member=org.ann)
    join(leeds, "Bob", "bob@example.org", member=org.bob)
    dee = user("dee", "dee@example.org")
    join(leeds, "Dee", "dee@example.org")
    p = make_primary(net, requires_party_membership=True, backing_threshold={}, constraints={})
    p.election.eligibility = {**p.election.eligibility, "paid_up_to": TODAY.isoformat()}
    p.election.save()
    pa.self_nominate(p, by=user("eve", "bob@example.org"), name="Eve", statement="s", now=DURING)
    pa.open_primary(p, by=net.organiser)
    assert p.election.roll_size == 2
    excluded = PrimaryExclusion.objects.get(primary=p)
    assert excluded.person.name == "Ann" and any("arrears" in r for r in excluded.reasons)
    # Dee is not linked to the register: no ballot until she declares, on the record
    assert voter_for(dee, p.election) is None
    d = pa.declare(p, by=dee)
    assert d.text == pa.DECLARATION
    assert voter_for(dee, p.election) is not None


def test_a_candidate_short_of_the_groups_backing_is_left_off_the_ballot_with_the_reason() -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ann", "ann@example.org")
    join(net.groups["Women Organise"], "Fi", "fi@example.org")
    join(net.groups["Women Organise"], "Gus", "gus@example.org")
    p = make_primary(net)
    backed = pa.self_nominate(
        p, by=user("fi"), name="Fi", statement="s", stands_as=["women"], now=DURING
    )
    short = pa.self_nominate(p, by=user("gus"), name="Gus", statement="s", now=DURING)
    for g in ("Leeds Left", "Women Organise"):
        pa.back_candidate(backed, net.groups[g], by=net.admins[g], now=DURING)
    pa.back_candidate(short, net.groups["Leeds Left"], by=net.admins["Leeds Left"], now=DURING)
    with pytest.raises(NotAllowed):
        pa.back_candidate(
            short, net.groups["Unite Branch 7"], by=net.admins["Leeds Left"], now=DURING
        )
    assert pa.backing_outcome(backed).ok
    outcome = pa.backing_outcome(short)
    assert not outcome.ok and outcome.reasons == ("2 group nominations: 1 not met",)
    p.election.constraints = {}
    p.election.save()
    pa.open_primary(p, by=net.organiser)
    p.election.refresh_from_db()
    assert p.election.ballot == ["Fi"]
    assert Candidate.objects.get(name="Gus").withdrawn


def test_members_ask_organisers_group_and_candidates_answer_in_writing() -> None:
    net = network()
    asker = user("hal", "hal@example.org")
    join(net.groups["Leeds Left"], "Hal", "hal@example.org")
    join(net.groups["Unite Branch 7"], "Ida", "ida@example.org")
    p = make_primary(net)
    cand = pa.self_nominate(p, by=user("ida"), name="Ida", statement="s", now=DURING)
    with pytest.raises(pa.NetworkRefused, match="only members"):
        pa.ask_question(p, "Why?", by=user("stranger"))
    q = pa.ask_question(p, "What about housing?", by=asker)
    with pytest.raises(NotAllowed):
        pa.start_theme(p, "Housing", by=asker)
    theme = pa.start_theme(p, "Housing", by=net.organiser)
    pa.group_question(q, theme, by=net.organiser)
    with pytest.raises(pa.NetworkRefused, match="only the candidate"):
        pa.answer_theme(cand, theme, "Build", by=asker)
    pa.answer_theme(cand, theme, "Build council homes", by=cand.user)
    assert [a.text for a in theme.answers.all()] == ["Build council homes"]
    assert list(theme.questions.all()) == [q]


def test_a_primary_votes_counts_with_a_binding_women_minimum_and_publishes_every_stage() -> None:
    net = network()
    voters = []
    for i in range(12):
        g = list(net.groups.values())[i % 3]
        voters.append(user(f"v{i}", f"v{i}@example.org"))
        join(g, f"Voter {i}", f"v{i}@example.org")
        if i < 3:  # three of them are in a second group too
            join(list(net.groups.values())[(i + 1) % 3], f"V{i}", f"V{i}@EXAMPLE.org")
    p = make_primary(net)
    names = {"Al": [], "Ben": [], "Cas": ["women"], "Dot": ["women"]}
    for k, (name, stands_as) in enumerate(names.items()):
        c = pa.self_nominate(
            p, by=voters[k], name=name, statement="s", stands_as=stands_as, now=DURING
        )
        for g in ("Leeds Left", "Unite Branch 7"):
            pa.back_candidate(c, net.groups[g], by=net.admins[g], now=DURING)
    with pytest.raises(NotAllowed):
        pa.open_primary(p, by=net.admins["Leeds Left"])
    assert pa.open_primary(p, by=net.organiser) == 12
    for i, u in enumerate(voters):
        card = voter_for(u, p.election)
        ranking = ["Al", "Ben", "Cas"] if i < 9 else ["Dot", "Al"]
        elections.cast(p.election, card, ranking)
    turnout = {t.group.name: (t.on_roll, t.voted) for t in turnout_by_group(p)}
    assert turnout == {"Leeds Left": (5, 5), "Unite Branch 7": (5, 5), "Women Organise": (5, 5)}
    pa.close_primary(p, by=net.organiser, now=NOW + 6 * DAY)
    digest = pa.count_primary(p, by=net.organiser)
    pa.publish_primary(p, by=net.organiser, digest=digest)
    p.refresh_from_db()
    summary = pa.slate_summary(p)
    assert summary is not None
    # Al and Ben top the first preferences, but two seats of three go to women
    assert sorted(summary.elected) == ["Al", "Cas", "Dot"]
    assert (summary.groups, summary.entries, summary.people, summary.ballots) == (3, 15, 12, 12)
    assert summary.stages >= 2


def test_only_an_organiser_sets_up_a_primary() -> None:
    net = network()
    with pytest.raises(NotAllowed):
        make_primary(net, by=net.admins["Leeds Left"])
    with pytest.raises(pa.NetworkRefused, match="backing threshold"):
        make_primary(net, backing_threshold={"kind": "group"})


def test_a_party_member_with_an_account_votes_in_a_primary_with_the_primary_s_record() -> None:
    from tests.web.conftest import _org

    org = _org()
    ann_account = org.users["member"]  # Ann's login, linked to her party record
    ann_account.email = "ann@example.org"
    ann_account.save()
    net = network()
    join(net.groups["Leeds Left"], "Ann", "ann@example.org", member=org.ann)
    p = make_primary(net, constraints={}, backing_threshold={})
    pa.self_nominate(p, by=ann_account, name="Ann", statement="s", now=DURING)
    pa.open_primary(p, by=net.organiser)
    card = voter_for(ann_account, p.election)
    assert card is not None and card.pk != org.ann.pk
    assert card.branch_id == p.election.unit_id
    assert dt.date.today() >= card.join_date


def test_the_roll_s_entries_are_written_without_database_row_locks_yet_stay_protected() -> None:
    from django.db import connection
    from django.db.models import ProtectedError

    from grassroots.network.models import PrimaryEntry

    net = network()
    leeds, unite = net.groups["Leeds Left"], net.groups["Unite Branch 7"]
    join(leeds, "Ann", "ann@example.org")
    join(unite, "Ann A.", "ann@example.org")
    join(leeds, "Bob", "bob@example.org")
    p = make_primary(net, constraints={}, backing_threshold=None)
    pa.self_nominate(p, by=user("bob", "bob@example.org"), name="Bob", statement="s", now=DURING)
    assert pa.open_primary(p, by=net.organiser) == 2
    table = PrimaryEntry._meta.db_table
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, table)
    # no foreign key for the database to look up and lock per row at the commit
    assert [c for c in found.values() if c["foreign_key"]] == []
    entry = PrimaryEntry.objects.filter(primary=p).first()
    assert entry is not None
    with pytest.raises(ProtectedError):
        leeds.delete()  # a group whose list is on a roll stays
    with pytest.raises(ProtectedError):
        entry.card.delete()  # so does a voter record on it


def test_voter_records_are_numbered_in_the_order_they_are_written() -> None:
    from grassroots.members.models import Member
    from grassroots.network.models import PrimaryEntry

    net = network()
    for i in range(12):
        join(net.groups["Leeds Left"], f"Person {i}", f"p{i}@example.org")
    p = make_primary(net, constraints={}, backing_threshold=None)
    pa.self_nominate(p, by=user("p0", "p0@example.org"), name="P0", statement="s", now=DURING)
    assert pa.open_primary(p, by=net.organiser) == 12
    cards = PrimaryEntry.objects.filter(primary=p).values("card_id")
    written = list(
        Member.objects.filter(pk__in=cards).order_by("pk").values_list("number", flat=True)
    )
    # in the order of their numbers as the database sorts them, so each lands at the end of
    # the number's indexes ("P1-10" would sort before "P1-2")
    assert written == sorted(written)
    assert len(set(written)) == 12
