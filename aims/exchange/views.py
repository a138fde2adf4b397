"""The audit pack in the web UI: choose a period, download the ZIP."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from aims.core.errors import ValidationError
from aims.evidence.selectors import EvidenceFilters, evidence_list
from aims.exchange.forms import PackForm
from aims.exchange.pack import MANIFEST, SECTIONS, period_of
from aims.exchange.serve import audit_pack_response
from aims.orgs.decorators import org_view

FIELDS = {"from": "start", "to": "end"}


@org_view
def pack(request):
    """The form; with a period in the address (the form submitted), the pack itself."""
    ctx = request.ctx
    status = None
    if "start" in request.GET or "end" in request.GET:
        form = PackForm(request.GET)
        status = 422
        if form.is_valid():
            try:
                period = period_of(form.cleaned_data["start"], form.cleaned_data["end"])
            except ValidationError as exc:  # the API's names for the fields are from/to
                for key, messages in exc.errors.items():
                    for message in messages:
                        form.add_error(FIELDS.get(key), message)
            else:
                return audit_pack_response(ctx=ctx, period=period)
    else:
        form = PackForm()
    # Many evidence files make a pack too long to wait for: a worker makes it, with progress.
    files = evidence_list(ctx=ctx, filters=EvidenceFilters(kind="file")).count()
    return render(request, "exchange/pack.html", {
        "form": form, "sections": [title for _, title in SECTIONS.values()],
        "manifest": MANIFEST, "files": files,
        "as_job": ctx.can("jobs.start") and files > settings.AIMS_PACK_INLINE_FILES,
    }, status=status or 200)
