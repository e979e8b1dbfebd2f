"""Sign-in links for the people on a primary's roll whom only a group's list knows.

A person a group's admin imported has no account: without one they could not vote. When voting
opens (and whenever an organiser asks again, after a confirmation page with the count), each
person on the roll with an address and no account is sent one sign-in link by the sign-in
app's invitations (``signin.actions.invite_members``: a job, rows written before sending, so a
retry sends nobody a second link while the first still works). The link names the person's
voter record; following it makes their account (or finds the one they made since) and ties
it to their groups' entries under that address, so ``voter_card`` gives them their ballot.

The message and the page name the network and the primary only: never a group, so nothing
tells anyone which groups listed the person. The audit entries and the job name the primary.

This module is also the network's ``signin.keepers.Keeper``: it tells the sign-in links which
records are the network's voter records, and lets "e-mail me a sign-in link" reach a person on
the roll of a primary now voting.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from grassroots.jobs import actions as jobs
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members.models import Member
from grassroots.network.actions.groups import NetworkRefused, User
from grassroots.network.actions.primary_roll import voters_unit
from grassroots.network.dedup import normalise_email
from grassroots.network.models import NetworkVoters, Person, Primary, PrimaryEntry
from grassroots.network.permissions import require_organiser
from grassroots.signin import actions as signin
from grassroots.signin.keepers import Keeper

__all__ = ["KEEPER", "deliver", "invite_roll", "uninvited"]

VOTING = "voting"


def _cards(primary: Primary) -> QuerySet[Member]:
    return Member.objects.filter(
        pk__in=PrimaryEntry.objects.filter(primary=primary).values("card_id")
    )


def uninvited(primary: Primary) -> QuerySet[Member]:
    """The voter records on the roll whose person has an address and no account: none of their
    entries is linked to an account, and no account has their address."""
    accounts = get_user_model().objects.filter(email__iexact=OuterRef("email"))
    linked = PrimaryEntry.objects.filter(
        primary=primary, card=OuterRef("pk"), person__user__isnull=False
    )
    return (
        _cards(primary)
        .exclude(email="")
        .exclude(Exists(linked))
        .exclude(Exists(accounts))
        .filter(user__isnull=True)
    )


def _about(primary: Primary) -> dict[str, str]:
    title = " ".join(primary.election.title.split())
    return {"where": primary.network.name, "what": title}


def invite_roll(primary: Primary, *, by: User | None, base_url: str) -> Job:
    """Send each person on the open primary's roll with an address and no account a sign-in
    link: a mail-out job (``network.invite_roll``). ``by`` None: the opening itself."""
    if by is not None:
        require_organiser(by, primary.network)
    if primary.roll_frozen_at is None or primary.election.state != VOTING:
        raise NetworkRefused("sign-in links go to a primary's roll only while it is voting")
    return jobs.start(
        "network.invite_roll",
        title=f"Sign-in links for the roll of {_about(primary)['what']}",
        params={"primary": primary.pk, "base_url": base_url},
        unit=voters_unit(primary.network),
        permission="edit_register",  # nobody's but the operator's: organisers see their own
        by=by,
        back_url=f"/networks/{primary.network.slug}/primaries/{primary.pk}/",
    )


def deliver(job: Job, progress: Progress) -> str:
    """The ``network.invite_roll`` job: the sign-in app's invitations to ``uninvited``."""
    primary = Primary.objects.select_related("network", "election").get(pk=job.params["primary"])

    out = signin.invite_members(
        uninvited(primary),
        job=job,
        progress=progress,
        unit=voters_unit(primary.network),
        subject=f"network-primary:{primary.pk}",
        what=f"the roll of {primary}",
        about=_about(primary),
    )
    text = f"Sign-in links sent: {out.sent}."
    if out.already:
        text += (
            f" {out.already} person(s) already had a link that still works and were not "
            "sent another."
        )
    if progress.problems:
        text += f" Not sent to {len(progress.problems)} person(s) (listed below)."
    return text


# --- the network's voter records, as the sign-in links see them (signin.keepers) ---------


def _records() -> QuerySet[Member]:
    return Member.objects.filter(branch_id__in=NetworkVoters.objects.values("unit_id"))


def _owns(member: Member) -> bool:
    return NetworkVoters.objects.filter(unit_id=member.branch_id).exists()


def _account(card: Member) -> AbstractBaseUser | None:
    linked = (
        PrimaryEntry.objects.filter(card=card, person__user__isnull=False)
        .values_list("person__user_id", flat=True)
        .first()
    )
    model = get_user_model()
    if linked is not None:
        return cast(AbstractBaseUser, model.objects.get(pk=linked))
    if not card.email:
        return None
    found = model.objects.filter(email__iexact=card.email).order_by("pk").first()
    return cast(AbstractBaseUser | None, found)


def _attach(card: Member, user: AbstractBaseUser) -> None:
    """Following the link proved the address: the groups' entries on the roll under it are
    the account holder's (their ballot, their data), and the address is confirmed."""
    people = PrimaryEntry.objects.filter(card=card).values("person_id")
    mine = Person.objects.filter(pk__in=people, user__isnull=True, email__iexact=card.email)
    mine.filter(email_confirmed_at__isnull=True).update(email_confirmed_at=timezone.now())
    mine.update(user=user)


def _about_card(card: Member) -> dict[str, str]:
    entry = PrimaryEntry.objects.filter(card=card).select_related("primary__network").first()
    if entry is None:
        return {}
    primary = Primary.objects.select_related("network", "election").get(pk=entry.primary_id)
    return _about(primary)


def _requestable(email: str) -> QuerySet[Member]:
    """The voter records on the roll of a primary now voting that an address may ask a sign-in
    link for: those under that address (a group's list had it)."""
    address = normalise_email(email)
    if not address:
        return Member.objects.none()
    voting = PrimaryEntry.objects.filter(card=OuterRef("pk"), primary__election__state=VOTING)
    return _records().filter(Exists(voting), email=address).order_by("pk")


KEEPER = Keeper(
    owns=_owns,
    records=_records,
    account=_account,
    attach=_attach,
    about=_about_card,
    requestable=_requestable,
)
