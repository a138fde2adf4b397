"""Reads of the global catalog (no tenant scope: it is the same for everyone)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from aims.catalog.models import Framework, Requirement
from aims.core.errors import NotFound

ISO42001 = "iso42001"  # the framework every organisation's SoA and clause items come from


def framework_list() -> QuerySet[Framework]:
    """All loaded frameworks."""
    return Framework.objects.all()


def framework_get(*, code: str) -> Framework:
    """One framework by code, or NotFound."""
    fw = Framework.objects.filter(code=code).first()
    if fw is None:
        raise NotFound(f"No framework {code!r}.")
    return fw


def requirement_list(*, framework: Framework, kind: str | None = None,
                     q: str | None = None, domain: str | None = None) -> QuerySet[Requirement]:
    """Requirements of a framework in document order, optionally filtered."""
    qs = Requirement.objects.filter(framework=framework).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        qs = qs.filter(domain=domain)
    if q:
        qs = qs.filter(Q(ref__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by("sort_key")


def requirement_get(*, framework: Framework, ref: str) -> Requirement:
    """One requirement by ref, or NotFound."""
    req = Requirement.objects.filter(framework=framework, ref=ref).select_related("parent").first()
    if req is None:
        raise NotFound(f"No requirement {ref!r} in {framework.name}.")
    return req
