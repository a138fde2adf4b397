"""The demo organisation, built through the services."""

from __future__ import annotations

from dataclasses import dataclass

from aims.accounts.models import User
from aims.orgs.context import Ctx


@dataclass(frozen=True)
class MemberCtx(Ctx):
    """A demo member's context: unlike the command line's, it always has a user."""

    user: User
