"""The read side of subscriptions: where a member's subscription went, each unit's totals, what
the national office owes and paid each unit, a unit's income under another split, and checking
a payments file before it is recorded.

Figures are sums of the splits stored with each payment, so they are the ones recorded: a unit's
are read from the figures kept per unit and month as payments are recorded (``figures``, less
refunds), a member's from their payments; only the what-if works a split out again, under the
split asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from grassroots.finance import refund_figures
from grassroots.finance.apportion import (
    LEVELS,
    RuleBook,
    SplitRule,
    fold_absent,
    largest_remainder,
    with_share,
)
from grassroots.finance.models import Payment, PaymentFigure, Remittance, SubscriptionRule
from grassroots.finance.payments_csv import MemberRef, PaymentsFile, parse
from grassroots.finance.split import recorded_references
from grassroots.members.csvio import RATE_BANDS
from grassroots.members.models import Member, Unit

__all__ = [
    "MemberYear",
    "RemittanceRow",
    "UnitYear",
    "WhatIf",
    "check_payments",
    "level_of",
    "member_year",
    "remittances",
    "rule_book",
    "unit_year",
    "what_if",
]

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def level_of(unit: Unit) -> str | None:
    """The level of the split a unit receives as, or None (an affiliated body)."""
    return unit.kind if unit.kind in LEVELS else None


def rule_book() -> RuleBook:
    return RuleBook(s.rule() for s in SubscriptionRule.objects.all())


def _year(qs: QuerySet[Payment], year: int) -> QuerySet[Payment]:
    return qs.filter(paid_on__gte=dt.date(year, 1, 1), paid_on__lt=dt.date(year + 1, 1, 1))


def _figures(qs: QuerySet[PaymentFigure], year: int) -> QuerySet[PaymentFigure]:
    """The kept figures of ``year`` (``figures``): a unit's totals without reading payments."""
    return qs.filter(month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))


@dataclass(frozen=True)
class RefundView:
    refunded_on: dt.date
    amount: int
    reason: str
    shares: list[tuple[str, str, int]]  # (level, unit name, pence taken back)


@dataclass
class PaymentView:
    paid_on: dt.date
    amount: int
    band: str
    rule_from: dt.date
    shares: list[tuple[str, str, int]]  # (level, unit name, pence)
    pk: int = 0
    refunds: list[RefundView] = field(default_factory=list)

    @property
    def refunded(self) -> int:
        return sum(r.amount for r in self.refunds)

    @property
    def kept(self) -> int:
        """What is still paid after the refunds."""
        return self.amount - self.refunded


@dataclass
class MemberYear:
    """Where one member's subscription went in a year, and what their branch received."""

    year: int
    payments: list[PaymentView]
    paid: int
    by_level: list[tuple[str, str, int]]  # (level, unit name, pence), top first
    branch: Unit
    branch_received: int  # from every member's subscriptions in the year
    branch_payers: int

    @property
    def refunded(self) -> int:
        return sum(p.refunded for p in self.payments)


def member_year(member: Member, year: int) -> MemberYear:
    payments = list(
        _year(Payment.objects.filter(member=member), year)
        .select_related("split__rule")
        .order_by("paid_on", "pk")
    )
    ids = {uid for p in payments for _, uid, _ in p.shares()}
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    views = []
    totals: dict[tuple[str, str], int] = defaultdict(int)
    refunds = refund_figures.of_payments([p.pk for p in payments])
    for p in payments:
        shares = [(level, names.get(uid, "?"), pence) for level, uid, pence in p.shares()]
        for level, name, pence in shares:
            totals[(level, name)] += pence
        back = []
        for r in refunds.get(p.pk, []):
            taken = [(level, name, r.share(level)) for level, name, _ in shares]
            for level, name, pence in taken:
                totals[(level, name)] -= pence
            back.append(RefundView(r.refunded_on, r.amount, r.reason, taken))
        views.append(
            PaymentView(p.paid_on, p.amount, p.band, p.rule.effective_from, shares, p.pk, back)
        )
    by_level = sorted(
        ((lv, name, pence) for (lv, name), pence in totals.items()),
        key=lambda t: LEVELS.index(t[0]),
    )
    branch = _figures(PaymentFigure.objects.filter(unit_id=member.branch_id), year).aggregate(
        received=Sum("received"), payers=Sum("new_payers")
    )
    back = refund_figures.by_month("branch", member.branch_id, year)
    return MemberYear(
        year,
        views,
        sum(v.kept for v in views),
        by_level,
        member.branch,
        (branch["received"] or 0) - sum(back.values()),
        branch["payers"] or 0,
    )


