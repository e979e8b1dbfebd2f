"""The directory's actions: consents given and revoked, and the one way contact details leave
the database for a group (``contact_details``, which every page and export of them calls).

A consent is given by the person it is about, signed in, for themselves: the person is always
the one the signed-in account belongs to, never one named in the form.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.network import consent as rules
from grassroots.network.actions.access import (
    ActionRefused,
    User,
    contact_fields_of,
    may_read_directory,
    person_of,
)
from grassroots.network.models import Consent, Group, Network, Person

__all__ = [
    "DisclosedPerson",
    "ExportRefused",
    "contact_details",
    "export_contacts",
    "give_consent",
    "revoke_consent",
]


class ExportRefused(ActionRefused):
    """An export that would go beyond consent (or is malformed); the message says why."""


@dataclass(frozen=True)
class DisclosedPerson:
    person_id: int
    name: str
    shown: dict[str, str]  # field -> value, only what consent covers
    withheld: frozenset[str]


def give_consent(
    *,
    by: User,
    network: Network,
    group: Group | None,
    fields: Iterable[str],
    purpose: str,
    text_version: str,
    person_id: int | None = None,
) -> Consent:
    """Record that the signed-in person lets ``group`` (``None``: every group of ``network``)
    see ``fields`` for ``purpose``. A form naming another person is refused. A current consent
    for the same group and purpose is replaced (revoked, then the new one given)."""
    person = _own_person(by, network, person_id)
    try:
        chosen = rules.validate_choice(fields, purpose, text_version)
    except rules.ConsentProblem as exc:
        raise ActionRefused(str(exc)) from None
    if group is not None and group.network_id != network.pk:
        raise ActionRefused(f"{group.name} is not a group of {network.name}")
    with transaction.atomic():
        now = timezone.now()
        before = list(
            Consent.objects.select_for_update()
            .current(now)
            .filter(person=person, network=network, group=group, purpose=purpose)
        )
        for c in before:
            c.revoked_at, c.revoked_how = now, "web"
            c.save(update_fields=["revoked_at", "revoked_how"])
        c = Consent.objects.create(
            person=person,
            network=network,
            group=group,
            fields=[f for f in rules.FIELDS if f in chosen],
            purpose=purpose,
            text_version=text_version,
            given_at=now,
            given_how="web",
        )
        record(
            by,
            "network.consent.give",
            f"consent:{c.pk}",
            f"A person let {c.scope()} see {', '.join(c.fields)} for {purpose} "
            f"(consent text v{text_version})"
            + (f", replacing consent {', '.join(str(b.pk) for b in before)}" if before else ""),
        )
    return c


def revoke_consent(consent: Consent, *, by: User, how: str = "web") -> Consent:
    """End one of the signed-in person's own consents; it stays in their history."""
    person = _own_person(by, consent.network, consent.person_id)
    with transaction.atomic():
        c = Consent.objects.select_for_update().get(pk=consent.pk, person=person)
        if c.revoked_at is not None:
            raise ActionRefused("That consent was already withdrawn")
        c.revoked_at, c.revoked_how = timezone.now(), how
        c.save(update_fields=["revoked_at", "revoked_how"])
        record(by, "network.consent.revoke", f"consent:{c.pk}", f"A person withdrew consent {c.pk}")
    return c


def contact_details(
    *,
    by: User,
    group: Group,
    purpose: str,
    people: Sequence[Person] | None = None,
    at: dt.datetime | None = None,
    audit: bool = True,
) -> list[DisclosedPerson]:
    """THE function through which contact details reach a group's admin, on a page or in an
    export: the people with a current consent covering ``group`` and ``purpose``, each with only
    the fields their consents cover (``consent.disclose``). Refused to anyone but the group's
    admins; a disclosure is written to the audit log (who saw how many people's details, for
    what), an export by the export's own entry."""
    if not may_read_directory(by, group):
        raise ActionRefused(f"Only {group.name}'s admins can see the details shared with it")
    if purpose not in rules.PURPOSES:
        raise ActionRefused(f"'{purpose}' is not a purpose people can agree to")
    at = at or timezone.now()
    current = Consent.objects.current(at).filter(network_id=group.network_id, purpose=purpose)
    current = current.filter(group__isnull=True) | current.filter(group=group)
    if people is not None:
        current = current.filter(person__in=[p.pk for p in people])
    by_person: dict[int, list[rules.Grant]] = {}
    for c in current:
        by_person.setdefault(c.person_id, []).append(c.grant())
    out = []
    for p in Person.objects.filter(pk__in=by_person).order_by("name", "pk"):
        d = rules.disclose(contact_fields_of(p), by_person[p.pk], group.pk, purpose, at)
        if d.shown:
            out.append(DisclosedPerson(p.pk, p.name, dict(d.shown), d.withheld))
    if audit and out:
        with transaction.atomic():
            record(
                by,
                "network.directory.view",
                f"group:{group.pk}",
                f"Saw the contact details {len(out)} "
                f"{'person' if len(out) == 1 else 'people'} shared with {group.name} "
                f"for {purpose}",
            )
    return out


def export_contacts(
    *, by: User, group: Group, purpose: str, wanted: Sequence[str]
) -> tuple[str, rules.ExportPlan]:
    """A CSV of the ``wanted`` contact fields shared with ``group`` for ``purpose``: refused
    (``ExportRefused``, saying why) beyond consent; otherwise only the consented fields."""
    at = timezone.now()
    shown = contact_details(by=by, group=group, purpose=purpose, at=at, audit=False)
    people = [(p.shown, [rules.Grant(group.pk, frozenset(p.shown), purpose, at)]) for p in shown]
    plan = rules.plan_export(people, wanted, group.pk, group.name, purpose, at)
    if not plan.ok:
        with transaction.atomic():
            record(
                by,
                "network.directory.export_refused",
                f"group:{group.pk}",
                f"Export of {', '.join(wanted)} for {purpose} refused: {plan.refused}",
            )
        raise ExportRefused(plan.refused)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([rules.FIELD_LABELS[c] for c in plan.columns])
    for row in plan.rows:
        w.writerow([_cell(row.get(c, "")) for c in plan.columns])
    with transaction.atomic():
        record(
            by,
            "network.directory.export",
            f"group:{group.pk}",
            f"Exported {', '.join(plan.columns)} of {len(plan.rows)} people who agreed, "
            f"for {purpose}",
        )
    return out.getvalue(), plan


def _cell(value: str) -> str:
    """A value a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _own_person(by: User, network: Network, person_id: int | None) -> Person:
    """The signed-in account's own person in ``network``; any other person named is refused."""
    person = person_of(by, network)
    if person is None:
        raise ActionRefused(f"This account is not one of the people of {network.name}")
    if person_id is not None and person_id != person.pk:
        raise ActionRefused("You can give or withdraw consent only for yourself")
    return person
