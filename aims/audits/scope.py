"""What an audit can have in scope: the ISO/IEC 42001 requirements an auditor checks one by one.

Coverage and checklists work at one granularity: the leaf clauses (4.1 … 10.2, the lowest
numbered sub-clauses such as 6.1.2 or 9.2.1) and the 38 Annex A controls. A broader reference
someone gives — a clause ("6"), a sub-clause with children ("6.1"), an Annex A objective
("A.6.1") or domain ("A.6") — stands for every leaf under it.
"""

from __future__ import annotations

from collections import defaultdict

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001
from aims.core.errors import ValidationError

FRAMEWORK = ISO42001

# Annex A domains whose controls are applied system by system: an audit with AI systems in
# scope checks these once per system (one checklist line each); everything else is checked
# once for the organisation.
PER_SYSTEM_DOMAINS = frozenset({"A.5", "A.6", "A.7", "A.9"})


def catalog_requirements() -> list[Requirement]:
    """Every ISO/IEC 42001 requirement in document order (one query; 91 rows)."""
    return list(Requirement.objects.filter(framework__code=FRAMEWORK)
                .select_related("framework").order_by("sort_key"))


def auditable(requirements: list[Requirement]) -> list[Requirement]:
    """The leaves: clause requirements without sub-clauses, and Annex A controls."""
    parents = {r.parent_id for r in requirements if r.parent_id}
    return [r for r in requirements
            if r.kind == Requirement.Kind.CONTROL
            or (r.kind == Requirement.Kind.CLAUSE and r.pk not in parents)]


def is_per_system(requirement: Requirement) -> bool:
    return requirement.kind == Requirement.Kind.CONTROL and requirement.domain in PER_SYSTEM_DOMAINS


def expand_refs(refs, *, field: str = "requirements") -> list[Requirement]:
    """The auditable requirements named by `refs` (requirement refs, or Annex A domains such
    as "A.5"), in document order; a field error naming any reference that is not one."""
    if refs is None:
        return []
    if isinstance(refs, (str, bytes)) or not isinstance(refs, (list, tuple, set)):
        raise ValidationError({field: ["Give a list of requirement references such as 6.1.2 "
                                       "or A.5.2."]})
    wanted = []
    for raw in refs:
        ref = getattr(raw, "ref", raw)
        if not isinstance(ref, str):
            raise ValidationError({field: [f"“{raw}” is not a requirement reference."]})
        if ref.strip():
            wanted.append(ref.strip())
    everything = catalog_requirements()
    by_ref = {r.ref: r for r in everything}
    children: dict[int | None, list[Requirement]] = defaultdict(list)
    for r in everything:
        children[r.parent_id].append(r)
    leaves = {r.pk for r in auditable(everything)}
    domains = {d["ref"] for d in (everything[0].framework.domains if everything else [])}

    chosen: set[int] = set()

    def add(r: Requirement) -> None:
        if r.pk in leaves:
            chosen.add(r.pk)
        for c in children.get(r.pk, []):
            add(c)

    unknown = []
    for ref in wanted:
        if ref in by_ref:
            add(by_ref[ref])
        elif ref in domains:
            chosen.update(r.pk for r in everything
                          if r.kind == Requirement.Kind.CONTROL and r.domain == ref)
        else:
            unknown.append(ref)
    if unknown:
        raise ValidationError({field: [
            f"Not an ISO/IEC 42001 requirement: {', '.join(unknown)}. Use references such as "
            "6.1.2, 8 or A.5.2, or an Annex A domain such as A.6."]})
    return [r for r in everything if r.pk in chosen]
