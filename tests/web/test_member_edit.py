"""Editing a member's details (issue 9.1): the form shows every current value, including the
dates, and saving it changes exactly what the secretary changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.members import actions
from grassroots.members.forms import MemberForm
from grassroots.members.models import Member, Unit
from tests.web.conftest import PASSWORD, TODAY, Org

pytestmark = pytest.mark.django_db


def login(org: Org, who: str) -> Client:
    c = Client()
    assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


def test_the_edit_form_offers_exactly_the_fields_the_edit_action_changes(org: Org) -> None:
    form = MemberForm(units=Unit.objects.all(), editing=True)
    assert set(form.fields) - {"reason"} == set(actions.EDITABLE)


def test_saving_the_edit_form_unchanged_succeeds_and_records_nothing(org: Org) -> None:
    c = login(org, "secretary")
    url = reverse("members:member", kwargs={"number": "M1"})
    page = c.get(url)
    form = page.context["form"]
    # what the browser sends back: every field as the page shows it
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    before = AuditEntry.objects.count()
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()
    assert AuditEntry.objects.count() == before


def test_the_edit_form_shows_the_paid_up_date_and_the_other_dates(org: Org) -> None:
    Member.objects.filter(pk=org.ann.pk).update(birth_date=dt.date(1990, 5, 1))
    html = login(org, "secretary").get(reverse("members:member", kwargs={"number": "M1"}))
    text = html.content.decode()
    paid = org.ann.paid_up_to
    # dates in the app's own format (day/month/year), not the browser's date picker's
    assert f'name="paid_up_to" value="{paid:%d/%m/%Y}"' in text
    assert 'name="join_date" value="01/01/2019"' in text
    assert 'name="birth_date" value="01/05/1990"' in text
    assert 'type="date"' not in text


def test_a_secretary_changes_every_editable_field_and_each_is_saved_and_audited(
    org: Org,
) -> None:
    c = login(org, "secretary")
    url = reverse("members:member", kwargs={"number": "M1"})
    r = c.post(
        url,
        {
            "name": "Ann Arbour",
            "email": "ann@example.org",
            "branch": org.hillford.pk,
            "ward": "",
            "join_date": "2018-02-03",
            "paid_up_to": str(TODAY + dt.timedelta(days=100)),
            "rate_band": "reduced",
            "gender": "female",
            "birth_date": "1991-06-07",
            "reason": "member's letter of 1 May",
        },
    )
    assert r.status_code == 302, r.content.decode()
    m = Member.objects.get(number="M1")
    assert (m.name, m.email, m.ward, m.join_date, m.paid_up_to, m.rate_band, m.gender) == (
        "Ann Arbour",
        "ann@example.org",
        None,
        dt.date(2018, 2, 3),
        TODAY + dt.timedelta(days=100),
        "reduced",
        "female",
    )
    assert m.birth_date == dt.date(1991, 6, 7)
    e = AuditEntry.objects.filter(action="update_member").latest("id")
    assert set(e.detail["changes"]) == {
        "name", "email", "ward", "join_date", "paid_up_to", "rate_band", "gender", "birth_date"
    }  # fmt: skip
    assert e.reason == "member's letter of 1 May"


def test_a_paid_up_date_entered_wrongly_can_be_corrected_backwards_and_is_audited(
    org: Org,
) -> None:
    wrong = TODAY + dt.timedelta(days=3650)
    Member.objects.filter(pk=org.ann.pk).update(paid_up_to=wrong)
    right = TODAY + dt.timedelta(days=365)
    actions.update_member(
        org.ann, by=org.users["secretary"], changes={"paid_up_to": right}, reason="typo"
    )
    assert Member.objects.get(pk=org.ann.pk).paid_up_to == right
    e = AuditEntry.objects.filter(action="update_member").latest("id")
    assert e.detail["changes"]["paid_up_to"] == [str(wrong), str(right)]
