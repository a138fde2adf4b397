from django import forms

from aims.activity.models import Event
from aims.activity.selectors import object_type_label
from aims.core.forms import DatePicker, choice_field


class EventFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Object or person"}))
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *Event.Action.choices])
    object_type = forms.ChoiceField(required=False, label="Record type")
    object_id = forms.CharField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(required=False, label="From",
                            widget=DatePicker())
    until = forms.DateField(required=False, label="To",
                            widget=DatePicker())

    def __init__(self, *args, object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "object_type").choices = [("", "Any record")] + [
            (t, object_type_label(t)) for t in object_types]
