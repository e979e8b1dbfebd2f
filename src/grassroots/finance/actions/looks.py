"""Executive members look at the books on demand: each look is on the audit log."""

from __future__ import annotations

from django.db import transaction

from grassroots.audit.log import record
from grassroots.finance.actions._common import User, check
from grassroots.members.models import Unit

__all__ = ["record_look"]


@transaction.atomic
def record_look(unit: Unit, *, what: str, by: User | None) -> None:
    """Check that ``by`` may see ``unit``'s books and log that they looked at ``what``."""
    check(by, "view_books", unit)
    record(by, "finance.look", f"unit:{unit.code}", f"Looked at {unit.name}'s {what}")
