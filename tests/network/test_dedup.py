"""Deduplication by keyed hashes: each person once, whatever the overlap and the import order;
each group learns how many of its members other groups also have, never who; the hashes are
not derivable without the primary's key."""

from __future__ import annotations

import hashlib
import hmac
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.network import dedup

KEY = b"k" * 32


def _variant(address: str, how: int) -> str:
    """The same address as a group might have typed it: capitals, spaces around it."""
    return [address, address.upper(), f"  {address} ", address.title()][how % 4]


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[tuple[int, int, str, str]], dict[int, set[int]]]:
    """Groups' lists over a set of people; returns the rows (group, human, e-mail, number) and
    the truth: which humans each group lists."""
    humans = draw(st.integers(1, 25))
    groups = draw(st.integers(1, 8))
    has_number = draw(st.lists(st.booleans(), min_size=humans, max_size=humans))
    # a human with a number may be listed under a second address, always with their number
    second_address = draw(st.lists(st.booleans(), min_size=humans, max_size=humans))
    rows: list[tuple[int, int, str, str]] = []
    truth: dict[int, set[int]] = {}
    for g in range(groups):
        listed = draw(st.sets(st.integers(0, humans - 1), max_size=humans))
        for h in listed:
            how = draw(st.integers(0, 7))
            alt = has_number[h] and second_address[h] and how >= 4
            address = f"person{h}@{'other' if alt else 'example'}.org"
            number = f"M{h:05d}" if has_number[h] and (alt or second_address[h] or how % 2) else ""
            rows.append((g, h, _variant(address, how), number))
            truth.setdefault(g, set()).add(h)
    return rows, truth


@settings(max_examples=300, deadline=None)
@given(networks(), st.randoms(use_true_random=False))
def test_each_person_is_counted_once_whatever_the_overlap_and_the_order_of_imports(
    data: tuple[list[tuple[int, int, str, str]], dict[int, set[int]]], rnd: random.Random
) -> None:
    rows, truth = data
    people = set().union(*truth.values()) if truth else set()
    shuffled = list(enumerate(rows))
    rnd.shuffle(shuffled)
    result = dedup.dedupe(
        dedup.entry(KEY, g, ref, email, number) for ref, (g, _, email, number) in shuffled
    )
    assert result.size == len(people)
    # each person's entries are exactly the rows about that human
    human_of = {ref: h for ref, (_, h, _, _) in enumerate(rows)}
    assert all({human_of[r] for r in refs} == {human_of[refs[0]]} for refs in result.people)
    assert sorted(human_of[refs[0]] for refs in result.people) == sorted(people)
    for g, listed in truth.items():
        elsewhere = {h for h in listed if any(h in o for k, o in truth.items() if k != g)}
        assert result.groups[g].people == len(listed)
        assert result.groups[g].found_elsewhere == len(elsewhere)
    # the same lists in another order give the same electorate
    again = dedup.dedupe(
        dedup.entry(KEY, g, ref, email, number) for ref, (g, _, email, number) in enumerate(rows)
    )
    assert again == result


def test_a_chain_of_address_and_number_makes_one_person_across_three_groups() -> None:
    entries = [
        dedup.entry(KEY, 1, 10, "ann@example.org"),
        dedup.entry(KEY, 2, 20, "ANN@example.org ", "ab-123"),
        dedup.entry(KEY, 3, 30, "ann.work@example.org", "AB123"),
        dedup.entry(KEY, 3, 31, "bob@example.org"),
    ]
    result = dedup.dedupe(entries)
    assert result.people == ((10, 20, 30), (31,))
    assert result.person_groups == ((1, 2, 3), (3,))
    assert [result.groups[g].found_elsewhere for g in (1, 2, 3)] == [1, 1, 1]
    assert result.groups[3].people == 2


def test_the_keyed_hash_of_an_address_cannot_be_made_without_the_primary_s_key() -> None:
    address = dedup.normalise_email("Ann@Example.org")
    h = dedup.keyed_hash(KEY, "email", address)
    # what someone without the key could compute from the address is none of it
    guesses = [
        hashlib.sha256(address.encode()).hexdigest(),
        hashlib.sha256(f"email:{address}".encode()).hexdigest(),
        hmac.new(b"", f"email:{address}".encode(), hashlib.sha256).hexdigest(),
        dedup.keyed_hash(b"x" * 32, "email", address),
    ]
    assert h not in guesses
    assert h == dedup.keyed_hash(KEY, "email", address)  # the key holder matches it again
    # and the same text as a membership number hashes apart from the address
    assert dedup.keyed_hash(KEY, "number", address) != h


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        dedup.keyed_hash(b"short", "email", "a@b.c")


@settings(max_examples=200, deadline=None)
@given(
    st.binary(min_size=16, max_size=200),
    st.sampled_from(["email", "number"]),
    st.text(max_size=80),
)
def test_the_hasher_for_many_values_gives_exactly_the_hmac_of_each(
    key: bytes, kind: str, value: str
) -> None:
    expected = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    hasher = dedup.KeyedHasher(key)
    assert hasher(kind, value) == expected
    assert hasher(kind, value) == expected  # its precomputed state is not used up
    assert dedup.keyed_hash(key, kind, value) == expected
