"""Reads of the global catalog (no tenant scope: it is the same for everyone)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from aims.catalog.models import Framework, Requirement
from aims.core.errors import NotFound, ValidationError

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


def iso_requirements_by_refs(refs, *, field: str = "requirements",
                             examples: tuple[str, str] = ("5.2 or A.2.2", "5.2, 7.5.1 or A.2.2")
                             ) -> list[Requirement]:
    """The ISO/IEC 42001 clauses and controls named by `refs`, in document order; None is none.
    A field error (naming `field`, with `examples` of good references) for anything else."""
    if refs is None:
        return []
    if not isinstance(refs, (list, tuple, set)) or not all(isinstance(r, str) for r in refs):
        raise ValidationError({field: [
            f"Give a list of ISO/IEC 42001 references such as {examples[0]}."]})
    wanted = {r.strip() for r in refs if r.strip()}
    found = list(Requirement.objects.filter(framework__code=ISO42001, ref__in=wanted)
                 .order_by("sort_key"))
    if missing := wanted - {r.ref for r in found}:
        raise ValidationError({field: [
            f"Not an ISO/IEC 42001 clause or control: {', '.join(sorted(missing))}. "
            f"Use references such as {examples[1]}."]})
    return found


def iso_requirement_choices() -> list[tuple[str, str]]:
    """(ref, "ref title") of every ISO/IEC 42001 clause and control, in document order."""
    return [(ref, f"{ref} {title}") for ref, title in
            Requirement.objects.filter(framework__code=ISO42001).order_by("sort_key")
            .values_list("ref", "title")]


def documented_information(*, code: str = ISO42001) -> dict[str, str]:
    """{requirement ref: "maintain" | "retain"} for the requirements of a framework that ask
    for documented information."""
    return dict(Requirement.objects.filter(framework__code=code)
                .exclude(documented_information="")
                .values_list("ref", "documented_information"))


def requirement_tree(*, code: str = ISO42001) -> list[tuple[str, str | None, str, str, str]]:
    """(ref, parent ref, kind, title, domain) of every requirement of a framework, in
    document order."""
    return list(Requirement.objects.filter(framework__code=code).order_by("sort_key")
                .values_list("ref", "parent__ref", "kind", "title", "domain"))
