"""How django-allauth's account flows fit aims: who may sign up on their own."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People are invited into an organisation or created by an operator; an open door for
        # anyone on the internet is a choice the operator makes (AIMS_SIGNUP=open).
        return bool(settings.AIMS_SIGNUP_OPEN)
