"""Forms of the account pages: allauth's flows with our labels and help on every field."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

PASSWORD_RULE = ("At least 12 characters, and not one of the passwords most often used; "
                 "a phrase of several words is easy to remember and hard to guess.")


def _describe(form: forms.Form, texts: dict[str, tuple[str, str]]) -> None:
    """Set each field's label and help text; drop placeholders that would repeat the label."""
    for name, (label, help_text) in texts.items():
        if name in form.fields:
            field = form.fields[name]
            field.label = label
            field.help_text = help_text
            field.widget.attrs.pop("placeholder", None)


class SignInForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {
            "login": ("E-mail address", "The address you were invited or registered with."),
            "password": ("Password", "Forgotten it? Use “Reset your password” below."),
            "remember": ("Stay signed in on this device",
                         "Leave unticked on a shared computer: the session then ends when "
                         "the browser closes."),
        })
        self.fields["login"].widget.attrs.update({"autofocus": True, "autocomplete": "email"})


class PasswordChangeForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {
            "oldpassword": ("Current password", "The password you signed in with."),
            "password1": ("New password", PASSWORD_RULE),
            "password2": ("New password again", "Type it once more, to catch a typing slip."),
        })


class PasswordSetForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {
            "password1": ("Password", PASSWORD_RULE),
            "password2": ("Password again", "Type it once more, to catch a typing slip."),
        })


class PasswordResetForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {
            "email": ("E-mail address",
                      "We send a link to choose a new password to this address, if it has an "
                      "account. The link works once."),
        })


class PasswordResetFromKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {
            "password1": ("New password", PASSWORD_RULE),
            "password2": ("New password again", "Type it once more, to catch a typing slip."),
        })


CODE_HELP = ("The six digits your authenticator app shows for aims now, or one of your "
             "recovery codes if you do not have the app with you (each works once).")


class MfaAuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {"code": ("Authentication code", CODE_HELP)})


class MfaReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {"code": ("Authentication code", CODE_HELP)})


class TotpActivateForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe(self, {"code": (
            "Authenticator code",
            "After adding aims to your app (scan the picture, or type the secret above), "
            "enter the six digits it shows, to prove the two agree.")})


class TotpDeactivateForm(totp_forms.DeactivateTOTPForm):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label="Token name",
                           help_text="What the token is for, e.g. “CI export job”.")
    expires_in_days = forms.TypedChoiceField(
        label="Expires", coerce=int, empty_value=None, initial="90", required=False,
        choices=[("30", "in 30 days"), ("90", "in 90 days"), ("365", "in a year"),
                 ("", "never")],
        help_text="A token that expires limits the harm if it leaks.")
