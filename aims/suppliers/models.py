"""Suppliers and customers of AI (A.10): who they are, what they supply, how well we know them,
and who does what between us."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.dates import add_months
from aims.core.models import TenantModel
from aims.core.wording import plural_of
from aims.suppliers.checklist import item_title
from aims.suppliers.kinds import PartyKind

# A review is "due soon" this many days before its next review date.
DUE_SOON_DAYS = 30


class Supplies(models.TextChoices):
    MODEL = "model", "AI model"
    API = "api", "AI service (API)"
    DATASET = "dataset", "Dataset"
    AI_SAAS = "ai_saas", "AI-enabled SaaS"
    LIBRARY = "library", "Software library"
    SERVICE = "service", "Professional service"


class Criticality(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PartyStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    EXITED = "exited", "Exited"


class SupplierRating(models.TextChoices):
    LOW = "low", "Low risk"
    MEDIUM = "medium", "Medium risk"
    HIGH = "high", "High risk"


RATING_HELP = (
    "Our judgement, at the last review, of the risk the relationship brings to our AI systems. "
    "Low: answers are satisfactory and a failure would be easy to absorb. Medium: some "
    "concerns, or answers missing, that are mitigated or accepted for now. High: unresolved "
    "concerns on something our AI systems depend on; record it as a risk and plan what to do.")


class ReviewState(models.TextChoices):
    """Derived from the review dates; never stored."""

    NEVER = "never", "Not yet reviewed"
    OVERDUE = "overdue", "Review overdue"
    DUE_SOON = "due_soon", "Review due soon"
    CURRENT = "current", "Reviewed"
    EXITED = "exited", "No review needed (exited)"


REVIEW_INTERVALS = [(3, "Every 3 months"), (6, "Every 6 months"), (12, "Every year"),
                    (24, "Every 2 years"), (36, "Every 3 years")]


def next_review_from(last: datetime.date | None, months: int) -> datetime.date | None:
    """When the next review is due: the last review plus the interval (None before the first)."""
    return add_months(last, months) if last else None


def review_state(*, status: str, last: datetime.date | None, next_due: datetime.date | None,
                 today: datetime.date | None = None) -> str:
    """Where a party stands on its reviews; one rule for pages, the API and the filters."""
    today = today or timezone.localdate()
    if status == PartyStatus.EXITED:
        return ReviewState.EXITED
    if last is None or next_due is None:
        return ReviewState.NEVER
    if next_due < today:
        return ReviewState.OVERDUE
    if next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return ReviewState.DUE_SOON
    return ReviewState.CURRENT


class Supplier(TenantModel):
    """A third party we get AI from (supplier, partner) or provide AI to (customer)."""

    responsible_fields = ("owner",)
    # JSON lists of choices, for the activity log to show by their labels.
    log_choices = {"supplies": Supplies.choices}

    name = models.CharField(max_length=200, help_text="The organisation's name as on the contract.")
    kind = models.CharField(
        max_length=20, choices=PartyKind.choices, default=PartyKind.SUPPLIER,
        help_text="Supplier: we obtain AI, data or services from them. Customer: they use AI "
                  "we provide. Partner: we build or run AI together.")
    contact = models.TextField(
        blank=True, help_text="Who to contact there: name, role, e-mail or phone, and the "
                              "address for incident notices.")
    website = models.URLField(blank=True, max_length=500)
    supplies = models.JSONField(
        default=list, blank=True, verbose_name="What they supply",
        help_text="What we obtain from them (one or more). Required for suppliers and partners.")
    description = models.TextField(
        blank=True, help_text="What the relationship covers: the product or service, the "
                              "contract, and what we use it for.")
    ai_systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", verbose_name="AI systems",
        help_text="Our AI systems that rely on what they supply, or that they use.")
    criticality = models.CharField(
        max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM,
        help_text="How much our AI systems depend on them. High: a failure or exit would stop "
                  "or materially change an AI system.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for the relationship and its "
                                        "reviews.")
    status = models.CharField(
        max_length=20, choices=PartyStatus.choices, default=PartyStatus.ACTIVE,
        help_text="Under review: due diligence is in progress, e.g. before onboarding. "
                  "Exited: the relationship has ended; it stays in the record.")
    rating = models.CharField(max_length=10, choices=SupplierRating.choices, blank=True,
                              verbose_name="Risk rating", help_text=RATING_HELP)
    review_interval_months = models.PositiveSmallIntegerField(
        choices=REVIEW_INTERVALS, default=12, verbose_name="Review interval",
        help_text="How often the due diligence is repeated. Critical suppliers of high-risk "
                  "AI systems usually every year or more often.")
    last_review_date = models.DateField(
        null=True, blank=True, editable=False, verbose_name="Last review",
        help_text="The date of the latest completed review.")
    next_review_date = models.DateField(
        null=True, blank=True, editable=False, verbose_name="Next review due",
        help_text="The last review plus the review interval.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="supplier_unique_name_per_org"),
        ]
        ordering = ["name"]
        verbose_name = "supplier or customer"
        verbose_name_plural = "suppliers and customers"

    def __str__(self) -> str:
        return self.name

    @property
    def supplies_labels(self) -> list[str]:
        return [Supplies(s).label for s in self.supplies if s in Supplies.values]

    @property
    def review_state(self) -> str:
        return review_state(status=self.status, last=self.last_review_date,
                            next_due=self.next_review_date)

    @property
    def review_state_label(self) -> str:
        return ReviewState(self.review_state).label

    @property
    def overdue(self) -> bool:
        return self.review_state == ReviewState.OVERDUE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        supplies = self.supplies if isinstance(self.supplies, list) else None
        if supplies is None:
            errors["supplies"] = "Send a list of what they supply."
        elif bad := [s for s in supplies if s not in Supplies.values]:
            errors["supplies"] = (f"Unknown {plural_of(len(bad), 'kind')} of supply {', '.join(map(str, bad))}; "
                                  f"choose from {', '.join(Supplies.values)}.")
        elif len(set(supplies)) != len(supplies):
            errors["supplies"] = "List each kind of supply once."
        elif not supplies and self.kind != PartyKind.CUSTOMER:
            errors["supplies"] = ("Say what this supplier or partner supplies: at least one "
                                  "kind (model, API, dataset, AI-enabled SaaS, library, service).")
        if errors:
            raise ValidationError(errors)


class AnswerStatus(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    CONCERN = "concern", "Concern"
    NOT_PROVIDED = "not_provided", "Not provided"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class DueDiligenceAnswer(TenantModel):
    """What we found on one question of the due-diligence checklist (aims.suppliers.checklist)
    for one party. Missing until first answered."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=40, help_text="The checklist question answered.")
    status = models.CharField(
        max_length=20, choices=AnswerStatus.choices,
        help_text="Satisfactory: the answer and its evidence are good enough for our use. "
                  "Concern: something is missing or worrying; say what in the notes. Not "
                  "provided: they could not or would not answer. Not applicable: say why.")
    notes = models.TextField(blank=True, help_text="What we found and what it rests on; the "
                                                   "concern, or why the question does not apply.")
    source = models.CharField(
        max_length=300, blank=True,
        help_text="Where the answer comes from: a document, contract clause, trust-centre page "
                  "or call, with its date. Attach the document itself as evidence.")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "item"],
                                    name="duediligence_one_answer_per_item"),
        ]
        ordering = ["supplier", "item"]
        verbose_name = "due-diligence answer"

    def __str__(self) -> str:
        return f"{self.supplier.name}: {item_title(self.item)}"

    def clean(self) -> None:
        notes = (self.notes or "").strip()
        if self.status == AnswerStatus.CONCERN and not notes:
            raise ValidationError({"notes": "Say what the concern is, so the next reviewer and "
                                            "the owner can act on it."})
        if self.status == AnswerStatus.NOT_APPLICABLE and not notes:
            raise ValidationError({"notes": "Say why the question does not apply to this party."})


