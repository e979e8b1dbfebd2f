"""Hypothesis strategies shared by the test suite (append new ones; keep them small)."""

from __future__ import annotations

from hypothesis import strategies as st

from grassroots.count.ballots import Election, Ranking, group_ballots
from grassroots.count.constraints import Constraint, ConstraintSet

NAMES = tuple(f"Candidate {chr(ord('A') + i)}" for i in range(12))


@st.composite
def strict_rankings(draw: st.DrawFn, n_candidates: int) -> Ranking:
    """A strict ranking of some of the candidates (at least one)."""
    order = draw(st.permutations(range(n_candidates)))
    length = draw(st.integers(min_value=1, max_value=n_candidates))
    return tuple((c,) for c in order[:length])


@st.composite
def elections(
    draw: st.DrawFn,
    *,
    min_candidates: int = 2,
    max_candidates: int = 7,
    max_seats: int = 4,
    max_ballots: int = 30,
    max_weight: int = 25,
) -> Election:
    """A small election with strict rankings, grouped, with positive integer weights."""
    n = draw(st.integers(min_value=min_candidates, max_value=max_candidates))
    seats = draw(st.integers(min_value=1, max_value=min(max_seats, n)))
    pairs = draw(
        st.lists(
            st.tuples(strict_rankings(n), st.integers(min_value=1, max_value=max_weight)),
            min_size=1,
            max_size=max_ballots,
        )
    )
    grouped = group_ballots(pairs)
    return Election(NAMES[:n], seats, tuple(grouped), tuple(grouped.values()), title="Generated")


@st.composite
def constraint_sets(draw: st.DrawFn, election: Election) -> ConstraintSet:
    """One or two groups over ``election``'s candidates, each with a minimum and/or maximum.

    The bounds may be infeasible: tests that need a feasible set catch ``ConstraintError``.
    """
    n = len(election.candidates)
    seats = election.seats
    groups: dict[str, frozenset[int]] = {}
    constraints: list[Constraint] = []
    for name in draw(st.sampled_from([("women",), ("women", "london")])):
        members = draw(st.sets(st.integers(min_value=0, max_value=n - 1), min_size=1))
        groups[name] = frozenset(members)
        minimum = draw(st.integers(min_value=0, max_value=min(seats, len(members))))
        maximum = draw(st.none() | st.integers(min_value=max(minimum, 0), max_value=seats))
        if minimum == 0 and maximum is None:
            minimum = 1
        constraints.append(Constraint(name, minimum, maximum))
    return ConstraintSet(groups, tuple(constraints))


# Names a ballot file can hold: no line breaks, no leading/trailing blanks (PrefLib strips them).
_FILE_NAME_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    max_size=12,
).map(str.strip)


@st.composite
def ballot_file_elections(
    draw: st.DrawFn,
    *,
    max_candidates: int = 8,
    max_ballots: int = 25,
    equal_ranks: bool = True,
    withdrawn: bool = True,
) -> Election:
    """An election as a ballot file may hold it: odd names and title, equal ranks, blank
    ballots, withdrawn candidates; grouped, with no irregularities (for round trips)."""
    names = draw(st.lists(_FILE_NAME_TEXT, min_size=1, max_size=max_candidates, unique=True))
    n = len(names)
    seats = draw(st.integers(min_value=0, max_value=n))

    @st.composite
    def ranking(draw2: st.DrawFn) -> Ranking:
        order = draw2(st.permutations(range(n)))
        order = order[: draw2(st.integers(min_value=0, max_value=n))]
        ranks: list[tuple[int, ...]] = []
        i = 0
        while i < len(order):
            size = draw2(st.integers(min_value=1, max_value=3)) if equal_ranks else 1
            ranks.append(tuple(order[i : i + size]))
            i += size
        return tuple(ranks)

    pairs = draw(
        st.lists(
            st.tuples(ranking(), st.integers(min_value=1, max_value=10**6)), max_size=max_ballots
        )
    )
    grouped = group_ballots(pairs)
    gone = draw(st.sets(st.integers(min_value=0, max_value=n - 1))) if withdrawn else set()
    return Election(
        tuple(names),
        seats,
        tuple(grouped),
        tuple(grouped.values()),
        title=draw(_FILE_NAME_TEXT),
        withdrawn=frozenset(gone),
    )


