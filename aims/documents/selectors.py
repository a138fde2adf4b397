"""Reads of documented information: lists, versions, the version in force on a day, diffs."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.documents.models import (
    OPEN_STATUSES,
    REVIEW_SOON_DAYS,
    Document,
    DocumentVersion,
    VersionStatus,
)
from aims.documents.rendering import side_by_side, unified_diff
from aims.orgs.context import Ctx

REVIEW_CHOICES = (("overdue", "Review overdue"),
                  ("due_soon", f"Review due within {REVIEW_SOON_DAYS} days"),
                  ("never", "Never approved"))
STATUS_CHOICES = (("draft", "Has a draft"), ("in_review", "Has a version in review"),
                  ("approved", "Has an approved version"))


@dataclass(frozen=True)
class DocumentFilters:
    q: str = ""
    kind: str = ""
    status: str = ""  # draft / in_review: has such a version; approved: has an approved one
    review: str = ""  # overdue / due_soon / never
    owner: str = ""


def _requirements_qs() -> QuerySet[Requirement]:
    return Requirement.objects.order_by("sort_key")


def _number_of(status_q: Q) -> Subquery:
    """The number of the document's version matching `status_q` (at most one does)."""
    return Subquery(DocumentVersion.all_orgs.filter(status_q, document=OuterRef("pk"))
                    .order_by("-number").values("number")[:1], output_field=IntegerField())


def document_list(*, ctx: Ctx, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """ctx.org's documents, filtered, by reference, each with `approved_number` (the latest
    approved version) and `open_number` / `open_status` (the draft or review in progress)."""
    f = filters or DocumentFilters()
    today = timezone.localdate()
    open_q = Q(status__in=OPEN_STATUSES)
    qs = (Document.objects.for_org(ctx.org).select_related("owner")
          .annotate(approved_number=_number_of(Q(status=VersionStatus.APPROVED)),
                    open_number=_number_of(open_q),
                    open_status=Subquery(DocumentVersion.all_orgs
                                         .filter(open_q, document=OuterRef("pk"))
                                         .values("status")[:1])))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(ref__icontains=f.q)
                       | Q(description__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW):
        qs = qs.filter(open_status=f.status)
    elif f.status == VersionStatus.APPROVED:
        qs = qs.filter(approved_number__isnull=False)
    if f.review == "overdue":
        qs = qs.filter(next_review_date__lt=today)
    elif f.review == "due_soon":
        qs = qs.filter(next_review_date__gte=today,
                       next_review_date__lte=today + datetime.timedelta(days=REVIEW_SOON_DAYS))
    elif f.review == "never":
        qs = qs.filter(next_review_date__isnull=True)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)  # type: ignore[misc]  # uuid text is valid
    return qs.order_by("number")


def document_get(*, ctx: Ctx, document_id: uuid.UUID | str) -> Document:
    """One document of ctx.org with its owner and requirements, or NotFound (also for
    another organisation's id)."""
    qs = document_list(ctx=ctx).prefetch_related(
        Prefetch("requirements", queryset=_requirements_qs()))
    document = get_scoped(qs, document_id)
    if document is None:
        raise NotFound("Document not found.")
    return document


def _versions(ctx: Ctx) -> QuerySet[DocumentVersion]:
    return (DocumentVersion.objects.for_org(ctx.org)
            .select_related("document", "author", "approved_by", "submitted_by", "reviewed_by",
                            "blob"))


def version_list(*, ctx: Ctx, document_id: uuid.UUID | str) -> QuerySet[DocumentVersion]:
    """Every version of one document of ctx.org, newest first (NotFound for a foreign id)."""
    document = get_scoped(Document.objects.for_org(ctx.org), document_id)
    if document is None:
        raise NotFound("Document not found.")
    return _versions(ctx).filter(document=document).order_by("-number")


def version_get(*, ctx: Ctx, document_id: uuid.UUID | str, version_id: uuid.UUID | str
               ) -> DocumentVersion:
    """One version of one document of ctx.org, or NotFound."""
    version = get_scoped(version_list(ctx=ctx, document_id=document_id), version_id)
    if version is None:
        raise NotFound("Document version not found.")
    return version


