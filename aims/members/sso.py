"""Who a single sign-on through an OpenID Connect provider becomes (allauth's social login).

- An existing account is signed in only through an address the provider says it verified
  (``email_verified``); the link is then remembered, so later sign-ins use the provider's
  subject id. With sign-up closed every account's address was given by an invitation (whose
  link went to it) or by an operator, so aims treats it as verified; with sign-up open an
  address may have been claimed by someone else, and allauth removes that account's password
  at the first SSO sign-in, leaving the owner of the mailbox as the only way in.
- A new account is made only when sign-up is open (AIMS_SIGNUP=open) or an invitation to the
  verified address is waiting; the person then accepts it from the home page.
- SSO is one factor: a member with an authenticator app is asked for its code after the
  provider, and an organisation that requires two-factor authentication sends an SSO member
  without one to set it up, whatever the provider checked.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from aims.members.selectors import invitation_waiting_for


def verified_emails(sociallogin) -> list[str]:
    return [a.email for a in sociallogin.email_addresses if a.verified and a.email]


class SsoAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        if settings.AIMS_SIGNUP_OPEN:
            return True
        return any(invitation_waiting_for(email=e) for e in verified_emails(sociallogin))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.full_name = (name or "").strip()[:200]
        if user.email:
            user.email = user.email.strip().lower()
        return user

    def authenticate_by_email(self, sociallogin):
        found = super().authenticate_by_email(sociallogin)
        if found is not None and not settings.AIMS_SIGNUP_OPEN:
            user, email = found
            address, _ = EmailAddress.objects.get_or_create(
                user=user, email__iexact=email,
                defaults={"email": email, "verified": True, "primary": True})
            if not address.verified:
                EmailAddress.objects.filter(pk=address.pk).update(verified=True)
        return found
