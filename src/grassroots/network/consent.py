"""Consent to share contact details with groups of the network: the rules, as plain data.

A person's contact fields (e-mail, phone, postcode area) are shown to a group, or put in its
export, only under a *current* consent of that person which names the field, the purpose the
group wants it for, and either that group or every group in the network. Each consent is a
record (who, which group, which fields, purpose, the consent text's version, when, how);
revoking one ends it at a moment and keeps it in the history; changing one is revoking it and
giving a new one.

This module is the one place that decides what may be disclosed: ``disclose`` for one person's
details, ``plan_export`` for a group's export. It imports neither Django nor the database, so
the property tests drive it directly and the views and exports call it through
``network.actions.directory``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CONSENT_TEXTS",
    "CURRENT_TEXT_VERSION",
    "FIELDS",
    "FIELD_LABELS",
    "HOW",
    "PURPOSES",
    "PURPOSE_LABELS",
    "ConsentProblem",
    "Disclosure",
    "ExportPlan",
    "Grant",
    "covered",
    "disclose",
    "plan_export",
    "validate_choice",
]

# The contact fields a person may share, in the order pages and exports show them.
FIELDS: tuple[str, ...] = ("email", "phone", "postcode_area")
FIELD_LABELS: Mapping[str, str] = {
    "email": "E-mail address",
    "phone": "Phone number",
    "postcode_area": "Postcode area",
}

# What a group may use shared details for; a consent names one purpose.
PURPOSES: tuple[str, ...] = ("news", "events", "organising", "elections")
PURPOSE_LABELS: Mapping[str, str] = {
    "news": "the group's news",
    "events": "invitations to events and gatherings",
    "organising": "organising together (campaigns, volunteering)",
    "elections": "primaries and elections in the network",
}

# How a consent was given or revoked, as recorded.
HOW: Mapping[str, str] = {
    "web": "on the consent page, signed in",
    "erasure": "by erasing themselves from the network",
}

# The words a person agrees to, by version. A version, once published, never changes: a
# consent record names the version its giver read, so the words are always those they saw.
CONSENT_TEXTS: Mapping[str, str] = {
    "1": (
        "I agree that the group named here (or every group in the network, if I chose that) "
        "may see the contact details I ticked, and use them only for the purpose I chose. "
        "I can withdraw this at any time on my consent page; the group then stops seeing them. "
        "The network keeps a record of what I agreed to, when, and when I withdrew it."
    ),
}
CURRENT_TEXT_VERSION = "1"


@dataclass(frozen=True)
class Grant:
    """One consent record, as the rules see it.

    ``group`` is the group's id, or ``None`` for every group in the network. ``revoked_at`` is
    when it ended (``None``: still in force).
    """

    group: int | None
    fields: frozenset[str]
    purpose: str
    given_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def in_force(self, at: dt.datetime) -> bool:
        return self.given_at <= at and (self.revoked_at is None or at < self.revoked_at)

    def reaches(self, group: int) -> bool:
        return self.group is None or self.group == group


@dataclass(frozen=True)
class Disclosure:
    """What one person's details show to one group for one purpose: only the consented fields
    that hold a value, and which fields were held back (so a page can say so)."""

    shown: Mapping[str, str]
    withheld: frozenset[str]


@dataclass(frozen=True)
class ExportPlan:
    """An export a group asked for: refused with a reason, or the columns and rows it holds."""

    refused: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[Mapping[str, str], ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # people sharing each column

    @property
    def ok(self) -> bool:
        return not self.refused


class ConsentProblem(ValueError):
    """A consent choice that cannot be recorded; the message says why, in plain words."""


def covered(grants: Iterable[Grant], group: int, purpose: str, at: dt.datetime) -> frozenset[str]:
    """The fields a person's consents let ``group`` see for ``purpose`` at moment ``at``."""
    out: set[str] = set()
    for g in grants:
        if g.purpose == purpose and g.reaches(group) and g.in_force(at):
            out |= g.fields
    return frozenset(out & set(FIELDS))


def disclose(
    details: Mapping[str, str],
    grants: Iterable[Grant],
    group: int,
    purpose: str,
    at: dt.datetime,
) -> Disclosure:
    """One person's contact ``details`` as ``group`` may see them for ``purpose`` at ``at``."""
    allowed = covered(grants, group, purpose, at)
    shown = {f: details[f] for f in FIELDS if f in allowed and details.get(f)}
    withheld = frozenset(f for f in FIELDS if details.get(f) and f not in allowed)
    return Disclosure(shown=shown, withheld=withheld)


def plan_export(
    people: Sequence[tuple[Mapping[str, str], Sequence[Grant]]],
    wanted: Sequence[str],
    group: int,
    group_name: str,
    purpose: str,
    at: dt.datetime,
) -> ExportPlan:
    """The export of the ``wanted`` fields of ``people`` (each: details, grants) for ``group``.

    Refused, with the reason, when a wanted field is not a contact field, the purpose is not
    one of ``PURPOSES``, or a wanted field is one nobody has agreed to share with the group for
    that purpose (an export beyond consent). Otherwise each row holds only the wanted fields
    its person agreed to, and a person who agreed to none of them is left out.
    """
    if purpose not in PURPOSES:
        return ExportPlan(refused=f"'{purpose}' is not a purpose people can agree to")
    unknown = [w for w in wanted if w not in FIELDS]
    if unknown:
        return ExportPlan(refused=f"'{unknown[0]}' is not a contact field people can share")
    if not wanted:
        return ExportPlan(refused="Choose at least one contact field to export")
    columns = tuple(f for f in FIELDS if f in set(wanted))
    rows: list[Mapping[str, str]] = []
    counts = dict.fromkeys(columns, 0)
    for details, grants in people:
        d = disclose(details, grants, group, purpose, at)
        row = {f: d.shown[f] for f in columns if f in d.shown}
        if row:
            rows.append(row)
            for f in row:
                counts[f] += 1
    beyond = [f for f in columns if counts[f] == 0]
    if beyond:
        label = FIELD_LABELS[beyond[0]].lower()
        return ExportPlan(
            refused=(
                f"Nobody has agreed to share their {label} with {group_name} for "
                f"{PURPOSE_LABELS[purpose]}: "
                "the export would go beyond their consent. Leave that field out."
            ),
            counts=counts,
        )
    return ExportPlan(columns=columns, rows=tuple(rows), counts=counts)


def validate_choice(fields: Iterable[str], purpose: str, text_version: str) -> frozenset[str]:
    """The fields of a consent choice, checked; ``ConsentProblem`` says what is wrong."""
    chosen = frozenset(fields)
    if not chosen:
        raise ConsentProblem("Tick at least one contact detail to share")
    unknown = sorted(chosen - set(FIELDS))
    if unknown:
        raise ConsentProblem(f"'{unknown[0]}' is not a contact detail you can share")
    if purpose not in PURPOSES:
        raise ConsentProblem(f"'{purpose}' is not a purpose you can agree to")
    if text_version not in CONSENT_TEXTS:
        raise ConsentProblem(f"version '{text_version}' of the consent text does not exist")
    if text_version != CURRENT_TEXT_VERSION:
        raise ConsentProblem(
            "The consent text changed while the page was open; read the new text and choose again"
        )
    return chosen
