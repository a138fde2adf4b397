"""Frameworks and their requirements: global, read-only data loaded from files in the repo,
and the control sets an organisation brings in from an OSCAL catalog (owned by it, seen only by
it)."""

from __future__ import annotations

from typing import Any

from django.db import models

# The code of every framework an organisation brings in starts with this, so it can never be
# taken for a framework shipped with aims (whose codes the record reads by name).
OWN_PREFIX = "own-"


class Framework(models.Model):
    code = models.SlugField(max_length=40)
    org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="The organisation that brought this framework in from an OSCAL catalog, "
                  "which alone sees it; empty for the frameworks shipped with aims.")
    source_uuid = models.CharField(
        max_length=36, blank=True,
        help_text="The OSCAL catalog's UUID as last imported (with the title, how a newer "
                  "version of the same catalog is recognised).")
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=300, blank=True)
    version = models.CharField(max_length=80)
    publisher = models.CharField(max_length=120, blank=True)
    data_version = models.PositiveIntegerField(default=1)
    attribution = models.TextField(blank=True)
    domains = models.JSONField(default=list, help_text="[{ref, title}] for grouping controls.")
    role = models.CharField(
        max_length=20, default="requirements",
        help_text="requirements: a framework an organisation reports against; risk_sources: a "
                  "taxonomy risks are tagged with.")
    timeline = models.JSONField(
        default=list, help_text="[{key, date, label, basis}]: the dates the framework's "
                                "requirements apply from, named by key (kept as data so an "
                                "amendment is a data change).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=models.Q(org__isnull=True),
                                    name="framework_unique_code"),
            models.UniqueConstraint(fields=["org", "code"], condition=models.Q(org__isnull=False),
                                    name="framework_unique_code_per_org"),
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_own(self) -> bool:
        return self.org_id is not None

    def domain_title(self, ref: str) -> str:
        return next((d["title"] for d in self.domains if d["ref"] == ref), ref)

    @property
    def is_risk_taxonomy(self) -> bool:
        return self.role == "risk_sources"


class Requirement(models.Model):
    class Kind(models.TextChoices):
        CLAUSE = "clause", "Clause"
        OBJECTIVE = "annex_a_objective", "Annex A objective"
        CONTROL = "annex_a_control", "Annex A control"
        ARTICLE = "article", "Article"
        ANNEX = "annex", "Annex"
        FUNCTION = "function", "Function"
        CATEGORY = "category", "Category"
        SUBCATEGORY = "subcategory", "Subcategory"
        RISK_SOURCE = "risk_source", "Risk source"
        GROUP = "group", "Group"  # a group of an organisation's own catalog
        OWN_CONTROL = "control", "Control"  # a control of an organisation's own catalog

    # Its crosswalk rows both ways, as the catalog API gives them: set by the API on the
    # requirements it returns.
    mappings: list[dict[str, Any]]

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
    # EU AI Act articles and annexes: who they bind and from when (keys of the framework's
    # timeline). Empty for the standards.
    addressees = models.JSONField(default=list, blank=True)
    applies_to = models.CharField(max_length=200, blank=True)
    applies_from = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, help_text="Where the data for this item comes from.")
    label = models.CharField(max_length=40, blank=True,
                             help_text="The number printed for it, when the catalog gives one.")
    retired_in = models.CharField(
        max_length=80, blank=True,
        help_text="For an organisation's own catalog: the version that no longer has it. Its "
                  "decision and evidence are kept as a record.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="requirement_unique_ref")
        ]
        ordering = ["framework", "sort_key"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def is_control(self) -> bool:
        return self.kind in (self.Kind.CONTROL, self.Kind.OWN_CONTROL)


class Coverage(models.TextChoices):
    """How much of the target requirement one ISO/IEC 42001 item evidences, strongest first.
    The crosswalks state it in their own words; the loader brings them to these."""

    EQUIVALENT = "equivalent", "Equivalent"  # same clause through the Harmonized Structure
    SUBSTANTIAL = "substantial", "Substantial"
    PARTIAL = "partial", "Partial"
    RELATED = "related", "Related"  # the crosswalk pairs them without saying how far
    WEAK = "weak", "Weak"
    NONE = "none", "No counterpart"


STRONG_COVERAGE = frozenset({Coverage.EQUIVALENT, Coverage.SUBSTANTIAL})


class Mapping(models.Model):
    """One row of a crosswalk between ISO/IEC 42001 and another framework, provenance kept.
    A row saying one side has no counterpart has the other side empty."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="mappings",
                                  help_text="The framework mapped to ISO/IEC 42001.")
    source = models.ForeignKey(Requirement, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="mappings_out",
                               help_text="The ISO/IEC 42001 clause or control.")
    target = models.ForeignKey(Requirement, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="mappings_in",
                               help_text="The requirement of the other framework.")
    relationship = models.CharField(max_length=30, help_text="As the crosswalk states it.")
    coverage = models.CharField(max_length=20, choices=Coverage.choices)
    confidence = models.CharField(max_length=10, blank=True)
    provenance = models.CharField(max_length=300, blank=True,
                                  help_text="Who made the pair, or on what basis.")
    corroborated_by = models.CharField(max_length=300, blank=True)
    ref_as_published = models.CharField(max_length=200, blank=True)
    scf_transitive_support = models.CharField(max_length=5, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(help_text="Row order in the data file.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "position"],
                                    name="mapping_unique_position"),
        ]
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return f"{self.source.ref if self.source else '—'} ↔ {self.target.ref if self.target else '—'}"

    @property
    def is_strong(self) -> bool:
        return self.coverage in STRONG_COVERAGE
