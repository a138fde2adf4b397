from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, PickerCheckboxes, VersionedForm, describe_fields
from aims.people.models import (
    AimsRole,
    CompetenceRequirement,
    ConcernChannel,
    RoleAssignment,
    TrainingRecord,
    TrainingStatus,
)

ROWS = 3


def _rows(fields, rows: int = ROWS) -> None:
    for f in fields.values():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = rows


def _ordered(form: VersionedForm, fields: dict, order: list[str]) -> None:
    version = form.fields.pop("version")
    form.fields = {name: fields[name] for name in order} | {"version": version}
    describe_fields(form)


def _member_field(choices, help_text: str, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "— choose a member —"), *choices], label=label,
                             help_text=help_text)


class AimsRoleForm(VersionedForm):
    def __init__(self, *args, requirement_choices, system_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(AimsRole, fields=("name", "responsibilities", "authorities",
                                                    "areas"))
        _rows(fields)
        fields["responsibilities"].widget.attrs["rows"] = 5
        fields["requirements"] = forms.MultipleChoiceField(
            choices=requirement_choices, required=False,
            widget=PickerCheckboxes, label="Clauses and controls covered",
            help_text=AimsRole._meta.get_field("requirements").help_text
            + " Tick each one; type to filter the list.")
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=PickerCheckboxes,
            label="AI systems covered",
            help_text=AimsRole._meta.get_field("ai_systems").help_text)
        _ordered(self, fields, ["name", "responsibilities", "authorities", "areas",
                                "requirements", "ai_systems"])

    @staticmethod
    def initial_for(role: AimsRole | None) -> dict:
        if role is None:
            return {}
        return {"name": role.name, "responsibilities": role.responsibilities,
                "authorities": role.authorities, "areas": role.areas,
                "requirements": [r.ref for r in role.requirements.all()],
                "ai_systems": [str(s.pk) for s in role.ai_systems.all()],
                "version": role.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AssignmentForm(VersionedForm):
    def __init__(self, *args, member_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(RoleAssignment, fields=("since", "until", "note"))
        fields["since"].widget = DatePicker()
        fields["until"].widget = DatePicker()
        fields["member"] = _member_field(
            member_choices, RoleAssignment._meta.get_field("member").help_text, "Holder")
        _ordered(self, fields, ["member", "since", "until", "note"])

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CompetenceForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(CompetenceRequirement,
                                  fields=("title", "description", "ai_specific",
                                          "demonstrated_by"))
        _rows(fields, 2)
        _ordered(self, fields, ["title", "ai_specific", "demonstrated_by", "description"])

    @staticmethod
    def initial_for(req: CompetenceRequirement) -> dict:
        return {"title": req.title, "description": req.description,
                "ai_specific": req.ai_specific, "demonstrated_by": req.demonstrated_by,
                "version": req.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ConcernChannelForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(ConcernChannel, fields=(
            "channels", "recipients", "confidentiality", "response_times", "notes"))
        _rows(fields, 4)
        _ordered(self, fields, ["channels", "recipients", "confidentiality", "response_times",
                                "notes"])

    @staticmethod
    def initial_for(channel: ConcernChannel | None) -> dict:
        if channel is None:
            return {"version": 0}
        return {k: getattr(channel, k) for k in (
            "channels", "recipients", "confidentiality", "response_times", "notes", "version")}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TrainingForm(VersionedForm):
    file = forms.FileField(
        required=False, label="Certificate or proof",
        help_text="Optional: a certificate, an attendance list or an assessment result. It is "
                  "stored as evidence linked to this record.")

    def __init__(self, *args, member_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(TrainingRecord, fields=(
            "topic", "ai_specific", "completed_on", "expires_on", "provider", "notes"))
        _rows(fields)
        fields["completed_on"].widget = DatePicker()
        fields["expires_on"].widget = DatePicker()
        fields["member"] = _member_field(
            member_choices, TrainingRecord._meta.get_field("member").help_text, "Person")
        fields["file"] = self.fields.pop("file")
        _ordered(self, fields, ["member", "topic", "ai_specific", "completed_on", "expires_on",
                                "provider", "notes", "file"])

    @staticmethod
    def initial_for(record: TrainingRecord) -> dict:
        return {"member": str(record.member_id or ""), "topic": record.topic,
                "ai_specific": record.ai_specific, "completed_on": record.completed_on,
                "expires_on": record.expires_on, "provider": record.provider,
                "notes": record.notes, "version": record.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "file")}


class TrainingFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Topic, provider…"}))
    member = forms.ChoiceField(required=False, label="Person")
    ai_specific = forms.ChoiceField(required=False, label="AI-specific",
                                    choices=[("", "AI-specific or not"), ("yes", "AI-specific"),
                                             ("no", "General")])
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *TrainingStatus.choices])

    def __init__(self, *args, member_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Anybody"), *member_choices]


class RoleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name, duty, area…"}))
    member = forms.ChoiceField(required=False, label="Held by")
    ai_system = forms.ChoiceField(required=False, label="Covers AI system")

    def __init__(self, *args, member_choices, system_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Anybody"), *member_choices]
        self.fields["ai_system"].choices = [("", "Any system"), *system_choices]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name or e-mail…"}))
