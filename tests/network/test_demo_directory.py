"""The demo's directory, hub and gatherings (network/demo_directory.py) on a small network."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.network import demo_directory
from grassroots.network.actions import directory
from grassroots.network.models import Consent, Gathering, GroupProfile, Registration, Resource
from tests.network.directory_world import _quick_and_private as _quick_and_private
from tests.network.directory_world import build

pytestmark = pytest.mark.django_db


def test_the_demo_shares_some_fields_with_some_groups_and_fills_the_hub_and_a_gathering() -> None:
    w = build()
    made = demo_directory.seed()
    assert made["network"] == w.net
    assert GroupProfile.objects.filter(group__in=[w.a, w.b]).count() == 2
    current = Consent.objects.filter(revoked_at__isnull=True)
    assert current.exists() and Consent.objects.filter(revoked_at__isnull=False).exists()
    # what the admins see is only what was shared, through the consent check
    seen = directory.contact_details(by=w.admin_a, group=w.a, purpose=current.first().purpose)
    assert all(set(p.shown) <= {"email", "phone", "postcode_area"} for p in seen)
    assert Resource.objects.filter(kind="guide").count() == len(demo_directory.GUIDES)
    assert Resource.objects.filter(kind="document").get().sha256
    public = Client().get("/networks/left/hub/", {"q": "repairs"}).content.decode()
    assert "Taking a repairs case to the council" in public
    coming = Gathering.objects.get(title__endswith="national gathering")
    assert Registration.objects.filter(gathering=coming).exists()
    assert Client().get(f"/networks/left/gatherings/{coming.pk}/").status_code == 200


def test_the_demo_does_nothing_without_a_network() -> None:
    assert demo_directory.seed() == {}


def test_on_the_network_demo_some_members_share_some_fields_with_some_groups() -> None:
    from grassroots.network import demo as network_demo
    from grassroots.network.models import GroupAdmin

    network_demo.seed()
    made = demo_directory.seed()
    assert len(made["sharers"]) == demo_directory.SHARERS
    shared_with = {c.group_id for c in Consent.objects.filter(revoked_at__isnull=True)}
    assert None in shared_with and len(shared_with) > 2  # every group, and several named ones
    seen = 0
    for admin in GroupAdmin.objects.filter(group_id__in=shared_with - {None}):
        for purpose in ("news", "events", "organising", "elections"):
            seen += len(
                directory.contact_details(by=admin.user, group=admin.group, purpose=purpose)
            )
    assert seen > 0
    assert Resource.objects.filter(network=made["network"]).count() == 8
