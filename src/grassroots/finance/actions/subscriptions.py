"""Subscriptions: setting the rates and their split from a date, recording members' payments (by
an officer, from a payments file, from a payment processor's export), and the national office's
remittances to units. Each is atomic, checks the actor's role, and writes an audit entry.

``by=None`` is the operator at the command line (the demo, the benchmark), trusted and recorded
as "system".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.finance.apportion import NoRule, RuleError, SplitRule, format_pence
from grassroots.finance.arrays import distinct
from grassroots.finance.ledger import after_today
from grassroots.finance.models import Payment, Remittance, SubscriptionRule
from grassroots.finance.payments_csv import PaymentsFile
from grassroots.finance.split import (
    Book,
    NewPayment,
    Payments,
    lock_rules,
    recorded_references,
    write_payments,
)
from grassroots.members.actions import ActionRefused
from grassroots.members.actions._common import User, _check
from grassroots.members.models import Member, Unit

__all__ = [
    "ImportOutcome",
    "create_rule",
    "import_payments",
    "national_unit",
    "record_payment",
    "record_remittance",
]


def national_unit() -> Unit:
    """The unit at the top of the tree, where the rules are set and remittances are paid from."""
    unit = Unit.objects.filter(parent=None, kind="national").order_by("pk").first()
    if unit is None:
        raise ActionRefused("there is no national unit yet: add the organisation's tree first")
    return unit


def _user_id(by: User | None) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


@transaction.atomic
def create_rule(
    *,
    effective_from: dt.date,
    bands: Mapping[str, Any],
    currency: str = "GBP",
    reason: str = "",
    by: User | None,
) -> SubscriptionRule:
    """A new rule from ``effective_from``; payments dated before it keep the rule they had.

    Refused when payments dated on or after ``effective_from`` are already recorded: their
    stored split would no longer be the rule in force on their date.
    """
    national = national_unit()
    _check(by, "set_subscription_rules", national)
    lock_rules()
    try:
        rule = SplitRule.from_dict(effective_from, currency, bands)
    except RuleError as e:
        raise ActionRefused(str(e)) from None
    if SubscriptionRule.objects.filter(effective_from=effective_from).exists():
        raise ActionRefused(f"a rule already takes effect on {effective_from}")
    later = Payment.objects.filter(paid_on__gte=effective_from).order_by("-paid_on").first()
    if later is not None:
        raise ActionRefused(
            f"payments up to {later.paid_on} are already recorded under the rule in force then; "
            f"a new rule must take effect after {later.paid_on}"
        )
    stored = SubscriptionRule.objects.create(
        effective_from=effective_from,
        currency=rule.currency,
        bands=rule.to_dict(),
        reason=reason,
        created_by_id=_user_id(by),
    )
    record(
        by,
        "create_subscription_rule",
        f"subscription_rule:{stored.pk}",
        f"subscription rates and split from {effective_from}: "
        + "; ".join(
            f"{band} {format_pence(split.rate)} ("
            + ", ".join(f"{level} {format_pence(p)}" for level, p in split.shares)
            + ")"
            for band, split in rule.bands
        ),
        reason=reason,
        detail={
            "effective_from": str(effective_from),
            "currency": rule.currency,
            "bands": rule.to_dict(),
        },
    )
    return stored


@transaction.atomic
def record_payment(
    member: Member,
    *,
    paid_on: dt.date,
    amount: int,
    band: str = "",
    reference: str = "",
    by: User | None,
) -> Payment:
    """Record one payment by ``member``, split under the rule in force on ``paid_on``."""
    member = Member.objects.select_related("branch").get(pk=member.pk)
    _check(by, "record_subscriptions", member.branch)
    if amount <= 0:
        raise ActionRefused("a payment must be more than nothing")
    late = after_today("Date paid", paid_on, timezone.localdate())
    if late:
        raise ActionRefused(f"{late}: record a payment once it is made")
    if len(reference) > 100:
        raise ActionRefused("a reference is at most 100 characters")
    if reference and Payment.objects.filter(source="officer", reference=reference).exists():
        raise ActionRefused(f"a payment with the reference {reference} is already recorded")
    lock_rules()
    book = Book()
    new = NewPayment(
        member.pk, member.branch_id, member.ward_id, paid_on, amount, band or member.rate_band,
        reference,
    )  # fmt: skip
    try:
        write_payments(Payments.of([new]), book, source="officer", recorded_by=_user_id(by))
    except (NoRule, RuleError) as e:
        raise ActionRefused(str(e)) from None
    payment = Payment.objects.filter(member=member).select_related("split").order_by("-pk").first()
    assert payment is not None
    record(
        by,
        "record_subscription_payment",
        f"member:{member.number}",
        f"{member.name} ({member.number}) paid {format_pence(amount)} on {paid_on} "
        f"({payment.band} rate), split "
        + ", ".join(f"{level} {format_pence(p)}" for level, _, p in payment.shares()),
        detail={"payment": payment.pk, "reference": reference},
    )
    return payment


@dataclass(frozen=True)
class ImportOutcome:
    recorded: int
    total: int
    left_out: int


@transaction.atomic
def import_payments(
    parsed: PaymentsFile,
    *,
    unit: Unit,
    by: User | None,
    filename: str = "upload",
) -> ImportOutcome:
    """Record a checked payments file (``queries.check_payments``); with any error, nothing.

    Every member is checked again to be in ``unit`` (their branch and ward now), and every
    reference not already stored.
    """
    _check(by, "record_subscriptions", unit)
    if parsed.errors:
        raise ActionRefused(
            f"{len(parsed.errors)} problem(s) in the file: nothing was recorded; fix the file "
            "and upload it again"
        )
    if not parsed.rows:
        raise ActionRefused("the file holds no payments to record")
    today = timezone.localdate()
    late = next((r for r in parsed.rows if r.paid_on > today), None)
    if late is not None:
        raise ActionRefused(
            f"row {late.row}: {after_today('Date paid', late.paid_on, today)}; nothing was recorded"
        )
    source = "processor" if parsed.layout == "processor" else "import"
    lock_rules()
    payments = _placed(parsed, unit)
    book = Book()
    # a reference already recorded is refused by the table's unique constraint (one index
    # look-up per row as it is written, instead of a query per 10,000 references first); the
    # savepoint lets the refusal name it
    try:
        with transaction.atomic():
            count = write_payments(payments, book, source=source, recorded_by=_user_id(by))
    except (NoRule, RuleError) as e:
        raise ActionRefused(f"{e}; nothing was recorded") from None
    except IntegrityError:
        refs = [r.reference for r in parsed.rows if r.reference]
        taken = recorded_references(source, refs)
        if taken:
            raise ActionRefused(f"{min(taken)} is already recorded; check the file again") from None
        raise ActionRefused(
            f"{_repeated(refs)} is in the file twice; check the file again"
        ) from None
    total = sum(payments.amount)  # as parsed.total, from the columns already built
    record(
        by,
        "import_subscription_payments",
        f"unit:{unit.pk}",
        f"recorded {count} payment(s) totalling {format_pence(total)} for members of "
        f"{unit.name} from {filename}"
        + (f", leaving out {len(parsed.left_out)} row(s)" if parsed.left_out else ""),
        detail={
            "layout": parsed.layout,
            "payments": count,
            "total_pence": total,
            "left_out": [str(e) for e in parsed.left_out[:1000]],
            "file": filename,
        },
    )
    return ImportOutcome(count, total, len(parsed.left_out))


def _placed(parsed: PaymentsFile, unit: Unit) -> Payments:
    """The file's payments with each member's branch and ward now, refused if any member is
    not in ``unit``'s part of the tree now.

    Columns and numpy arrays rather than a dict per member: a national file holds 500,000
    rows, and the member look-up is the ORM's SQL read by a plain cursor."""
    rows = parsed.rows
    allowed = np.array(
        Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True), dtype=np.int64
    )
    member_id = list(map(attrgetter("member_id"), rows))
    wanted_ids = np.array(member_id, dtype=np.int64)
    wanted = distinct(wanted_ids)
    members = Member.objects.values_list("pk", "branch_id", "ward_id").order_by()
    if len(wanted) <= 5000:
        members = members.filter(pk__in=wanted.tolist())
    # many: the whole register in one sequential pass (whether each is inside ``unit`` is
    # checked below) beats thousands of ids in a query or a join the planner may walk by branch
    sql, params = members.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        found = cur.fetchall() or [(0, 0, None)]  # none: nobody in the file is a member there
    ids = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
    by_id = np.argsort(ids)  # sorted here: cheaper than the database sorting a national register
    ids = ids[by_id]
    branch_of = np.fromiter((r[1] for r in found), dtype=np.int64, count=len(found))[by_id]
    ward_column = [r[2] for r in found]
    at = np.minimum(np.searchsorted(ids, wanted_ids), len(ids) - 1)
    inside = (ids[at] == wanted_ids) & np.isin(branch_of[at], allowed)
    if not inside.all():
        r = rows[int(np.flatnonzero(~inside)[0])]
        raise ActionRefused(
            f"row {r.row}: {r.number} is not a member of {unit.name} now; check the file again"
        )
    where = by_id[at].tolist()  # each row's member's place in ``found``
    return Payments(
        member_id, branch_of[at].tolist(), [ward_column[i] for i in where],
        list(map(attrgetter("paid_on"), rows)), list(map(attrgetter("amount"), rows)),
        list(map(attrgetter("band"), rows)), list(map(attrgetter("reference"), rows)),
    )  # fmt: skip


