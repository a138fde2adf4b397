from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail address",
                                widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"}))


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label="Token name",
                           help_text="What the token is for, e.g. “CI export job”.")