@dataclass
class UnitYear:
    """A unit's subscription income in a year: its share of every payment by its members."""

    unit: Unit
    level: str
    year: int
    received: int
    paid_in: int  # the whole of its members' payments
    payers: int
    payments: int
    months: list[tuple[str, int, int]]  # (month, received, payments)
    below: list[tuple[Unit, int]] = field(default_factory=list)  # units below and their share
    levels: list[tuple[str, int]] = field(default_factory=list)  # national: where it all went
    refunded: int = 0  # taken back from its share by refunds made in the year


def unit_year(unit: Unit, year: int) -> UnitYear:
    level = level_of(unit)
    if level is None:
        raise ValueError(f"{unit.name} is an affiliated body: it receives no subscriptions")
    qs = _figures(PaymentFigure.objects.filter(unit=unit), year)
    totals = qs.aggregate(
        received=Sum("received"),
        paid_in=Sum("paid_in"),
        payers=Sum("new_payers"),
        payments=Sum("payments"),
    )
    by_month = {
        row["month"].month: (row["r"], row["n"])
        for row in qs.values("month").annotate(r=Sum("received"), n=Sum("payments")).order_by()
    }
    # refunds take their share back in the month they were made
    back = refund_figures.by_month(level, unit.pk, year)
    months = []
    for m in range(1, 13):
        received, n = by_month.get(m, (0, 0))
        months.append((MONTHS[m - 1], (received or 0) - back.get(m, 0), n))
    out = UnitYear(
        unit, level, year, (totals["received"] or 0) - sum(back.values()),
        totals["paid_in"] or 0, totals["payers"] or 0, totals["payments"] or 0, months,
        refunded=sum(back.values()),
    )  # fmt: skip
    below_level = {"national": "region", "region": "branch", "branch": "ward"}.get(level)
    if below_level is not None:
        children = {u.pk: u for u in unit.children.filter(kind=below_level)}
        if children:
            sums = dict(
                _figures(PaymentFigure.objects.filter(unit_id__in=list(children)), year)
                .values_list("unit_id")
                .annotate(s=Sum("received"))
                .order_by()
            )
            taken = refund_figures.by_unit(below_level, year)
            out.below = [
                (u, sums.get(pk, 0) - taken.get(pk, 0)) for pk, u in sorted(children.items())
            ]
    if level == "national":
        agg = dict(
            _figures(PaymentFigure.objects.filter(unit__path__startswith=unit.path), year)
            .values_list("unit__kind")
            .annotate(s=Sum("received"))
            .order_by()
        )
        out.levels = [
            (lv, (agg.get(lv) or 0) - sum(refund_figures.by_unit(lv, year).values()))
            for lv in LEVELS
        ]
    return out


@dataclass(frozen=True)
class RemittanceRow:
    period: dt.date
    owed: int
    paid: int

    @property
    def difference(self) -> int:
        """What is still owed (negative: paid more than owed)."""
        return self.owed - self.paid


def remittances(unit: Unit, year: int) -> list[RemittanceRow]:
    """Per month of ``year``: the unit's share of its members' payments, what the national
    office paid it for that month, and the difference."""
    level = level_of(unit)
    if level is None or level == "national":
        raise ValueError(f"{unit.name} receives no remittances from the national office")
    owed = {
        row["month"].month: row["owed"]
        for row in _figures(PaymentFigure.objects.filter(unit=unit), year)
        .values("month")
        .annotate(owed=Sum("received"))
        .order_by()
    }
    for month, pence in refund_figures.by_month(level, unit.pk, year).items():
        owed[month] = (owed.get(month) or 0) - pence
    paid = {
        row["period"].month: row["paid"]
        for row in Remittance.objects.filter(unit=unit, period__year=year)
        .values("period")
        .annotate(paid=Sum("amount"))
        .order_by()
    }
    return [
        RemittanceRow(dt.date(year, m, 1), owed.get(m, 0) or 0, paid.get(m, 0) or 0)
        for m in range(1, 13)
    ]


