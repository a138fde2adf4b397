from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, VersionedForm, describe_fields
from aims.reviews.models import Decision, ManagementReview, ReviewStatus

FIELDS = ("title", "meeting_date", "period_start", "location", "other_attendees", "conclusions")
ORDER = ("title", "meeting_date", "period_start", "location", "chair", "attendees",
         "other_attendees", "conclusions")


class ReviewForm(VersionedForm):
    def __init__(self, *args, member_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(ManagementReview, fields=FIELDS, widgets={
            "meeting_date": DatePicker(), "period_start": DatePicker()})
        fields["other_attendees"].widget.attrs["rows"] = 2
        fields["conclusions"].widget.attrs["rows"] = 4
        fields["chair"] = forms.ChoiceField(
            choices=[("", "— not chosen yet —"), *member_choices], required=False,
            help_text=ManagementReview._meta.get_field("chair").help_text)
        fields["attendees"] = forms.MultipleChoiceField(
            choices=member_choices, required=False, widget=forms.CheckboxSelectMultiple,
            help_text=ManagementReview._meta.get_field("attendees").help_text)
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in ORDER} | {"version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, review: ManagementReview) -> dict:
        initial = {name: getattr(review, name) for name in (*FIELDS, "version")}
        initial["chair"] = str(review.chair_id or "")
        initial["attendees"] = [str(u.pk) for u in review.attendees.all()]
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["chair"] = data.get("chair") or None
        return data


class MinutesForm(VersionedForm):
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="What was discussed and concluded on this item.")


class DecisionForm(forms.Form):
    def __init__(self, *args, member_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Decision, fields=("kind", "text"))
        fields["text"].widget.attrs["rows"] = 2
        fields["action"] = forms.CharField(
            required=False, max_length=200, label="Action",
            help_text="If the decision needs doing: the action in a few words. It becomes a "
                      "task with the owner and due date below.")
        fields["owner"] = forms.ChoiceField(choices=[("", "—"), *member_choices],
                                            required=False, label="Action owner")
        fields["due_date"] = forms.DateField(required=False, widget=DatePicker(),
                                             label="Action due")
        self.fields = fields
        describe_fields(self)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = data.get("owner") or None
        return data


class ReviewFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Title, MR-…, conclusions"}))
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *ReviewStatus.choices])
    year = forms.IntegerField(required=False, label="Year", min_value=1900, max_value=9999,
                              widget=forms.NumberInput(attrs={"placeholder": "e.g. 2026"}))


