"""AI risk: the rating methodology (6.1.2), the register and its treatment (6.1.3, 8.2, 8.3)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.justification import justification_problem
from aims.core.models import TenantModel

MIN_SCALE, MAX_SCALE = 3, 7


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


LEVEL_RANK = {level: rank for rank, level in enumerate(RiskLevel.values)}


def level_above(level: str | None, threshold: str) -> bool:
    """True when `level` is more severe than `threshold` (None is never above)."""
    return level is not None and LEVEL_RANK[level] > LEVEL_RANK[threshold]


class RiskMethodology(TenantModel):
    """One version of how the organisation rates AI risk. Append-only: a change is a new number."""

    number = models.PositiveIntegerField(help_text="1 for the first version, then 2, 3…")
    likelihood_scale = models.JSONField(
        default=list, help_text="The likelihood levels, lowest first: value, label and criteria.")
    impact_scale = models.JSONField(
        default=list, help_text="The impact levels, lowest first: value, label and criteria.")
    bands = models.JSONField(
        default=list,
        help_text="Which scores (likelihood × impact) count as low, medium, high and critical.")
    acceptance_threshold = models.CharField(
        max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM,
        help_text="The highest level a risk may be left at without its owner signing off the "
                  "residual risk.")
    change_note = models.TextField(blank=True, help_text="What changed in this version and why.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"],
                                    name="risk_methodology_unique_number_per_org"),
        ]
        ordering = ["-number"]
        verbose_name = "risk methodology"
        verbose_name_plural = "risk methodology versions"

    def __str__(self) -> str:
        return f"Risk methodology v{self.number}"

    # ------------------------------------------------------------------ reading the scales

    @property
    def likelihood_size(self) -> int:
        return len(self.likelihood_scale or [])

    @property
    def impact_size(self) -> int:
        return len(self.impact_scale or [])

    @property
    def max_score(self) -> int:
        return self.likelihood_size * self.impact_size

    def possible_scores(self) -> set[int]:
        return {lk * im for lk in range(1, self.likelihood_size + 1)
                for im in range(1, self.impact_size + 1)}

    def level_for(self, score: int | None) -> str | None:
        """The level band holding `score` (None for an unscored risk)."""
        if score is None:
            return None
        for band in self.bands or []:
            if band["min"] <= score <= band["max"]:
                return band["level"]
        return None

    def likelihood_label(self, value: int | None) -> str:
        return _label(self.likelihood_scale, value)

    def impact_label(self, value: int | None) -> str:
        return _label(self.impact_scale, value)

    def band_rows(self) -> list[dict]:
        """Bands with their level's display name, lowest first."""
        return [{**b, "label": RiskLevel(b["level"]).label}
                for b in sorted(self.bands or [], key=lambda b: b["min"])]

    # ------------------------------------------------------------------ rules

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("likelihood_scale", "impact_scale"):
            if problem := _scale_problem(getattr(self, name)):
                errors[name] = problem
        if not errors and (problem := self._bands_problem()):
            errors["bands"] = problem
        if errors:
            raise ValidationError(errors)

    def _bands_problem(self) -> str | None:
        bands = self.bands
        if not isinstance(bands, list) or not bands:
            return "Give at least one level band."
        seen: set[str] = set()
        for band in bands:
            if not isinstance(band, dict) or set(band) != {"level", "min", "max"}:
                return "Each band needs exactly a level, a lowest score and a highest score."
            if band["level"] not in RiskLevel.values:
                return f"Unknown level {band['level']!r}; use {', '.join(RiskLevel.values)}."
            if band["level"] in seen:
                return f"The {band['level']} level appears twice; give each level one band."
            seen.add(band["level"])
            if not all(isinstance(band[k], int) and not isinstance(band[k], bool)
                       for k in ("min", "max")):
                return "Band scores must be whole numbers."
            if band["min"] > band["max"]:
                return f"The {band['level']} band starts above where it ends."
        ordered = sorted(bands, key=lambda b: b["min"])
        if [b["level"] for b in ordered] != sorted(seen, key=LEVEL_RANK.__getitem__):
            return "Bands must rise with the score: low below medium below high below critical."
        for score in sorted(self.possible_scores()):
            holders = [b["level"] for b in bands if b["min"] <= score <= b["max"]]
            if len(holders) != 1:
                what = "no band" if not holders else f"{len(holders)} bands ({', '.join(holders)})"
                return (f"Every possible score must fall in exactly one band: score {score} "
                        f"is in {what}.")
        return None


def _label(scale, value) -> str:
    for level in scale or []:
        if level.get("value") == value:
            return level.get("label", "")
    return ""


