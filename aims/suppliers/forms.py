from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone

from aims.core.forms import DatePicker, VersionedForm, describe_fields
from aims.suppliers.models import (
    AnswerStatus,
    Criticality,
    DueDiligenceAnswer,
    PartyKind,
    PartyStatus,
    ResponsibilityAllocation,
    Responsible,
    Supplier,
    SupplierRating,
    SupplierReview,
    Supplies,
)
from aims.suppliers.selectors import REVIEW_FILTERS, ChecklistRow
from aims.suppliers.services import RESPONSIBLE_FOR_KIND

MODEL_FIELDS = ("name", "kind", "contact", "website", "description", "criticality", "status",
                "review_interval_months")
ORDER = ("name", "kind", "supplies", "description", "contact", "website", "owner",
         "criticality", "status", "review_interval_months", "ai_systems")
TEXTAREA_ROWS = 3


class SupplierForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]],
                 system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Supplier, fields=MODEL_FIELDS)
        for f in fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs["rows"] = TEXTAREA_ROWS
        fields["review_interval_months"].choices = [
            c for c in fields["review_interval_months"].choices if c[0] != ""]
        fields["website"] = forms.URLField(
            required=False, max_length=500, assume_scheme="https", label="Website",
            help_text="The party's site or trust centre, if any.")
        fields["supplies"] = forms.MultipleChoiceField(
            choices=Supplies.choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="What they supply", help_text=Supplier._meta.get_field("supplies").help_text)
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=Supplier._meta.get_field("owner").help_text)
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="AI systems", help_text=Supplier._meta.get_field("ai_systems").help_text)
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in ORDER} | {"version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, supplier: Supplier) -> dict:
        initial = {name: getattr(supplier, name) for name in (*MODEL_FIELDS, "version")}
        initial["supplies"] = list(supplier.supplies)
        initial["owner"] = str(supplier.owner_id or "")
        initial["ai_systems"] = [str(s.pk) for s in supplier.ai_systems.all()]
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        data["review_interval_months"] = int(data["review_interval_months"])
        return data


class SupplierFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name, description…"}))
    kind = forms.ChoiceField(required=False, label="Kind",
                             choices=[("", "Any kind"), *PartyKind.choices])
    supplies = forms.ChoiceField(required=False, label="Supplies",
                                 choices=[("", "Anything"), *Supplies.choices])
    rating = forms.ChoiceField(required=False, label="Risk rating",
                               choices=[("", "Any rating"), *SupplierRating.choices,
                                        ("none", "Not rated yet")])
    review = forms.ChoiceField(required=False, label="Review",
                               choices=[("", "Any"), *[(s.value, s.label) for s in REVIEW_FILTERS]])
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *PartyStatus.choices])
    criticality = forms.ChoiceField(required=False, label="Criticality",
                                    choices=[("", "Any"), *Criticality.choices])
    ai_system = forms.ChoiceField(required=False, label="AI system")

    def __init__(self, *args, system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ai_system"].choices = [("", "Any system"), *system_choices]


class ChecklistForm(forms.Form):
    """Every question of a party's checklist: status, notes, source and the answer's version.
    Field names are "<item>-<field>", as the service names them in its errors."""

    def __init__(self, *args, rows: list[ChecklistRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        status_help = DueDiligenceAnswer._meta.get_field("status").help_text
        for row in rows:
            key, answer = row.item.key, row.answer
            blank = [("", "— not answered yet —")] if answer is None else []
            self.fields[f"{key}-status"] = forms.ChoiceField(
                choices=[*blank, *AnswerStatus.choices], required=False, label="Answer",
                initial=answer.status if answer else "", help_text=status_help)
            self.fields[f"{key}-notes"] = forms.CharField(
                required=False, label="Notes", initial=answer.notes if answer else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=DueDiligenceAnswer._meta.get_field("notes").help_text)
            self.fields[f"{key}-source"] = forms.CharField(
                required=False, label="Source", max_length=300,
                initial=answer.source if answer else "",
                help_text=DueDiligenceAnswer._meta.get_field("source").help_text)
            self.fields[f"{key}-version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=row.version)

    def grouped(self):
        """(row, status, notes, source, version) bound fields per question, for the template."""
        return [(row, self[f"{row.item.key}-status"], self[f"{row.item.key}-notes"],
                 self[f"{row.item.key}-source"], self[f"{row.item.key}-version"])
                for row in self.rows]

    def answers(self) -> list[dict]:
        d = self.cleaned_data
        return [{"item": row.item.key, "version": d.get(f"{row.item.key}-version") or 0,
                 "status": d.get(f"{row.item.key}-status") or "",
                 "notes": d.get(f"{row.item.key}-notes") or "",
                 "source": d.get(f"{row.item.key}-source") or ""}
                for row in self.rows]


class ReviewForm(ChecklistForm):
    """The checklist, then the conclusion: date, rating and summary, at the party's version."""

    conflict_version = ("version", "version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(SupplierReview, fields=("reviewed_on", "rating", "summary"),
                                  widgets={"reviewed_on": DatePicker()})
        fields["summary"].widget.attrs["rows"] = 4
        fields["reviewed_on"].initial = timezone.localdate()
        fields["rating"].choices = [("", "— choose —"), *SupplierRating.choices]
        self.fields.update(fields)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        describe_fields(self)

    def review_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("reviewed_on", "rating", "summary")}


class ResponsibilityForm(VersionedForm):
    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(ResponsibilityAllocation,
                                  fields=("topic", "activity", "responsible", "note"))
        allowed = RESPONSIBLE_FOR_KIND.get(kind, set(Responsible.values))
        fields["responsible"].choices = [c for c in Responsible.choices if c[0] in allowed]
        fields["note"].widget.attrs["rows"] = 2
        version = self.fields.pop("version")
        self.fields = fields | {"version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, row: ResponsibilityAllocation) -> dict:
        return {name: getattr(row, name)
                for name in ("topic", "activity", "responsible", "note", "version")}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
