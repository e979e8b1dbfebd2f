"""ERS97 STV: small counts worked by hand from the rule text (ERS 1997, section 5).

Each example's arithmetic is written out in its docstring; the rule clauses are those of
"How to conduct an election by the Single Transferable Vote", 3rd edition (1997).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import count
from grassroots.count.stages import CountResult
from tests.strategies import elections

D = Decimal


def ers97(candidates: list[str], seats: int, ballots: list[tuple[int, list[str]]]) -> CountResult:
    expanded = [ranking for times, ranking in ballots for _ in range(times)]
    return count(election_from_rankings(candidates, seats, expanded), "ers97", seed=7)


def votes(result: CountResult, stage: int) -> dict[str, Decimal]:
    return dict(result.stages[stage - 1].votes)


def test_ers97_quota_is_rounded_up_to_two_places_unless_the_division_is_exact() -> None:
    # rule 5.1.6: 10 / 3 = 3.333... -> 3.33 + 0.01 = 3.34; 9 / 3 = 3 exactly -> 3.00
    ten = ers97(["A", "B", "C"], 2, [(4, ["A"]), (3, ["B"]), (3, ["C"])])
    nine = ers97(["A", "B", "C"], 2, [(4, ["A"]), (3, ["B"]), (2, ["C"])])
    assert ten.quota == D("3.34")
    assert nine.quota == D("3.00")
    assert ten.places == 2


def test_ers97_first_stage_surplus_moves_on_transferable_papers_at_a_value_rounded_down() -> None:
    """Quota 18/3 = 6.00. A has 10, surplus 4.00. Of A's 10 papers 7 are transferable
    (5 to B, 2 to C), worth 7.00 > 4.00, so each goes at 4/7 = 0.5714 -> 0.57 (rule 5.3.7).
    B: 4 + 2.85 = 6.85, elected; C: 3 + 1.14 = 4.14; non-transferable difference
    4.00 - 3.99 = 0.01 (rule 6.11). The 3 papers without a next preference carry nothing."""
    r = ers97(
        ["A", "B", "C", "D"],
        2,
        [(5, ["A", "B"]), (2, ["A", "C"]), (3, ["A"]), (4, ["B"]), (3, ["C"]), (1, ["D"])],
    )
    assert r.quota == D("6.00")
    assert r.elected == ("A", "B")
    s2 = r.stages[1]
    assert (s2.action, s2.subject, s2.elected) == ("surplus", ("A",), ("B",))
    assert votes(r, 2) == {"A": D("6.00"), "B": D("6.85"), "C": D("4.14"), "D": D("1.00")}
    assert s2.non_transferable == D("0.01")
    assert "at 0.57" in s2.note


def test_ers97_later_surplus_is_taken_from_the_last_batch_received_only() -> None:
    """Quota 19/4 = 4.75. A (9) is elected; surplus 4.25 over 9 papers: 0.47 each to B
    (4 + 4.23 = 8.23, elected), difference 0.02. B's surplus 3.48 comes only from the 9 papers
    just received (rule 5.3.2), whose next preference is D: 3.48/9 = 0.38 each, D gets 3.42
    (5.42, elected), difference 0.06. B's own first preferences (next C) never move."""
    r = ers97(
        ["A", "B", "C", "D", "E"],
        3,
        [(9, ["A", "B", "D"]), (4, ["B", "C"]), (3, ["C"]), (2, ["D"]), (1, ["E"])],
    )
    assert r.quota == D("4.75")
    assert votes(r, 2) == {
        "A": D("4.75"),
        "B": D("8.23"),
        "C": D("3.00"),
        "D": D("2.00"),
        "E": D("1.00"),
    }
    assert r.stages[1].non_transferable == D("0.02")
    assert votes(r, 3) == {
        "A": D("4.75"),
        "B": D("4.75"),
        "C": D("3.00"),
        "D": D("5.42"),
        "E": D("1.00"),
    }
    assert r.stages[2].non_transferable == D("0.08")
    assert r.elected == ("A", "B", "D")


