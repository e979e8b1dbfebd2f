"""In a real browser on a phone-sized screen: the ballot page's drag-and-drop ranking.

With JavaScript a member arranges their ranking by dragging and with the buttons (keyboard
only), every change announced and written into the number boxes, which the review page and the
stored ballot follow; typing in a box moves the list. With JavaScript off the page is the plain
number boxes and voting works as before. Screenshots go to ``tests/out/`` for a human look.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.elections.models import Ballot
from grassroots.site.csp import STRICT_POLICY
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import CANDIDATES, make_election
from tests.web.conftest import Org

OUT = Path(__file__).resolve().parents[1] / "out"
CHOSEN = "Your ranking (first choice first)"
REST = "Not ranked"


def _names(page: Any, list_name: str) -> list[str]:
    items = page.get_by_role("list", name=list_name).locator(".ranker-name")
    return [t.strip() for t in items.all_inner_texts()]


def _item(page: Any, name: str) -> Any:
    return page.locator(".ranker-item").filter(has=page.locator(".ranker-name", has_text=name))


def _boxes(page: Any) -> dict[str, str]:
    return {n: page.get_by_label(n, exact=True).input_value() for n in CANDIDATES}


def _status(page: Any) -> str:
    return str(page.locator("#ranker-status").inner_text())


def _drag_by_mouse(page: Any, name: str, onto: str) -> None:
    """Press on one candidate's grip, move in small steps to the top edge of another's, release."""
    src = _item(page, name).locator(".ranker-grip").bounding_box()
    dst = _item(page, onto).locator(".ranker-grip").bounding_box()
    page.mouse.move(src["x"] + 10, src["y"] + src["height"] / 2)
    page.mouse.down()
    page.mouse.move(dst["x"] + 10, dst["y"] + 4, steps=12)
    page.mouse.up()


@pytest.fixture
def errors(page: Any) -> Iterator[list[str]]:
    """Console errors and uncaught exceptions (a CSP violation is reported as one)."""
    seen: list[str] = []

    def on_console(m: Any) -> None:
        # not the page's doing: the browser's own request for /favicon.ico (there is none) and
        # the 400 status of a ballot the server refuses
        url = m.location.get("url", "")
        if m.type == "error" and not url.endswith(("/favicon.ico", "/vote/")):
            seen.append(m.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    yield seen


def test_a_member_ranks_by_dragging_and_with_the_keyboard_and_the_ballot_follows(
    live_server: Any, live_org: Org, page: Any, errors: list[str]
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    log_in(page, base, "ann")
    resp = page.goto(f"{base}/elections/{e.pk}/vote/")
    assert resp.headers["content-security-policy"] == STRICT_POLICY
    page.get_by_role("heading", name="Arrange your ranking").wait_for()
    assert _names(page, CHOSEN) == []
    assert sorted(_names(page, REST)) == sorted(CANDIDATES)

    # buttons: three candidates added, in the order pressed
    for name in ("Alice Able", "Bea Bold", "Cal Calm"):
        _item(page, name).get_by_role("button", name="Add to my ranking").click()
    assert _names(page, CHOSEN) == ["Alice Able", "Bea Bold", "Cal Calm"]
    assert _status(page) == "Cal Calm added to your ranking at preference 3"

    # drag within the ranking: Cal Calm to the top
    _drag_by_mouse(page, "Cal Calm", onto="Alice Able")
    assert _names(page, CHOSEN) == ["Cal Calm", "Alice Able", "Bea Bold"]
    assert _status(page) == "Cal Calm moved to preference 1"

    # drag from "not ranked" into the ranking, just above Bea Bold (Playwright's drag_to)
    _item(page, "Dan Deft").locator(".ranker-grip").drag_to(
        _item(page, "Bea Bold").locator(".ranker-grip"),
        source_position={"x": 10, "y": 10},
        target_position={"x": 10, "y": 3},
    )
    assert _names(page, CHOSEN) == ["Cal Calm", "Alice Able", "Dan Deft", "Bea Bold"]
    assert _names(page, REST) == []
    assert _status(page) == "Dan Deft added to your ranking at preference 3"

    # keyboard only: focus stays on the button pressed, so it can be pressed again
    up = _item(page, "Bea Bold").get_by_role("button", name="Move up")
    up.focus()
    page.keyboard.press("Enter")
    assert _status(page) == "Bea Bold moved to preference 3"
    page.keyboard.press("Space")
    assert _status(page) == "Bea Bold moved to preference 2"
    assert page.evaluate("document.activeElement.textContent") == "Move up: Bea Bold"
    assert _names(page, CHOSEN) == ["Cal Calm", "Bea Bold", "Alice Able", "Dan Deft"]
    _item(page, "Alice Able").get_by_role("button", name="Remove").focus()
    page.keyboard.press("Enter")
    assert _status(page) == "Alice Able removed from your ranking"
    assert page.locator("#ranker-status").get_attribute("role") == "status"
    assert _names(page, CHOSEN) == ["Cal Calm", "Bea Bold", "Dan Deft"]
    assert _names(page, REST) == ["Alice Able"]
    top = _item(page, "Cal Calm")
    assert top.get_by_role("button", name="Move up").is_disabled()

    # the number boxes hold the list, so the form posts what it posts without JavaScript
    assert _boxes(page) == {"Cal Calm": "1", "Bea Bold": "2", "Dan Deft": "3", "Alice Able": ""}
    # typing in a box: the list follows
    page.get_by_label("Alice Able", exact=True).fill("4")
    assert _names(page, CHOSEN) == ["Cal Calm", "Bea Bold", "Dan Deft", "Alice Able"]
    assert no_sideways_scroll(page)
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "ballot_ranking_phone.png"), full_page=True)

    # by keyboard too (a click right after a full-page screenshot can land mid-scroll)
    page.get_by_role("button", name="Review my ballot").press("Enter")
    page.get_by_role("heading", name="Review your ballot").wait_for()
    assert page.locator("#review li").all_inner_texts() == [
        "Cal Calm",
        "Bea Bold",
        "Dan Deft",
        "Alice Able",
    ]
    page.get_by_role("button", name="Cast my vote").click()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", page.locator("#receipt-code").inner_text())
    assert list(Ballot.objects.get(election=e).ranking) == [
        "Cal Calm",
        "Bea Bold",
        "Dan Deft",
        "Alice Able",
    ]
    assert errors == []


SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _list_ranking(page: Any) -> dict[str, str]:
    """What the list shows, written as the boxes should hold it: position or blank."""
    chosen = _names(page, CHOSEN)
    return {n: str(chosen.index(n) + 1) if n in chosen else "" for n in CANDIDATES}


@pytest.mark.parametrize("size", SIZES)
def test_the_number_boxes_always_show_the_lists_order_whatever_the_member_does(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")
        page.goto(f"{base}/elections/{e.pk}/vote/")
        page.get_by_role("heading", name="Arrange your ranking").wait_for()

        def agree() -> dict[str, str]:
            boxes = _boxes(page)
            assert boxes == _list_ranking(page)
            return boxes

        page.get_by_label("Bea Bold", exact=True).fill("1")
        # a number past the end of the list puts the candidate last: no gap in the boxes
        page.get_by_label("Dan Deft", exact=True).fill("3")
        assert agree() == {"Alice Able": "", "Bea Bold": "1", "Cal Calm": "", "Dan Deft": "2"}
        assert _status(page) == "Dan Deft added to your ranking at preference 2"
        # a number already taken: the candidate takes that place and the others move down
        page.get_by_label("Cal Calm", exact=True).fill("1")
        assert agree() == {"Alice Able": "", "Bea Bold": "2", "Cal Calm": "1", "Dan Deft": "3"}
        assert _names(page, CHOSEN) == ["Cal Calm", "Bea Bold", "Dan Deft"]
        # clearing a box takes the candidate out and closes the gap
        page.get_by_label("Bea Bold", exact=True).fill("")
        assert agree() == {"Alice Able": "", "Bea Bold": "", "Cal Calm": "1", "Dan Deft": "2"}
        _item(page, "Alice Able").get_by_role("button", name="Add to my ranking").click()
        _item(page, "Alice Able").get_by_role("button", name="Move up").click()
        assert agree() == {"Alice Able": "2", "Bea Bold": "", "Cal Calm": "1", "Dan Deft": "3"}
        _drag_by_mouse(page, "Dan Deft", onto="Cal Calm")
        assert agree() == {"Alice Able": "3", "Bea Bold": "", "Cal Calm": "2", "Dan Deft": "1"}

        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("heading", name="Review your ballot").wait_for()
        assert page.locator("#review li").all_inner_texts() == [
            "Dan Deft",
            "Cal Calm",
            "Alice Able",
        ]
        # changing my mind on the review page keeps the ranking I had
        page.get_by_role("button", name="Change my ballot").click()
        page.get_by_role("heading", name="Arrange your ranking").wait_for()
        assert agree() == {"Alice Able": "3", "Bea Bold": "", "Cal Calm": "2", "Dan Deft": "1"}
        assert page.get_by_role("alert").count() == 0
        _item(page, "Bea Bold").get_by_role("button", name="Add to my ranking").click()
        assert no_sideways_scroll(page)
        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("button", name="Cast my vote").click()
        page.locator("#receipt-code").wait_for()
        assert list(Ballot.objects.get(election=e).ranking) == [
            "Dan Deft",
            "Cal Calm",
            "Alice Able",
            "Bea Bold",
        ]
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_without_scripting_a_refused_ballot_marks_the_boxes_it_is_about_and_keeps_the_rest(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size], java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")
        page.goto(f"{base}/elections/{e.pk}/vote/")
        page.get_by_label("Bea Bold", exact=True).fill("1")
        page.get_by_label("Cal Calm", exact=True).fill("1")
        page.get_by_label("Dan Deft", exact=True).fill("2")
        page.get_by_role("button", name="Review my ballot").click()
        alert = page.get_by_role("alert")
        assert "rank 1 is given to more than one candidate: " in alert.inner_text()
        marked = {
            n: page.get_by_label(n, exact=True).get_attribute("aria-invalid") for n in CANDIDATES
        }
        assert marked == {
            "Alice Able": None,
            "Bea Bold": "true",
            "Cal Calm": "true",
            "Dan Deft": None,
        }
        bea = page.get_by_label("Bea Bold", exact=True)
        described = page.locator("#" + bea.get_attribute("aria-describedby"))
        assert described.inner_text().endswith("rank 1 is given to more than one candidate")
        # styled as the app's other errors: its red, not the browser's default black text
        colour = "rgb(164, 22, 26)"
        assert described.evaluate("e => getComputedStyle(e).color") == colour
        assert alert.evaluate("e => getComputedStyle(e).borderLeftColor") == colour
        assert bea.evaluate("e => getComputedStyle(e).borderTopColor") == colour
        assert _boxes(page) == {"Alice Able": "", "Bea Bold": "1", "Cal Calm": "1", "Dan Deft": "2"}
        assert no_sideways_scroll(page)
        OUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUT / f"ballot_refused_{size}.png"), full_page=True)

        page.get_by_label("Cal Calm", exact=True).fill("3")
        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("heading", name="Review your ballot").wait_for()
        assert page.locator("#review li").all_inner_texts() == ["Bea Bold", "Dan Deft", "Cal Calm"]
        page.get_by_role("button", name="Change my ballot").click()
        assert _boxes(page) == {"Alice Able": "", "Bea Bold": "1", "Cal Calm": "3", "Dan Deft": "2"}
        assert page.get_by_role("alert").count() == 0
        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("button", name="Cast my vote").click()
        page.locator("#receipt-code").wait_for()
        assert list(Ballot.objects.get(election=e).ranking) == ["Bea Bold", "Dan Deft", "Cal Calm"]
    finally:
        ctx.close()


def test_boxes_sent_back_refused_are_renumbered_to_the_lists_order_and_the_page_says_so(
    live_server: Any, live_org: Org, page: Any, errors: list[str]
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/vote/")
    page.get_by_role("heading", name="Arrange your ranking").wait_for()
    # what a page without scripting posts: numbers the list would never write
    page.evaluate(
        """() => {
        document.getElementById(document.evaluate("//label[text()='Bea Bold']", document, null,
            XPathResult.FIRST_ORDERED_NODE_TYPE).singleNodeValue.htmlFor).value = "1";
        document.getElementById(document.evaluate("//label[text()='Dan Deft']", document, null,
            XPathResult.FIRST_ORDERED_NODE_TYPE).singleNodeValue.htmlFor).value = "3";
        document.querySelector("[data-ranker]").closest("form").submit();
    }"""
    )
    page.get_by_role("alert").wait_for()
    assert "rank 2 is skipped" in page.get_by_role("alert").inner_text()
    assert _names(page, CHOSEN) == ["Bea Bold", "Dan Deft"]
    assert _boxes(page) == {"Alice Able": "", "Bea Bold": "1", "Cal Calm": "", "Dan Deft": "2"}
    assert "in the order the list shows" in _status(page)
    page.get_by_role("button", name="Review my ballot").click()
    page.get_by_role("heading", name="Review your ballot").wait_for()
    assert page.locator("#review li").all_inner_texts() == ["Bea Bold", "Dan Deft"]
    assert errors == []


def test_on_a_touch_screen_a_candidate_is_dragged_with_a_finger(
    live_server: Any, live_org: Org, browser: Any
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")
        page.goto(f"{base}/elections/{e.pk}/vote/")
        for rank, name in enumerate(("Alice Able", "Bea Bold", "Cal Calm"), start=1):
            page.get_by_label(name, exact=True).fill(str(rank))
        assert _names(page, CHOSEN) == ["Alice Able", "Bea Bold", "Cal Calm"]
        src = _item(page, "Cal Calm").locator(".ranker-grip")
        src.scroll_into_view_if_needed()
        a = src.bounding_box()
        b = _item(page, "Alice Able").locator(".ranker-grip").bounding_box()
        # touch events as a phone sends them; the browser turns them into pointer events
        cdp = ctx.new_cdp_session(page)
        x, y0, y1 = a["x"] + 10, a["y"] + a["height"] / 2, b["y"] + 4
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]}
        )
        for i in range(1, 13):
            y = y0 + (y1 - y0) * i / 12
            cdp.send(
                "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.locator("#ranker-status").filter(has_text="Cal Calm").wait_for()
        assert _status(page) == "Cal Calm moved to preference 1"
        assert _names(page, CHOSEN) == ["Cal Calm", "Alice Able", "Bea Bold"]
        assert _boxes(page) == {"Cal Calm": "1", "Alice Able": "2", "Bea Bold": "3", "Dan Deft": ""}
    finally:
        ctx.close()


def test_without_javascript_the_page_is_the_number_boxes_and_a_member_votes(
    live_server: Any, live_org: Org, browser: Any
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")
        page.goto(f"{base}/elections/{e.pk}/vote/")
        assert page.locator("[data-ranker]").is_hidden()
        assert page.get_by_role("button", name="Move up").count() == 0
        assert page.get_by_role("heading", name="Arrange your ranking").count() == 0
        page.get_by_label("Dan Deft", exact=True).fill("1")
        page.get_by_label("Alice Able", exact=True).fill("2")
        assert no_sideways_scroll(page)
        OUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUT / "ballot_no_javascript_phone.png"), full_page=True)
        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("heading", name="Review your ballot").wait_for()
        assert page.locator("#review li").all_inner_texts() == ["Dan Deft", "Alice Able"]
        page.get_by_role("button", name="Cast my vote").click()
        page.locator("#receipt-code").wait_for()
        assert list(Ballot.objects.get(election=e).ranking) == ["Dan Deft", "Alice Able"]
    finally:
        ctx.close()


def test_escape_during_a_drag_puts_the_candidate_back_and_changes_nothing(
    live_server: Any, live_org: Org, page: Any, errors: list[str]
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/vote/")
    page.get_by_role("heading", name="Arrange your ranking").wait_for()
    for name in ("Alice Able", "Bea Bold"):
        _item(page, name).get_by_role("button", name="Add to my ranking").click()
    before = _boxes(page)

    # both grips on the screen before their places are read (the pointer acts on what is seen):
    # a window tall enough for the whole ballot, then the two in view
    page.set_viewport_size({"width": 1280, "height": 1600})
    _item(page, "Alice Able").scroll_into_view_if_needed()
    _item(page, "Dan Deft").scroll_into_view_if_needed()
    src = _item(page, "Dan Deft").locator(".ranker-grip").bounding_box()
    dst = _item(page, "Alice Able").locator(".ranker-grip").bounding_box()
    page.mouse.move(src["x"] + 10, src["y"] + src["height"] / 2)
    page.mouse.down()
    expect(_item(page, "Dan Deft")).to_have_class(re.compile(r"\branker-dragging\b"))
    page.mouse.move(dst["x"] + 10, dst["y"] + 4, steps=12)
    # on its way in, under the pointer (the page moves it on the next animation frame)
    expect(page.get_by_role("list", name=CHOSEN).locator(".ranker-name").first).to_have_text(
        "Dan Deft"
    )
    page.keyboard.press("Escape")
    page.mouse.up()

    assert _names(page, CHOSEN) == ["Alice Able", "Bea Bold"]
    assert "Dan Deft" in _names(page, REST)
    assert _boxes(page) == before
    assert _status(page) == "Move of Dan Deft cancelled"
    assert errors == []
