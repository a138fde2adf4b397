from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.catalog.selectors import risk_source_choices
from aims.core.forms import DatePicker, VersionedForm, describe_fields
from aims.risks.models import (
    MAX_SCALE,
    MIN_SCALE,
    ActionStatus,
    Risk,
    RiskCategory,
    RiskLevel,
    RiskMethodology,
    RiskStatus,
    TreatmentAction,
    TreatmentOption,
)
from aims.risks.selectors import OPEN, SORTS, RiskFilters

TEXTAREA_ROWS = 3
SORT_LABELS = {
    "ref": "Reference", "-ref": "Reference, newest first",
    "inherent": "Inherent score, lowest first", "-inherent": "Inherent score, highest first",
    "residual": "Residual score, lowest first", "-residual": "Residual score, highest first",
    "review": "Next review, soonest first", "-review": "Next review, latest first",
}
MODEL_FIELDS = ("title", "description", "category", "risk_source", "treatment_option",
                "treatment_rationale", "next_review", "status", "enterprise_ref")
SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                "residual_impact")


def _help(model, name: str) -> str:
    return model._meta.get_field(name).help_text


def _scale_choices(scale: list[dict]) -> list[tuple[str, str]]:
    return [("", "— not rated —")] + [(str(level["value"]), f"{level['value']} · {level['label']}")
                                      for level in scale]


class RiskForm(VersionedForm):
    """A risk, rated on the scales of `methodology` (the current version), or of `rated_under`
    (the risk's own, older version) so that its scores show and save unchanged until someone
    rates it again."""

    def __init__(self, *args, methodology: RiskMethodology, owner_choices, system_choices,
                 control_choices, offer_rescore: bool = False,
                 rated_under: RiskMethodology | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Risk, fields=MODEL_FIELDS)
        for f in fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs["rows"] = TEXTAREA_ROWS
        fields["next_review"].widget = DatePicker()
        fields["title"].label = "Risk"
        fields["risk_source"].label = "Risk source"
        fields["enterprise_ref"].label = "Enterprise risk register reference"
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=_help(Risk, "owner") + " Only members who may edit risks (owners, admins "
                                              "and editors) are offered, as only the owner "
                                              "can sign off the residual risk.")
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="AI systems", help_text=_help(Risk, "ai_systems"))
        fields["controls"] = forms.MultipleChoiceField(
            choices=control_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="Annex A controls", help_text=_help(Risk, "controls"))
        fields["source_tags"] = forms.MultipleChoiceField(
            choices=risk_source_choices(), required=False, widget=forms.CheckboxSelectMultiple,
            label="Risk sources (taxonomy)", help_text=_help(Risk, "source_tags"))
        scales = rated_under or methodology
        for name in SCORE_FIELDS:
            scale = scales.likelihood_scale if name.endswith("likelihood") \
                else scales.impact_scale
            fields[name] = forms.TypedChoiceField(
                choices=_scale_choices(scale), coerce=int, empty_value=None, required=False,
                label=name.replace("_", " ").capitalize(), help_text=_help(Risk, name))
        if offer_rescore:
            fields["rescore"] = forms.BooleanField(
                required=False, label=f"Rate again under methodology v{methodology.number}",
                help_text="Tick when you have checked the scores against the current scales. "
                          "Changing a score does this anyway.")
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, risk: Risk) -> dict:
        initial = {name: getattr(risk, name) for name in (*MODEL_FIELDS, *SCORE_FIELDS)}
        initial["owner"] = str(risk.owner_id or "")
        initial["ai_systems"] = [str(s.pk) for s in risk.ai_systems.all()]
        initial["controls"] = [c.requirement.ref for c in risk.controls.all()]
        initial["source_tags"] = [t.ref for t in risk.source_tags.all()]
        initial["version"] = risk.version
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "rescore")}
        data["owner"] = data.get("owner") or None
        if self.cleaned_data.get("rescore"):
            data["rescore"] = True
        return data


class RiskFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Ref, title, source…"}))
    category = forms.ChoiceField(required=False, label="Category",
                                 choices=[("", "Any category"), *RiskCategory.choices])
    level = forms.ChoiceField(required=False, label="Level now",
                              choices=[("", "Any level"), *RiskLevel.choices])
    status = forms.ChoiceField(required=False, label="Status", choices=[
        ("", "Any status"), (OPEN, "Open (not closed)"), *RiskStatus.choices])
    owner = forms.ChoiceField(required=False, label="Owner")
    ai_system = forms.ChoiceField(required=False, label="AI system")
    control = forms.CharField(required=False, label="Control", max_length=20,
                              widget=forms.TextInput(attrs={"placeholder": "e.g. A.6.2.6",
                                                            "size": 8}))
    source_tag = forms.ChoiceField(required=False, label="Risk source")
    treatment_option = forms.ChoiceField(required=False, label="Treatment",
                                         choices=[("", "Any treatment"), *TreatmentOption.choices])
    overdue_review = forms.BooleanField(required=False, label="Review overdue")
    sort = forms.ChoiceField(required=False, label="Sort by", choices=[
        (k, SORT_LABELS[k]) for k in SORTS])
    # A heat-map cell: kept as hidden fields so other filters can be added to it.
    basis = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                              choices=[("", ""), ("inherent", "inherent"),
                                       ("residual", "residual")])
    likelihood = forms.IntegerField(required=False, min_value=1, max_value=MAX_SCALE,
                                    widget=forms.HiddenInput)
    impact = forms.IntegerField(required=False, min_value=1, max_value=MAX_SCALE,
                                widget=forms.HiddenInput)

    def __init__(self, *args, owner_choices, system_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices]
        self.fields["ai_system"].choices = [("", "Any AI system"), *system_choices]
        self.fields["source_tag"].choices = [("", "Any source"), *risk_source_choices()]

    def filters(self, **defaults) -> RiskFilters:
        if not self.is_valid():
            return RiskFilters(**defaults)
        d = {k: v for k, v in self.cleaned_data.items()}
        d["sort"] = d["sort"] or "ref"
        for key, value in defaults.items():
            if not d.get(key):
                d[key] = value
        return RiskFilters(**d)