def test_ers97_defers_a_surplus_smaller_than_the_gap_between_the_two_lowest() -> None:
    """Quota 18/3 = 6.00. A has 7 (surplus 1.00); C 4 and D 2 differ by 2.00 >= 1.00, so the
    surplus waits (rule 5.2.2(a)) and D is excluded: D's papers go to C, who reaches 6.00
    and fills the last place. A's surplus is never transferred."""
    r = ers97(["A", "B", "C", "D"], 2, [(7, ["A", "B"]), (5, ["B"]), (4, ["C"]), (2, ["D", "C"])])
    s2 = r.stages[1]
    assert (s2.action, s2.subject, s2.elected) == ("exclusion", ("D",), ("C",))
    assert "deferred (rule 5.2.2(a))" in s2.note
    assert votes(r, 2) == {"A": D("7.00"), "B": D("5.00"), "C": D("6.00"), "D": D("0.00")}
    assert r.elected == ("A", "C")
    assert len(r.stages) == 2


def test_ers97_excludes_several_lowest_together_when_they_cannot_overtake_the_next() -> None:
    """One seat, quota 17/2 = 8.50, nobody elected. E 1 + D 2 = 3 does not exceed C's 3, so E
    and D are excluded together (rule 5.2.5); E + D + C = 6 would exceed B's 5. Their papers
    go to B (8.00). Then C is excluded and its papers give A 9.00 >= 8.50."""
    r = ers97(
        ["A", "B", "C", "D", "E"],
        1,
        [(6, ["A"]), (5, ["B"]), (3, ["C", "A"]), (2, ["D", "B"]), (1, ["E", "B"])],
    )
    s2 = r.stages[1]
    assert s2.action == "exclusion"
    assert set(s2.subject) == {"D", "E"}
    assert votes(r, 2) == {"A": D(6), "B": D(8), "C": D(3), "D": D(0), "E": D(0)}
    s3 = r.stages[2]
    assert (s3.subject, s3.elected) == (("C",), ("A",))
    assert r.elected == ("A",)


def test_ers97_reduces_the_quota_when_papers_exhaust_before_anyone_is_elected() -> None:
    """One seat, quota 9/2 = 4.50. C (2 papers, no further preference) is excluded; the 2.00
    non-transferable lowers the quota to (9 - 2)/2 = 3.50 (rule 5.4.8): A (4) is elected."""
    r = ers97(["A", "B", "C"], 1, [(4, ["A"]), (3, ["B"]), (2, ["C"])])
    assert r.quota == D("4.50")
    s2 = r.stages[1]
    assert (s2.action, s2.subject, s2.elected) == ("exclusion", ("C",), ("A",))
    assert s2.quota == D("3.50")
    assert "rule 5.4.8" in s2.note


def test_ers97_elects_on_the_total_active_vote_once_the_quota_can_no_longer_fall() -> None:
    """Two seats, quota 16/3 = 5.34. A (7) is elected; its surplus 1.66 has no transferable
    paper, so it all becomes non-transferable. D (2, exhausting) is excluded. The total
    active vote is 16 - 5.34 - 1.66 - 2 = 7.00; B's 4.00 >= 7.00/2 (rule 5.4.9(b)), so B is
    deemed elected below the quota, which (someone being elected) stays at 5.34."""
    r = ers97(["A", "B", "C", "D"], 2, [(7, ["A"]), (4, ["B"]), (3, ["C"]), (2, ["D"])])
    assert r.quota == D("5.34")
    assert r.stages[1].action == "surplus"
    assert r.stages[1].non_transferable == D("1.66")
    s3 = r.stages[2]
    assert (s3.action, s3.subject, s3.elected) == ("exclusion", ("D",), ("B",))
    assert s3.quota == D("5.34")
    assert votes(r, 3)["B"] == D("4.00")
    assert r.elected == ("A", "B")


def test_ers97_elects_nobody_at_a_stage_where_equal_candidates_outnumber_the_places() -> None:
    """One seat, quota 4/2 = 2.00: A and B both reach it with equal votes at every point, so
    neither is deemed elected (rule 5.6.2); one is excluded by lot (rule 5.2.5) and the
    other, the only one left, fills the place (rule 5.5.1)."""
    r = ers97(["A", "B"], 1, [(2, ["A"]), (2, ["B"])])
    (drawing,) = r.tie_breaks
    assert "rule 5.2.5" in drawing
    assert "lot drawn between A, B" in drawing
    loser = drawing.rsplit(": ", 1)[1]
    winner = ({"A", "B"} - {loser}).pop()
    note = r.stages[0].note
    assert "rule 5.6.2: A, B have equal votes at every point" in note
    assert f"rule 5.5.1: {winner} deemed elected and {loser} formally excluded" in note
    assert r.elected == (winner,)
    assert len(r.stages) == 1


