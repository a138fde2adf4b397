from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.context.models import ContextIssue, InterestedParty, IssueKind, ScopeVersion
from aims.context.services import ISSUE_FIELDS, PARTY_FIELDS, SCOPE_FIELDS
from aims.core.forms import VersionedForm, describe_fields

TEXTAREA_ROWS = 3

ISSUE_CATEGORIES = ["Legal and regulatory", "Technological", "Market and competition",
                    "Social and cultural", "Organisational", "Financial", "Environmental",
                    "Skills and resources"]
PARTY_CATEGORIES = ["Customers", "Regulators", "Employees", "Affected individuals", "Suppliers",
                    "Partners", "Investors", "Civil society"]

ACTIVE_CHOICES = [("", "Active and inactive"), ("yes", "Active only"), ("no", "Inactive only")]


def _model_fields(model, names: tuple[str, ...], *, labels: dict[str, str],
                  help_texts: dict[str, str]) -> dict[str, forms.Field]:
    """Form fields built from the model (so length limits and help texts match), relabelled."""
    fields = fields_for_model(model, fields=names)
    for name, field in fields.items():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = TEXTAREA_ROWS
        if name in labels:
            field.label = labels[name]
        if name in help_texts:
            field.help_text = help_texts[name]
    return fields


class ScopeForm(forms.Form):
    """One new scope version; `based_on` is the version number the author started from."""

    conflict_version = ("based_on", "number")

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(
            ScopeVersion, SCOPE_FIELDS,
            labels={"statement": "Scope statement",
                    "boundaries": "Boundaries",
                    "included_units": "Units inside the scope",
                    "excluded_units": "Units outside the scope",
                    "exclusion_rationale": "Why the exclusions are acceptable",
                    "change_note": "What changed and why"},
            help_texts={})
        fields["statement"].widget.attrs["rows"] = 5
        if first:
            # Nothing came before version 1; the note then records how it came about.
            fields["change_note"].label = "Note on this version"
            fields["change_note"].help_text = ("Optional: how this first version was agreed, "
                                               "e.g. who approved it and when.")
        based_on = self.fields.pop("based_on")
        self.fields = {**fields, "based_on": based_on}
        describe_fields(self)

    @classmethod
    def initial_for(cls, current: ScopeVersion | None) -> dict:
        if current is None:
            return {"based_on": 0}
        # The change note describes one change; a new version starts with an empty one.
        return {**{k: getattr(current, k) for k in SCOPE_FIELDS if k != "change_note"},
                "based_on": current.number}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "based_on"}


class ContextIssueForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(
            ContextIssue, ISSUE_FIELDS,
            labels={"kind": "Internal or external", "title": "Issue",
                    "effect": "Effect on the AIMS", "is_active": "Still relevant"},
            help_texts={
                "kind": "Internal issues arise inside the organisation (culture, skills, "
                        "governance, technology in use); external ones come from outside it "
                        "(law, market, society, suppliers).",
                "title": "A short name for the issue, e.g. “New AI regulation for lending”.",
                "description": "What the issue is and where it comes from, in a few sentences.",
                "is_active": "Untick when the issue no longer affects the AIMS; it stays "
                             "in the record.",
            })
        fields["kind"] = forms.ChoiceField(
            choices=[("", "Choose internal or external"), *IssueKind.choices],
            label=fields["kind"].label, help_text=fields["kind"].help_text)
        fields["category"].widget.attrs["list"] = "issue-categories"
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, issue: ContextIssue) -> dict:
        return {**{k: getattr(issue, k) for k in ISSUE_FIELDS}, "version": issue.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class InterestedPartyForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(
            InterestedParty, PARTY_FIELDS,
            labels={"needs": "Needs and expectations", "requirements": "Requirements adopted",
                    "how_addressed": "How the AIMS addresses them", "is_active": "Still relevant"},
            help_texts={
                "name": "Who they are, as a group or an organisation, e.g. “Loan applicants” "
                        "or “National data protection authority”.",
                "is_active": "Untick when they no longer have a stake in your AI systems; "
                             "they stay in the record.",
            })
        fields["category"].widget.attrs["list"] = "party-categories"
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, party: InterestedParty) -> dict:
        return {**{k: getattr(party, k) for k in PARTY_FIELDS}, "version": party.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _search(placeholder: str) -> forms.CharField:
    return forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder}))


def active_value(choice: str) -> bool | None:
    return {"yes": True, "no": False}.get(choice)


class IssueFilterForm(forms.Form):
    q = _search("Issue, description, category…")
    kind = forms.ChoiceField(required=False, label="Internal or external",
                             choices=[("", "Both"), *IssueKind.choices])
    active = forms.ChoiceField(required=False, label="Relevance", choices=ACTIVE_CHOICES)


class PartyFilterForm(forms.Form):
    q = _search("Name, needs, category…")
    active = forms.ChoiceField(required=False, label="Relevance", choices=ACTIVE_CHOICES)
