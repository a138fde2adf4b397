"""The forms of the EU AI Act pages: working one obligation, and filtering the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from aims.aiact.models import ObligationItem, ObligationStatus
from aims.core.fields import concrete_field
from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _help(name: str) -> StrOrPromise:
    return concrete_field(ObligationItem, name).help_text


class ObligationForm(VersionedForm):
    status = forms.ChoiceField(choices=ObligationStatus.choices, help_text=_help("status"))
    status_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
        label="Why it does not apply", help_text=_help("status_reason"))
    owner = forms.ChoiceField(required=False, help_text=_help("owner"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            label="How it is met", help_text=_help("notes"))
    last_reviewed = forms.DateField(required=False, widget=DatePicker(),
                                    help_text=_help("last_reviewed") + " Changing the status "
                                    "sets it to today unless you give another date.")

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "— nobody yet —"), *owner_choices]
        describe_fields(self)

    @classmethod
    def initial_for(cls, item: ObligationItem) -> dict:
        return {"status": item.status, "status_reason": item.status_reason,
                "owner": str(item.owner_id or ""), "notes": item.notes,
                "last_reviewed": item.last_reviewed, "version": item.version}

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"status": d["status"],
                "status_reason": d["status_reason"]
                if d["status"] == ObligationStatus.NOT_APPLICABLE else "",
                "owner": d["owner"] or None, "notes": d["notes"],
                "last_reviewed": d["last_reviewed"]}
