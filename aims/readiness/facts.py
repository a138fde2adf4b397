"""The organisation as the readiness rules see it: each part read once per evaluation, through
its domain's selectors, in a fixed number of queries whatever the size of the record.

Parts load when a rule first asks for them (`cached_property`), so a test of one rule reads
only what that rule needs. Dates are judged as of `as_of` (today, or the day of an external
audit): what will have lapsed by then counts as lapsed.
"""

from __future__ import annotations

import datetime
import uuid
from functools import cached_property
from typing import Any

from django.urls import reverse

from aims.audits.selectors import (
    Coverage as AuditCoverage,
)
from aims.audits.selectors import (
    audits_reported,
    programme_coverage,
    programme_in_force,
    programme_list,
)
from aims.catalog.selectors import documented_information, requirement_tree
from aims.compliance.selectors import ItemFacts, item_facts
from aims.context.selectors import ContextFacts, context_facts, scope_current
from aims.core.counts import counts_together
from aims.documents.selectors import DocumentFacts, document_facts
from aims.evidence.selectors import Coverage, evidence_coverage
from aims.impact.selectors import AssessmentFacts, standing_assessments
from aims.improvement.selectors import (
    LateReport,
    NcFacts,
    late_reports,
    nonconformity_facts,
    nonconformity_list,
    raised_from_kind,
)
from aims.inventory.selectors import (
    SystemFacts,
    lifecycle_records,
    resource_counts,
    standing_deployment_approvals,
    system_facts,
)
from aims.objectives.selectors import (
    BreachFacts,
    MonitorFacts,
    breaches,
    measurements_until,
    monitor_facts,
    monitor_results_between,
    objective_list,
)
from aims.orgs.context import Ctx
from aims.people.selectors import (
    CompetenceFacts,
    RoleFacts,
    competence_facts,
    concern_channel_get,
    role_facts,
    training_record_list,
)
from aims.reviews.inputs import end_of
from aims.reviews.selectors import agenda_keys, latest_held
from aims.risks.selectors import (
    ActionFacts,
    RegisterFacts,
    methodology_current,
    overdue_actions,
    register_facts,
)
from aims.suppliers.selectors import SupplierFacts, ai_supplier_facts, engaged_suppliers

YEAR = datetime.timedelta(days=365)
# Findings listed one by one per rule; the rest are summed up in one.
MAX_PER_RULE = 25


def _stand_in(position: int, arg: Any) -> Any:
    """A value of the same kind as `arg` that no real argument spells like."""
    if isinstance(arg, uuid.UUID):
        return uuid.UUID(int=0x5EED_0000 + position)
    if isinstance(arg, int):
        return 7_919_000 + position
    return f"stand-in-{position}"
BREACH_WINDOW = datetime.timedelta(days=90)


