"""A unit's remittances page leads the national treasurer on to record what is still owed: a
link to the remittance form with the unit already chosen; nobody else is offered it."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "offered"),
    [("treasurer", True), ("admin", True), ("hilltreasurer", False), ("member", False)],
)
def test_a_branchs_remittances_page_offers_the_national_treasurer_the_form_for_that_branch(
    org: Org, client_as: Any, who: str, offered: bool
) -> None:
    c = client_as(who)
    page = c.get("/finance/units/hillford/remittances/?year=2025").content.decode()
    link = "/finance/units/national/remittances/new/?unit=hillford"
    assert (f'href="{link}">Record a remittance paid to Hillford</a>' in page) is offered
    if offered:
        form = c.get(link).content.decode()
        assert '<option value="hillford" selected>' in form
