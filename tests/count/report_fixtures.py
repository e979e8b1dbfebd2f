"""Hand-built count results for the report tests, so they do not depend on any rule module.

The figures are a small worked example (4 candidates, 2 seats, 100 votes, Droop quota 34):
stage 2 is a constraint stage, so every part of the report has something to show.
"""

from __future__ import annotations

from decimal import Decimal as D

from grassroots.count.stages import CountResult, Stage

NAMES = ("Ann Black", "Bob Jones", "Cat <script>Smith", "Dan Wu")


def constrained_result() -> CountResult:
    """Ann reaches the quota; Bob is forced out by 'at least 1 of the seats to youth'."""
    q = D("34.00")
    s1 = Stage(
        1,
        "first",
        (),
        {
            "Ann Black": D("40.00"),
            "Bob Jones": D("30.00"),
            "Cat <script>Smith": D("20.00"),
            "Dan Wu": D("10.00"),
        },
        D("0.00"),
        elected=("Ann Black",),
        quota=q,
    )
    s2 = Stage(
        2,
        "constraint",
        ("Bob Jones",),
        {
            "Ann Black": D("40.00"),
            "Bob Jones": D("0.00"),
            "Cat <script>Smith": D("35.00"),
            "Dan Wu": D("22.00"),
        },
        D("3.00"),
        note="excluded so that the constraints can still be met: at least 1 of the seats to youth",
        excluded=("Bob Jones",),
        quota=q,
    )
    s3 = Stage(
        3,
        "surplus",
        ("Ann Black",),
        {
            "Ann Black": D("34.00"),
            "Bob Jones": D("0.00"),
            "Cat <script>Smith": D("38.50"),
            "Dan Wu": D("24.50"),
        },
        D("3.00"),
        elected=("Cat <script>Smith",),
        quota=q,
    )
    return CountResult(
        rule="scottish",
        seats=2,
        candidates=NAMES,
        quota=q,
        elected=("Ann Black", "Cat <script>Smith"),
        stages=(s1, s2, s3),
        places=2,
        title="Worked example: youth seat",
        seed=7,
        tie_breaks=(),
        notes=("A note for the reader.",),
        valid_votes=D("100.00"),
    )