def version_by_number(*, ctx: Ctx, document: Document, number, field: str = "number"
                      ) -> DocumentVersion:
    """Version `number` of `document`, or a 422 naming `field`."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise ValidationError({field: ["Give a version number: 1, 2, 3…"]}) from None
    version = _versions(ctx).filter(document=document, number=number).first()
    if version is None:
        raise ValidationError({field: [f"{document.ref} has no version {number}."]})
    return version


def in_force_among(versions: Iterable[DocumentVersion], day: datetime.date
                   ) -> DocumentVersion | None:
    """The version of these that was in force on `day` (None before the first took effect)."""
    return next((v for v in versions if v.in_force_on(day)), None)


def version_in_force(*, ctx: Ctx, document: Document, on: datetime.date | None = None
                     ) -> DocumentVersion | None:
    """The version of `document` (of ctx.org) in force on `on` (default today): approved, in
    effect by then and not yet superseded. None when no version was in force that day."""
    day = on or timezone.localdate()
    return (_versions(ctx).filter(document_id=document.pk,
                                  status__in=(VersionStatus.APPROVED, VersionStatus.SUPERSEDED),
                                  effective_from__lte=day)
            .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=day))
            .order_by("-effective_from", "-number").first())


def versions_in_force_between(*, ctx: Ctx, start: datetime.date, end: datetime.date
                              ) -> QuerySet[DocumentVersion]:
    """Every version of ctx.org's documents that was in force on at least one day of
    [start, end], by document reference then version (what an auditor of that period reads)."""
    return (_versions(ctx)
            .filter(status__in=(VersionStatus.APPROVED, VersionStatus.SUPERSEDED),
                    effective_from__lte=end)
            .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=start))
            .order_by("document__number", "number"))


def documents_for_requirements(*, ctx: Ctx, requirement_ids: Iterable[int]
                               ) -> dict[int, list[Document]]:
    """ctx.org's documents that say they satisfy each of these catalog requirements, by
    requirement id (every id asked for is a key; its list may be empty), in two queries."""
    ids = list(dict.fromkeys(requirement_ids))
    out: dict[int, list[Document]] = {i: [] for i in ids}
    if not ids:
        return out
    through = Document.requirements.through
    pairs = list(through.objects.filter(requirement_id__in=ids, document__org=ctx.org)
                 .values_list("requirement_id", "document_id"))
    documents = {d.pk: d for d in document_list(ctx=ctx).filter(
        pk__in={doc_id for _, doc_id in pairs})}
    for req_id, doc_id in sorted(pairs, key=lambda p: documents[p[1]].number):
        out[req_id].append(documents[doc_id])
    return out


@dataclass(frozen=True)
class VersionDiff:
    old: DocumentVersion
    new: DocumentVersion
    unified: str
    rows: list
    numbers: list[int]  # every version's number, newest first

    @property
    def changed(self) -> bool:
        return any(r.kind != "equal" for r in self.rows)


def version_diff(*, ctx: Ctx, document: Document, old=None, new=None) -> VersionDiff:
    """The difference between two versions of `document` by number; by default the latest
    version against the one before it."""
    numbers = list(_versions(ctx).filter(document=document).order_by("-number")
                   .values_list("number", flat=True))
    if not numbers:
        raise NotFound("The document has no versions.")
    new_number = new if new not in (None, "") else numbers[0]
    new_version = version_by_number(ctx=ctx, document=document, number=new_number, field="new")
    if old in (None, ""):
        old = max((n for n in numbers if n < new_version.number), default=new_version.number)
    old_version = version_by_number(ctx=ctx, document=document, number=old, field="old")
    return VersionDiff(old=old_version, new=new_version,
                       unified=unified_diff(old_version, new_version),
                       rows=side_by_side(old_version, new_version), numbers=numbers)


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class DocumentFacts:
    """What the readiness rules read of one controlled document on a given day."""

    id: Any
    ref: str
    title: str
    kind: str
    in_force: bool  # an approved version is in force on the day
    review_due: datetime.date | None
    requirement_refs: tuple[str, ...]

    def state(self, on: datetime.date) -> str:
        """approved (in force, review not yet due), past_review, or draft (nothing approved
        in force yet)."""
        if not self.in_force:
            return "draft"
        return "past_review" if self.review_due and self.review_due < on else "approved"


def document_facts(*, ctx: Ctx, on: datetime.date) -> list[DocumentFacts]:
    """Every document of ctx.org, by reference, with whether a version is in force on `on`
    and the requirements it satisfies (two queries)."""
    in_force = DocumentVersion.all_orgs.filter(
        document=OuterRef("pk"), status__in=(VersionStatus.APPROVED, VersionStatus.SUPERSEDED),
        effective_from__lte=on).filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=on))
    rows = (Document.objects.for_org(ctx.org).annotate(in_force=Exists(in_force))
            .order_by("number")
            .values_list("id", "ref", "title", "kind", "in_force", "next_review_date"))
    refs: dict[Any, list[str]] = {}
    for doc_id, ref in (Document.requirements.through.objects
                        .filter(document__in=Document.objects.for_org(ctx.org).values("pk"))
                        .values_list("document_id", "requirement__ref")):
        refs.setdefault(doc_id, []).append(ref)
    return [DocumentFacts(id=pk, ref=ref, title=title, kind=kind, in_force=bool(force),
                          review_due=due, requirement_refs=tuple(sorted(refs.get(pk, ()))))
            for pk, ref, title, kind, force, due in rows]