class SupplierReview(TenantModel):
    """One completed due-diligence review, with the answers as they stood. A record: never
    edited; the next review adds a new one."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(verbose_name="Review date",
                                   help_text="When the review was completed.")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    rating = models.CharField(max_length=10, choices=SupplierRating.choices,
                              verbose_name="Risk rating", help_text=RATING_HELP)
    summary = models.TextField(
        help_text="The conclusion in a few sentences: what changed since the last review, the "
                  "concerns that remain and what is being done about them.")
    answers = models.JSONField(default=list, help_text="The checklist answers at the review.")
    next_review_date = models.DateField(null=True, blank=True, verbose_name="Next review due",
                                        help_text="The next review date this review set.")

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        verbose_name = "supplier review"

    def __str__(self) -> str:
        return f"{self.supplier.name}: review of {self.reviewed_on.isoformat()}"

    @property
    def concerns(self) -> list[dict]:
        return [a for a in self.answers if a.get("status") == AnswerStatus.CONCERN]

    @property
    def not_provided(self) -> list[dict]:
        return [a for a in self.answers if a.get("status") == AnswerStatus.NOT_PROVIDED]

    def clean(self) -> None:
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            raise ValidationError({"reviewed_on": "A review cannot be dated in the future."})


class Topic(models.TextChoices):
    MONITORING = "monitoring", "Monitoring performance and drift"
    INCIDENTS = "incidents", "Incident handling"
    DATA_QUALITY = "data_quality", "Data quality"
    HUMAN_OVERSIGHT = "human_oversight", "Human oversight"
    MODEL_UPDATES = "model_updates", "Model updates and retraining"
    TRANSPARENCY = "transparency", "Informing affected people"
    SECURITY = "security", "Security"
    SUPPORT = "support", "User support"
    OTHER = "other", "Other"


class Responsible(models.TextChoices):
    US = "us", "Us"
    SUPPLIER = "supplier", "Supplier"
    CUSTOMER = "customer", "Customer"
    SHARED = "shared", "Shared"


class ResponsibilityAllocation(TenantModel):
    """Who does one activity across the relationship: us, them, or both (A.10.2)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE,
                                 related_name="responsibilities")
    topic = models.CharField(max_length=20, choices=Topic.choices,
                             help_text="The area of work being allocated.")
    activity = models.CharField(
        max_length=200, blank=True,
        help_text="The activity in a line, e.g. “Monthly drift report on the scorecard”. "
                  "Required for Other.")
    responsible = models.CharField(
        max_length=10, choices=Responsible.choices, verbose_name="Who is responsible",
        help_text="Us, the supplier or the customer (whichever this party is), or shared: "
                  "then say in the note who does which part.")
    note = models.TextField(blank=True, help_text="How it works in practice, and where it is "
                                                  "agreed (contract clause, SLA, runbook).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "topic", "activity"],
                                    name="responsibility_unique_per_party"),
        ]
        ordering = ["topic", "activity"]
        verbose_name = "responsibility"
        verbose_name_plural = "responsibilities"

    def __str__(self) -> str:
        what = self.activity or self.get_topic_display()
        return f"{self.supplier.name}: {what}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.topic == Topic.OTHER and not (self.activity or "").strip():
            errors["activity"] = "Name the activity when the topic is Other."
        if self.responsible == Responsible.SHARED and not (self.note or "").strip():
            errors["note"] = "Say who does which part when the responsibility is shared."
        if errors:
            raise ValidationError(errors)
