"""``{% ballot_rows rows %}``: the ballot's number boxes, one row per candidate.

Written in Python rather than as a loop in the template: the loop's dozen tags a row were the
ballot page's largest rendering cost, and the page is rendered for every voter. The markup is
the template's, and every value is escaped as the template escaped it (``html.escape``, which
Django's ``escape`` is; names, numbers and messages are plain text, never marked safe).
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString

register = template.Library()

Row = tuple[str, str, str, str | None, str | None]  # name, field, value, photo, problem


@register.simple_tag
def ballot_rows(rows: list[Row]) -> SafeString:
    """Each row: the photo if any, the label, what is wrong with the box if anything, the box."""
    count = len(rows)
    html = []
    for name, field, value, photo, problem in rows:
        box = escape(str(field))
        img = (
            f'<img class="ballot-photo" src="{escape(str(photo))}" alt="" width="48" height="48">'
            if photo
            else ""
        )
        error = (
            f'<span class="field-error" id="{box}-error">{escape(str(problem))}</span>'
            if problem
            else ""
        )
        invalid = f' aria-invalid="true" aria-describedby="{box}-error"' if problem else ""
        html.append(
            f'<p class="ballot-row{" invalid" if problem else ""}">{img}'
            f'<label for="{box}">{escape(str(name))}</label>\n    {error}\n'
            f'    <input id="{box}" name="{box}" type="number" inputmode="numeric" min="1"'
            f' max="{count}" value="{escape(str(value))}" size="3"{invalid}></p>\n'
        )
    return SafeString("".join(html))
