"""Classifications of AI systems under the EU AI Act: one numbered, append-only version per
save, each with the answers, the class and the trace the classifier gave."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aims.core.models import TenantModel


class AiActClass(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", "Outside the AI Act"
    PROHIBITED = "prohibited", "Prohibited practice"
    HIGH = "high", "High risk"
    LIMITED = "limited", "Limited risk (transparency)"
    MINIMAL = "minimal", "Minimal risk"


class ClassificationVersion(TenantModel):
    """One saved classification of an AI system. Append-only: a new save is a new version, so
    the record shows what was answered, by whom and when."""

    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.PROTECT,
                                  related_name="+", verbose_name="AI system")
    number = models.PositiveIntegerField(help_text="1 for the first classification, then up.")
    answers = models.JSONField(default=dict, help_text="{question id: answer}.")
    result_class = models.CharField(max_length=20, choices=AiActClass.choices,
                                    verbose_name="class")
    trace = models.JSONField(
        default=list, help_text="[{step, question_id, question, answer, article, outcome}]: "
                                "the legal path the classifier walked.")
    facts = models.JSONField(default=dict, help_text="What the obligations are derived from.")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ai_system", "number"],
                                    name="classification_unique_number"),
        ]
        ordering = ["-number"]
        verbose_name = "EU AI Act classification"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"EU AI Act classification of {name}, version {self.number}"
