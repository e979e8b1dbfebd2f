"""A person's own data: everything the network holds about them in one file, and erasing
themselves from the network (what the law or a published count needs is kept, anonymised)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.members.models import Member
from grassroots.network import consent as rules
from grassroots.network.actions.access import ActionRefused, User, entries_of
from grassroots.network.models import (
    Candidacy,
    Consent,
    ContactMessage,
    Erasure,
    GroupMembership,
    HustingsQuestion,
    Network,
    Person,
    PrimaryEntry,
    Registration,
)

__all__ = ["ALWAYS_KEPT", "erase_me", "my_data", "my_data_csv", "my_data_json"]

# What an erasure always leaves, and why; the erasure page says so before and after.
ALWAYS_KEPT: tuple[tuple[str, str], ...] = (
    (
        "The audit log's entries that a consent was given or withdrawn, that you registered "
        "for a gathering or sent a message, and that you erased yourself; they hold no name, "
        "address or other contact detail.",
        "The network must be able to show that it used contact details only with consent, and "
        "the audit log is append-only so that nobody can rewrite its history.",
    ),
    (
        "A record that an erasure happened, with how many consents, memberships and other "
        "entries were removed; it names nobody.",
        "So that the network can show it honoured the request.",
    ),
)


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def my_data(by: User, network: Network) -> dict[str, Any]:
    """Everything ``network`` holds about the signed-in person, as plain data."""
    people = list(entries_of(by, network))
    if not people:
        raise ActionRefused(f"The network {network.name} holds no entry about this account")
    ids = [p.pk for p in people]
    emails = {p.email.lower() for p in people if p.email}
    return {
        "network": network.name,
        "downloaded_at": timezone.now().isoformat(),
        "entries": [
            {
                "name": p.name,
                "email": p.email,
                "email_confirmed_at": _iso(p.email_confirmed_at),
                "phone": p.phone,
                "postcode": p.postcode,
                "membership_number": p.membership_number,
                "created_at": _iso(p.created_at),
                "memberships": [
                    {
                        "group": m.group.name,
                        "joined_on": _iso(m.joined_on),
                        "left_on": _iso(m.left_on),
                        "how": m.get_source_display(),
                        "confirmed": m.confirmed,
                    }
                    for m in GroupMembership.objects.filter(person=p).select_related("group")
                ],
            }
            for p in people
        ],
        "consents": [
            {
                "group": c.scope(),
                "fields": [rules.FIELD_LABELS[f] for f in c.fields if f in rules.FIELD_LABELS],
                "purpose": c.purpose_label(),
                "consent_text_version": c.text_version,
                "consent_text": rules.CONSENT_TEXTS.get(c.text_version, ""),
                "given_at": _iso(c.given_at),
                "given_how": rules.HOW.get(c.given_how, c.given_how),
                "withdrawn_at": _iso(c.revoked_at),
                "withdrawn_how": rules.HOW.get(c.revoked_how, c.revoked_how),
            }
            for c in Consent.objects.filter(person_id__in=ids).select_related("group")
        ],
        "gatherings": [
            {
                "gathering": r.gathering.title,
                "starts_at": _iso(r.gathering.starts_at),
                "registered_at": _iso(r.registered_at),
                "cancelled_at": _iso(r.cancelled_at),
                "reminded_at": _iso(r.reminded_at),
            }
            for r in Registration.objects.filter(person_id__in=ids).select_related("gathering")
        ],
        "primaries": _primaries(by, network, ids),
        "messages_sent_to_groups": [
            {
                "group": m.group.name,
                "name_given": m.sender_name,
                "email_given": m.sender_email,
                "message": m.body,
                "at": _iso(m.created_at),
            }
            for m in _messages(network, emails).select_related("group")
        ],
    }


def my_data_json(by: User, network: Network) -> str:
    return json.dumps(my_data(by, network), indent=2, ensure_ascii=False)


def my_data_csv(by: User, network: Network) -> str:
    """The same data as one CSV file: one row a value (section, item, field, value)."""
    data = my_data(by, network)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "field", "value"])

    def rows(section: str, items: list[dict[str, Any]]) -> None:
        for n, item in enumerate(items, start=1):
            for key, value in item.items():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    rows(f"{section} {n} {key}", value)
                    continue
                if isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                text = "" if value is None else str(value)
                if text[:1] in ("=", "+", "-", "@"):
                    text = "'" + text
                w.writerow([section, n, key, text])

    for section in ("entries", "consents", "gatherings", "primaries", "messages_sent_to_groups"):
        rows(section, data[section])
    return out.getvalue()


def _primaries(by: User, network: Network, ids: list[int]) -> list[dict[str, Any]]:
    """The primaries' records about the person: roll entries, candidacies, questions asked."""
    out: list[dict[str, Any]] = []
    for e in PrimaryEntry.objects.filter(person_id__in=ids).select_related("primary", "group"):
        out.append({"primary": str(e.primary), "record": "on the roll", "listed_by": e.group.name})
    for c in Candidacy.objects.filter(primary__network=network, user_id=by.pk).select_related(
        "primary", "candidate"
    ):
        out.append(
            {
                "primary": str(c.primary),
                "record": "candidate",
                "name": c.candidate.name,
                "statement": c.candidate.statement,
                "nominated_at": _iso(c.nominated_at),
            }
        )
    for q in HustingsQuestion.objects.filter(primary__network=network, asked_by_id=by.pk):
        out.append(
            {
                "primary": str(q.primary),
                "record": "question asked",
                "question": q.text,
                "asked_at": _iso(q.asked_at),
            }
        )
    return out


