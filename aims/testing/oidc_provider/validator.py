"""The claims the test provider puts in the ID token and userinfo: the e-mail address, whether
the provider verified it (a per-user flag the test sets), and the name."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope,
                        "email": "email", "email_verified": "email", "name": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            # The test users' last_name field carries "unverified" when the provider has not
            # verified the address (a simple flag without a model of our own).
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
        }
