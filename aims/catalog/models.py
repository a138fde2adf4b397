"""Frameworks and their requirements: global, read-only data loaded from files in the repo."""

from __future__ import annotations

from django.db import models


class Framework(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=300, blank=True)
    version = models.CharField(max_length=40)
    publisher = models.CharField(max_length=120, blank=True)
    data_version = models.PositiveIntegerField(default=1)
    attribution = models.TextField(blank=True)
    domains = models.JSONField(default=list, help_text="[{ref, title}] for grouping controls.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def domain_title(self, ref: str) -> str:
        return next((d["title"] for d in self.domains if d["ref"] == ref), ref)


class Requirement(models.Model):
    class Kind(models.TextChoices):
        CLAUSE = "clause", "Clause"
        OBJECTIVE = "annex_a_objective", "Annex A objective"
        CONTROL = "annex_a_control", "Annex A control"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    ref = models.CharField(max_length=40)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    title = models.CharField(max_length=300)
    domain = models.CharField(max_length=20, blank=True,
                              help_text="Annex A domain (A.2 … A.10) or top clause (4 … 10).")
    documented_information = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    auditor_asks = models.JSONField(default=list)
    questions = models.JSONField(default=list)
    sort_key = models.CharField(max_length=80, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="requirement_unique_ref")
        ]
        ordering = ["framework", "sort_key"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def is_control(self) -> bool:
        return self.kind == self.Kind.CONTROL
