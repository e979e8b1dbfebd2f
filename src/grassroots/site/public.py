"""What a visitor who is not signed in can read, for the home page: every unit's public record
(its meetings, where subscriptions go in totals, its books and published accounts, the motions
it sent), the elections and their results, and each network's public pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from grassroots.elections.models import Election
from grassroots.finance.subscription_figures import level_of
from grassroots.meetings.branch_motions import SENDING_KINDS
from grassroots.members.models import Unit
from grassroots.network.models import Network, NetworkVoters

__all__ = ["PublicUnit", "public_home"]

RESULTS_SHOWN = 5


@dataclass
class PublicUnit:
    """A unit of the party's tree, with the units under it, for a nested list of links."""

    unit: Unit
    sends_motions: bool
    receives_subscriptions: bool  # a level of the split (not an affiliated body)
    children: list[PublicUnit] = field(default_factory=list)


def _party_tree() -> list[PublicUnit]:
    """The party's units as trees from their roots (networks' voter units left out), in one
    query: each root with its regions, their branches, and the branches' wards and affiliates."""
    voters = list(NetworkVoters.objects.values_list("unit__path", flat=True))
    nodes: dict[int, PublicUnit] = {}
    roots: list[PublicUnit] = []
    for u in Unit.objects.order_by("path").only("pk", "kind", "code", "name", "parent_id", "path"):
        if any(u.path.startswith(p) for p in voters):
            continue
        node = PublicUnit(u, u.kind in SENDING_KINDS, level_of(u) is not None)
        nodes[u.pk] = node
        parent = nodes.get(u.parent_id) if u.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    for node in nodes.values():  # branches before wards and affiliates, each by name
        node.children.sort(key=lambda n: (n.unit.kind not in ("region", "branch"), n.unit.name))
    return roots


def public_home() -> dict[str, object]:
    """The signed-out home page's context."""
    shown = Election.objects.visible_to(None)  # announced: what a visitor may read
    published = shown.filter(state="published").order_by("-voting_close", "-pk")
    return {
        "party": _party_tree(),
        "results": list(published[:RESULTS_SHOWN]),
        "more_results": max(0, published.count() - RESULTS_SHOWN),
        "open_elections": shown.filter(state="voting").count(),
        "networks": list(Network.objects.order_by("name")),
    }