def _messages(network: Network, emails: set[str]) -> Any:
    q = Q(pk__in=[])
    for e in emails:
        q |= Q(sender_email__iexact=e)
    return ContactMessage.objects.filter(q, group__network=network)


def erase_me(by: User, network: Network, *, confirm: str) -> Erasure:
    """Erase the signed-in person from ``network``: consents, memberships, registrations,
    messages and contact details removed; an entry a published count needs is kept without
    anything that identifies them. ``confirm`` must be the word ERASE, typed."""
    if confirm.strip().upper() != "ERASE":
        raise ActionRefused("Type ERASE in the box to confirm: erasing cannot be undone")
    with transaction.atomic():
        people = list(entries_of(by, network).select_for_update())
        if not people:
            raise ActionRefused(f"The network {network.name} holds no entry about this account")
        ids = [p.pk for p in people]
        emails = {p.email.lower() for p in people if p.email}
        removed = {
            "consents": Consent.objects.filter(person_id__in=ids).delete()[0],
            "memberships": GroupMembership.objects.filter(person_id__in=ids).delete()[0],
            "gathering registrations": Registration.objects.filter(person_id__in=ids).delete()[0],
            "messages sent to groups": _messages(network, emails).delete()[0],
        }
        kept = [list(k) for k in ALWAYS_KEPT]
        kept += _anonymise_roll_cards(ids)
        asked = HustingsQuestion.objects.filter(primary__network=network, asked_by_id=by.pk)
        if asked.update(asked_by=None):
            kept.append(
                [
                    "The questions you asked at hustings, no longer linked to you.",
                    "They were published with the candidates' answers.",
                ]
            )
        if Candidacy.objects.filter(primary__network=network, user_id=by.pk).exists():
            kept.append(
                [
                    "Your candidacy in a primary: your name and statement as published.",
                    "A candidate's name and statement are part of the primary's published "
                    "result; ask the network's organisers about a primary still under way.",
                ]
            )
        deleted = anonymised = 0
        for p in people:
            try:
                with transaction.atomic():
                    Person.objects.filter(pk=p.pk).delete()
                deleted += 1
            except (ProtectedError, RestrictedError) as exc:
                _anonymise(p)
                anonymised += 1
                needed_by = sorted({o._meta.verbose_name for o in exc.args[1]})
                kept.append(
                    [
                        "An anonymous entry in place of one of your entries: no name, address, "
                        "phone, postcode, membership number or account.",
                        f"A published count includes it ({', '.join(needed_by)}): removing it "
                        "would change a result the network has published.",
                    ]
                )
        removed["entries with contact details"] = deleted + anonymised
        erasure = Erasure.objects.create(network=network, removed=removed, kept=kept)
        record(
            by,
            "network.erase",
            f"erasure:{erasure.pk}",
            f"A person erased themselves from {network.name}: "
            + ", ".join(f"{v} {k}" for k, v in removed.items()),
        )
    return erasure


def _anonymise_roll_cards(ids: list[int]) -> list[list[str]]:
    """A primary's roll keeps one voter record (a card) per person; the published roll size,
    turnout and recount need it, so it stays, without the name and address copied onto it."""
    entries = PrimaryEntry.objects.filter(person_id__in=ids).select_related("primary")
    cards = {e.card_id for e in entries}
    if not cards:
        return []
    titles = sorted({str(e.primary) for e in entries})
    Member.objects.filter(pk__in=cards).update(name="(erased)", email="", user=None)
    return [
        [
            f"Your voter record on the roll of {', '.join(titles)}: kept with no name, address "
            "or account.",
            "The primary's roll size and turnout are published and a recount needs every voter "
            "record; the groups' entries that listed you no longer point to you.",
        ]
    ]


def _anonymise(p: Person) -> None:
    Person.objects.filter(pk=p.pk).update(
        name="(erased)",
        email="",
        phone="",
        postcode="",
        membership_number="",
        member=None,
        user=None,
        email_confirmed_at=None,
    )
