"""The registers that can be imported, each with the columns of its export.

The SoA's columns are those of the SoA export (aims.compliance.exports); the other
registers export through `ImportKind.export_rows`, so the columns of an export and of an
import are one declaration and an exported file always imports as "unchanged".
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from aims.compliance.models import ImplementationStatus, InclusionReason
from aims.compliance.selectors import clause_list, soa_list
from aims.compliance.services import compliance_item_update
from aims.context.models import IssueKind
from aims.context.selectors import context_issue_list, interested_party_list
from aims.context.services import (
    context_issue_create,
    context_issue_update,
    interested_party_create,
    interested_party_update,
)
from aims.evidence.models import EvidenceKind
from aims.evidence.selectors import evidence_list
from aims.evidence.services import evidence_create, evidence_update
from aims.exchange.imports.fields import Field, Lookups
from aims.exchange.imports.kinds_base import ImportKind
from aims.inventory.models import EuRiskClass, LifecycleStage, OrgRole, SystemStatus
from aims.inventory.selectors import ai_system_list
from aims.inventory.services import ai_system_create, ai_system_update
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_list
from aims.people.selectors import training_record_list
from aims.people.services import training_record_create, training_record_update
from aims.suppliers.kinds import PartyKind
from aims.suppliers.models import REVIEW_INTERVALS, Criticality, PartyStatus, Supplies
from aims.suppliers.selectors import supplier_list
from aims.suppliers.services import supplier_create, supplier_update


def _members_only(ctx: Ctx) -> Lookups:
    return Lookups(members=[m.user for m in member_list(ctx=ctx)], systems=[])


def _members_and_systems(ctx: Ctx) -> Lookups:
    return Lookups(members=[m.user for m in member_list(ctx=ctx)],
                   systems=list(ai_system_list(ctx=ctx).select_related(None)
                                .only("id", "name", "org_id")))


# ---------------------------------------------------------------------------- the SoA

def _applicable_text(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not decided"}[value]


SOA = ImportKind(
    key="soa", label="Statement of Applicability", record_label="Control",
    perm="compliance.change", view_perm="org.view", list_url="compliance:soa",
    sheet="Statement of Applicability",
    help="One row per Annex A control: whether it applies, why, and how far it is "
         "implemented. Rows are matched on the control reference; controls are never added.",
    fields=(
        Field("Control", "ref", width=10, value=lambda i: i.requirement.ref),
        Field("Title", "title", width=40, wrap=True, read_only=True,
              value=lambda i: i.requirement.title),
        Field("Domain", "domain", width=30, wrap=True, read_only=True,
              value=lambda i: f"{i.requirement.domain} "
                              f"{i.requirement.framework.domain_title(i.requirement.domain)}"),
        Field("Applicable", "applicable", "tristate", width=12),
        Field("Reason for inclusion", "inclusion_reason", "choice", InclusionReason, width=22),
        Field("Justification", "justification", width=60, wrap=True),
        # An excluded control's status is left empty by the export: empty keeps it.
        Field("Implementation status", "status", "choice", ImplementationStatus, width=22,
              blank_keeps=True),
        Field("Owner", "owner", "member", width=28, member_shown_by="name"),
        Field("Implementation notes", "notes", width=60, wrap=True),
        Field("Last reviewed", "last_reviewed", "date", width=14, blank_keeps=True),
        Field("Linked risks", "linked_risks", width=40, wrap=True, read_only=True,
              value=lambda i: ""),
    ),
    key_titles=("Control",),
    records=lambda ctx: soa_list(ctx=ctx),
    lookups=_members_only,
    create=None,
    no_create_message="not an Annex A control of ISO/IEC 42001. Use references such as "
                      "A.6.2.6.",
    update=lambda ctx, item, data: compliance_item_update(
        ctx=ctx, ref=item.requirement.ref, data=data, version=item.version),
)

# ---------------------------------------------------------------------------- inventory

INVENTORY = ImportKind(
    key="inventory", label="AI system inventory", record_label="AI system",
    perm="inventory.change", view_perm="org.view", list_url="inventory:list",
    sheet="AI systems",
    help="One row per AI system, matched on its name: new names are added, known ones "
         "updated. A new system starts before deployment; move it through the deployment "
         "gate afterwards.",
    fields=(
        Field("Name", "name", width=30),
        Field("Intended purpose", "intended_purpose", width=50, wrap=True),
        Field("Description", "description", width=50, wrap=True),
        Field("Owner (e-mail)", "owner", "member", width=28),
        Field("Business unit", "business_unit", width=20),
        Field("Lifecycle stage", "lifecycle_stage", "choice", LifecycleStage, width=18,
              blank_keeps=True),
        Field("Roles", "roles", "choices", OrgRole, width=24),
        Field("In scope", "in_scope", "bool", width=10),
        Field("Scope justification", "scope_justification", width=40, wrap=True),
        Field("Deployment context", "deployment_context", width=40, wrap=True),
        Field("Affected parties", "affected_parties", width=40, wrap=True),
        Field("Data categories", "data_categories", width=30, wrap=True),
        Field("Processes personal data", "processes_personal_data", "bool", width=12),
        Field("Human oversight", "human_oversight", width=40, wrap=True),
        Field("Third-party components", "third_party_components", width=30, wrap=True),
        Field("EU AI Act class", "eu_risk_class", "choice", EuRiskClass, width=18,
              blank_keeps=True),
        Field("Reason for setting the EU class by hand", "eu_class_override_reason",
              width=40, wrap=True),
        Field("Status", "status", "choice", SystemStatus, width=12, blank_keeps=True),
    ),
    key_titles=("Name",),
    records=lambda ctx: ai_system_list(ctx=ctx),
    lookups=_members_only,
    create=lambda ctx, data: ai_system_create(ctx=ctx, data=data),
    update=lambda ctx, obj, data: ai_system_update(ctx=ctx, system_id=obj.pk, data=data,
                                                   version=obj.version),
)

# ---------------------------------------------------------------------------- context

PARTIES = ImportKind(
    key="parties", label="Interested parties", record_label="Interested party",
    perm="context.change", view_perm="org.view", list_url="context:parties",
    sheet="Interested parties",
    help="One row per interested party, matched on its name, with what it needs from your "
         "use of AI.",
    fields=(
        Field("Name", "name", width=30),
        Field("Category", "category", width=20),
        Field("Needs and expectations", "needs", width=50, wrap=True),
        Field("Requirements adopted", "requirements", width=50, wrap=True),
        Field("How addressed", "how_addressed", width=40, wrap=True),
        Field("Active", "is_active", "bool", width=10),
    ),
    key_titles=("Name",),
    records=lambda ctx: interested_party_list(ctx=ctx),
    lookups=_members_only,
    create=lambda ctx, data: interested_party_create(ctx=ctx, data=data),
    update=lambda ctx, obj, data: interested_party_update(ctx=ctx, party_id=obj.pk, data=data,
                                                          version=obj.version),
)

ISSUES = ImportKind(
    key="issues", label="Internal and external issues", record_label="Issue",
    perm="context.change", view_perm="org.view", list_url="context:issues",
    sheet="Issues",
    help="One row per internal or external issue, matched on its kind and title.",
    fields=(
        Field("Kind", "kind", "choice", IssueKind, width=12),
        Field("Title", "title", width=40),
        Field("Description", "description", width=50, wrap=True),
        Field("Category", "category", width=20),
        Field("Effect on the AIMS", "effect", width=50, wrap=True),
        Field("Active", "is_active", "bool", width=10),
    ),
    key_titles=("Kind", "Title"),
    records=lambda ctx: context_issue_list(ctx=ctx),
    lookups=_members_only,
    create=lambda ctx, data: context_issue_create(ctx=ctx, data=data),
    update=lambda ctx, obj, data: context_issue_update(ctx=ctx, issue_id=obj.pk, data=data,
                                                       version=obj.version),
)

# ---------------------------------------------------------------------------- suppliers


SUPPLIERS = ImportKind(
    key="suppliers", label="Suppliers, customers and partners", record_label="Supplier",
    perm="suppliers.change", view_perm="org.view", list_url="suppliers:list",
    sheet="Suppliers",
    help="One row per supplier, customer or partner, matched on its name. Reviews and due "
         "diligence answers are recorded on the supplier's page.",
    fields=(
        Field("Name", "name", width=30),
        Field("Kind", "kind", "choice", PartyKind, width=12),
        Field("What they supply", "supplies", "choices", Supplies, width=30),
        Field("Description", "description", width=50, wrap=True),
        Field("Contact", "contact", width=30, wrap=True),
        Field("Website", "website", width=30),
        Field("AI systems", "ai_systems", "systems", width=30, wrap=True),
        Field("Criticality", "criticality", "choice", Criticality, width=12),
        Field("Owner (e-mail)", "owner", "member", width=28),
        Field("Status", "status", "choice", PartyStatus, width=14),
        Field("Review interval", "review_interval_months", "int", REVIEW_INTERVALS, width=16),
        Field("Risk rating", "rating", width=14, read_only=True,
              value=lambda s: s.get_rating_display()),
        Field("Last review", "last_review_date", "date", width=14, read_only=True,
              value=lambda s: s.last_review_date),
        Field("Next review due", "next_review_date", "date", width=14, read_only=True,
              value=lambda s: s.next_review_date),
    ),
    key_titles=("Name",),
    records=lambda ctx: supplier_list(ctx=ctx),
    lookups=_members_and_systems,
    create=lambda ctx, data: supplier_create(ctx=ctx, data=data),
    update=lambda ctx, obj, data: supplier_update(ctx=ctx, supplier_id=obj.pk, data=data,
                                                  version=obj.version),
)

# ---------------------------------------------------------------------------- training

TRAINING = ImportKind(
    key="training", label="Training records", record_label="Training record",
    perm="training.change", view_perm="org.view", list_url="people:training",
    sheet="Training records",
    help="One row per training taken or competence shown, with the day it really happened; "
         "matched on the person, the topic and the completion date. Certificates are "
         "attached on the record's page.",
    fields=(
        Field("Person (e-mail)", "member", "member", width=28),
        Field("Topic", "topic", width=40),
        Field("Completed on", "completed_on", "date", width=14),
        Field("AI-specific", "ai_specific", "bool", width=12),
        Field("Expires on", "expires_on", "date", width=14),
        Field("Provider", "provider", width=24),
        Field("Notes", "notes", width=40, wrap=True),
        Field("Status", "status_label", width=14, read_only=True,
              value=lambda r: r.status_label),
    ),
    key_titles=("Person (e-mail)", "Topic", "Completed on"),
    records=lambda ctx: training_record_list(ctx=ctx),
    lookups=_members_only,
    create=lambda ctx, data: training_record_create(ctx=ctx, data=data),
    update=lambda ctx, obj, data: training_record_update(ctx=ctx, record_id=obj.pk, data=data,
                                                         version=obj.version),
)

# ---------------------------------------------------------------------------- evidence


def _members_and_controls(ctx: Ctx) -> Lookups:
    return Lookups(members=[m.user for m in member_list(ctx=ctx)], systems=[],
                   controls=[*soa_list(ctx=ctx), *clause_list(ctx=ctx)])


def _evidence_create(ctx: Ctx, data: dict[str, Any]) -> Any:
    attachment = data.pop("file", None)
    links = data.pop("supports", None) or []
    upload = (SimpleUploadedFile(attachment.name.rsplit("/", 1)[-1], attachment.content)
              if attachment is not None else None)
    return evidence_create(ctx=ctx, data=data, upload=upload, links=links)


EVIDENCE = ImportKind(
    key="evidence", label="Evidence", record_label="Evidence",
    perm="evidence.change", view_perm="org.view", list_url="evidence:list", sheet="Evidence",
    help="One row per piece of evidence with the period it covers. Files come in one ZIP "
         "with the table: the File column names each file's path in the ZIP. Rows without a "
         "Ref are added; rows with one update what is said about that evidence (its file "
         "never changes).",
    fields=(
        Field("Ref", "ref", width=10),
        Field("Title", "title", width=40),
        Field("Description", "description", width=50, wrap=True),
        Field("Kind", "kind", "choice", EvidenceKind, width=10, create_only=True,
              blank_keeps=True),
        Field("File", "file", "file", width=30, create_only=True,
              value=lambda e: e.file_name),
        Field("Link", "url", width=40),
        Field("Note", "note", width=40, wrap=True),
        Field("Covers from", "effective_from", "date", width=14),
        Field("Covers to", "effective_to", "date", width=14),
        Field("Valid until", "valid_until", "date", width=14),
        Field("Owner (e-mail)", "owner", "member", width=28),
        Field("Source", "source", width=24),
        Field("Supports (controls)", "supports", "controls", width=30, create_only=True,
              value=lambda e: []),
        Field("SHA-256", "sha256", width=20, read_only=True,
              value=lambda e: e.blob.sha256 if e.blob_id else ""),
    ),
    key_titles=("Ref",),
    new_without_key=True,
    records=lambda ctx: evidence_list(ctx=ctx),
    lookups=_members_and_controls,
    create=_evidence_create,
    update=lambda ctx, obj, data: evidence_update(ctx=ctx, evidence_id=obj.pk, data=data,
                                                  version=obj.version),
)

KINDS: dict[str, ImportKind] = {k.key: k for k in (SOA, INVENTORY, PARTIES, ISSUES, SUPPLIERS,
                                                   TRAINING, EVIDENCE)}
