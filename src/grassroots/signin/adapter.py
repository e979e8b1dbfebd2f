"""allauth's behaviour for this site: nobody signs up; members come from the register."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # logins are made from membership records, by invitation (grassroots.signin.actions)
        return False