def test_ers97_breaks_an_exclusion_tie_by_the_earliest_point_where_votes_differed() -> None:
    """Quota 22/3 = 7.34. A (9) is elected, surplus 1.66. Only one of A's papers is
    transferable (to D), worth 1.00 <= 1.66, so it moves at its present value (rule 5.3.7):
    D 3 + 1 = 4 = C. The remaining 0.66 of the surplus is non-transferable. C and D are
    now equal and lowest; at the first stage D had fewer (3 < 4), so D is excluded (rule
    5.2.5). D's four papers exhaust; the active vote is 22 - 7.34 - 4.66 = 10.00 and B's
    6.00 >= 10.00/2, so B is deemed elected (rule 5.4.9(b))."""
    r = ers97(
        ["A", "B", "C", "D"],
        2,
        [(8, ["A"]), (1, ["A", "D"]), (6, ["B"]), (4, ["C"]), (3, ["D"])],
    )
    assert votes(r, 2) == {"A": D("7.34"), "B": D(6), "C": D(4), "D": D(4)}
    assert r.stages[1].non_transferable == D("0.66")
    s3 = r.stages[2]
    assert (s3.action, s3.subject, s3.elected) == ("exclusion", ("D",), ("B",))
    assert s3.non_transferable == D("4.66")
    assert any("earliest point" in t and t.endswith(": D") for t in r.tie_breaks)
    assert not any("lot" in t for t in r.tie_breaks)
    assert r.elected == ("A", "B")


def test_ers97_constraint_excludes_a_candidate_whose_election_would_break_a_minimum() -> None:
    """Quota 15/3 = 5.00. A (6) and B (5) both reach it, but electing both men would leave no
    place for the one woman required, so B is excluded in a constraint stage; A's surplus
    1.00 then waits (C 3 - D 1 = 2 >= 1), D goes, and C takes the last place."""
    e = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        [["A"]] * 6 + [["B"]] * 5 + [["C"]] * 3 + [["D"]],
    )
    women = ConstraintSet({"women": frozenset({2, 3})}, (Constraint("women", minimum=1),))
    r = count(e, "ers97", seed=1, constraints=women)
    assert r.stages[0].elected == ("A",)
    assert (r.stages[1].action, r.stages[1].subject) == ("constraint", ("B",))
    assert "at least 1 of the seats to women" in r.stages[1].note
    assert r.elected == ("A", "C")
    assert count(e, "ers97", seed=1).elected == ("A", "B")


def test_ers97_every_stage_adds_up_to_the_valid_total_exactly() -> None:
    r = ers97(
        ["A", "B", "C", "D", "E"],
        3,
        [(9, ["A", "B", "D"]), (4, ["B", "C"]), (3, ["C"]), (2, ["D"]), (1, ["E"])],
    )
    for stage in r.stages:
        assert stage.total == r.valid_votes == D("19.00")


def test_ers97_equal_marks_make_a_paper_invalid_or_non_transferable_from_that_point() -> None:
    """One paper ranks A and B equal first: no unambiguous first preference, so it is invalid
    (rules 5.1.2, 6.9) and the valid total is 9 (quota 4.50). When A is excluded, A's two
    papers rank B and C equal next: no next available preference (rule 6.10), so they are
    non-transferable, the quota falls to 7/2 = 3.50 (rule 5.4.8) and C (4) is elected."""
    e = election_from_rankings(
        ["A", "B", "C"],
        1,
        [["A", ("B", "C")]] * 2 + [["B"]] * 3 + [["C"]] * 4 + [[("A", "B"), "C"]],
    )
    r = count(e, "ers97", seed=1)
    assert r.valid_votes == D("9.00")
    assert r.quota == D("4.50")
    assert any("rule 5.1.2: 1 paper" in n for n in r.notes)
    s2 = r.stages[1]
    assert (s2.subject, s2.elected, s2.non_transferable) == (("A",), ("C",), D("2.00"))
    assert s2.quota == D("3.50")


