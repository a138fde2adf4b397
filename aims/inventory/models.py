"""The AI system inventory (4.1, A.4, A.6)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.justification import justification_problem
from aims.core.models import TenantModel
from aims.core.wording import plural_of


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
    # JSON lists of choices, for the activity log to show by their labels.
    log_choices = {"roles": OrgRole.choices}

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
            errors["roles"] = (f"Unknown {plural_of(len(bad), 'role')} {', '.join(map(str, bad))}; "
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


# ---------------------------------------------------------------------------- lifecycle (8.1, A.6)


class DeploymentApproval(TenantModel):
    """An authorised member's decision that a system may go (or stay) live. Append-only. It
    stands until a later approval replaces it, a significant change is recorded for the
    system, or the system moves out of deployed; the selectors work that out from the record,
    so nothing has to remember to expire it."""

    ai_system = models.ForeignKey(AISystem, on_delete=models.PROTECT,
                                  related_name="deployment_approvals", verbose_name="AI system")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(
        blank=True, verbose_name="Approver's note",
        help_text="What you checked and any conditions on the deployment: a limited rollout, "
                  "monitoring to put in place, a date to look again.")
    system_version = models.PositiveIntegerField(
        help_text="The version of the AI system record the approver read.")
    gate = models.JSONField(
        default=list, blank=True, verbose_name="deployment checks when approved",
        help_text="The state of the other deployment checks at the moment of approval.")

    class Meta:
        ordering = ["-approved_at", "-created_at"]
        verbose_name = "deployment approval"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"Deployment approval of {name} ({self.approved_at:%Y-%m-%d})"

    # The three ends of an approval, annotated by aims.inventory.selectors (None = not yet).
    superseded_at: datetime.datetime | None = None  # a later approval
    significant_change_at: datetime.datetime | None = None  # a significant change after it
    left_deployed_at: datetime.datetime | None = None  # it moved out of deployed after it

    @property
    def ended(self) -> tuple[str, datetime.datetime] | None:
        """(why, when) the approval stopped standing, the earliest reason first; None while
        it stands."""
        ends = [(at, why) for why, at in (
            ("superseded by a later approval", self.superseded_at),
            ("a significant change was recorded", self.significant_change_at),
            ("the system moved out of deployed", self.left_deployed_at)) if at is not None]
        if not ends:
            return None
        at, why = min(ends, key=lambda e: e[0])
        return why, at

    @property
    def is_valid(self) -> bool:
        return self.ended is None

    @property
    def ended_reason(self) -> str:
        return self.ended[0] if self.ended else ""

    @property
    def ended_at(self) -> datetime.datetime | None:
        return self.ended[1] if self.ended else None


class LifecycleRecord(TenantModel):
    """One move of an AI system from one lifecycle stage to another. Append-only: the
    lifecycle history is what happened, with the checks as they stood at the time."""

    ai_system = models.ForeignKey(AISystem, on_delete=models.PROTECT,
                                  related_name="lifecycle_records", verbose_name="AI system")
    from_stage = models.CharField(max_length=20, choices=LifecycleStage.choices, blank=True,
                                  verbose_name="from stage")
    to_stage = models.CharField(max_length=20, choices=LifecycleStage.choices,
                                verbose_name="to stage")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(
        blank=True, help_text="Why the system moves now: the release, the decision or the "
                              "meeting behind it.")
    gate = models.JSONField(
        default=list, blank=True, verbose_name="checks at the time",
        help_text="The deployment checks and their results when the move was made (moves to "
                  "deployed only).")
    approval = models.ForeignKey(DeploymentApproval, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text="The deployment approval the move relied on.")

    class Meta:
        ordering = ["-changed_at", "-created_at"]
        verbose_name = "lifecycle record"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        start = LifecycleStage(self.from_stage).label if self.from_stage else "—"
        return f"{name}: {start} → {LifecycleStage(self.to_stage).label}"


# ---------------------------------------------------------------------------- resources (A.4)


class ResourceKind(models.TextChoices):
    DATA = "data", "Data"
    TOOLING = "tooling", "Tooling"
    COMPUTING = "computing", "System and computing"
    HUMAN = "human", "Human (people and skills)"
    OTHER = "other", "Other"


class Resource(TenantModel):
    """Something AI systems depend on: a data set, a tool, compute, or people and their
    skills. Data resources also say where the data comes from, how good it is and how long it
    is kept."""

    responsible_fields = ("owner",)

    name = models.CharField(max_length=200, help_text="The name people use for the resource.")
    kind = models.CharField(max_length=20, choices=ResourceKind.choices,
                            help_text="Data, tooling, system and computing, or human resources.")
    description = models.TextField(
        blank=True, help_text="What it is and what the AI systems use it for.")
    location = models.CharField(
        max_length=300, blank=True, verbose_name="Location or source",
        help_text="Where it lives or comes from: a data warehouse table, a cloud region, a "
                  "vendor, a team.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for the resource.")
    ai_systems = models.ManyToManyField(AISystem, blank=True, related_name="resources",
                                        verbose_name="AI systems",
                                        help_text="The AI systems that rely on it.")
    # Data resources (A.4.3, A.7): what a reviewer of the data asks first.
    data_categories = models.TextField(
        blank=True, verbose_name="Data categories",
        help_text="Data only: the kinds of data it holds (application data, transactions, "
                  "images…), including any special categories of personal data.")
    data_provenance = models.TextField(
        blank=True, verbose_name="Provenance",
        help_text="Data only, and required for it: where the data comes from, how it was "
                  "collected or bought, and under which terms.")
    quality_notes = models.TextField(
        blank=True, verbose_name="Quality notes",
        help_text="Data only: known gaps, biases, labelling quality, freshness, and how "
                  "quality is checked.")
    retention = models.CharField(
        max_length=300, blank=True,
        help_text="Data only: how long it is kept and what happens to it afterwards.")
    contains_personal_data = models.BooleanField(default=False,
                                                 verbose_name="Contains personal data")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="resource_unique_name_per_org"),
        ]
        ordering = ["name"]
        verbose_name = "resource"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == ResourceKind.DATA and not (self.data_provenance or "").strip():
            raise ValidationError({"data_provenance": (
                "Say where the data comes from: a data resource needs its provenance.")})
