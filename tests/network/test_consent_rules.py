"""The consent rules (network/consent.py): nothing disclosed or exported beyond a current
consent that names the field, the purpose and the group (or every group)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.network import consent
from grassroots.network.consent import FIELDS, PURPOSES, Grant

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
GROUPS = (1, 2, 3)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


grants = st.builds(
    lambda group, fields, purpose, given_at, life: Grant(
        group=group,
        fields=frozenset(fields),
        purpose=purpose,
        given_at=at(given_at),
        revoked_at=None if life is None else at(given_at + life),
    ),
    st.one_of(st.none(), st.sampled_from(GROUPS)),
    st.sets(st.sampled_from(FIELDS), min_size=1),
    st.sampled_from(PURPOSES),
    st.integers(0, 100),
    st.one_of(st.none(), st.integers(0, 100)),
)
details = st.fixed_dictionaries(
    {f: st.text("abcdefgh0123456789@. ", min_size=0, max_size=12) for f in FIELDS}
)
person = st.tuples(details, st.lists(grants, max_size=5))


def consented(gs: list[Grant], group: int, purpose: str, when: dt.datetime) -> set[str]:
    """The oracle, written apart from the module: every field of every grant that names this
    purpose, reaches this group and was given by ``when`` and not yet revoked then."""
    out: set[str] = set()
    for g in gs:
        if g.purpose != purpose or g.given_at > when:
            continue
        if g.revoked_at is not None and g.revoked_at <= when:
            continue
        if g.group is not None and g.group != group:
            continue
        out.update(g.fields)
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person, st.sampled_from(GROUPS), st.sampled_from(PURPOSES), st.integers(0, 250).map(at))
def test_a_disclosure_never_shows_a_field_without_a_current_consent_covering_it(
    p: tuple[dict[str, str], list[Grant]], group: int, purpose: str, when: dt.datetime
) -> None:
    values, gs = p
    d = consent.disclose(values, gs, group, purpose, when)
    allowed = consented(gs, group, purpose, when)
    assert set(d.shown) <= allowed
    assert all(d.shown[f] == values[f] for f in d.shown)
    # and nothing consented with a value is held back
    assert set(d.shown) == {f for f in allowed if values[f]}
    assert d.withheld == {f for f in FIELDS if values[f] and f not in allowed}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(person, max_size=8),
    st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3),
    st.sampled_from(GROUPS),
    st.sampled_from(PURPOSES),
    st.integers(0, 250).map(at),
)
def test_an_export_never_holds_a_value_its_person_did_not_consent_to_for_that_group_and_purpose(
    people: list[tuple[dict[str, str], list[Grant]]],
    wanted: list[str],
    group: int,
    purpose: str,
    when: dt.datetime,
) -> None:
    plan = consent.plan_export(people, wanted, group, "Group", purpose, when)
    # every row is some person's consented values, each person at most once, in order
    expected = []
    for values, gs in people:
        row = {
            f: values[f]
            for f in FIELDS
            if f in wanted and f in consented(gs, group, purpose, when) and values[f]
        }
        if row:
            expected.append(row)
    if plan.ok:
        assert [dict(r) for r in plan.rows] == expected
        assert set(plan.columns) == set(wanted)
    else:
        assert plan.rows == ()
        # refused only because some wanted field is shared by nobody
        shared = {f for row in expected for f in row}
        assert not set(wanted) <= shared
        assert "beyond their consent" in plan.refused


def test_a_consent_for_every_group_reaches_each_group_and_a_named_one_only_its_group() -> None:
    everyone = Grant(None, frozenset({"email"}), "news", at(0))
    one = Grant(2, frozenset({"phone"}), "news", at(0))
    assert consent.covered([everyone, one], 1, "news", at(1)) == {"email"}
    assert consent.covered([everyone, one], 2, "news", at(1)) == {"email", "phone"}
    assert consent.covered([everyone, one], 2, "events", at(1)) == frozenset()


def test_a_revoked_consent_covers_nothing_from_its_revocation_on() -> None:
    g = Grant(1, frozenset({"email"}), "news", at(0), revoked_at=at(10))
    assert consent.covered([g], 1, "news", at(9)) == {"email"}
    assert consent.covered([g], 1, "news", at(10)) == frozenset()


def test_an_export_of_a_field_nobody_shared_is_refused_naming_the_field_group_and_purpose() -> None:
    people = [
        (
            {"email": "a@example.org", "phone": "0123"},
            [Grant(1, frozenset({"email"}), "news", at(0))],
        )
    ]
    plan = consent.plan_export(people, ["email", "phone"], 1, "Hillford Tenants", "news", at(1))
    assert not plan.ok
    assert "phone number" in plan.refused
    assert "Hillford Tenants" in plan.refused
    assert "news" in plan.refused
    ok = consent.plan_export(people, ["email"], 1, "Hillford Tenants", "news", at(1))
    assert ok.ok and [dict(r) for r in ok.rows] == [{"email": "a@example.org"}]


@pytest.mark.parametrize(
    ("fields", "purpose", "version", "words"),
    [
        ([], "news", "1", "at least one"),
        (["address"], "news", "1", "'address' is not a contact detail"),
        (["email"], "selling", "1", "'selling' is not a purpose"),
        (["email"], "news", "0", "does not exist"),
    ],
)
def test_a_bad_consent_choice_is_refused_in_words(
    fields: list[str], purpose: str, version: str, words: str
) -> None:
    with pytest.raises(consent.ConsentProblem, match=words):
        consent.validate_choice(fields, purpose, version)