def test_ers97_passes_over_a_withdrawn_candidate_and_leaves_them_out_of_the_stages() -> None:
    e = Election(
        ("A", "B", "C"),
        1,
        (((0,), (1,)), ((1,),), ((2,),)),
        (3, 2, 4),
        withdrawn=frozenset({0}),
    )
    r = count(e, "ers97", seed=1)
    assert r.quota == D("4.50")
    assert dict(r.stages[0].votes) == {"B": D(5), "C": D(4)}
    assert r.elected == ("B",)
    assert r.candidates == ("B", "C")
    assert r.not_elected == ("C",)


def test_ers97_names_its_rule_and_records_the_seed_for_a_replay() -> None:
    r = count(election_from_rankings(["A", "B"], 1, [["A"], ["B"]]), "ers97", seed=99)
    assert (r.rule, r.seed, r.places) == ("ers97", 99, 2)
    again = count(election_from_rankings(["A", "B"], 1, [["A"], ["B"]]), "ers97", seed=99)
    assert again.to_dict() == r.to_dict()


def test_ers97_reproduces_the_first_two_stages_of_the_model_election_in_section_8() -> None:
    """ERS97 section 8 (model election; text at rosenstiel.co.uk/stvrules/model.htm, 8.1-8.2):
    758 papers, 5 invalid, 753 valid, 6 places: quota 753/7 = 107.571.. -> 107.58. Smith has
    134, surplus 26.42, which exceeds the gap of the two lowest (24 - 23 = 1), so it moves.
    123 of Smith's 134 papers are transferable, worth 123 > 26.42: 26.42/123 = 0.21 each;
    non-transferable difference 26.42 - 25.83 = 0.59. Only Smith's figures, the two lowest
    (24, 23) and the totals are from the text; the other candidates' votes are our own."""
    others = {"B": 100, "C": 95, "D": 90, "E": 85, "F": 80, "G": 62, "H": 60, "I": 24, "J": 23}
    names = ["Smith", *others]
    ballots: list[list[str | tuple[str, ...]]] = [["Smith", "C"]] * 123 + [["Smith"]] * 11
    for name, n in others.items():
        ballots += [[name]] * n
    ballots += [[("B", "C")]] * 5  # '1' against more than one candidate: invalid (rule 6.9)
    r = count(election_from_rankings(names, 6, ballots), "ers97", seed=1)
    assert r.valid_votes == D("753.00")
    assert r.quota == D("107.58")
    assert r.stages[0].elected == ("Smith",)
    s2 = r.stages[1]
    assert (s2.action, s2.subject) == ("surplus", ("Smith",))
    assert "surplus 26.42 from 134 paper(s)" in s2.note
    assert "123 transferable at 0.21, 11 non-transferable" in s2.note
    assert s2.non_transferable == D("0.59")
    assert s2.votes["C"] == D("95") + D("25.83")
    assert s2.votes["Smith"] == D("107.58")


@settings(max_examples=150, deadline=None)
@given(elections(max_candidates=7, max_seats=4, max_ballots=25))
def test_ers97_continuing_votes_never_fall_and_a_transferred_surplus_leaves_the_quota(
    election: Election,
) -> None:
    r = count(election, "ers97", seed=3)
    gone: set[str] = set()
    previous = r.stages[0]
    for stage in r.stages[1:]:
        for name, vote in stage.votes.items():
            if name not in gone and name not in stage.subject:
                assert vote >= previous.votes[name], (stage.number, name)
        if stage.action == "surplus":
            (who,) = stage.subject
            assert stage.votes[who] == stage.quota
            assert stage.non_transferable >= previous.non_transferable
        gone |= set(stage.elected) | set(stage.excluded) | set(previous.elected)
        previous = stage
    assert len(r.elected) == min(r.seats, len(election.hopeful))


