"""The web forms of security findings: filters, the upload, triage and the acceptance."""

from __future__ import annotations

from typing import cast

from django import forms

from aims.core.forms import DatePicker, VersionedForm, describe_fields
from aims.findings.models import FindingSeverity, FindingStatus
from aims.findings.sarif import MAX_BYTES, owasp_reasons
from aims.findings.selectors import UNRESOLVED_FILTER
from aims.records.approval import DecisionForm


class FindingFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Rule, message, file, CWE-79, SF-…"}))
    ai_system = forms.ChoiceField(required=False, label="AI system")
    status = forms.ChoiceField(required=False, choices=[
        ("", "Any status"), (UNRESOLVED_FILTER, "Needs action (open or awaiting approval)"),
        *FindingStatus.choices])
    severity = forms.ChoiceField(required=False, choices=[("", "Any severity"),
                                                          *FindingSeverity.choices])
    tool = forms.ChoiceField(required=False)
    owasp_llm = forms.ChoiceField(required=False, label="OWASP LLM Top 10")

    def __init__(self, *args, systems, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ai_system"].choices = [("", "Any AI system"), *systems]
        self.fields["tool"].choices = [("", "Any tool"), *((t, t) for t in tools)]
        self.fields["owasp_llm"].choices = [("", "Any or none"),
                                            *((r, r) for r in owasp_reasons())]


class ScanUploadForm(forms.Form):
    file = forms.FileField(
        label="SARIF report", widget=forms.ClearableFileInput(attrs={"accept": ".sarif,.json"}),
        help_text=f"The SARIF 2.1.0 file your scanner wrote (code, dependency, container or "
                  f"LLM red-team scanner), at most {MAX_BYTES // 1024 // 1024} MB. Findings it "
                  "reports again are updated, and this tool's findings it no longer reports "
                  "are marked fixed.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_fields(self)


# The statuses triage sets by hand; an acceptance has its own forms.
HAND_CHOICES = [(FindingStatus.OPEN.value, "Open"), (FindingStatus.FIXED.value, "Fixed"),
                (FindingStatus.FALSE_POSITIVE.value, "False positive")]


class TriageForm(VersionedForm):
    status = forms.ChoiceField(choices=HAND_CHOICES,
        help_text="To accept the finding as an exception, use “Ask for acceptance” instead.")
    status_reason = forms.CharField(
        required=False, label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for a false positive: why the scanner is wrong here. For a fix: "
                  "what changed.")
    owner = forms.ChoiceField(required=False, help_text="The member who sees it through.")

    def __init__(self, *args, owner_choices, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Nobody yet"),
                                                                 *owner_choices]
        # A finding awaiting approval or accepted keeps that status when only its owner or
        # reason is saved: the form offers it as it is, first, instead of claiming "Open".
        status = cast(forms.ChoiceField, self.fields["status"])
        if current not in dict(HAND_CHOICES):
            status.choices = [(current, f"{FindingStatus(current).label} — as it is"),
                              *HAND_CHOICES]
        describe_fields(self)


class AcceptRequestForm(VersionedForm):
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the organisation can live with it for now, and what limits the harm "
                  "meanwhile (a compensating control, no exposure to the internet…).")
    expires_on = forms.DateField(
        label="Accepted until", widget=DatePicker,
        help_text="The last day the exception holds, at most a year ahead. The day after, the "
                  "finding is open again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_fields(self)


class AcceptApproveForm(DecisionForm):
    comment = forms.CharField(
        required=False, label="Approval comment", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: conditions that go with the acceptance.")


class AcceptReturnForm(DecisionForm):
    comment = forms.CharField(
        label="Why it is refused", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say what must change: fix it, or a better justification or an earlier "
                  "expiry.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_fields(self)
