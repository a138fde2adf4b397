from __future__ import annotations

from django.shortcuts import render

from aims.catalog import selectors
from aims.catalog.models import Requirement
from aims.orgs.decorators import org_view


def _kinds(reqs_kinds: set[str]) -> list[tuple[str, str]]:
    return [(v, label) for v, label in Requirement.Kind.choices if v in reqs_kinds]


@org_view
def requirement_list(request):
    fw = selectors.framework_get(code=selectors.ISO42001)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Requirement.Kind.values else ""
    reqs = list(selectors.requirement_list(framework=fw, kind=kind or None, q=q or None))
    return render(request, "catalog/list.html", {
        "framework": fw, "requirements": reqs, "q": q, "kind": kind,
        "kinds": _kinds({Requirement.Kind.CLAUSE, Requirement.Kind.OBJECTIVE,
                         Requirement.Kind.CONTROL}),
    })


def _mapping_rows(req: Requirement) -> list[dict]:
    """The crosswalk rows of `req` as its page lists them: the other end, grouped by framework."""
    rows = []
    for m in selectors.mappings_of(req):
        outgoing = m.source_id == req.pk
        other = m.target if outgoing else m.source
        rows.append({"framework": m.framework if outgoing else None, "other": other,
                     "other_code": (m.framework.code if outgoing else selectors.ISO42001),
                     "m": m})
    return rows


@org_view
def requirement_detail(request, ref):
    fw = selectors.framework_get(code=selectors.ISO42001)
    req = selectors.requirement_get(framework=fw, ref=ref)
    return render(request, "catalog/detail.html", {
        "framework": fw, "req": req,
        "children": list(req.children.order_by("sort_key")),
        "mappings": _mapping_rows(req),
    })


@org_view
def framework_list(request):
    return render(request, "catalog/frameworks.html", {
        "frameworks": list(selectors.framework_list()),
    })


@org_view
def framework_detail(request, framework):
    fw = selectors.framework_get(code=framework)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Requirement.Kind.values else ""
    reqs = list(selectors.requirement_list(framework=fw, kind=kind or None, q=q or None,
                                           with_mappings=True))
    kinds = selectors.kinds_of(framework=fw)
    dates = selectors.timeline_dates(fw)
    for r in reqs:
        r.mapping_count = len(selectors.mappings_of(r))
        r.dates = [dates[k] for k in r.applies_from if k in dates]
    return render(request, "catalog/framework.html", {
        "framework": fw, "requirements": reqs, "q": q, "kind": kind, "kinds": _kinds(kinds),
    })


@org_view
def framework_requirement(request, framework, ref):
    fw = selectors.framework_get(code=framework)
    req = selectors.requirement_get(framework=fw, ref=ref)
    dates = selectors.timeline_dates(fw)
    return render(request, "catalog/requirement.html", {
        "framework": fw, "req": req,
        "children": list(req.children.order_by("sort_key")),
        "mappings": _mapping_rows(req),
        "dates": [dates[k] for k in req.applies_from if k in dates],
    })
