"""Readiness pages."""

from __future__ import annotations

from django.shortcuts import render

from aims.orgs.decorators import org_view
from aims.readiness import selectors


@org_view
def certification(request):
    """The certification cycle: the body, the certificate, its audits and their findings."""
    return render(request, "readiness/certification.html",
                  {"certifications": selectors.certification_list(ctx=request.ctx)})
