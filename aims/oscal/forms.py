from __future__ import annotations

from django import forms


class ProfileUploadForm(forms.Form):
    file = forms.FileField(
        label="OSCAL profile (JSON)",
        help_text="An OSCAL 1.1.3 profile selecting ISO/IEC 42001 Annex A controls, such as the "
                  "profile aims exports. You will see every decision it would change before "
                  "anything is written.")


class ProfileConfirmForm(forms.Form):
    """The profile checked in the dry run, sent back unchanged to apply it."""

    document = forms.CharField(widget=forms.HiddenInput, strip=False)
