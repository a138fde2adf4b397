from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from aims.core.forms import DatePicker, describe_fields


class PackForm(forms.Form):
    start = forms.DateField(
        label="From", widget=DatePicker(),
        help_text="First day of the period the auditor looks at (often the day after the last "
                  "audit). Evidence, documents, audits and reviews are chosen by this period.")
    end = forms.DateField(
        label="To", widget=DatePicker(),
        help_text="Last day of the period, usually today or the day the audit starts.")

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"start": today - datetime.timedelta(days=364),
                                      "end": today})
        super().__init__(*args, **kwargs)
        describe_fields(self)
