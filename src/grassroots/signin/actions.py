"""Invitations and sign-in links as audited actions.

An officer with ``edit_register`` over a unit (its branch secretary, an administrator) invites
every member of the unit, or of an election's electorate, who has an e-mail address and no
login yet. Each gets one ``Invitation`` row and a message with a single-use sign-in link that
expires after ``GRASSROOTS_INVITATION_DAYS``. Running the same invitation again sends nobody a
second link while their first still works: rows are written before sending and marked sent
after, so a mail-out that stopped half-way is finished by the next run.

The link is ``django.core.signing`` over the row's id; following it (``redeem``) creates the
member's login (no password: passwords stay optional) or finds the one they have, links it to
the membership, and spends the row.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.elections.models import Election, RollEntry
from grassroots.elections.standing import election_rules
from grassroots.jobs import actions as jobs
from grassroots.jobs.mailout import message_id
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members.actions import create_login, link_account
from grassroots.members.eligibility import decide
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import require
from grassroots.signin import keepers
from grassroots.signin.models import Invitation

__all__ = [
    "BATCH",
    "InvitationRefused",
    "InviteOutcome",
    "check",
    "deliver_invitations",
    "invite_electorate",
    "invite_members",
    "invite_unit",
    "invitees_of_election",
    "invitees_of_unit",
    "invitees_waiting",
    "link_for",
    "redeem",
    "request_link",
]

User = AbstractBaseUser | AnonymousUser
SALT = "grassroots.signin.invitation"
# messages sent over one SMTP connection before it is closed and the next batch begins
BATCH = 200


class InvitationRefused(Exception):
    """A sign-in link that cannot be used: ``why`` is "used", "expired" or "unknown"."""

    def __init__(self, why: str, member: Member | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.member = member


@dataclass(frozen=True)
class InviteOutcome:
    sent: int  # messages sent by this run
    already: int  # members whose earlier link still works: nothing sent again


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.GRASSROOTS_INVITATION_DAYS)


def _without_login(members: QuerySet[Member]) -> QuerySet[Member]:
    return members.filter(user__isnull=True).exclude(email="").exclude(status="expelled")


def invitees_of_unit(unit: Unit) -> QuerySet[Member]:
    """Members of ``unit`` and the units below it with an e-mail address and no login."""
    scope = Q(ward=unit) if unit.kind == "ward" else Q(branch__path__startswith=unit.path)
    return _without_login(Member.objects.filter(scope))


def invitees_of_election(election: Election) -> QuerySet[Member]:
    """The election's electorate with an e-mail address and no login: its frozen roll once
    voting has opened, before that the members its rules admit today."""
    if election.state != "draft" and RollEntry.objects.filter(election=election).exists():
        on_roll = RollEntry.objects.filter(election=election, member=OuterRef("pk"))
        return _without_login(Member.objects.filter(Exists(on_roll)))
    rules = election_rules(election)
    candidates = invitees_of_unit(election.unit).select_related("branch")
    admitted = [m.pk for m in candidates if decide(rules, m.facts()).ok]
    return Member.objects.filter(pk__in=admitted)


def invitees_waiting(members: QuerySet[Member]) -> QuerySet[Member]:
    """Of ``members``, those an invitation run would send a link to now: everyone but those
    already sent one that still works."""
    live = Invitation.objects.filter(
        member=OuterRef("pk"), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    return members.exclude(Exists(live.filter(sent_at__isnull=False)))


def link_for(invitation: Invitation, base_url: str) -> str:
    """The sign-in link: ``base_url`` (scheme and host) and the signed id of the row."""
    token = signing.dumps(invitation.pk, salt=SALT, compress=True)
    return f"{base_url.rstrip('/')}/accounts/invitation/{token}/"


def _send(
    invitations: Iterable[Invitation],
    base_url: str,
    *,
    job: Job | None = None,
    progress: Progress | None = None,
    done: int = 0,
    about: Callable[[Member], dict[str, str]] | None = None,
) -> int:
    """Send each unsent invitation, ``BATCH`` to a connection, marking each sent as it goes.
        In a job, a message the mail server refuses is listed on the job page and does not stop
        the others; its row stays unsent for the next run. ``done``: how many the job had already
        sent (its progress counts on from there). ``about``: words for the message about what the
    link is for (a keeper's ``where`` and ``what``), by record."""
    sent = 0
    batch: list[Invitation] = []

    def flush() -> None:
        nonlocal sent
        with get_connection() as connection:
            for inv in batch:
                context = {
                    "member": inv.member,
                    "link": link_for(inv, base_url),
                    "days": settings.GRASSROOTS_INVITATION_DAYS,
                    "expires": inv.expires_at,
                    "login_url": f"{base_url.rstrip('/')}/accounts/login/",
                    **(about(inv.member) if about is not None else {}),
                }
                msg = EmailMessage(
                    render_to_string("signin/email/invitation_subject.txt", context).strip(),
                    render_to_string("signin/email/invitation.txt", context),
                    to=[inv.email],
                    connection=connection,
                )
                if job is not None:  # the same message on every attempt of the job
                    msg.extra_headers["Message-ID"] = message_id(job.kind, job.pk, inv.member_id)
                try:
                    delivered = msg.send()
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError) as exc:
                    if progress is None:
                        raise
                    progress.problem(inv.member.number, f"the mail server refused it: {exc}"[:300])
                    continue
                if delivered:  # without a mail server nothing goes: the row stays unsent
                    mark.execute(marked, [adapt(timezone.now()), inv.pk])
                    sent += 1
                    if progress is not None:
                        progress.step(done + sent)
        batch.clear()

    # one statement per message, sent as written (the ORM's update took as long to build)
    marked = (
        f"UPDATE {connection.ops.quote_name(Invitation._meta.db_table)} "
        "SET sent_at = %s WHERE id = %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with _quick_commits(), connection.cursor() as mark:
        for inv in invitations:
            batch.append(inv)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    return sent


@contextmanager
def _quick_commits() -> Iterator[None]:
    """On PostgreSQL, this connection's commits return without waiting for the disk
    (``synchronous_commit = off``) while a mail-out marks its rows sent, one commit per
    message.

    Each mark is committed the moment its message is handed over, so a worker killed at any
    point leaves every message it sent marked, and the next run sends nobody twice. Waiting
    for each commit to reach the disk held a mail-out to about 70 messages a second here.
    Without the wait, the marks of the last fraction of a second are lost only if the database
    server itself crashes; those messages would then go again, with the same Message-ID.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET synchronous_commit")


def _insert_invitations(
    fresh: QuerySet[Member], *, unit: Unit | None, by: Any, now: dt.datetime
) -> int:
    """One unsent row for each of ``fresh``, written by the database in one statement
    (``INSERT … SELECT``): half a million rows in seconds, with no member loaded in Python."""
    columns = fresh.order_by().values(invitee=F("pk"), address=F("email"))
    sql, params = columns.query.sql_with_params()
    ops = connection.ops
    table = ops.quote_name(Invitation._meta.db_table)
    when = ops.adapt_datetimefield_value(now)
    until = ops.adapt_datetimefield_value(now + _lifetime())
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} "
            "(member_id, email, kind, unit_id, invited_by_id, created_at, expires_at) "
            f"SELECT f.invitee, f.address, %s, %s, %s, %s, %s FROM ({sql}) AS f",
            ["invited", unit.pk if unit else None, by.pk if by else None, when, until, *params],
        )
        return cur.rowcount


def invite_members(
    members: QuerySet[Member],
    *,
    job: Job,
    progress: Progress,
    unit: Unit | None,
    subject: str,
    what: str,
    about: dict[str, str] | None = None,
) -> InviteOutcome:
    """The work of an invitation job: one row for each of ``members`` without a working link,
    then the message to each row not yet sent. ``about``: the same words in every message
    about what the link is for (see ``_send``)."""
    now = timezone.now()
    by = job.started_by
    base_url = job.params.get("base_url", "")
    live = Invitation.objects.filter(
        member=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now
    )
    # the members as a subquery throughout: a national register is never a list in Python
    waiting = Member.objects.filter(pk__in=members.order_by().values("pk"))
    with transaction.atomic():
        already = waiting.filter(Exists(live.filter(sent_at__isnull=False))).count()
        fresh = _insert_invitations(waiting.exclude(Exists(live)), unit=unit, by=by, now=now)
        record(
            by,
            "invite_members",
            subject,
            f"invited {fresh} member(s) of {what} to sign in "
            f"({already} already invited, links still working)",
            detail={"new": fresh, "already": already, "job": job.pk},
        )
    # rows first, messages after: an unsent row (a run that stopped) is sent by the next run
    unsent = (
        Invitation.objects.filter(
            member__in=waiting, sent_at__isnull=True, used_at__isnull=True, expires_at__gt=now
        )
        .select_related("member")
        .order_by("pk")
    )
    progress.total(already + unsent.count())
    sent = _send(
        unsent.iterator(chunk_size=BATCH),
        base_url,
        job=job,
        progress=progress,
        done=already,
        about=(lambda _m: about) if about else None,
    )
    return InviteOutcome(sent=sent, already=already)


def _start(unit: Unit, params: dict[str, object], *, by: User | None, title: str, back: str) -> Job:
    if by is not None:
        require(by, "edit_register", unit)
    return jobs.start(
        "signin.invite",
        title=title,
        params=params,
        unit=unit,
        permission="edit_register",
        by=by,
        back_url=back,
    )


def invite_unit(unit: Unit, *, by: User | None, base_url: str) -> Job:
    """Invite every member of ``unit`` (and below) with an address and no login to sign in:
    a mail-out job."""
    return _start(
        unit,
        {"unit": unit.pk, "base_url": base_url},
        by=by,
        title=f"Sign-in links for the members of {unit.name}",
        back=f"/units/{unit.code}/",
    )


def invite_electorate(election: Election, *, by: User | None, base_url: str) -> Job:
    """Invite the election's electorate with an address and no login to sign in: a job."""
    title = " ".join(election.title.split())
    return _start(
        election.unit,
        {"election": election.pk, "base_url": base_url},
        by=by,
        title=f"Sign-in links for the electorate of {title}",
        back=f"/elections/{election.pk}/",
    )


def deliver_invitations(job: Job, progress: Progress) -> str:
    """The ``signin.invite`` job: the rows, then the messages; its outcome in words."""
    if "election" in job.params:
        election = Election.objects.select_related("unit").get(pk=job.params["election"])
        out = invite_members(
            invitees_of_election(election),
            job=job,
            progress=progress,
            unit=election.unit,
            subject=f"election:{election.pk}",
            what=f"the electorate of {election.title}",
        )
    else:
        unit = Unit.objects.get(pk=job.params["unit"])
        out = invite_members(
            invitees_of_unit(unit),
            job=job,
            progress=progress,
            unit=unit,
            subject=f"unit:{unit.code}",
            what=unit.name,
        )
    text = f"Sign-in links sent: {out.sent}."
    if out.already:
        text += (
            f" {out.already} member(s) already had a link that still works and were not "
            "sent another."
        )
    if progress.problems:
        text += f" Not sent to {len(progress.problems)} member(s) (listed below)."
    return text


def _register_records(email: str) -> QuerySet[Member]:
    """The register's memberships with this address (not expelled), no keeper's records."""
    found = Member.objects.filter(email__iexact=email).exclude(status="expelled")
    for k in keepers.kept():
        found = found.exclude(pk__in=k.records().values("pk"))
    return found.order_by("pk")


def request_link(email: str, *, base_url: str) -> int:
    """A member asks for a new sign-in link from the login page: one goes to each membership
    with that address (not expelled); with none, to each record a keeper lets the address ask
    for (a person on an open primary's roll, even without an account yet). Returns how many
    were sent; the page says the same either way, so it tells nobody whether an address is
    known."""
    email = email.strip()
    if not email:
        return 0
    members = list(_register_records(email))
    if not members:
        members = [m for m, _ in keepers.requestable(email)]
    if not members:
        return 0
    now = timezone.now()
    with transaction.atomic():
        rows = [
            Invitation.objects.create(
                member=m,
                kind="requested",
                email=m.email,
                unit=m.branch,
                created_at=now,
                expires_at=now + _lifetime(),
            )
            for m in members
        ]
        for m in members:
            record(None, "request_sign_in_link", f"member:{m.number}", "asked for a sign-in link")
    return _send(rows, base_url, about=about)


def about(member: Member) -> dict[str, str]:
    """What a link for ``member`` is for, in words (a keeper's; nothing for the register)."""
    k = keepers.keeper_of(member)
    return k.about(member) if k is not None else {}


def _username_for(member: Member) -> str:
    model = get_user_model()
    base = member.number.lower()
    name, n = base, 1
    while model.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _invitation(token: str) -> Invitation:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvitationRefused("unknown") from None
    inv = Invitation.objects.select_related("member").filter(pk=pk).first()
    if inv is None:
        raise InvitationRefused("unknown")
    return inv


def check(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; else ``InvitationRefused``."""
    inv = _invitation(token)
    if inv.used_at is not None:
        raise InvitationRefused("used", inv.member)
    if inv.expires_at <= timezone.now():
        raise InvitationRefused("expired", inv.member)
    return inv


@transaction.atomic
def redeem(token: str) -> tuple[Member, AbstractBaseUser]:
    """Spend the link: the member's login is created (without a password) or found, linked to
    the membership, and the row marked used. The caller then signs the person in."""
    inv = check(token)
    inv = Invitation.objects.select_for_update().select_related("member").get(pk=inv.pk)
    if not inv.usable():  # spent by a second tab a moment ago
        raise InvitationRefused("used", inv.member)
    member = Member.objects.select_for_update().get(pk=inv.member_id)
    if member.status == "expelled":
        raise InvitationRefused("unknown", member)
    keeper = keepers.keeper_of(member)
    if keeper is not None:  # a record no login is linked to: the keeper ties the account
        user = keeper.account(member)
        if user is None:
            user = create_login(
                username=_username_for(member), password=None, email=inv.email, by=None
            )
        elif not user.is_active:
            raise InvitationRefused("unknown", member)
        keeper.attach(member, user)
    elif (user := member.user) is None:
        user = create_login(username=_username_for(member), password=None, email=inv.email, by=None)
        member = link_account(member, user=user, by=None)
    elif not user.is_active:
        raise InvitationRefused("unknown", member)
    _verify_address(user, inv.email)
    inv.used_at = timezone.now()
    inv.save(update_fields=["used_at"])
    record(
        None,
        "sign_in_by_link",
        f"member:{member.number}",
        f"{member.name} signed in from a sign-in link ({inv.get_kind_display().lower()})",
    )
    return member, user


def _verify_address(user: AbstractBaseUser, email: str) -> None:
    """Following the link proves the address: allauth may send sign-in codes to it."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
