"""Security findings on AI systems, as scanners report them (SARIF 2.1.0), and their triage.

A finding is one result of one scanner's rule at one place, recognised across scans by its
fingerprint: a later scan of the same system by the same tool that no longer reports it marks
it fixed. Triage moves it between open, accepted (an exception with a justification, a second
person's approval and an expiry, after which it is open again), fixed and false positive.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aims.core.models import TenantModel


class FindingSeverity(models.TextChoices):
    """Most severe first; the order is the `rank` below."""

    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    INFO = "info", "Informational"


SEVERITY_RANK = {s: n for n, s in enumerate(FindingSeverity.values)}


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTANCE_REQUESTED = "acceptance_requested", "Acceptance awaiting approval"
    ACCEPTED = "accepted", "Accepted (exception)"
    FIXED = "fixed", "Fixed"
    FALSE_POSITIVE = "false_positive", "False positive"


# Findings that still ask for something to be done (or decided).
UNRESOLVED = (FindingStatus.OPEN, FindingStatus.ACCEPTANCE_REQUESTED)


class Scan(TenantModel):
    """One scanner report brought in for an AI system: what it held and what it changed."""

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE,
                                  related_name="+", verbose_name="AI system")
    tools = models.CharField(max_length=300, help_text="The tools (and versions) that ran.")
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the report as received.")
    results = models.PositiveIntegerField(default=0, help_text="Results in the report.")
    new = models.PositiveIntegerField(default=0, help_text="Findings seen for the first time.")
    reopened = models.PositiveIntegerField(default=0,
                                           help_text="Fixed findings that came back.")
    fixed = models.PositiveIntegerField(default=0,
                                        help_text="Findings this report no longer holds.")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="scan_unique_number_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.tools}"


class Finding(TenantModel):
    """One security finding on one AI system."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE,
                                  related_name="+", verbose_name="AI system")
    tool_name = models.CharField(max_length=120, verbose_name="tool")
    tool_version = models.CharField(max_length=80, blank=True)
    rule_id = models.CharField(max_length=255, verbose_name="rule")
    rule_name = models.CharField(max_length=255, blank=True)
    message = models.TextField(help_text="What the scanner said about it.")
    severity = models.CharField(max_length=10, choices=FindingSeverity.choices)
    level = models.CharField(max_length=10, blank=True, verbose_name="SARIF level")
    security_severity = models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True,
        help_text="The 0–10 score the tool gave (its security-severity), if any.")
    cvss_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True,
                                     verbose_name="CVSS score")
    cvss_vector = models.CharField(max_length=200, blank=True, verbose_name="CVSS vector")
    cwes = models.JSONField(default=list, blank=True, verbose_name="CWE",
                            help_text="The weaknesses (CWE ids) the rule names.")
    owasp_llm = models.CharField(max_length=5, blank=True, verbose_name="OWASP LLM Top 10",
                                 help_text="The OWASP Top 10 for LLM applications entry the "
                                           "rule falls under (LLM01 …), when it maps.")
    location = models.CharField(max_length=1000, blank=True,
                                help_text="Where: a file and line, a URL or an endpoint.")
    start_line = models.PositiveIntegerField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, help_text="How later scans recognise it.")
    status = models.CharField(max_length=20, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    status_reason = models.TextField(
        blank=True, verbose_name="reason",
        help_text="Why it is a false positive, or what fixed it.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="Who sees it through.")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    last_scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    fixed_at = models.DateTimeField(null=True, blank=True)
    # The exception (accepted): asked by one person, approved by another, until a day.
    justification = models.TextField(
        blank=True, help_text="Why the organisation lives with it for now, and what "
                              "limits the harm meanwhile.")
    expires_on = models.DateField(null=True, blank=True, verbose_name="acceptance expires on",
                                  help_text="The last day the exception holds; the day "
                                            "after, the finding is open again.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="acceptance requested by")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="acceptance approved by")
    approved_on = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    # What was raised from it.
    risk = models.ForeignKey("risks.Risk", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="The risk raised from it.")
    nonconformity = models.ForeignKey(
        "improvement.Nonconformity", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="The nonconformity raised from it.")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"],
                                    name="finding_unique_number_per_org"),
            models.UniqueConstraint(fields=["ai_system", "tool_name", "fingerprint"],
                                    name="finding_unique_fingerprint_per_system_tool"),
        ]
        indexes = [models.Index(fields=["org", "ai_system", "status"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.rule_id}"

    @property
    def title(self) -> str:
        """The finding in one line, as records raised from it are named."""
        first = (self.message or "").strip().splitlines()[0] if self.message.strip() else ""
        text = f"{self.rule_name or self.rule_id}: {first}" if first else self.rule_id
        return text if len(text) <= 180 else text[:179] + "…"

    @property
    def description(self) -> str:
        parts = [f"Security finding {self.ref} reported by {self.tool_name}"
                 f"{' ' + self.tool_version if self.tool_version else ''} (rule {self.rule_id}, "
                 f"severity {self.get_severity_display().lower()}).", self.message]
        if self.location:
            parts.append(f"Location: {self.location}"
                         + (f", line {self.start_line}" if self.start_line else ""))
        if self.cwes:
            parts.append("Weaknesses: " + ", ".join(self.cwes))
        return "\n".join(parts)

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, len(SEVERITY_RANK))

    def barred_approver_ids(self) -> set:
        """Who may not approve the acceptance: whoever asked for it."""
        return {self.submitted_by_id} - {None}
