"""The vectorised share-out of ballots agrees exactly with the rule's words, ballot by ballot.

PRF Meek rule B.2.a: "for each ballot: set ballot weight w to 1, and then for each candidate,
in order of rank on that ballot: add w multiplied by the keep factor kf of the candidate (to 9
decimal places, rounded up) to that candidate's vote v, and reduce w by the same amount".
Warren: the candidate takes kf of the whole vote, or what is left of it if less.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.arithmetic import div_ceil
from grassroots.count.ballots import Election
from grassroots.count.rules._keepfactor import _Ballots
from tests.strategies import keep_factor_cases

UNIT = 10**9


def by_the_words(election: Election, kf: list[int], warren: bool) -> list[int]:
    """B.2.a read literally, one ballot at a time, in Python integers."""
    votes = [0] * len(election.candidates)
    for ranking, weight in election.effective_rankings():
        w = UNIT
        for rank in ranking:
            live = [c for c in rank if kf[c]]
            if not live:
                continue
            # equal ranks: the 1/k share truncated at 9 places, kf of it kept (rounded up)
            share = w // len(live)
            keeps = [min(share, kf[c]) if warren else div_ceil(share * kf[c], UNIT) for c in live]
            for c, keep in zip(live, keeps, strict=True):
                votes[c] += keep * weight
            w -= sum(keeps)
    return votes


@settings(max_examples=80, deadline=None)
@given(keep_factor_cases(), st.booleans())
def test_the_columnwise_count_equals_the_ballot_by_ballot_count(
    case: tuple[Election, list[int]], warren: bool
) -> None:
    election, kf = case
    ballots = _Ballots(election, len(election.candidates), UNIT, warren)
    assert ballots.distribute(kf) == by_the_words(election, kf, warren)


@settings(max_examples=40, deadline=None)
@given(keep_factor_cases(equal_ranks=False), st.data())
def test_a_second_share_out_with_other_keep_factors_is_as_exact_as_the_first(
    case: tuple[Election, list[int]], data: st.DataObject
) -> None:
    election, kf = case
    ballots = _Ballots(election, len(election.candidates), UNIT, False)
    ballots.distribute([UNIT] * len(kf))
    assert ballots.distribute(kf) == by_the_words(election, kf, False)
    other = data.draw(st.permutations(kf))
    assert ballots.distribute(list(other)) == by_the_words(election, list(other), False)


def test_ballots_ranking_candidates_equal_are_shared_among_the_undefeated() -> None:
    election = Election(
        ("A", "B", "C", "D"),
        1,
        (((0, 1), (2,)), ((0, 1, 3),)),
        (3, 2),
    )
    kf = [UNIT // 2, 0, UNIT, UNIT]
    ballots = _Ballots(election, 4, UNIT, False)
    # paper 1: B defeated, so A alone at rank 1 keeps half; C gets the other half.
    # paper 2: A and D share: A keeps half of its half (a quarter), D keeps its half;
    # a quarter exhausts.
    assert ballots.distribute(kf) == [
        3 * UNIT // 2 + 2 * UNIT // 4,
        0,
        3 * UNIT // 2,
        2 * UNIT // 2,
    ]
    assert ballots.distribute(kf) == by_the_words(election, kf, False)


def test_equal_shares_never_add_up_to_more_than_the_ballot_has_left() -> None:
    """A>B>C>(D=E)>F with kf(C) = 10**-9, D and E hopeful: 0.999999999 reaches D=E.

    Rounding each half up would give 0.5 + 0.5 = 1 > 0.999999999 and a negative remainder
    for F; the share is truncated first (0.499999999 each), so 10**-9 passes on to F.
    """
    election = Election(
        tuple(f"C{i}" for i in range(6)), 1, (((0,), (1,), (2,), (3, 4), (5,)),), (1,)
    )
    kf = [0, 0, 1, UNIT, UNIT, UNIT]
    ballots = _Ballots(election, 6, UNIT, False)
    assert ballots.distribute(kf) == [0, 0, 1, 499_999_999, 499_999_999, 1]
    assert ballots.distribute(kf) == by_the_words(election, kf, False)
