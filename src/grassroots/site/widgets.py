"""Date and time boxes in the app's own format (en-GB: day/month/year, 24-hour clock).

A browser's date picker shows dates in the browser's locale (a US browser shows 12/05/2026 for
5 December), so every form types dates as the app writes them instead. The fields still accept
ISO dates (2026-12-05, 2026-12-05T19:30) as Django does, so a pasted or scripted date works.
"""

from __future__ import annotations

from typing import Any

from django import forms

__all__ = ["DATE_HINT", "ClockInput", "DayInput", "DayTimeInput"]

DATE_HINT = "day/month/year, e.g. 17/12/2026"


def _attrs(placeholder: str, extra: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "placeholder": placeholder,
        "autocomplete": "off",
        "spellcheck": "false",
        **(extra or {}),
    }


class DayInput(forms.DateInput):
    """A date typed as day/month/year."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=_attrs("dd/mm/yyyy", attrs), format="%d/%m/%Y")


class DayTimeInput(forms.DateTimeInput):
    """A date and a time typed as day/month/year hours:minutes."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=_attrs("dd/mm/yyyy hh:mm", attrs), format="%d/%m/%Y %H:%M")


class ClockInput(forms.TimeInput):
    """A time on the 24-hour clock."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=_attrs("hh:mm", attrs), format="%H:%M")