def _scale_problem(scale) -> str | None:
    if not isinstance(scale, list) or not MIN_SCALE <= len(scale) <= MAX_SCALE:
        return f"A scale has {MIN_SCALE} to {MAX_SCALE} levels."
    labels = set()
    for position, level in enumerate(scale, start=1):
        if not isinstance(level, dict) or set(level) != {"value", "label", "criteria"}:
            return "Each level needs exactly a value, a label and criteria."
        if level["value"] != position:
            return f"Levels are numbered 1 to {len(scale)} from the lowest, without gaps."
        label = level["label"].strip() if isinstance(level["label"], str) else ""
        if not label:
            return f"Level {position} needs a label."
        if label.lower() in labels:
            return f"The label “{label}” is used twice."
        labels.add(label.lower())
        if not isinstance(level["criteria"], str) or not level["criteria"].strip():
            return f"Level {position} ({label}) needs criteria saying when it applies."
    return None


class RiskCategory(models.TextChoices):
    BIAS = "bias", "Bias and unfair discrimination"
    DATA_QUALITY = "data_quality", "Data quality and representativeness"
    DRIFT = "drift", "Model drift and degradation"
    TRANSPARENCY = "transparency", "Transparency and explainability"
    ROBUSTNESS = "robustness", "Robustness and reliability"
    SECURITY = "security", "Security (prompt injection, poisoning, model theft, supply chain)"
    PRIVACY = "privacy", "Privacy and personal data"
    SAFETY = "safety", "Safety and harm to people"
    MISUSE = "misuse", "Misuse and unintended use"
    ACCOUNTABILITY = "accountability", "Accountability and human oversight"
    THIRD_PARTY = "third_party", "Third parties and suppliers"
    LEGAL = "legal", "Legal and regulatory"
    ENVIRONMENTAL = "environmental", "Environmental"
    OTHER = "other", "Other"


class TreatmentOption(models.TextChoices):
    ACCEPT = "accept", "Accept"
    MITIGATE = "mitigate", "Mitigate"
    TRANSFER = "transfer", "Transfer or share"
    AVOID = "avoid", "Avoid"


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    ASSESSED = "assessed", "Assessed"
    TREATING = "treating", "Being treated"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


SCORED_STATUSES = {RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.ACCEPTED}


