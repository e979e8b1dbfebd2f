"""Date and time boxes in the app's own format (en-GB: day/month/year, 24-hour clock).

A browser's date picker shows dates in the browser's locale (a US browser shows 12/05/2026 for
5 December), so every form types dates as the app writes them instead. The fields still accept
ISO dates (2026-12-05, 2026-12-05T19:30) as Django does, so a pasted or scripted date works.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

__all__ = ["DATE_HINT", "ClockInput", "DayInput", "DayTimeInput", "QuickSelect"]

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


def _html_attrs(attrs: dict[str, Any]) -> SafeString:
    """Attributes as Django's widget templates write them: in order, ``True`` as the bare
    name, ``False`` and ``None`` left out."""
    return mark_safe(  # every part escaped by format_html
        "".join(
            format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v)
            for k, v in attrs.items()
            if v is not False and v is not None
        )
    )


class QuickSelect(forms.Select):
    """A drop-down whose options are written out directly instead of through a template each.

    Django renders every ``<option>`` with its own template; an administrator's branch and
    ward lists at national scale hold hundreds of units each, which took most of a second per
    page. The markup is the same as Django's: the select's attributes, then each option's
    value, attributes (``selected``) and label, escaped.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', w["name"], _html_attrs(w["attrs"]))]
        for group, options, _ in w["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    o["value"],
                    _html_attrs(o["attrs"]),
                    o["label"],
                )
                for o in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part escaped by format_html