# --- members: eligibility rule sets and member facts (tests/web) ---------------------------------
import datetime as _dt  # noqa: E402 - kept with the strategies that use it

from grassroots.members.eligibility import STATUSES, MemberFacts, RuleSet  # noqa: E402

_DAY0 = _dt.date(2015, 1, 1)


def _days(lo: int, hi: int) -> st.SearchStrategy[_dt.date]:
    return st.integers(lo, hi).map(lambda n: _DAY0 + _dt.timedelta(days=n))


@st.composite
def member_facts(draw: st.DrawFn, branches: tuple[int, ...] = (1, 2, 3)) -> MemberFacts:
    """A member's facts over about ten years, sometimes with no payment recorded."""
    return MemberFacts(
        join_date=draw(_days(0, 3650)),
        status=draw(st.sampled_from(STATUSES)),
        paid_up_to=draw(st.none() | _days(0, 4000)),
        branch_id=draw(st.sampled_from(branches)),
    )


@st.composite
def rule_sets(draw: st.DrawFn, branches: tuple[int, ...] = (1, 2, 3)) -> RuleSet:
    """An eligibility rule set with any combination of the rules switched on."""
    return RuleSet(
        on=draw(_days(0, 3650)),
        freeze_date=draw(st.none() | _days(0, 3650)),
        paid_up_to=draw(st.none() | _days(0, 3650)),
        may_pay_on_day=draw(st.booleans()),
        provisional_days=draw(st.none() | st.integers(0, 400)),
        min_membership_days=draw(st.none() | st.integers(0, 800)),
        exclude_suspended=draw(st.booleans()),
        branch_id=draw(st.none() | st.sampled_from(branches)),
    )


@st.composite
def keep_factor_cases(
    draw: st.DrawFn, *, unit: int = 10**9, equal_ranks: bool = True
) -> tuple[Election, list[int]]:
    """Weighted ballots (some ranking candidates equal) and keep factors in units of ``unit``.

    Weights reach 10**8 so that column totals pass 2**53 units (Meek/Warren's split sums);
    each keep factor is 1 (hopeful), 0 (defeated) or a fraction (elected).
    """
    n = draw(st.integers(min_value=2, max_value=8))
    pairs = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        order = draw(st.permutations(range(n)))[: draw(st.integers(min_value=1, max_value=n))]
        ranking: list[tuple[int, ...]] = []
        i = 0
        while i < len(order):
            size = draw(st.integers(min_value=1, max_value=2)) if equal_ranks else 1
            ranking.append(tuple(order[i : i + size]))
            i += size
        pairs.append((tuple(ranking), draw(st.integers(min_value=1, max_value=10**8))))
    grouped = group_ballots(pairs)
    election = Election(
        tuple(f"C{i}" for i in range(n)), 1, tuple(grouped), tuple(grouped.values())
    )
    kf = draw(
        st.lists(
            st.one_of(st.just(unit), st.just(0), st.integers(min_value=1, max_value=unit)),
            min_size=n,
            max_size=n,
        )
    )
    return election, kf


@st.composite
def ranked_ballot_forms(draw: st.DrawFn) -> tuple[list[str], list[str], dict[str, str]]:
    """A ballot form as a voter fills it: candidates, the ranking meant, and the boxes' text."""
    n = draw(st.integers(min_value=1, max_value=8))
    candidates = [f"Candidate {chr(65 + i)}" for i in range(n)]
    order = draw(st.permutations(candidates))
    ranked = list(order[: draw(st.integers(min_value=1, max_value=n))])
    boxes = {name: str(i + 1) for i, name in enumerate(ranked)}
    for name in candidates:
        if name not in boxes:
            boxes[name] = draw(st.sampled_from(["", " "]))
    return candidates, ranked, boxes
