"""Evidence pages."""

from __future__ import annotations

from django.http import Http404

from aims.core.responses import stream_response
from aims.evidence.selectors import evidence_get
from aims.evidence.storage import blob_open
from aims.orgs.decorators import org_view


@org_view
def evidence_download(request, evidence_id):
    evidence = evidence_get(ctx=request.ctx, evidence_id=evidence_id)
    if evidence.blob is None:
        raise Http404("This evidence has no file.")
    return stream_response(blob_open(evidence.blob), evidence.content_type, evidence.file_name)
