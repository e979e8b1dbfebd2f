"""Models, one module per concept; each is imported here so Django finds it."""

from grassroots.network.models.groups import (
    GROUP_KINDS,
    GROUP_STATUSES,
    MEMBERSHIP_SOURCES,
    Group,
    GroupAdmin,
    GroupDecision,
    GroupMembership,
    Network,
    Organiser,
    Person,
)

__all__ = [
    "GROUP_KINDS",
    "GROUP_STATUSES",
    "MEMBERSHIP_SOURCES",
    "Group",
    "GroupAdmin",
    "GroupDecision",
    "GroupMembership",
    "Network",
    "Organiser",
    "Person",
]
