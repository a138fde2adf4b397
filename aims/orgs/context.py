"""The one place a request, a token or a CLI `--org` becomes a tenant context."""

from __future__ import annotations

from dataclasses import dataclass

from aims.accounts.models import User
from aims.accounts.selectors import user_has_mfa
from aims.core.errors import NotFound, PermissionDenied
from aims.orgs.models import Membership, Organization
from aims.orgs.permissions import PERMISSIONS, Role, refusal, role_can


@dataclass(frozen=True)
class Ctx:
    """Who acts, in which organisation, with which role. `user` is None for the CLI."""

    org: Organization
    user: User | None
    role: str
    actor_label: str

    def can(self, perm: str) -> bool:
        return role_can(self.role, perm)

    @property
    def may(self) -> dict[str, bool]:
        """Permissions as template-friendly keys: {% if ctx.may.inventory_change %}."""
        return {p.replace(".", "_"): True for p in PERMISSIONS if role_can(self.role, p)}

    def require(self, perm: str) -> None:
        if not self.can(perm):
            raise PermissionDenied(refusal(self.role, perm, self.org.name))


class MfaRequired(PermissionDenied):
    """The organisation requires two-factor authentication and the member has none yet."""


def mfa_required_message(org: Organization) -> str:
    return (f"{org.name} requires two-factor authentication for all its members. Set up an "
            "authenticator app on your account to open it.")


def ctx_for_user(user, slug: str, *, memberships: list[Membership] | None = None) -> Ctx:
    """The user's context in organisation `slug`; NotFound if absent or not a member;
    MfaRequired when the organisation requires two-factor authentication the user lacks.
    `memberships`, when given, are the user's current memberships with their organisations
    (already read for the page's switcher): the one for `slug` is taken from them."""
    if user is None or not user.is_authenticated:
        raise NotFound("Organisation not found.")
    # Only a membership that grants access today counts: outside its dates (a time-boxed
    # auditor's, say) it is as if there were none, on every route of the web and the API.
    if memberships is not None:
        membership = next((m for m in memberships
                           if m.user_id == user.pk and m.org.slug == slug), None)
    else:
        membership = (
            Membership.objects.current().select_related("org")
            .filter(org__slug=slug, user=user).first()
        )
    if membership is None:
        raise NotFound("Organisation not found.")
    if membership.org.require_mfa and not user_has_mfa(user=user):
        raise MfaRequired(mfa_required_message(membership.org))
    return Ctx(org=membership.org, user=user, role=membership.role, actor_label=user.email)


def ctx_for_cli(slug: str, *, actor_label: str = "cli") -> Ctx:
    """An operator's context from the command line: full rights, recorded as `actor_label`."""
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"No organisation with slug {slug!r}.")
    return Ctx(org=org, user=None, role=Role.OWNER, actor_label=actor_label)
