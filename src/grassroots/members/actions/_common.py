"""Shared by the register actions: refusal, permission checks and the rules of status and tree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from grassroots.count.errors import InputError
from grassroots.members.models import Unit
from grassroots.members.permissions import require

User = AbstractBaseUser | AnonymousUser

# transition: (statuses it may start from, status it leads to, whether a reason is required)
TRANSITIONS: dict[str, tuple[frozenset[str], str, bool]] = {
    "confirm": (frozenset({"provisional"}), "full", False),
    "lapse": (frozenset({"provisional", "full"}), "lapsed", False),
    "suspend": (frozenset({"provisional", "full", "lapsed"}), "suspended", True),
    "readmit": (frozenset({"lapsed", "suspended"}), "full", True),
    "expel": (frozenset({"provisional", "full", "lapsed", "suspended"}), "expelled", True),
}

# the status changes an import may make: those that need no reason (confirm, lapse)
IMPORT_STATUS_MOVES: frozenset[tuple[str, str]] = frozenset(
    (start, end) for starts, end, needs_reason in TRANSITIONS.values() if not needs_reason
    for start in starts
)  # fmt: skip

# the kinds of unit each kind may sit under (None: the top of the tree)
PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    "national": (None,),
    "region": ("national",),
    "branch": ("region", "national"),
    "ward": ("branch",),
    "affiliate": ("national", "region", "branch"),
}

# the details the edit form changes: status and number have their own actions, and a payment is
# recorded with ``record_payment``; editing ``paid_up_to`` here corrects a date entered wrongly
EDITABLE = (
    "name", "email", "branch", "ward", "join_date", "paid_up_to", "rate_band", "gender",
    "birth_date",
)  # fmt: skip


class ActionRefused(InputError):
    """An action's precondition is not met; the message says which and how to proceed."""


def _check(by: User | None, perm: str, unit: Unit) -> None:
    if by is not None:
        require(by, perm, unit)
