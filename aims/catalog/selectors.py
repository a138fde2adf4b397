"""Reads of the global catalog (no tenant scope: it is the same for everyone)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from aims.catalog.models import Coverage, Framework, Mapping, Requirement
from aims.core.errors import NotFound, ValidationError

ISO42001 = "iso42001"  # the framework every organisation's SoA and clause items come from


def framework_list() -> QuerySet[Framework]:
    """All loaded frameworks, ISO/IEC 42001 first, with how many requirements and crosswalk
    rows each has."""
    return (Framework.objects.filter(org__isnull=True)
            .annotate(requirement_count=Count("requirements", distinct=True),
                      mapping_count=Count("mappings", distinct=True))
            .order_by(Case(When(code=ISO42001, then=Value(0)), default=Value(1),
                           output_field=IntegerField()), "name"))


def reportable_frameworks() -> QuerySet[Framework]:
    """The frameworks an organisation can report against through the crosswalks: every
    framework of requirements but ISO/IEC 42001 itself."""
    return (Framework.objects.filter(role="requirements", org__isnull=True).exclude(code=ISO42001)
            .order_by("name"))


def framework_get(*, code: str) -> Framework:
    """One framework shipped with aims by code, or NotFound (an organisation's own ones are
    read through its scope, in aims.frameworks)."""
    fw = Framework.objects.filter(code=code, org__isnull=True).first()
    if fw is None:
        raise NotFound(f"No framework {code!r}.")
    return fw


def _mapping_prefetches() -> tuple[Prefetch, Prefetch]:
    """Both directions of the crosswalk, with the requirement at the other end."""
    return (
        Prefetch("mappings_out", queryset=Mapping.objects.select_related(
            "target", "target__framework", "framework").order_by("framework__name", "position")),
        Prefetch("mappings_in", queryset=Mapping.objects.select_related(
            "source", "source__framework", "framework").order_by("position")),
    )


def requirement_list(*, framework: Framework, kind: str | None = None,
                     q: str | None = None, domain: str | None = None,
                     with_mappings: bool = False) -> QuerySet[Requirement]:
    """Requirements of a framework in document order, optionally filtered, optionally with
    their crosswalk rows both ways (a fixed number of queries)."""
    qs = Requirement.objects.filter(framework=framework).select_related("parent", "framework")
    if with_mappings:
        qs = qs.prefetch_related(*_mapping_prefetches())
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        qs = qs.filter(domain=domain)
    if q:
        qs = qs.filter(Q(ref__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by("sort_key")


def requirement_get(*, framework: Framework, ref: str) -> Requirement:
    """One requirement by ref, or NotFound."""
    req = (Requirement.objects.filter(framework=framework, ref=ref)
           .select_related("parent", "framework").prefetch_related(*_mapping_prefetches())
           .first())
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


def mappings_of(req: Requirement) -> list[Mapping]:
    """The crosswalk rows of a requirement fetched by `requirement_list(with_mappings=True)`
    or `requirement_get`, both directions, in data order."""
    return [*req.mappings_out.all(), *req.mappings_in.all()]


def mappings_from_iso(*, requirement_ids, frameworks: list[str] | None = None) -> list[Mapping]:
    """The crosswalk rows from the given ISO/IEC 42001 requirements to a requirement of another
    framework that the item helps evidence (rows saying "no counterpart" left out), optionally
    only to `frameworks`; one query."""
    qs = (Mapping.objects.filter(source_id__in=list(requirement_ids), target__isnull=False)
          .exclude(coverage=Coverage.NONE)
          .select_related("source", "target", "framework")
          .order_by("framework__name", "target__sort_key", "position"))
    if frameworks is not None:
        qs = qs.filter(framework__code__in=frameworks)
    return list(qs)


def timeline_dates(framework: Framework) -> dict[str, dict]:
    """{timeline key: {key, date, label, basis}} of a framework."""
    return {t["key"]: t for t in framework.timeline}


def kinds_of(*, framework: Framework) -> set[str]:
    """The kinds of requirement a framework has (for a filter)."""
    return set(Requirement.objects.filter(framework=framework)
               .values_list("kind", flat=True).distinct())


RISK_SOURCES = "owasp-llm"  # the taxonomy of risk sources the risk register uses


def risk_source_choices() -> list[tuple[str, str]]:
    """(ref, "ref title") of every risk source of the taxonomy, in order."""
    return [(ref, f"{ref} {title}") for ref, title in
            Requirement.objects.filter(framework__code=RISK_SOURCES).order_by("sort_key")
            .values_list("ref", "title")]


def risk_sources_by_refs(refs, *, field: str = "source_tags") -> list[Requirement]:
    """The risk sources of the taxonomy named by `refs` (LLM01…), in order; None is none.
    A field error naming `field` for anything else."""
    if refs is None:
        return []
    if not isinstance(refs, (list, tuple, set)) or not all(isinstance(r, str) for r in refs):
        raise ValidationError({field: ["Give a list of risk source references such as LLM01."]})
    wanted = {r.strip().upper() for r in refs if r.strip()}
    found = list(Requirement.objects.filter(framework__code=RISK_SOURCES, ref__in=wanted)
                 .order_by("sort_key"))
    if missing := wanted - {r.ref for r in found}:
        raise ValidationError({field: [
            f"Not a risk source of the OWASP Top 10 for LLM applications: "
            f"{', '.join(sorted(missing))}. Use LLM01 … LLM10."]})
    return found
