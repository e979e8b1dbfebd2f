"""Demo books for the home branch: last year's bank statement imported and reconciled, spends
approved at minuted executive meetings, one large payment with no approving decision (shown as
unapproved), last year's budget and accounts (signed off by two auditors, approved at the AGM,
published), this year's budget, and this year's statement to date uploaded and waiting for the
treasurer to confirm its report (with one bad line): its lines include the national office's
remittances for this year's months, so once imported and reconciled the books agree with the
bank.

Call ``seed()`` after the members and meetings demos. Logins: ``treasurer``, ``auditor1``,
``auditor2`` (the demo password).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from grassroots.finance.actions import accounts, bank, budgets, ledger, spending
from grassroots.finance.bank.csvfile import Columns
from grassroots.finance.models import Account, BankLine, Remittance
from grassroots.meetings import actions as meetings
from grassroots.meetings.models import Body, Vote
from grassroots.members import actions as members
from grassroots.members.demo import DEMO_PASSWORD, DemoLogin
from grassroots.members.models import Member, Unit

__all__ = ["seed"]

LONDON = ZoneInfo("Europe/London")
COLUMNS = Columns(
    date="Date",
    date_format="%d/%m/%Y",
    description="Description",
    payee="Payee",
    paid_in="Paid in",
    paid_out="Paid out",
)
ACCOUNTS = [  # code, name, category, bank
    ("bank", "Co-op current account", "asset", True),
    ("general-fund", "General fund", "funds", False),
    ("subscriptions", "Subscriptions (branch share)", "income", False),
    ("donations", "Donations", "income", False),
    ("fundraising", "Fundraising", "income", False),
    ("leaflets", "Leaflets and printing", "expense", False),
    ("hall-hire", "Hall hire", "expense", False),
    ("campaigns", "Campaign materials", "expense", False),
    ("legal", "Legal costs", "expense", False),
]


def _decide(body: Body, people: list[Member], title: str, start: dt.datetime) -> Vote:
    """Hold a meeting of ``body`` that carries one motion, and circulate its minutes."""
    m = meetings.call_meeting(
        body,
        title=title,
        start=start,
        by=None,
        items=["Motions"],
        place="Unity Hall",
        now=start - dt.timedelta(days=16),
    )
    for p in people:
        meetings.check_in(m, p, by=None, now=start - dt.timedelta(minutes=5))
    meetings.open_meeting(m, by=None, now=start)
    motion = meetings.submit_motion(
        m,
        title=title,
        text=f"That the branch {title[0].lower()}{title[1:]}.",
        by=None,
        mover=people[0],
        seconder=people[1],
        item=m.items.get(position=1),
        now=start - dt.timedelta(days=10),
    )
    vote = meetings.open_vote(m, motion=motion, by=None, now=start + dt.timedelta(minutes=10))
    meetings.record_hands(vote, for_=len(people) - 1, against=1, abstain=0, by=None)
    meetings.close_vote(vote, by=None, now=start + dt.timedelta(minutes=15))
    meetings.close_meeting(m, by=None, now=start + dt.timedelta(hours=1))
    minutes = meetings.draft_minutes(m, by=None, now=start + dt.timedelta(days=2))
    meetings.circulate_minutes(minutes, by=None, now=start + dt.timedelta(days=3))
    vote.refresh_from_db()
    return vote


def _at(day: dt.date, hour: int = 19) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=LONDON)


def _statement(rows: list[tuple[dt.date, str, str, str, str]]) -> bytes:
    lines = ["Date,Description,Payee,Paid in,Paid out"]
    for day, what, payee, paid_in, paid_out in rows:
        lines.append(f"{day:%d/%m/%Y},{what},{payee},{paid_in},{paid_out}")
    return ("\n".join(lines) + "\n").encode()


def seed(today: dt.date | None = None) -> list[DemoLogin]:
    today = today or dt.date.today()
    last = today.year - 1
    secretary = Member.objects.filter(number="D900001").select_related("branch").first()
    if secretary is None:
        raise members.ActionRefused("seed the demo organisation first")
    home: Unit = secretary.branch
    logins = []
    users = {}
    for username, kind in (
        ("treasurer", "treasurer"),
        ("auditor1", "auditor"),
        ("auditor2", "auditor"),
    ):
        user = members.create_login(
            username=username, password=DEMO_PASSWORD, email=f"{username}@example.org", by=None
        )
        members.grant_role(user=user, kind=kind, unit=home, by=None, reason="demo")
        users[username] = user
        logins.append(DemoLogin(username, f"{kind} of {home.name}"))
    approver = members.create_login(
        username="chair", password=DEMO_PASSWORD, email="chair@example.org", by=None
    )
    members.grant_role(user=approver, kind="executive", unit=home, by=None, reason="demo")
    logins.append(DemoLogin("chair", f"executive member of {home.name} (approves spends)"))
    t = users["treasurer"]

    ledger.open_books(home, threshold="250", by=t)
    acc = {
        code: ledger.open_account(
            home,
            code=code,
            name=name,
            category=category,
            is_bank=is_bank,
            by=t,
            opened=dt.date(last, 1, 1),
        )
        for code, name, category, is_bank in ACCOUNTS
    }

    # decisions: the executive's (its seat holders) and the AGM's (members present)
    executive = Body.objects.filter(unit=home, kind="executive").first() or meetings.create_body(
        unit=home, kind="executive", name=f"{home.name} Executive Committee", by=None
    )
    holders = list(executive.seats.values_list("member_id", flat=True))
    seated = list(
        Member.objects.filter(branch=home, status="full").exclude(pk__in=holders).order_by("pk")[:4]
    )
    if len(seated) < 4:  # a small demo branch: members of any standing make up its executive
        seated += list(
            Member.objects.filter(branch=home)
            .exclude(pk__in=holders + [m.pk for m in seated])
            .order_by("pk")[: 4 - len(seated)]
        )
    for m in seated:  # members of the executive through last year
        meetings.appoint(executive, m, by=None, role="Member", on=dt.date(last - 1, 1, 1))
    budget_vote = _decide(
        executive, seated, "Adopts its budget for the year", _at(dt.date(last, 1, 14))
    )
    banner_vote = _decide(
        executive,
        seated,
        "Buys a banner and stall for the spring campaign",
        _at(dt.date(last, 3, 11)),
    )
    hall_vote = _decide(
        executive, seated, "Books Unity Hall for the year's meetings", _at(dt.date(last, 4, 8))
    )

    # last year's budget
    budget = budgets.set_budget(
        home,
        year=last,
        lines={
            acc["subscriptions"]: Decimal("1400"),
            acc["donations"]: Decimal("300"),
            acc["fundraising"]: Decimal("400"),
            acc["leaflets"]: Decimal("450"),
            acc["hall-hire"]: Decimal("700"),
            acc["campaigns"]: Decimal("600"),
        },
        by=t,
    )
    budgets.approve_budget(budget, decision=budget_vote, by=t)

    # spends approved and paid during the year
    def spend(
        payee: str, amount: str, purpose: str, line: str, vote: Vote | None, paid: dt.date
    ) -> None:
        # dated as they happened: proposed after the meeting that voted it (or a few days
        # before the payment), approved the next day, paid on the day the bank shows
        proposed = (
            vote.meeting.start + dt.timedelta(days=1)
            if vote is not None
            else _at(paid - dt.timedelta(days=5), 10)
        )
        s = spending.propose_spend(
            home,
            payee=payee,
            amount=amount,
            purpose=purpose,
            budget_line=acc[line],
            by=t,
            now=proposed,
        )
        spending.approve_spend(s, by=approver, decision=vote, now=proposed + dt.timedelta(days=1))
        spending.pay_spend(s, bank=acc["bank"], date=paid, by=t, now=_at(paid, 12))

    spend(
        "Banner Co-operative",
        "485.00",
        "Banner and stall for the spring campaign",
        "campaigns",
        banner_vote,
        dt.date(last, 3, 20),
    )
    spend(
        "Unity Hall",
        "640.00",
        "Hall hire for the year's meetings",
        "hall-hire",
        hall_vote,
        dt.date(last, 4, 15),
    )
    spend(
        "Print Workers' Press",
        "180.00",
        "Leaflets: save our libraries",
        "leaflets",
        None,
        dt.date(last, 5, 2),
    )
    spend(
        "Print Workers' Press",
        "210.00",
        "Leaflets: autumn newsletter",
        "leaflets",
        None,
        dt.date(last, 9, 19),
    )

    # last year's statement: the payments above match; the rest is reconciled by hand
    mapping = bank.save_mapping(home, bank="Co-op Bank", columns=COLUMNS, by=t)
    rows = [
        (dt.date(last, 1, 2), "Balance brought forward", "", "1250.00", ""),
        (dt.date(last, 2, 28), "Subscriptions share Q4", "National office", "342.50", ""),
        (dt.date(last, 3, 20), "Banner and stall", "Banner Co-operative", "", "485.00"),
        (dt.date(last, 4, 15), "Hall hire", "Unity Hall", "", "640.00"),
        (dt.date(last, 5, 2), "Leaflets", "Print Workers' Press", "", "180.00"),
        (dt.date(last, 5, 31), "Subscriptions share Q1", "National office", "355.00", ""),
        (dt.date(last, 6, 21), "Summer fair takings", "Cash paid in", "412.60", ""),
        (dt.date(last, 7, 4), "Donation", "A. Supporter", "50.00", ""),
        (dt.date(last, 8, 29), "Subscriptions share Q2", "National office", "361.00", ""),
        (dt.date(last, 9, 19), "Newsletter printing", "Print Workers' Press", "", "210.00"),
        (dt.date(last, 10, 14), "Settlement of claim", "Dunn & Partners Solicitors", "", "6000.00"),
        (dt.date(last, 11, 30), "Subscriptions share Q3", "National office", "358.50", ""),
        (dt.date(last, 12, 12), "Donation", "Hillford Trades Council", "100.00", ""),
    ]
    statement, _ = bank.check_statement(
        acc["bank"],
        format="csv",
        filename=f"co-op-{last}.csv",
        data=_statement(rows),
        mapping=mapping,
        by=t,
    )
    bank.confirm_statement(statement, sha256=statement.sha256, by=t)
    by_description = {
        "Balance brought forward": "general-fund",
        "Summer fair takings": "fundraising",
        "Donation": "donations",
        "Settlement of claim": "legal",  # no spend approved it: shown as unapproved
    }
    for line in BankLine.objects.filter(account=acc["bank"], transaction__isnull=True):
        code = by_description.get(line.description, "subscriptions")
        bank.reconcile_line(line, account=acc[code], by=t)

    # last year's accounts: prepared, signed off by both auditors, approved at the AGM, each
    # dated before the next (the AGM approves accounts already prepared and signed off)
    agm_start = _at(min(today - dt.timedelta(days=14), dt.date(today.year, 2, 20)))
    published = accounts.prepare_accounts(
        home,
        start=dt.date(last, 1, 1),
        end=dt.date(last, 12, 31),
        by=t,
        now=agm_start - dt.timedelta(days=12),
    )
    for days_before, auditor in ((8, "auditor1"), (6, "auditor2")):
        accounts.sign_off(
            published,
            sha256=published.sha256,
            by=users[auditor],
            note="Checked every payment against the bank statement and its approval.",
            now=agm_start - dt.timedelta(days=days_before),
        )
    agm = Body.objects.filter(unit=home, kind="agm").first() or meetings.create_body(
        unit=home, kind="agm", name=f"{home.name} AGM", by=None
    )
    present = list(
        Member.objects.filter(
            branch=home, status="full", paid_up_to__gte=agm_start.date()
        ).order_by("pk")[:6]
    )
    agm_vote = _decide(agm, present, f"Approves its accounts for {last}", agm_start)
    accounts.approve_accounts(published, decision=agm_vote, by=t)

    # this year's budget, drafted; this year's first statement uploaded, awaiting confirmation
    budgets.set_budget(
        home,
        year=today.year,
        lines={
            acc["subscriptions"]: Decimal("1450"),
            acc["leaflets"]: Decimal("500"),
            acc["hall-hire"]: Decimal("700"),
            acc["campaigns"]: Decimal("500"),
        },
        by=t,
    )
    start = dt.date(today.year, 1, 1)
    waiting = [
        (start + dt.timedelta(days=27), f"Subscriptions share Q4 {last}", "National office",
         "366.00", ""),
        (start + dt.timedelta(days=33), "Donation", "A. Supporter", "25.00", ""),
        (start + dt.timedelta(days=40), "Hall deposit", "Unity Hall", "", "twenty"),
    ]  # fmt: skip
    # the national office's remittances for this year's months reach the bank on the day they
    # were paid (the subscriptions demo records them; the income demo posts them into the
    # books, where importing this statement matches each line to its remittance)
    waiting += [
        (r.paid_on, r.reference or f"Subscriptions {r.period:%B %Y}", "National office",
         f"{Decimal(r.amount) / 100:.2f}", "")
        for r in Remittance.objects.filter(unit=home, period__gte=start, paid_on__lte=today)
    ]  # fmt: skip
    waiting.sort(key=lambda r: r[0])
    bank.check_statement(
        acc["bank"],
        format="csv",
        filename=f"co-op-{today.year}-to-{today:%d-%m}.csv",
        data=_statement([r for r in waiting if r[0] <= today] or waiting[:1]),
        mapping=mapping,
        by=t,
    )
    assert Account.objects.filter(unit=home).count() == len(ACCOUNTS)
    return logins