class Risk(TenantModel):
    """One AI risk: how likely and how bad before and after treatment, and who answers for it."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="The risk in one line: what could go wrong.")
    description = models.TextField(
        blank=True, help_text="How it could happen and what would follow: cause, event, consequence.")
    category = models.CharField(max_length=20, choices=RiskCategory.choices,
                                help_text="The kind of AI risk, for grouping and reporting.")
    risk_source = models.TextField(
        blank=True, help_text="Where the risk comes from: data, model, people, supplier, use…")
    source_tags = models.ManyToManyField(
        "catalog.Requirement", blank=True, related_name="+", verbose_name="risk sources (taxonomy)",
        help_text="Risk sources from a taxonomy in the catalog (the OWASP Top 10 for LLM "
                  "applications: LLM01 prompt injection …), for filtering the register.")
    ai_systems = models.ManyToManyField("inventory.AISystem", blank=True, related_name="risks",
                                        verbose_name="AI systems",
                                        help_text="The AI systems this risk concerns.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for the risk and its acceptance.")
    methodology = models.ForeignKey(RiskMethodology, on_delete=models.PROTECT, related_name="+",
                                    help_text="The methodology version the scores were given under.")
    inherent_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How likely the risk is before any treatment.")
    inherent_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How bad it would be before any treatment.")
    treatment_option = models.CharField(
        max_length=10, choices=TreatmentOption.choices, blank=True,
        help_text="What you decided to do about the risk.")
    treatment_rationale = models.TextField(
        blank=True, help_text="Why this treatment was chosen.")
    controls = models.ManyToManyField(
        "compliance.ComplianceItem", blank=True, related_name="risks",
        verbose_name="Annex A controls",
        help_text="The Annex A controls that treat the risk; each becomes applicable in the SoA.")
    residual_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How likely the risk is once the treatment is in place.")
    residual_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How bad it would be once the treatment is in place.")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="residual risk accepted by")
    accepted_at = models.DateTimeField(null=True, blank=True,
                                       verbose_name="residual risk accepted at")
    next_review = models.DateField(null=True, blank=True,
                                   help_text="When the risk is next looked at again.")
    status = models.CharField(max_length=12, choices=RiskStatus.choices,
                              default=RiskStatus.IDENTIFIED)
    enterprise_ref = models.CharField(
        max_length=100, blank=True, verbose_name="enterprise risk register reference",
        help_text="The matching entry in the organisation-wide risk register, if there is one.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="risk_unique_number_per_org"),
            models.UniqueConstraint(fields=["org", "ref"], name="risk_unique_ref_per_org"),
        ]
        ordering = ["number"]
        verbose_name = "AI risk"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    # ------------------------------------------------------------------ scores and levels
    # Computed with the risk's own methodology version, so older risks read as they were rated.

    @property
    def inherent_score(self) -> int | None:
        return risk_score(self.inherent_likelihood, self.inherent_impact)

    @property
    def residual_score(self) -> int | None:
        return risk_score(self.residual_likelihood, self.residual_impact)

    @property
    def inherent_level(self) -> str | None:
        return self.methodology.level_for(self.inherent_score)

    @property
    def residual_level(self) -> str | None:
        return self.methodology.level_for(self.residual_score)

    @property
    def inherent_likelihood_label(self) -> str:
        return self.methodology.likelihood_label(self.inherent_likelihood)

    @property
    def inherent_impact_label(self) -> str:
        return self.methodology.impact_label(self.inherent_impact)

    @property
    def residual_likelihood_label(self) -> str:
        return self.methodology.likelihood_label(self.residual_likelihood)

    @property
    def residual_impact_label(self) -> str:
        return self.methodology.impact_label(self.residual_impact)

    @property
    def current_level(self) -> str | None:
        """The level the risk stands at now: residual once assessed, inherent before."""
        return self.residual_level if self.residual_score is not None else self.inherent_level

    @property
    def acceptance_required(self) -> bool:
        """The owner must sign off the risk left over: it is above the acceptance threshold."""
        return level_above(self.current_level, self.methodology.acceptance_threshold)

    @property
    def awaiting_signoff(self) -> bool:
        """Above the threshold, treatment decided (or residual rated), and not yet signed off."""
        return (self.acceptance_required and self.accepted_at is None
                and self.status != RiskStatus.CLOSED
                and (self.residual_score is not None
                     or self.treatment_option == TreatmentOption.ACCEPT))

    @property
    def review_overdue(self) -> bool:
        return (self.next_review is not None and self.status != RiskStatus.CLOSED
                and self.next_review < timezone.localdate())

    # ------------------------------------------------------------------ rules

    def clean(self) -> None:
        errors: dict[str, str] = {}
        m = self.methodology if self.methodology_id else None
        for stage in ("inherent", "residual"):
            lk, im = getattr(self, f"{stage}_likelihood"), getattr(self, f"{stage}_impact")
            if (lk is None) != (im is None):
                missing = f"{stage}_impact" if im is None else f"{stage}_likelihood"
                errors[missing] = f"Rate both {stage} likelihood and impact, or neither."
                continue
            if m is not None and lk is not None:
                if not 1 <= lk <= m.likelihood_size:
                    errors[f"{stage}_likelihood"] = (
                        f"Must be between 1 and {m.likelihood_size} (methodology v{m.number}).")
                if not 1 <= im <= m.impact_size:
                    errors[f"{stage}_impact"] = (
                        f"Must be between 1 and {m.impact_size} (methodology v{m.number}).")
        if self.residual_likelihood is not None and self.inherent_likelihood is None:
            errors.setdefault("inherent_likelihood",
                              "Rate the inherent risk before the residual risk.")
        if self.status in SCORED_STATUSES and self.inherent_likelihood is None:
            errors.setdefault("inherent_likelihood",
                              f"A risk that is {self.get_status_display().lower()} needs its "
                              "inherent likelihood and impact rated.")
        if self.treatment_option and justification_problem(self.treatment_rationale):
            errors["treatment_rationale"] = ("Say why this treatment was chosen, in a sentence "
                                             "an auditor can check.")
        if self.status == RiskStatus.TREATING and not self.treatment_option:
            errors["treatment_option"] = "A risk being treated needs a treatment option."
        if (not errors and m is not None and self.status == RiskStatus.ACCEPTED
                and self.acceptance_required and self.accepted_at is None):
            errors["status"] = (
                f"The risk stands at {self.current_level}, above the acceptance threshold "
                f"({m.acceptance_threshold}): its owner must sign off the residual risk first.")
        if errors:
            raise ValidationError(errors)


def risk_score(likelihood: int | None, impact: int | None) -> int | None:
    if likelihood is None or impact is None:
        return None
    return likelihood * impact


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class TreatmentAction(TenantModel):
    """One step of a risk's treatment plan, with who does it and by when."""

    responsible_fields = ("owner",)

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200, help_text="What will be done.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who makes sure it gets done.")
    due_date = models.DateField(null=True, blank=True, help_text="When it should be done by.")
    status = models.CharField(max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    notes = models.TextField(blank=True, help_text="Progress, evidence, or where to look.")

    class Meta:
        ordering = ["due_date", "created_at"]
        verbose_name = "treatment action"

    def __str__(self) -> str:
        return f"{self.title} ({self.risk.ref})"

    @property
    def overdue(self) -> bool:
        return (self.status != ActionStatus.DONE and self.due_date is not None
                and self.due_date < timezone.localdate())
