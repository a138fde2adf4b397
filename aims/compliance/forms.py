from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from aims.compliance.models import ComplianceItem, ImplementationStatus, InclusionReason
from aims.core.fields import concrete_field
from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

APPLICABILITY = [("", "Not decided"), ("yes", "Applicable"), ("no", "Excluded")]


def _help(name: str) -> StrOrPromise:
    return concrete_field(ComplianceItem, name).help_text


class SoaItemForm(VersionedForm):
    applicable = forms.ChoiceField(choices=APPLICABILITY, required=False, label="Applicability",
                                   help_text=_help("applicable"))
    inclusion_reason = forms.ChoiceField(
        choices=[("", "—"), *InclusionReason.choices], required=False,
        label="Reason for inclusion", help_text=_help("inclusion_reason"))
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    help_text=_help("justification"))
    status = forms.ChoiceField(choices=ImplementationStatus.choices, label="Implementation status",
                               help_text=_help("status"))
    owner = forms.ChoiceField(required=False, help_text=_help("owner"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            label="Implementation notes", help_text=_help("notes"))
    last_reviewed = forms.DateField(required=False, widget=DatePicker(),
                                    help_text=_help("last_reviewed"))

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "— nobody yet —"), *owner_choices]
        describe_fields(self)

    @classmethod
    def initial_for(cls, item: ComplianceItem) -> dict:
        return {
            "applicable": {True: "yes", False: "no", None: ""}[item.applicable],
            "inclusion_reason": item.inclusion_reason, "justification": item.justification,
            "status": item.status, "owner": str(item.owner_id or ""), "notes": item.notes,
            "last_reviewed": item.last_reviewed, "version": item.version,
        }

    def service_data(self) -> dict:
        d = self.cleaned_data
        applicable = {"yes": True, "no": False}.get(d["applicable"])
        return {
            "applicable": applicable,
            # The reason select keeps its old value when someone switches to "Excluded".
            "inclusion_reason": "" if applicable is False else d["inclusion_reason"], "justification": d["justification"],
            "status": d["status"], "owner": d["owner"] or None, "notes": d["notes"],
            "last_reviewed": d["last_reviewed"],
        }


class ClauseForm(VersionedForm):
    """A clause's owner and notes. How it stands is not set here: it follows from the record
    (what the readiness rules find about it)."""

    owner = forms.ChoiceField(required=False,
                              help_text="The member accountable for meeting this clause.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            label="Notes", help_text="How the organisation meets this clause, "
                                                     "and where the evidence is.")
    last_reviewed = forms.DateField(required=False, widget=DatePicker(),
                                    help_text="When someone last checked how it is met.")

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "— nobody yet —"), *owner_choices]
        describe_fields(self)

    @classmethod
    def initial_for(cls, item: ComplianceItem) -> dict:
        return {"owner": str(item.owner_id or ""), "notes": item.notes,
                "last_reviewed": item.last_reviewed, "version": item.version}

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"owner": d["owner"] or None, "notes": d["notes"],
                "last_reviewed": d["last_reviewed"]}


class SoaFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Control, title, justification…"}))
    domain = forms.ChoiceField(required=False, label="Domain")
    applicable = forms.ChoiceField(required=False, label="Applicability", choices=[
        ("", "Any"), ("yes", "Applicable"), ("no", "Excluded"), ("undecided", "Not decided")])
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *ImplementationStatus.choices])

    def __init__(self, *args, domains: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "domain").choices = [("", "All domains")] + [
            (d["ref"], f"{d['ref']} {d['title']}") for d in domains]
