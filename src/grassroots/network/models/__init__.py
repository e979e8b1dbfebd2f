"""Models, one module per concept; each is imported here so Django finds it."""

from grassroots.network.models.directory import (
    Consent,
    ContactMessage,
    Erasure,
    GroupProfile,
)
from grassroots.network.models.gatherings import Gathering, Registration
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
from grassroots.network.models.hub import Resource, Tag
from grassroots.network.models.primaries import (
    Backing,
    Candidacy,
    Declaration,
    HustingsAnswer,
    HustingsQuestion,
    HustingsTheme,
    NetworkVoters,
    Primary,
    PrimaryEntry,
    PrimaryExclusion,
    PrimaryGroupFigure,
)

__all__ = [
    "GROUP_KINDS",
    "GROUP_STATUSES",
    "MEMBERSHIP_SOURCES",
    "Backing",
    "Candidacy",
    "Consent",
    "ContactMessage",
    "Declaration",
    "Erasure",
    "Gathering",
    "Group",
    "GroupAdmin",
    "GroupDecision",
    "GroupMembership",
    "GroupProfile",
    "HustingsAnswer",
    "HustingsQuestion",
    "HustingsTheme",
    "Network",
    "NetworkVoters",
    "Organiser",
    "Person",
    "Primary",
    "PrimaryEntry",
    "PrimaryExclusion",
    "PrimaryGroupFigure",
    "Registration",
    "Resource",
    "Tag",
]