class Facts:
    def __init__(self, *, ctx: Ctx, as_of: datetime.date) -> None:
        self.ctx = ctx
        self.as_of = as_of

    def url(self, name: str, *args: Any, query: str = "") -> str:
        """A page of the organisation, by URL name, for a finding's fix. Reversing a URL is
        slow and a rule may name thousands of records: each name is reversed once with
        stand-in arguments, and each record's own values put in their places."""
        stand_ins = tuple(_stand_in(i, a) for i, a in enumerate(args))
        key = (name, tuple(type(a) for a in stand_ins))
        if key not in self._url_patterns:
            self._url_patterns[key] = reverse(name, args=[self.ctx.org.slug, *stand_ins])
        url = self._url_patterns[key]
        for stand_in, arg in zip(stand_ins, args, strict=True):
            url = url.replace(str(stand_in), str(arg), 1)
        return url + (f"?{query}" if query else "")

    @cached_property
    def _url_patterns(self) -> dict[tuple, str]:
        return {}

    @cached_property
    def end(self) -> datetime.datetime:
        """The first instant after the day: what exists "on the day" was created before it."""
        return end_of(self.as_of)

    # ------------------------------------------------------------------ the catalog

    @cached_property
    def requirements(self) -> list[tuple[str, str | None, str, str, str]]:
        """(ref, parent ref, kind, title, domain) of every ISO/IEC 42001 requirement."""
        return requirement_tree()

    @cached_property
    def documented_information(self) -> dict[str, str]:
        """{ref: maintain | retain} of the requirements that ask for documented information."""
        return documented_information()

    # ------------------------------------------------------------------ inventory and context

    @cached_property
    def scope(self) -> Any:
        """The scope statement in force (the latest version), or None."""
        return scope_current(ctx=self.ctx)

    @cached_property
    def systems(self) -> list[SystemFacts]:
        """AI systems that are not retired."""
        return system_facts(ctx=self.ctx)

    @cached_property
    def in_scope_systems(self) -> list[SystemFacts]:
        return [s for s in self.systems if s.in_scope]

    @cached_property
    def context(self) -> ContextFacts:
        """Interested parties and the register of issues."""
        return context_facts(ctx=self.ctx)

    # ------------------------------------------------------------------ leadership

    @cached_property
    def roles(self) -> list[RoleFacts]:
        """AIMS roles with how many members hold each on the day."""
        return role_facts(ctx=self.ctx, on=self.as_of)

    @cached_property
    def concern_channel(self) -> Any:
        return concern_channel_get(ctx=self.ctx)

    # ------------------------------------------------------------------ planning

    @cached_property
    def has_methodology(self) -> bool:
        return methodology_current(ctx=self.ctx) is not None

    @cached_property
    def risks(self) -> RegisterFacts:
        """The risks that are not closed: counts, each check's offenders (the first
        MAX_PER_RULE listed), the links to the Annex A controls the SoA does not apply (not
        decided, or excluded; a risk links to controls only) and each AI system's risks."""
        unapplied = [i.ref for i in self.controls if i.applicable is not True]
        return register_facts(ctx=self.ctx, on=self.as_of, controls_among=unapplied,
                              first=MAX_PER_RULE)

    @cached_property
    def assessments(self) -> dict[Any, AssessmentFacts]:
        """{AI system id: its standing impact assessment}."""
        return standing_assessments(ctx=self.ctx)

    @cached_property
    def items(self) -> list[ItemFacts]:
        """Every clause and control as it applies to the organisation."""
        return item_facts(ctx=self.ctx)

    @cached_property
    def controls(self) -> list[ItemFacts]:
        return [i for i in self.items if i.kind == "annex_a_control"]

    @cached_property
    def by_ref(self) -> dict[str, ItemFacts]:
        return {i.ref: i for i in self.items}

    @cached_property
    def control_evidence(self) -> dict[Any, Coverage]:
        """{compliance item id: the evidence linked to it, as of the day}."""
        return evidence_coverage(ctx=self.ctx, kind="compliance_item", on=self.as_of)

    @cached_property
    def objectives(self) -> list[Any]:
        """Objectives still pursued, each with `track` and `overdue` as of the day."""
        return [o for o in objective_list(ctx=self.ctx, today=self.as_of, recent=False)
                if o.status == "active"]

    @cached_property
    def supplier_count(self) -> int:
        """Third parties on record (suppliers, customers, partners) still engaged."""
        return self._counts["suppliers"]

    @cached_property
    def _counts(self) -> dict[str, int]:
        """The plain counts the rules read (how many records of a kind there are), each as its
        domain's selector lists them, in one query together."""
        return counts_together({
            "suppliers": engaged_suppliers(ctx=self.ctx),
            "audits_last_year": audits_reported(ctx=self.ctx, after=end_of(self.as_of - YEAR),
                                                before=self.end),
            "training_records": training_record_list(ctx=self.ctx),
            "lifecycle_records": lifecycle_records(ctx=self.ctx),
            "monitor_results": monitor_results_between(ctx=self.ctx, start=None, end=self.as_of),
            "measurements": measurements_until(ctx=self.ctx, on_or_before=self.as_of),
            "audit_programmes": programme_list(ctx=self.ctx),
            "audits_reported": audits_reported(ctx=self.ctx, after=None, before=self.end),
            "nonconformities": nonconformity_list(ctx=self.ctx),
        })

    # ------------------------------------------------------------------ operation

    @cached_property
    def standing_approvals(self) -> set:
        """Systems whose deployment approval still stands."""
        return standing_deployment_approvals(ctx=self.ctx)

    @cached_property
    def overdue_actions(self) -> list[ActionFacts]:
        """Risk treatment actions overdue on the day."""
        return overdue_actions(ctx=self.ctx, on=self.as_of)

    @cached_property
    def ai_suppliers(self) -> list[SupplierFacts]:
        """Suppliers and partners still engaged."""
        return ai_supplier_facts(ctx=self.ctx)

    # ------------------------------------------------------------------ evaluation

    @cached_property
    def monitors(self) -> list[MonitorFacts]:
        return monitor_facts(ctx=self.ctx, on=self.as_of)

    @cached_property
    def recent_breaches(self) -> list[BreachFacts]:
        """Results outside their thresholds in the 90 days to the day."""
        return breaches(ctx=self.ctx, since=self.as_of - BREACH_WINDOW, on=self.as_of)

    @cached_property
    def breach_responses(self) -> set:
        """The breaches something (an incident, a nonconformity, an improvement) was raised
        from."""
        ids = [b.id for b in self.recent_breaches]
        raised = raised_from_kind(ctx=self.ctx, kind="monitor_result", ids=ids) if ids else {}
        return {pk for pk, what in raised.items() if what}

    @cached_property
    def programme(self) -> Any:
        """The audit programme whose cycle holds the day, or None."""
        return programme_in_force(ctx=self.ctx, on=self.as_of)

    @cached_property
    def programme_coverage(self) -> AuditCoverage | None:
        return programme_coverage(ctx=self.ctx, programme=self.programme) if self.programme \
            else None

    @cached_property
    def audits_last_year(self) -> int:
        """Audit reports issued in the twelve months to the day."""
        return self._counts["audits_last_year"]

    @cached_property
    def last_review_inputs(self) -> set[str]:
        return agenda_keys(ctx=self.ctx, review=self.last_review) if self.last_review else set()

    # ------------------------------------------------------------------ improvement

    @cached_property
    def nonconformity_rows(self) -> list[NcFacts]:
        return nonconformity_facts(ctx=self.ctx, on=self.as_of)

    @cached_property
    def late_reports(self) -> list[LateReport]:
        return late_reports(ctx=self.ctx, before=self.end)

    # ------------------------------------------------------------------ support and records

    @cached_property
    def documents(self) -> list[DocumentFacts]:
        return document_facts(ctx=self.ctx, on=self.as_of)

    @cached_property
    def competence(self) -> CompetenceFacts:
        return competence_facts(ctx=self.ctx, on=self.as_of)

    @cached_property
    def training_records(self) -> int:
        return self._counts["training_records"]

    @cached_property
    def resource_kinds(self) -> dict[str, int]:
        """{resource kind: how many are documented}."""
        return resource_counts(ctx=self.ctx)

    @cached_property
    def resources(self) -> int:
        return sum(self.resource_kinds.values())

    @cached_property
    def lifecycle_records(self) -> int:
        return self._counts["lifecycle_records"]

    @cached_property
    def monitor_results(self) -> int:
        return self._counts["monitor_results"]

    @cached_property
    def measurements(self) -> int:
        return self._counts["measurements"]

    @cached_property
    def audit_programmes(self) -> int:
        return self._counts["audit_programmes"]

    @cached_property
    def audits_reported(self) -> int:
        return self._counts["audits_reported"]

    @cached_property
    def last_review(self) -> Any:
        """The latest management review held, or None."""
        return latest_held(ctx=self.ctx)

    @cached_property
    def nonconformities(self) -> int:
        return self._counts["nonconformities"]
