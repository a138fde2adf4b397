"""The enterprise-sized organisation: what `aims demo --scale enterprise` builds, and what the
benchmarks measure.

The organisation itself is made through the services (so it has its compliance items, its
risk methodology and its first log events); the bulk of the record is then written with bulk
inserts, in the row shapes the services leave, because building 100,000 pieces of evidence one
by one would take hours. Every bulk row gets its sealed "create" event in the activity log, so
`aims log verify` holds, and the file evidence points at small stored files, so `aims evidence
verify` holds too. Running it again changes nothing: an organisation that exists is left alone.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from aims.accounts.models import User
from aims.activity.keys import keyring
from aims.activity.models import Event
from aims.activity.services import GENESIS, object_type_of, seal_of
from aims.compliance.models import ComplianceItem
from aims.demo import content
from aims.demo.build import DEFAULT_PASSWORD, _user
from aims.evidence.models import Blob, Evidence, EvidenceLink
from aims.evidence.storage import blob_path
from aims.impact.models import ImpactAssessment
from aims.inventory.models import AISystem
from aims.members.services import org_create
from aims.orgs.models import Membership, Organization
from aims.risks.models import Risk, RiskMethodology
from aims.tasks.models import Task

BATCH = 2000  # rows per INSERT: well under SQLite's limit on bound parameters per statement
FILES_EVERY = 100  # one piece of evidence in a hundred is a file; the rest are notes


@dataclass(frozen=True)
class Sizes:
    systems: int
    risks: int
    assessments: int
    evidence: int
    tasks: int
    members: int

    def scaled(self, factor: float) -> Sizes:
        """The same shape, `factor` times the size (at least one of each)."""
        return Sizes(*(max(1, round(n * factor)) for n in (
            self.systems, self.risks, self.assessments, self.evidence, self.tasks,
            self.members)))


ENTERPRISE = Sizes(systems=1000, risks=20000, assessments=5000, evidence=100000, tasks=20000,
                   members=500)
TENANT = Sizes(systems=5, risks=20, assessments=5, evidence=40, tasks=20, members=5)
SCALES = {"enterprise": ENTERPRISE, "small": TENANT}


@dataclass(frozen=True)
class ScaleResult:
    org: Organization
    created: bool
    tenants_created: int
    users: dict[str, str]


def scale_create(*, slug: str = "enterprise", name: str = "Enterprise Example plc",
                 sizes: Sizes = ENTERPRISE, tenants: int = 0,
                 password: str = DEFAULT_PASSWORD) -> ScaleResult:
    """Build the organisation `slug` at `sizes` and `tenants` small client organisations
    (`<slug>-client-001` …), each once; the demo users hold their roles in all of them."""
    users = {role: _user(email, user_name, password)
             for role, (email, user_name) in content.USERS.items()}
    emails = {role: u.email for role, u in users.items()}
    org, created = _organisation(slug, name, sizes, users)
    made = 0
    for i in range(1, tenants + 1):
        _, fresh = _organisation(f"{slug}-client-{i:03d}", f"Client {i:03d} of {name}",
                                 TENANT, users)
        made += fresh
    return ScaleResult(org=org, created=created, tenants_created=made, users=emails)


@transaction.atomic
def _organisation(slug: str, name: str, sizes: Sizes, users: dict[str, User]
                  ) -> tuple[Organization, bool]:
    org = Organization.objects.filter(slug=slug).first()
    if org is not None:
        return org, False
    org = org_create(slug=slug, name=name, owner=users["owner"])
    _Builder(org, sizes, users).build()
    return Organization.objects.get(pk=org.pk), True


class _Builder:
    def __init__(self, org: Organization, sizes: Sizes, users: dict[str, User]) -> None:
        self.org, self.sizes, self.users = org, sizes, users
        self.today = timezone.localdate()
        self.now = timezone.now().replace(microsecond=0)
        self.events: list[Event] = []

    def build(self) -> None:
        self.members()
        self.systems = self.bulk(AISystem, (
            AISystem(org=self.org, name=f"AI system {i + 1:05d}",
                     intended_purpose="Scores incoming requests so a person can act on them.",
                     roles=["deployer"], eu_risk_class=("minimal", "limited", "high")[i % 3],
                     owner=self.people[i % len(self.people)],
                     lifecycle_stage="deployed" if i % 3 == 0 else "development")
            for i in range(self.sizes.systems)))
        self.risks()
        self.assessments()
        self.evidence()
        self.tasks()
        self.log()

    # ------------------------------------------------------------------ helpers

    def bulk(self, model: type[models.Model], rows: Iterable[models.Model], *,
             log: bool = True) -> list:
        """Insert `rows` in batches; each gets a "create" event in the log unless told not."""
        out: list = []
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                out += model._default_manager.bulk_create(batch)
                batch = []
        if batch:
            out += model._default_manager.bulk_create(batch)
        if log:
            self.events += (self.event(obj) for obj in out)
        return out

    def event(self, obj: models.Model) -> Event:
        return Event(org=self.org, at=self.now, actor=self.users["editor"],
                     actor_ref=str(self.users["editor"].pk),
                     actor_label=self.users["editor"].email, action=Event.Action.CREATE,
                     object_type=object_type_of(obj), object_id=str(obj.pk),
                     object_repr=str(obj)[:300], changes={"created": "in bulk"})

    # ------------------------------------------------------------------ the record

    def members(self) -> None:
        """The demo users in their roles, plus enough colleagues to make `members`."""
        for role in ("admin", "editor", "viewer", "auditor"):
            Membership.objects.create(org=self.org, user=self.users[role], role=role)
        others = max(0, self.sizes.members - 5)
        domain = f"{self.org.slug}.example.com"
        # One hash for all: they are not meant to sign in, and hashing 500 passwords is slow.
        unusable = make_password(None)
        emails = [f"member{i + 1:04d}@{domain}" for i in range(others)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create(
            User(email=e, full_name=f"Member {i + 1:04d}", password=unusable)
            for i, e in enumerate(emails) if e not in existing)
        colleagues = list(User.objects.filter(email__in=emails).order_by("email"))
        self.bulk(Membership, (
            Membership(org=self.org, user=u, role="editor" if i % 5 else "viewer")
            for i, u in enumerate(colleagues)), log=False)
        self.people = [self.users["owner"], self.users["admin"], self.users["editor"],
                       *colleagues[:50]]

    def risks(self) -> None:
        n = self.sizes.risks
        methodology = RiskMethodology.objects.for_org(self.org).get()
        risks = self.bulk(Risk, (
            Risk(org=self.org, number=i + 1, ref=f"R-{i + 1:03d}", title=f"Risk {i + 1:05d}",
                 description="Decisions drift from what the system was validated for.",
                 category=("bias", "privacy", "robustness", "transparency")[i % 4],
                 owner=self.people[i % len(self.people)] if i % 7 else None,
                 methodology=methodology,
                 inherent_likelihood=1 + i % 5, inherent_impact=1 + (i // 5) % 5,
                 treatment_option="mitigate" if i % 4 else "",
                 treatment_rationale="Checked weekly by a human reviewer." if i % 4 else "",
                 residual_likelihood=1 if i % 2 else None, residual_impact=2 if i % 2 else None,
                 next_review=self.today + datetime.timedelta(days=(i % 90) - 30),
                 status="treating" if i % 4 else "assessed")
            for i in range(n)))
        self.controls = list(ComplianceItem.objects.for_org(self.org)
                             .filter(requirement__kind="annex_a_control").order_by("pk"))
        systems = self.systems
        Risk.ai_systems.through.objects.bulk_create(
            (Risk.ai_systems.through(risk_id=r.pk, aisystem_id=systems[i % len(systems)].pk)
             for i, r in enumerate(risks)), batch_size=BATCH)
        # Most mitigated risks name two controls: 36,000 links at 20,000 risks.
        Risk.controls.through.objects.bulk_create(
            (Risk.controls.through(risk_id=r.pk, complianceitem_id=self.controls[
                (i + k) % len(self.controls)].pk)
             for i, r in enumerate(risks) if i % 4 for k in range(1 + (i % 5 != 0))),
            batch_size=BATCH)
        ComplianceItem.objects.for_org(self.org).filter(
            pk__in=[c.pk for c in self.controls]).update(
            applicable=True, status="implemented", inclusion_reason="risk_treatment",
            owner=self.users["admin"], justification="Treats risks on the register.",
            last_reviewed=self.today - datetime.timedelta(days=40))

    def assessments(self) -> None:
        systems = self.systems
        per_system = max(1, self.sizes.assessments // len(systems))
        texts = {section: "Written for the benchmark organisation." for section in (
            "intended_purpose", "context_of_use", "foreseeable_misuse", "affected_individuals",
            "affected_groups", "societal_effects", "conclusion")}
        self.bulk(ImpactAssessment, (
            ImpactAssessment(org=self.org, ai_system=s, number=n + 1,
                             trigger="initial" if n == 0 else "interval",
                             author=self.users["editor"], approved_by=self.users["admin"],
                             status="approved" if n == per_system - 1 else "superseded",
                             approved_on=self.today - datetime.timedelta(
                                 days=30 * (per_system - n)),
                             next_due=self.today + datetime.timedelta(days=300 - (i % 400)),
                             **texts)
            for i, s in enumerate(systems) for n in range(per_system)))

    def evidence(self) -> None:
        n = self.sizes.evidence
        blobs = self.blobs((n + FILES_EVERY - 1) // FILES_EVERY)  # one per hundred, rounded up
        evidence = self.bulk(Evidence, (
            Evidence(org=self.org, number=i + 1, ref=f"EV-{i + 1:03d}",
                     title=f"Evidence {i + 1:06d}", uploaded_by=self.users["editor"],
                     valid_until=self.today + datetime.timedelta(days=(i % 400) - 100),
                     **({"kind": "file", "blob": blobs[i // FILES_EVERY],
                         "file_name": f"report-{i // FILES_EVERY + 1:05d}.txt",
                         "content_type": "text/plain"} if i % FILES_EVERY == 0
                        else {"kind": "note", "note": "Reviewed and signed off."}))
            for i in range(n)))
        controls, systems = self.controls, self.systems
        self.bulk(EvidenceLink, (
            EvidenceLink(org=self.org, evidence=e, linked_by=self.users["editor"],
                         **({"subject_kind": "compliance_item",
                             "subject_id": controls[i % len(controls)].pk} if i % 5
                            else {"subject_kind": "ai_system",
                                  "subject_id": systems[i % len(systems)].pk}))
            for i, e in enumerate(evidence)), log=False)

    def blobs(self, count: int) -> list[Blob]:
        """`count` small stored files, content-addressed as uploads are."""
        rows = []
        for i in range(count):
            data = f"Report {i + 1} of {self.org.name}: reviewed and signed off.\n".encode()
            sha = hashlib.sha256(data).hexdigest()
            path = blob_path(self.org.pk, sha)
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(data))
            rows.append(Blob(org=self.org, sha256=sha, size=len(data), name=path))
        return self.bulk(Blob, rows, log=False)

    def tasks(self) -> None:
        systems = self.systems
        self.bulk(Task, (
            Task(org=self.org, number=i + 1, ref=f"T-{i + 1:03d}", title=f"Task {i + 1:05d}",
                 kind=("review", "evidence_request", "other")[i % 3],
                 status="done" if i % 4 == 0 else "open",
                 owner=self.people[i % len(self.people)],
                 due_date=self.today + datetime.timedelta(days=(i % 120) - 60),
                 created_by=self.users["editor"],
                 completed_at=self.now if i % 4 == 0 else None,
                 completed_by=self.users["editor"] if i % 4 == 0 else None,
                 subject_kind="ai_system", subject_id=systems[i % len(systems)].pk)
            for i in range(self.sizes.tasks)))

    def log(self) -> None:
        """Seal the bulk rows' events onto the organisation's chain, in order."""
        org = Organization.objects.select_for_update().get(pk=self.org.pk)
        ring = keyring()
        seq, head = org.log_head_seq, org.log_head_hash or GENESIS
        for ev in self.events:
            seq += 1
            ev.seq, ev.prev_hash, ev.key_id = seq, head, ring.current
            ev.hash = head = seal_of(ev, ring)
        for chunk in _chunks(self.events, BATCH):
            Event.objects.bulk_create(chunk)
        Organization.objects.filter(pk=org.pk).update(log_head_seq=seq, log_head_hash=head)


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
