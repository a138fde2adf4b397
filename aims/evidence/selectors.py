"""Reads of evidence, always from the organisation scope."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.core.records import kind_of
from aims.evidence.models import Evidence, EvidenceLink
from aims.orgs.context import Ctx


def _base(ctx: Ctx) -> models.QuerySet:
    return Evidence.objects.for_org(ctx.org).select_related("blob", "owner", "uploaded_by")


def evidence_get(*, ctx: Ctx, evidence_id) -> Evidence:
    """One piece of evidence of ctx.org; NotFound for a missing or foreign id alike."""
    evidence = get_scoped(_base(ctx), evidence_id)
    if evidence is None:
        raise NotFound("Evidence not found.")
    return evidence


def evidence_for(*, ctx: Ctx, subject: models.Model) -> list[Evidence]:
    """The evidence linked to one record, newest first (one query)."""
    return list(_base(ctx).filter(
        links__subject_kind=kind_of(subject).key, links__subject_id=subject.pk,
    ).order_by("-created_at"))


def evidence_for_many(*, ctx: Ctx, subjects: Iterable[models.Model]
                      ) -> dict[tuple[str, uuid.UUID], list[Evidence]]:
    """Evidence per record for many records of any kinds, by (kind, id); two queries."""
    wanted: dict[str, set] = defaultdict(set)
    for s in subjects:
        wanted[kind_of(s).key].add(s.pk)
    out: dict[tuple[str, uuid.UUID], list[Evidence]] = defaultdict(list)
    if not wanted:
        return out
    q = models.Q()
    for key, ids in wanted.items():
        q |= models.Q(subject_kind=key, subject_id__in=ids)
    links = list(EvidenceLink.objects.for_org(ctx.org).filter(q)
                 .select_related("evidence__blob", "evidence__owner")
                 .order_by("-evidence__created_at"))
    for link in links:
        out[(link.subject_kind, link.subject_id)].append(link.evidence)
    return out