def _repeated(references: list[str]) -> str:
    seen: set[str] = set()
    for r in references:
        if r in seen:
            return r
        seen.add(r)
    return "a reference"


@transaction.atomic
def record_remittance(
    unit: Unit,
    *,
    period: dt.date,
    paid_on: dt.date,
    amount: int,
    reference: str = "",
    by: User | None,
) -> Remittance:
    """Record money the national office paid ``unit`` as its share of ``period``'s month."""
    national = national_unit()
    _check(by, "set_subscription_rules", national)
    if unit.pk == national.pk or unit.kind not in ("region", "branch", "ward"):
        raise ActionRefused(f"{unit.name} does not receive remittances from the national office")
    if amount == 0:
        raise ActionRefused("a remittance must be an amount (a negative one takes money back)")
    late = after_today("Date paid", paid_on, timezone.localdate())
    if late:
        raise ActionRefused(f"{late}: record a remittance once it is paid")
    if len(reference) > 100:
        raise ActionRefused("a reference is at most 100 characters")
    month = period.replace(day=1)
    remittance = Remittance.objects.create(
        unit=unit,
        period=month,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        recorded_at=timezone.now(),
        recorded_by_id=_user_id(by),
    )
    from grassroots.finance.actions.postings import post_remittance  # it imports this module

    posting = post_remittance(remittance, by=by)
    record(
        by,
        "record_remittance",
        f"unit:{unit.pk}",
        f"the national office paid {unit.name} {format_pence(amount)} on {paid_on} "
        f"for {month:%B %Y}; "
        + (
            f"not written into the ledgers yet: {posting}"
            if isinstance(posting, str)
            else "written into both ledgers"
        ),
        detail={
            "remittance": remittance.pk,
            "reference": reference,
            "posting": None if isinstance(posting, str) else posting.pk,
        },
    )
    return remittance
