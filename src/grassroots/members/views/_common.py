"""Shared by the register views."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from grassroots.members.models import Unit


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)
