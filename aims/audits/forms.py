from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.audits.models import (
    FINDINGS,
    Audit,
    AuditLine,
    AuditProgramme,
    AuditStatus,
)
from aims.core.forms import DatePicker, PickerCheckboxes, VersionedForm, describe_fields

ROWS = 3


def _rows(fields, rows: int = ROWS) -> None:
    for f in fields.values():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = rows


def _member_field(model, name: str, choices, empty: str = "— nobody yet —"):
    return forms.ChoiceField(choices=[("", empty), *choices], required=False,
                             label=model._meta.get_field(name).verbose_name.capitalize(),
                             help_text=model._meta.get_field(name).help_text)


class ProgrammeForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(AuditProgramme, fields=("name", "start_date", "months",
                                                          "objectives"))
        _rows(fields, 4)
        fields["start_date"].widget = DatePicker()
        fields["owner"] = _member_field(AuditProgramme, "owner", owner_choices)
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


AUDIT_FIELDS = ("title", "units", "criteria", "planned_start", "planned_end")
DATES = ("planned_start", "planned_end", "actual_start", "actual_end")


class AuditForm(VersionedForm):
    """Plan or change an audit: programme, scope, team, dates."""

    def __init__(self, *args, programme_choices, member_choices, system_choices,
                 scope_choices, with_actuals: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        names = (*AUDIT_FIELDS, "actual_start", "actual_end") if with_actuals else AUDIT_FIELDS
        fields = fields_for_model(Audit, fields=names)
        _rows(fields)
        for name in DATES:
            if name in fields:
                fields[name].widget = DatePicker()
        fields["programme"] = forms.ChoiceField(
            choices=[("", "— choose —"), *programme_choices],
            help_text=Audit._meta.get_field("programme").help_text)
        fields["requirements"] = forms.MultipleChoiceField(
            choices=scope_choices, required=False, label="Requirements in scope",
            widget=PickerCheckboxes,
            help_text="The leaf clauses and Annex A controls the audit checks: tick each one "
                      "(type to filter the list). The checklist gets a line for each.")
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, label="AI systems in scope",
            widget=forms.CheckboxSelectMultiple,
            help_text="Controls of A.5, A.6, A.7 and A.9 get one checklist line per system.")
        fields["lead_auditor"] = _member_field(Audit, "lead_auditor", member_choices)
        fields["team"] = forms.MultipleChoiceField(
            choices=member_choices, required=False, label="Audit team",
            widget=forms.CheckboxSelectMultiple,
            help_text=Audit._meta.get_field("team").help_text)
        order = ["title", "programme", "requirements", "ai_systems", "units", "criteria",
                 "lead_auditor", "team", "planned_start", "planned_end"]
        if with_actuals:
            order += ["actual_start", "actual_end"]
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in order} | {"version": version}
        describe_fields(self)

    @staticmethod
    def initial_for(audit: Audit, *, with_actuals: bool = False) -> dict:
        names = (*AUDIT_FIELDS, *DATES[2:]) if with_actuals else AUDIT_FIELDS
        initial = {name: getattr(audit, name) for name in names}
        initial.update(
            version=audit.version, programme=str(audit.programme_id),
            lead_auditor=str(audit.lead_auditor_id or ""),
            requirements=[r.ref for r in audit.requirements.all()],
            ai_systems=[str(s.pk) for s in audit.ai_systems.all()],
            team=[str(u.pk) for u in audit.team.all()])
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["lead_auditor"] = data.get("lead_auditor") or None
        return data


class LineForm(VersionedForm):
    """One checklist line: result, notes, evidence. Prefixed per line for inline editing."""

    def __init__(self, *args, evidence_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(AuditLine, fields=("result", "notes"))
        fields["notes"].widget.attrs["rows"] = 3
        fields["evidence"] = forms.MultipleChoiceField(
            choices=evidence_choices, required=False, label="Evidence",
            widget=PickerCheckboxes,
            help_text=AuditLine._meta.get_field("evidence").help_text)
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @staticmethod
    def initial_for(line: AuditLine) -> dict:
        return {"result": line.result, "notes": line.notes, "version": line.version,
                "evidence": [str(e.pk) for e in line.evidence.all()]}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ReportForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Audit, fields=("summary", "conclusion"))
        _rows(fields, 6)
        for f in fields.values():
            f.required = True
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AuditFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Title, reference, unit…"}))
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *AuditStatus.choices])

    def __init__(self, *args, programme_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = forms.ChoiceField(
            required=False, label="Programme", choices=[("", "Any programme"),
                                                        *programme_choices])


class FindingFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Notes, requirement, audit…"}))
    result = forms.ChoiceField(required=False, label="Type", choices=[
        ("", "Any finding"), *[(r.value, r.label) for r in FINDINGS]])

    def __init__(self, *args, programme_choices, audit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = forms.ChoiceField(
            required=False, label="Programme", choices=[("", "Any programme"),
                                                        *programme_choices])
        self.fields["audit"] = forms.ChoiceField(
            required=False, label="Audit", choices=[("", "Any audit"), *audit_choices])
        self.fields["requirement"] = forms.CharField(
            required=False, label="Requirement", widget=forms.TextInput(
                attrs={"placeholder": "e.g. A.6.2.4"}))

