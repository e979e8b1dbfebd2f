"""The national office posts a month's subscription income into the units' books."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.finance.actions.postings import post_subscription_income
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Unit
from grassroots.members.permissions import require

__all__ = ["post_income"]


class PostIncomeForm(forms.Form):
    period = forms.ChoiceField(label="Month")
    confirm = forms.BooleanField(
        label="Write the month's shares and its remittances into the units' and the national "
        "office's books",
        required=True,
        error_messages={"required": "Tick the box to confirm the posting."},
    )

    def __init__(self, *args: object, months: list[tuple[str, str]], **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["period"].choices = months  # type: ignore[attr-defined]


def _months(today: dt.date, count: int = 24) -> list[tuple[str, str]]:
    out = []
    for back in range(count):
        y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
        day = dt.date(y, m + 1, 1)
        out.append((day.isoformat(), f"{day:%B %Y}"))
    return out


@login_required
def post_income(request: HttpRequest, code: str) -> HttpResponse:
    national = get_object_or_404(Unit, code=code)
    require(request.user, "set_subscription_rules", national)
    if national.parent_id is not None or national.kind != "national":
        return redirect("finance:remittances", code=national.code)
    form = PostIncomeForm(request.POST or None, months=_months(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        month = dt.date.fromisoformat(form.cleaned_data["period"])
        try:
            out = post_subscription_income(month, by=request.user)
        except ActionRefused as e:
            form.add_error(None, str(e)[0].upper() + str(e)[1:] + ".")
        else:
            words = (
                f"{len(out.posted)} posting(s) for {month:%B %Y}"
                if out.posted
                else (f"Nothing new to post for {month:%B %Y}")
            )
            if out.skipped:
                words += "; not posted: " + "; ".join(out.skipped)
            messages.success(request, words + ".")
            return redirect("finance:remittances", code=national.code)
    return render(
        request, "finance/subscriptions/post_income_form.html", {"form": form, "unit": national}
    )