def test_ers97_counts_an_election_held_only_as_packed_arrays_the_same_way() -> None:
    ballots = [(9, ["A", "B", "D"]), (4, ["B", "C"]), (3, ["C"]), (2, ["D"]), (1, ["E"])]
    names = ["A", "B", "C", "D", "E"]
    plain = ers97(names, 3, ballots)
    index = {n: i for i, n in enumerate(names)}
    packed = PackedBallots.from_rankings(
        (tuple((index[n],) for n in ranking), times) for times, ranking in ballots
    )
    only = count(Election.from_packed(tuple(names), 3, packed), "ers97", seed=7)
    assert only.to_dict()["stages"] == plain.to_dict()["stages"]
    assert only.elected == plain.elected == ("A", "B", "D")


def test_ers97_breaks_a_tie_by_the_earliest_differing_point_even_when_a_later_one_disagrees() -> (
    None
):
    """Quota 310/4 = 77.50. A (100) is elected; 20 of A's papers go on to X, worth 1.00
    each as 20 <= 22.50 (rule 5.3.7): X 50, Y 40. Z (20) is excluded alone (20 + 40 > 50);
    10 of Z's papers go to Y: X and Y tie at 50. They differed at stage 1 (X 30, Y 40) and at
    stage 2 (X 50, Y 40): rule 5.2.5 looks at the earliest point, so X is excluded, though
    the most recent difference would have taken Y."""
    r = ers97(
        ["A", "X", "Y", "Z", "V", "W"],
        3,
        [
            (20, ["A", "X"]),
            (80, ["A"]),
            (30, ["X"]),
            (40, ["Y"]),
            (10, ["Z", "Y"]),
            (10, ["Z"]),
            (60, ["V"]),
            (60, ["W"]),
        ],
    )
    assert votes(r, 3)["X"] == votes(r, 3)["Y"] == 50
    assert r.stages[3].subject == ("X",)
    assert r.tie_breaks == (
        "rule 5.2.5: candidate to exclude: tie between X, Y decided by the earliest point "
        "where their votes differed: X",
    )


def test_ers97_moves_an_excluded_candidates_highest_valued_batch_first() -> None:
    """Quota 48/3 = 16.00. A (22) is elected; 12 of A's papers are transferable, worth more
    than the surplus 6.00, so each goes at 0.50: E gains 1.00 (2 papers), C 5.00. E (4) is
    excluded: rule 5.4.4 moves the batch of value 1.00 first, E's own 3 papers to B, who
    then has 17 and is deemed elected; every place is filled, so the batch at 0.50 stays
    (rule 5.5.2). Taking the 0.50 batch first would have given B 18."""
    r = ers97(
        ["A", "B", "C", "E", "F"],
        2,
        [
            (2, ["A", "E", "B", "C"]),
            (10, ["A", "C"]),
            (10, ["A"]),
            (14, ["B"]),
            (3, ["C"]),
            (3, ["E", "B"]),
            (6, ["F"]),
        ],
    )
    assert votes(r, 2) == {"A": 16, "B": 14, "C": 8, "E": 4, "F": 6}
    third = r.stages[2]
    assert (third.action, third.subject, third.elected) == ("exclusion", ("E",), ("B",))
    assert third.votes["B"] == 17 and third.votes["C"] == 8
    assert "batch 1 of 2: 3 paper(s) at 1.00" in third.note
    assert r.elected == ("A", "B")


def test_ers97_stays_exact_with_ballot_weights_of_a_million_million() -> None:
    """1_900_000_000_008 papers, 2 seats: quota 633_333_333_336.00 exactly (rule 5.1.6).
    A's surplus 366_666_666_671.00 is carried by A's 1_000_000_000_007 transferable papers at
    0.36 each (0.3666.. rounded down, rule 5.3.7): C gains 360_000_000_002.52 and the
    non-transferable difference is 6_666_666_668.48."""
    a, b, c = 10**12 + 7, 4 * 10**11, 5 * 10**11 + 1
    e = Election(("A", "B", "C"), 2, (((0,), (2,)), ((1,),), ((2,),)), (a, b, c))
    r = count(e, "ers97", seed=0)
    assert r.quota == D("633333333336.00")
    assert r.stages[1].votes["C"] == D("860000000003.52")
    assert r.stages[1].non_transferable == D("6666666668.48")
    assert r.elected == ("A", "C")
    only = Election.from_packed(e.candidates, 2, e.packed)
    assert count(only, "ers97", seed=0).to_dict() == r.to_dict()
