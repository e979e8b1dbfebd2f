"""Sections other apps add to a member's standing page, so members need not import them.

An app registers a provider in its ``AppConfig.ready``; the standing page asks every provider
for its section (a heading, a template for one item, and the items for this member).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.members.models import Member

__all__ = ["Section", "register", "sections_for"]


@dataclass(frozen=True)
class Section:
    """A heading, the template that renders one item (as ``s``), the items, and text for none."""

    title: str
    template: str
    items: Sequence[Any]
    empty: str


Provider = Callable[[Member], Section]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider once (``ready`` may run more than once in tests)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def sections_for(member: Member) -> list[Section]:
    return [provider(member) for provider in _PROVIDERS]