def remittances_by_unit(national: Unit, year: int) -> list[tuple[Unit, int, int]]:
    """For the national office: each unit's share owed for the year and what it was paid."""
    rows: list[tuple[Unit, int, int]] = []
    paid = dict(
        Remittance.objects.filter(period__year=year)
        .values_list("unit_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    kept = dict(
        _figures(PaymentFigure.objects.filter(unit__kind__in=("region", "branch", "ward")), year)
        .values_list("unit_id")
        .annotate(s=Sum("received"))
        .order_by()
    )
    for level in ("region", "branch", "ward"):
        owed = dict(kept)
        for pk, pence in refund_figures.by_unit(level, year).items():
            owed[pk] = owed.get(pk, 0) - pence
        units = Unit.objects.filter(kind=level, path__startswith=national.path)
        rows.extend(
            (u, owed.get(u.pk, 0), paid.get(u.pk, 0))
            for u in units
            if owed.get(u.pk) or paid.get(u.pk)
        )
    return rows


@dataclass(frozen=True)
class WhatIf:
    unit: Unit
    level: str
    year: int
    percent: Fraction
    actual: int  # as the unit's totals have it: its share less what refunds took back
    would_be: int  # the same under the other split, refunds taken back under it too
    paid_in: int
    refunded: int = 0  # given back to its members by refunds made in the year

    @property
    def difference(self) -> int:
        return self.would_be - self.actual


def what_if(unit: Unit, year: int, percent: Fraction) -> WhatIf:
    """The unit's income in ``year`` had its level received ``percent`` of every payment by its
    members, the other levels sharing the rest as the rule in force had them, each payment split
    to the penny by the same rounding rule as the real ones.

    Net of refunds as the unit's totals are: a refund made in the year takes back the unit's
    share of it under the other split, worked out as a real refund is (``refunds``): what the
    unit kept of the payment before the refund less what it keeps after it."""
    level = level_of(unit)
    if level is None:
        raise ValueError(f"{unit.name} is an affiliated body: it receives no subscriptions")
    groups = (
        _figures(PaymentFigure.objects.filter(unit=unit), year)
        .values("rule_id", "band", "amount", "has_region", "has_ward")
        .annotate(n=Sum("payments"), actual=Sum("received"))
        .order_by()
    )
    rules: dict[int, SplitRule] = {s.pk: s.rule() for s in SubscriptionRule.objects.all()}
    fraction = percent / 100

    def kept(amount: int, rule_id: int, band: str, has_region: bool, has_ward: bool) -> int:
        """The unit's share of ``amount`` under the other split."""
        if amount == 0:
            return 0
        weights = with_share(rules[rule_id].band(band), level, fraction)
        present = ["national", "branch"] + ["region"] * has_region + ["ward"] * has_ward
        return dict(largest_remainder(amount, fold_absent(weights, present))).get(level, 0)

    actual = would_be = paid_in = refunded = 0
    for g in groups:
        kind = (g["rule_id"], g["band"], g["has_region"], g["has_ward"])
        would_be += kept(g["amount"], *kind) * g["n"]
        actual += g["actual"] or 0
        paid_in += g["amount"] * g["n"]
    refunds = refund_figures.kinds_in_year(level, unit.pk, year)
    for (rule_id, band, amount, region, ward, before, back), (n, taken) in refunds.items():
        kind = (rule_id, band, region, ward)
        would_be -= (kept(amount - before, *kind) - kept(amount - before - back, *kind)) * n
        actual -= taken
        refunded += back * n
    return WhatIf(unit, level, year, percent, actual, would_be, paid_in, refunded)


def check_payments(text: str, unit: Unit) -> PaymentsFile:
    """Check a payments file against ``unit``'s members, the rules, and what is recorded."""
    subtree = Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
    members: dict[str, MemberRef] = {}
    emails: dict[str, MemberRef] = {}
    for pk, number, name, band, email in Member.objects.filter(branch_id__in=subtree).values_list(
        "pk", "number", "name", "rate_band", "email"
    ):
        ref = MemberRef(pk, number, name, band)
        members[number] = ref
        if email:
            emails.setdefault(email.lower(), ref)
    book = rule_book()
    today = timezone.localdate()
    first = parse(
        text, members=members, emails=emails, rules=book, bands=frozenset(RATE_BANDS),
        today=today,
    )  # fmt: skip
    refs = [r.reference for r in first.rows if r.reference]
    if not refs:
        return first
    source = "processor" if first.layout == "processor" else "import"
    recorded = recorded_references(source, refs)
    if not recorded:
        return first
    return parse(
        text, members=members, emails=emails, rules=book, recorded=frozenset(recorded),
        bands=frozenset(RATE_BANDS), today=today,
    )  # fmt: skip


def standing_section(member: Member) -> Any:
    """The member's standing page shows this year's subscription and links to the full page."""
    from grassroots.members.sections import Section

    this = member_year(member, dt.date.today().year)
    return Section(
        title="Your subscription",
        template="finance/subscriptions/_standing.html",
        items=[this],
        empty="",
    )
