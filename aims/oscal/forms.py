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


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label="OSCAL catalog (JSON)",
        help_text="An OSCAL 1.1.x catalog, such as your organisation's own AI control set. Its "
                  "groups become sections and its controls requirements you decide and "
                  "evidence. A catalog with the same title as one you brought in before "
                  "updates it. You will see what it would create before anything is written.")
    profile = forms.FileField(
        required=False, label="OSCAL profile (JSON, optional)",
        help_text="To bring in only some of the catalog's controls: a profile that includes "
                  "and excludes them by id. Leave empty to bring in every control.")


class CatalogConfirmForm(forms.Form):
    """The catalog (and profile) checked in the dry run, sent back compressed to apply it."""

    document = forms.CharField(widget=forms.HiddenInput, strip=False)
    profile_document = forms.CharField(widget=forms.HiddenInput, strip=False, required=False)