class ActionForm(VersionedForm):
    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(TreatmentAction, fields=("title", "due_date", "status",
                                                           "notes"))
        fields["notes"].widget.attrs["rows"] = 2
        fields["due_date"].widget = DatePicker()
        fields["status"].choices = ActionStatus.choices
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=_help(TreatmentAction, "owner"))
        version = self.fields.pop("version")
        order = ("title", "owner", "due_date", "status", "notes")
        self.fields = {**{k: fields[k] for k in order}, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, action: TreatmentAction) -> dict:
        return {"title": action.title, "owner": str(action.owner_id or ""),
                "due_date": action.due_date, "status": action.status, "notes": action.notes,
                "version": action.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class MethodologyForm(forms.Form):
    """A new methodology version: up to seven levels per scale, four bands, the threshold."""

    conflict_version = ("based_on", "number")
    SCALES = (("likelihood", "Likelihood"), ("impact", "Impact"))

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    acceptance_threshold = forms.ChoiceField(
        choices=RiskLevel.choices, label="Acceptance threshold",
        help_text=_help(RiskMethodology, "acceptance_threshold"))
    change_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What changed and why",
        help_text="Recorded with the version, so readers of older risks know what differs.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for scale, title in self.SCALES:
            for n in range(1, MAX_SCALE + 1):
                self.fields[f"{scale}_{n}_label"] = forms.CharField(
                    required=False, max_length=60, label=f"{title} {n}: label")
                self.fields[f"{scale}_{n}_criteria"] = forms.CharField(
                    required=False, max_length=1000, label=f"{title} {n}: criteria",
                    widget=forms.Textarea(attrs={"rows": 2}))
        for level, label in RiskLevel.choices:
            self.fields[f"band_{level}_min"] = forms.IntegerField(
                required=False, min_value=1, max_value=MAX_SCALE * MAX_SCALE,
                label=f"{label}: lowest score")
            self.fields[f"band_{level}_max"] = forms.IntegerField(
                required=False, min_value=1, max_value=MAX_SCALE * MAX_SCALE,
                label=f"{label}: highest score")
        describe_fields(self)

    def scale_rows(self) -> list[dict]:
        """For the template: per scale, its rows of (number, label field, criteria field)."""
        return [{"name": scale, "title": title, "rows": [
            (n, self[f"{scale}_{n}_label"], self[f"{scale}_{n}_criteria"])
            for n in range(1, MAX_SCALE + 1)]} for scale, title in self.SCALES]

    def band_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"band_{level}_min"], self[f"band_{level}_max"])
                for level, label in RiskLevel.choices]

    @classmethod
    def initial_for(cls, current: RiskMethodology | None) -> dict:
        if current is None:
            return {"based_on": 0}
        initial = {"based_on": current.number,
                   "acceptance_threshold": current.acceptance_threshold}
        for scale, _ in cls.SCALES:
            for level in getattr(current, f"{scale}_scale"):
                initial[f"{scale}_{level['value']}_label"] = level["label"]
                initial[f"{scale}_{level['value']}_criteria"] = level["criteria"]
        for band in current.bands:
            initial[f"band_{band['level']}_min"] = band["min"]
            initial[f"band_{band['level']}_max"] = band["max"]
        return initial

    def clean(self):
        d = super().clean()
        for scale, title in self.SCALES:
            filled = [n for n in range(1, MAX_SCALE + 1)
                      if (d.get(f"{scale}_{n}_label") or "").strip()
                      or (d.get(f"{scale}_{n}_criteria") or "").strip()]
            if len(filled) < MIN_SCALE:
                self.add_error(f"{scale}_1_label", f"The {title.lower()} scale needs "
                                                    f"{MIN_SCALE} to {MAX_SCALE} levels.")
                continue
            for n in range(1, max(filled) + 1):
                for part in ("label", "criteria"):
                    if not (d.get(f"{scale}_{n}_{part}") or "").strip():
                        self.add_error(f"{scale}_{n}_{part}", (
                            f"Fill in level {n}: levels run from 1 without gaps, and each "
                            f"needs a label and criteria."))
        for level, label in RiskLevel.choices:
            low, high = d.get(f"band_{level}_min"), d.get(f"band_{level}_max")
            if (low is None) != (high is None):
                self.add_error(f"band_{level}_min" if low is None else f"band_{level}_max",
                               f"Give both ends of the {label.lower()} band, or neither.")
        return d

    def service_data(self) -> dict:
        d = self.cleaned_data
        data: dict = {}
        for scale, _ in self.SCALES:
            data[f"{scale}_scale"] = [
                {"value": n, "label": d[f"{scale}_{n}_label"].strip(),
                 "criteria": d[f"{scale}_{n}_criteria"].strip()}
                for n in range(1, MAX_SCALE + 1) if (d.get(f"{scale}_{n}_label") or "").strip()]
        data["bands"] = [{"level": level, "min": d[f"band_{level}_min"],
                          "max": d[f"band_{level}_max"]}
                         for level in RiskLevel.values if d.get(f"band_{level}_min") is not None]
        data["acceptance_threshold"] = d["acceptance_threshold"]
        data["change_note"] = d["change_note"]
        return data


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file",
                           help_text="UTF-8 CSV; the first row names the columns.")
    text = forms.CharField(required=False, label="…or paste the CSV text",
                           widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}))

    MAX_BYTES = 2 * 1024 * 1024

    def clean(self):
        d = super().clean()
        upload = d.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                self.add_error("file", "The file is larger than 2 MB; split it.")
                return d
            try:
                d["csv"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file is not UTF-8 text; save it as “CSV UTF-8”.")
                return d
        else:
            d["csv"] = d.get("text") or ""
        if not d["csv"].strip():
            raise forms.ValidationError("Choose a CSV file or paste its text.")
        return d
