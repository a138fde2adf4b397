from __future__ import annotations

from django.shortcuts import render

from aims.catalog import selectors
from aims.catalog.models import Requirement
from aims.orgs.decorators import org_view


@org_view
def requirement_list(request):
    fw = selectors.framework_get(code=selectors.ISO42001)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Requirement.Kind.values else ""
    reqs = list(selectors.requirement_list(framework=fw, kind=kind or None, q=q or None))
    return render(request, "catalog/list.html", {
        "framework": fw, "requirements": reqs, "q": q, "kind": kind,
        "kinds": Requirement.Kind.choices,
    })


@org_view
def requirement_detail(request, ref):
    fw = selectors.framework_get(code=selectors.ISO42001)
    req = selectors.requirement_get(framework=fw, ref=ref)
    return render(request, "catalog/detail.html", {
        "framework": fw, "req": req,
        "children": list(req.children.order_by("sort_key")),
    })
