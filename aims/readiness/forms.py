from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields
from aims.readiness.models import Certification, ExternalAudit, ExternalFinding
from aims.readiness.report import SEVERITIES, SEVERITY_LABELS


class FindingFilterForm(forms.Form):
    """Which day to judge as of, and which findings to list."""

    as_of = forms.DateField(
        required=False, label="Judge as of", widget=DatePicker(),
        help_text="A day ahead shows what will have lapsed by then: evidence past its "
                  "validity, reviews and actions past their dates.")
    severity = forms.ChoiceField(required=False, label="Severity", choices=[
        ("", "Every severity"), *((s.value, SEVERITY_LABELS[s]) for s in SEVERITIES)])
    area = forms.ChoiceField(required=False, label="Clause or domain")

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = [("", "Every clause and domain"), *areas]

    def value(self, name: str):
        """The cleaned value of `name`; its blank when unbound or when that field is wrong
        (the other fields still apply)."""
        blank = None if name == "as_of" else ""
        if not self.is_bound:
            return blank
        self.is_valid()
        return self.cleaned_data.get(name) or blank


class PlanForm(forms.Form):
    target_date = forms.DateField(
        label="Target certification date", widget=DatePicker(),
        help_text="When you mean to hold the Stage 2 audit. Each phase's tasks fall due a "
                  "share of the way between today and this day, the last ones on it.")
    owner = forms.ChoiceField(
        label="Default owner", required=False,
        help_text="Who the new tasks go to; each can be handed on from its task page. "
                  "Blank: you.")

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "— me —"), *owner_choices]
        describe_fields(self)


def _model_fields(model, names: tuple[str, ...], dates: tuple[str, ...]) -> dict:
    fields = fields_for_model(model, fields=names)
    for name, f in fields.items():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = 3
        if name in dates:
            f.widget = DatePicker()
    return fields


class CertificationForm(VersionedForm):
    FIELDS = ("body", "scope_certified", "certificate_number", "issued_on", "valid_until",
              "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Certification, self.FIELDS, ("issued_on",
                                                                      "valid_until")))
        self.fields["certificate_number"].help_text = (
            "As printed on the certificate; blank until it is issued.")
        self.fields["issued_on"].help_text = (
            "The date of issue: surveillance audits fall due each year after it.")
        self.fields["valid_until"].help_text = (
            "Blank: three years after issue. Recertification must be done before it.")
        self.fields["status"].help_text = (
            "Preparing until the certificate is issued; then certified, or suspended, "
            "withdrawn or expired as the body decides.")
        self.order_fields([*self.FIELDS, "version"])
        describe_fields(self)

    @classmethod
    def initial_for(cls, cert: Certification) -> dict:
        return {**{f: getattr(cert, f) for f in cls.FIELDS}, "version": cert.version}

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}


class ExternalAuditForm(VersionedForm):
    FIELDS = ("kind", "start_date", "end_date", "lead_auditor", "outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(ExternalAudit, self.FIELDS, ("start_date",
                                                                      "end_date")))
        self.fields["kind"].help_text = (
            "Stage 1 reviews the design and documents, Stage 2 how the system runs; "
            "surveillance audits follow each year and recertification before expiry.")
        self.fields["start_date"].help_text = (
            "The first day on site or online. Readiness is judged as of the next one.")
        self.fields["end_date"].help_text = "The last day; blank for a one-day audit."
        self.fields["lead_auditor"].help_text = "The body's lead auditor, as they sign."
        self.order_fields([*self.FIELDS, "version"])
        describe_fields(self)

    @classmethod
    def initial_for(cls, audit: ExternalAudit) -> dict:
        return {**{f: getattr(audit, f) for f in cls.FIELDS}, "version": audit.version}

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}


class ExternalFindingForm(forms.Form):
    FIELDS = ("grade", "refs", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(ExternalFinding, self.FIELDS, ()))
        self.fields["grade"].help_text = (
            "A major or minor nonconformity raises a nonconformity in the register; an "
            "opportunity for improvement raises an improvement.")
        self.fields["refs"].label = "Clauses or controls"
        self.fields["description"].label = "Finding"
        describe_fields(self)

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}
