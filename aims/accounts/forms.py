from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail address",
                                widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"}))


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label="Token name",
                           help_text="What the token is for, e.g. “CI export job”.")
    expires_in_days = forms.TypedChoiceField(
        label="Expires", coerce=int, empty_value=None, initial="90", required=False,
        choices=[("30", "in 30 days"), ("90", "in 90 days"), ("365", "in a year"),
                 ("", "never")],
        help_text="A token that expires limits the harm if it leaks.")
