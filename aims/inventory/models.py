"""The AI system inventory (4.1, A.4, A.6)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.core.justification import justification_problem
from aims.core.models import TenantModel


class LifecycleStage(models.TextChoices):
    CONCEPT = "concept", "Concept"
    DESIGN = "design", "Design"
    DEVELOPMENT = "development", "Development"
    VERIFICATION = "verification", "Verification & validation"
    DEPLOYED = "deployed", "Deployed"
    RETIRED = "retired", "Retired"


class OrgRole(models.TextChoices):
    PROVIDER = "provider", "Provider"
    DEVELOPER = "developer", "Developer"
    DEPLOYER = "deployer", "Deployer"
    USER = "user", "User"
    DATA_PROVIDER = "data_provider", "Data provider"
    INTEGRATOR = "integrator", "Integrator"
    PARTNER = "partner", "Partner"


class EuRiskClass(models.TextChoices):
    UNASSESSED = "unassessed", "Not yet assessed"
    PROHIBITED = "prohibited", "Prohibited practice"
    HIGH = "high", "High risk"
    LIMITED = "limited", "Limited risk (transparency)"
    MINIMAL = "minimal", "Minimal risk"


class SystemStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    RETIRED = "retired", "Retired"


class AISystem(TenantModel):
    responsible_fields = ("owner",)

    name = models.CharField(max_length=200, help_text="The name people use for the system.")
    intended_purpose = models.TextField(
        help_text="What the system is for and the decisions or outputs it produces.")
    description = models.TextField(blank=True, help_text="How it works, in a few sentences.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for the system.")
    business_unit = models.CharField(max_length=200, blank=True,
                                     help_text="The part of the organisation that runs it.")
    lifecycle_stage = models.CharField(max_length=20, choices=LifecycleStage.choices,
                                       default=LifecycleStage.CONCEPT)
    roles = models.JSONField(
        default=list,
        help_text="Your organisation's roles toward the system (one or more).")
    in_scope = models.BooleanField(default=True, help_text="Whether the AIMS covers this system.")
    scope_justification = models.TextField(
        blank=True, help_text="Required when the system is outside the AIMS scope: say why.")
    deployment_context = models.TextField(
        blank=True, help_text="Where and how it runs: channel, geography, users, integration.")
    affected_parties = models.TextField(
        blank=True, help_text="Who its outputs affect: customers, applicants, staff, the public…")
    data_categories = models.TextField(blank=True,
                                       help_text="Kinds of data it is trained on or processes.")
    processes_personal_data = models.BooleanField(default=False)
    human_oversight = models.TextField(
        blank=True, help_text="How people monitor, override or stop its outputs.")
    third_party_components = models.TextField(
        blank=True, help_text="Models, APIs, datasets or services supplied by others.")
    eu_risk_class = models.CharField(max_length=20, choices=EuRiskClass.choices,
                                     default=EuRiskClass.UNASSESSED,
                                     verbose_name="EU AI Act risk class")
    status = models.CharField(max_length=20, choices=SystemStatus.choices,
                              default=SystemStatus.ACTIVE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="aisystem_unique_name_per_org"),
        ]
        ordering = ["name"]
        verbose_name = "AI system"

    def __str__(self) -> str:
        return self.name

    @property
    def role_labels(self) -> list[str]:
        return [OrgRole(r).label for r in self.roles if r in OrgRole.values]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        roles = self.roles if isinstance(self.roles, list) else None
        if not roles:
            errors["roles"] = "Choose at least one role your organisation has toward the system."
        elif bad := [r for r in roles if r not in OrgRole.values]:
            errors["roles"] = (f"Unknown role(s) {', '.join(map(str, bad))}; "
                               f"choose from {', '.join(OrgRole.values)}.")
        elif len(set(roles)) != len(roles):
            errors["roles"] = "List each role once."
        if not self.in_scope and (problem := justification_problem(self.scope_justification)):
            errors["scope_justification"] = f"A system outside the AIMS scope needs a reason. {problem}"
        if (self.status == SystemStatus.RETIRED) != (self.lifecycle_stage == LifecycleStage.RETIRED):
            errors["status"] = "A system is retired exactly when its lifecycle stage is retired."
        if errors:
            raise ValidationError(errors)


class SystemChange(TenantModel):
    """One entry of an AI system's change log. Append-only: a wrong entry is corrected by a
    later one, so the log shows what people knew when."""

    ai_system = models.ForeignKey(AISystem, on_delete=models.PROTECT, related_name="changes",
                                  verbose_name="AI system")
    description = models.TextField(
        verbose_name="What changed",
        help_text="The change in a sentence or two: a retrained or replaced model, new training "
                  "data, a new purpose or user group, a new market, a changed level of human "
                  "oversight, a new supplier…")
    significant = models.BooleanField(
        default=False, verbose_name="Significant change",
        help_text="Tick when the change could alter who is affected or how: it marks the "
                  "system's current impact assessment as needing re-assessment.")
    changed_on = models.DateField(verbose_name="Date of the change",
                                  help_text="When the change took effect.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-changed_on", "-created_at"]
        verbose_name = "AI system change"

    def __str__(self) -> str:
        first = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return f"{self.ai_system.name}: {first[:80]}" if self.ai_system_id else first[:80]
