"""Reads of evidence, always from the organisation scope."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from aims.catalog.models import Mapping
from aims.catalog.selectors import mappings_from_iso
from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.evidence.models import (
    Blob,
    Evidence,
    EvidenceKind,
    EvidenceLink,
    Freshness,
    expiring_window,
)
from aims.evidence.storage import blob_check
from aims.orgs.context import Ctx
from aims.records.kinds import Linked, kind_get, kind_of, kinds, resolve


def _base(ctx: Ctx) -> models.QuerySet:
    return Evidence.objects.for_org(ctx.org).select_related("blob", "owner", "uploaded_by")


def evidence_get(*, ctx: Ctx, evidence_id: uuid.UUID | str) -> Evidence:
    """One piece of evidence of ctx.org; NotFound for a missing or foreign id alike."""
    evidence = get_scoped(_base(ctx), evidence_id)
    if evidence is None:
        raise NotFound("Evidence not found.")
    return evidence


def evidence_for(*, ctx: Ctx, subject: models.Model) -> list[Evidence]:
    """The evidence linked to one record, newest first (one query)."""
    # The links are narrowed by organisation too, so their (org, kind, id) index finds them
    # instead of a scan of every piece of evidence.
    return list(_base(ctx).filter(
        links__org=ctx.org, links__subject_kind=kind_of(subject).key,
        links__subject_id=subject.pk,
    ).order_by("-created_at"))


# A record's page lists its newest evidence up to this many, then links to the register
# filtered to that record: a control can have thousands.
PANEL_SHOWN = 20


def evidence_for_panel(*, ctx: Ctx, subject: models.Model, limit: int = PANEL_SHOWN
                       ) -> tuple[list[Evidence], int]:
    """The newest `limit` pieces of evidence linked to one record, and how many there are in
    all (two queries: the total is counted on the links' (org, kind, id) index alone)."""
    key = kind_of(subject).key
    items = list(_base(ctx).filter(links__org=ctx.org, links__subject_kind=key,
                                   links__subject_id=subject.pk).order_by("-created_at")[:limit])
    total = (EvidenceLink.objects.for_org(ctx.org).filter(subject_kind=key, subject_id=subject.pk)
             .count())
    return items, total


def evidence_by_ids(*, ctx: Ctx, ids: Iterable[uuid.UUID]) -> list[Evidence]:
    """The evidence of ctx.org among `ids`, by number (ids of other organisations drop out)."""
    return list(Evidence.objects.for_org(ctx.org).filter(pk__in=list(ids)).order_by("number"))


def evidence_choices(*, ctx: Ctx, limit: int = 500) -> list[tuple[str, str]]:
    """(id, "EV-007 title") pairs for a picker, newest first, at most `limit`."""
    return [(str(pk), f"{ref} {title}") for pk, ref, title in
            Evidence.objects.for_org(ctx.org).order_by("-number")
            .values_list("pk", "ref", "title")[:limit]]


def evidence_prefetch() -> models.QuerySet:
    """Evidence with its file, by number: the queryset of a Prefetch from a record already
    scoped to its organisation (related rows belong to the same one)."""
    return Evidence.all_orgs.select_related("blob").order_by("number")


# --------------------------------------------------------------------------- the register


@dataclass(frozen=True)
class EvidenceFilters:
    q: str = ""
    kind: str = ""
    freshness: str = ""  # current | expiring | expired
    owner: str = ""  # a user id
    linked_kind: str = ""  # a record kind key: evidence linked to at least one record of it
    linked_id: uuid.UUID | str | None = None  # with linked_kind: evidence linked to that record
    covers_from: datetime.date | None = None  # the period covered overlaps [from, to]
    covers_to: datetime.date | None = None
    sort: str = "newest"


SORTS: dict[str, tuple[str, tuple]] = {
    "newest": ("Newest first", ("-number",)),
    "oldest": ("Oldest first", ("number",)),
    "title": ("Title", ("title", "number")),
    "valid_until": ("Expires soonest", (F("valid_until").asc(nulls_last=True), "-number")),
    "covers": ("Period covered, latest first",
               (F("effective_to").desc(nulls_last=True), F("effective_from").desc(nulls_last=True),
                "-number")),
    "updated": ("Recently changed", ("-updated_at",)),
}


def freshness_q(freshness: str, today: datetime.date) -> Q:
    """The rows of one freshness on `today`, as the database can filter them (the same rule
    as Evidence.freshness_on)."""
    soon = today + expiring_window()
    if freshness == Freshness.EXPIRED:
        return Q(valid_until__lt=today)
    if freshness == Freshness.EXPIRING:
        return Q(valid_until__gte=today, valid_until__lte=soon)
    if freshness == Freshness.CURRENT:
        return Q(valid_until__isnull=True) | Q(valid_until__gt=soon)
    raise ValidationError({"freshness": [
        f"Choose one of: {', '.join(Freshness.values)}."]})


def evidence_filter_q(*, ctx: Ctx, filters: EvidenceFilters) -> Q:
    """The rows of ctx.org's evidence that `filters` select, as one condition (a list filters
    by it; a count can count by it beside other counts)."""
    f = filters
    cond = Q()
    if f.q:
        q = f.q.strip()
        cond &= (Q(ref__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
                 | Q(source__icontains=q) | Q(file_name__icontains=q)
                 | Q(url__icontains=q) | Q(note__icontains=q) | Q(blob__sha256=q.lower()))
    if f.kind:
        if f.kind not in EvidenceKind.values:
            raise ValidationError({"kind": [f"Choose one of: {', '.join(EvidenceKind.values)}."]})
        cond &= Q(kind=f.kind)
    if f.freshness:
        cond &= freshness_q(f.freshness, timezone.localdate())
    if f.owner:
        cond &= Q(owner_id=f.owner)
    if f.linked_id and not f.linked_kind:
        raise ValidationError({"linked_id": ["Give the kind of the record too (linked_kind)."]})
    if f.linked_kind:
        key = kind_get(f.linked_kind, field="linked_kind").key
        links = EvidenceLink.objects.for_org(ctx.org).filter(subject_kind=key)
        if f.linked_id:
            links = links.filter(subject_id=f.linked_id)
        cond &= Q(pk__in=links.values("evidence_id"))
    if f.covers_from or f.covers_to:
        # Evidence that says nothing about its period cannot be placed in one.
        cond &= ~Q(effective_from__isnull=True, effective_to__isnull=True)
        if f.covers_from:
            cond &= Q(effective_to__isnull=True) | Q(effective_to__gte=f.covers_from)
        if f.covers_to:
            cond &= Q(effective_from__isnull=True) | Q(effective_from__lte=f.covers_to)
    return cond


def evidence_list(*, ctx: Ctx, filters: EvidenceFilters | None = None) -> models.QuerySet:
    """The organisation's evidence, filtered and sorted, with blob, owner, uploader and links
    (a fixed number of queries whatever the length)."""
    f = filters or EvidenceFilters()
    cond = evidence_filter_q(ctx=ctx, filters=f)
    if f.sort not in SORTS:
        raise ValidationError({"sort": [f"Choose one of: {', '.join(SORTS)}."]})
    qs = _base(ctx).prefetch_related(
        models.Prefetch("links", queryset=EvidenceLink.all_orgs.order_by("created_at")))
    return qs.filter(cond).order_by(*SORTS[f.sort][1])


@dataclass(frozen=True)
class StaleCounts:
    expiring: int
    expired: int

    @property
    def any(self) -> bool:
        return bool(self.expiring or self.expired)


def evidence_stale_counts(*, ctx: Ctx) -> StaleCounts:
    """How much evidence has expired or expires within the window (one query)."""
    return evidence_counts(ctx=ctx)[0]


def evidence_counts(*, ctx: Ctx, filters: EvidenceFilters | None = None
                    ) -> tuple[StaleCounts, int]:
    """How much evidence has expired or expires within the window, and how much `filters`
    select (the length of the register's list), counted together in one query."""
    today = timezone.localdate()
    cond = evidence_filter_q(ctx=ctx, filters=filters or EvidenceFilters())
    counts = Evidence.objects.for_org(ctx.org).aggregate(
        expiring=Count("pk", filter=freshness_q(Freshness.EXPIRING, today)),
        expired=Count("pk", filter=freshness_q(Freshness.EXPIRED, today)),
        # Count(filter=Q()) would count nothing on some databases: no filter counts all.
        selected=Count("pk", filter=cond) if cond else Count("pk"))
    return (StaleCounts(expiring=counts["expiring"], expired=counts["expired"]),
            counts["selected"])


def with_linked(*, ctx: Ctx, items: Iterable[Evidence]) -> list[Evidence]:
    """Give each item (whose `links` are prefetched) `.linked`: what each link points at, in
    one query per kind of record present."""
    items = list(items)
    refs = [(link.subject_kind, link.subject_id) for e in items for link in e.links.all()]
    found = resolve(ctx=ctx, refs=refs)
    for e in items:
        refs_of_e = (link.subject_ref for link in e.links.all())
        e.linked = [found[ref] for ref in refs_of_e if ref is not None and ref in found]
    return items


def evidence_links(*, ctx: Ctx, evidence: Evidence) -> list[tuple[EvidenceLink, Linked]]:
    """Every record one piece of evidence supports, with who linked it and when."""
    links = list(EvidenceLink.objects.for_org(ctx.org).filter(evidence=evidence)
                 .select_related("linked_by").order_by("subject_kind", "created_at"))
    pairs = [(lk, lk.subject_ref) for lk in links]
    found = resolve(ctx=ctx, refs=[ref for _, ref in pairs if ref is not None])
    return [(lk, found[ref]) for lk, ref in pairs if ref is not None]


def evidence_reuse(links: list[tuple[EvidenceLink, Linked]]) -> list[Mapping]:
    """The requirements of other frameworks the evidence also supports through the crosswalks,
    from the ISO/IEC 42001 items it is linked to (one query, whatever the number of links)."""
    requirement_ids = {rec.obj.requirement_id for link, rec in links
                       if link.subject_kind == "compliance_item" and rec.obj is not None}
    return mappings_from_iso(requirement_ids=requirement_ids) if requirement_ids else []


def evidence_count(kind: str) -> Coalesce:
    """An annotation: how much evidence supports each row of a queryset of records of `kind`
    (a subquery, so a list gains no query)."""
    # COUNT(*) rather than of the id: the (org, kind, id) index answers it alone, without
    # reading each link's row (a control may have thousands).
    links = (EvidenceLink.all_orgs
             .filter(org=OuterRef("org"), subject_kind=kind, subject_id=OuterRef("pk"))
             .order_by().values("subject_id").annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(links, output_field=models.IntegerField()), 0)


def record_kinds(*, exclude: Iterable[str] = ("evidence",)) -> list[tuple[str, str]]:
    """(key, label) of the kinds of record evidence may support, by label."""
    skip = set(exclude)
    return sorted(((k, rk.label) for k, rk in kinds().items() if k not in skip),
                  key=lambda kv: kv[1].lower())


def _blob_relations():
    """(model, foreign key name) of every model whose rows point at a blob, evidence first."""
    rels = [(Evidence, "blob")]
    for rel in Blob._meta.get_fields(include_hidden=True):
        if rel.auto_created and rel.one_to_many and rel.related_model is not Evidence:
            rels.append((rel.related_model, rel.field.name))
    return rels


def _holders(ctx: Ctx, model, fk: str, blob_ids) -> models.QuerySet:
    scope = {"org": ctx.org} if hasattr(model, "org") else {}
    return model._base_manager.filter(**scope, **{f"{fk}__in": list(blob_ids)})


def blob_users(*, ctx: Ctx, blob_id: uuid.UUID) -> int:
    """How many records (evidence, document versions…) hold the bytes of one blob."""
    return sum(_holders(ctx, model, fk, [blob_id]).count() for model, fk in _blob_relations())


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class FileProblem:
    sha256: str
    size: int
    path: str
    problem: str  # missing | altered
    used_by: list[str]  # "EV-004", or "<kind of record> <what>" for other users of the bytes


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problems: list[FileProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def files_verify(*, ctx: Ctx) -> VerifyResult:
    """Re-hash every stored file of ctx.org; report the missing and the altered ones with the
    evidence (and any other record) that relies on them."""
    bad: dict = {}
    checked = 0
    for blob in Blob.objects.for_org(ctx.org).order_by("created_at", "sha256").iterator():
        checked += 1
        status = blob_check(blob)
        if status != "ok":
            bad[blob.pk] = (blob, status)
    used_by: dict = defaultdict(list)
    if bad:
        for blob_id, ref in (Evidence.objects.for_org(ctx.org).filter(blob_id__in=bad)
                             .order_by("number").values_list("blob_id", "ref")):
            used_by[blob_id].append(ref)
        for model, fk in _blob_relations()[1:]:  # other records that hold the same bytes
            for obj in _holders(ctx, model, fk, bad):
                used_by[getattr(obj, f"{fk}_id")].append(
                    f"{model._meta.verbose_name} {obj}")
    problems = [FileProblem(sha256=b.sha256, size=b.size, path=b.name, problem=status,
                            used_by=used_by[pk]) for pk, (b, status) in bad.items()]
    return VerifyResult(checked=checked, problems=problems)


# --------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class Coverage:
    """The evidence linked to one record, as an auditor weighs it on a given day."""

    current: bool  # one piece at least is still valid on the day (no end date, or not past it)


def evidence_coverage(*, ctx: Ctx, kind: str, on: datetime.date) -> dict:
    """{record id: Coverage} for the records of `kind` that have evidence (one query over the
    records of the kind, each answered from the link index: is a piece linked, and is one still
    valid on the day; the search stops at the first, so a record's thousands of pieces of
    evidence are not counted one by one)."""
    links = EvidenceLink.objects.for_org(ctx.org).filter(subject_kind=kind,
                                                         subject_id=OuterRef("pk"))
    valid = Q(evidence__valid_until__isnull=True) | Q(evidence__valid_until__gte=on)
    rows = (kind_get(kind).queryset(ctx.org).order_by().filter(Exists(links))
            .annotate(current=Exists(links.filter(valid))).values_list("pk", "current"))
    return {pk: Coverage(current=current) for pk, current in rows}
